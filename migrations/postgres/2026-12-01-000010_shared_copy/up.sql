-- What reviewers read and search of a shared complaint: its title and description with the
-- personal data removed (NULL when the author did not consent), and the version of the
-- anonymiser that wrote them (store::complaints::SHARED_COPY_VERSION). SQL cannot run the
-- anonymiser: the shared rows are filled when the application next migrates
-- (store::complaints::refresh_shared_copies), before it serves anything.
ALTER TABLE complaints ADD COLUMN shared_title TEXT;
ALTER TABLE complaints ADD COLUMN shared_description TEXT;
ALTER TABLE complaints ADD COLUMN shared_version INTEGER NOT NULL DEFAULT 0;
-- Rows not shared have nothing to copy: they are up to date with version 1 already.
UPDATE complaints SET shared_version = 1 WHERE NOT share_with_associations;
CREATE INDEX complaints_shared_version ON complaints(shared_version);
