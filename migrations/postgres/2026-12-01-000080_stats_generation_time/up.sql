-- When the published statistics last changed: the open data's Last-Modified.
ALTER TABLE stats_generation ADD COLUMN changed_at TIMESTAMP;
