-- The complaint-level exports read newest first, a part at a time after the last row sent
-- (keyset): this index makes each part cost the same however far into the export it is.
CREATE INDEX complaints_created ON complaints(created_at, id);
