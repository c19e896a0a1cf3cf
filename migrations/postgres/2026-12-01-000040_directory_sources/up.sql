-- Where a declared subscriber count comes from, and whether an admin edited the entry
-- (an import of the shipped directory then leaves it alone unless forced).
ALTER TABLE providers ADD COLUMN subscribers_as_of TEXT;
ALTER TABLE providers ADD COLUMN subscribers_source TEXT;
ALTER TABLE providers ADD COLUMN admin_edited BOOLEAN NOT NULL DEFAULT FALSE;
