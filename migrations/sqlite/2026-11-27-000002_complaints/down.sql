DROP TABLE stats_generation;
DROP TABLE stat_counts;
DROP TABLE attachments;
DROP TABLE claim_events;
DROP TABLE claims;
DROP TABLE complaints;
DROP TABLE providers;
