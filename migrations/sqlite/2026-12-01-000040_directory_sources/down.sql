ALTER TABLE providers DROP COLUMN admin_edited;
ALTER TABLE providers DROP COLUMN subscribers_source;
ALTER TABLE providers DROP COLUMN subscribers_as_of;
