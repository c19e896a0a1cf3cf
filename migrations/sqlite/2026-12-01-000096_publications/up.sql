-- The complaint-level open data. Each complaint gets a stable public id, random, so that
-- the internal id (in its owner's links) is never published; new ones get theirs when
-- filed (store::complaints::ComplaintRow::new).
ALTER TABLE complaints ADD COLUMN public_id TEXT;
UPDATE complaints SET public_id = lower(hex(randomblob(8)));
CREATE UNIQUE INDEX complaints_public_id ON complaints(public_id);
-- A description is published only while its author agrees (a row here) and once a reviewer
-- approved the anonymised copy made when they agreed. Withdrawing deletes the row.
CREATE TABLE publications (
    complaint_id TEXT PRIMARY KEY NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
    description TEXT NOT NULL,
    agreed_at TIMESTAMP NOT NULL,
    approved_at TIMESTAMP
);
CREATE INDEX publications_waiting ON publications(approved_at, agreed_at);
