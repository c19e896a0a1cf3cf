ALTER TABLE stats_generation DROP COLUMN changed_at;
