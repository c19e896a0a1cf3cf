DROP INDEX complaints_shared_version;
ALTER TABLE complaints DROP COLUMN shared_version;
ALTER TABLE complaints DROP COLUMN shared_description;
ALTER TABLE complaints DROP COLUMN shared_title;
