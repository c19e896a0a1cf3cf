DROP TABLE publications;
DROP INDEX complaints_public_id;
ALTER TABLE complaints DROP COLUMN public_id;
