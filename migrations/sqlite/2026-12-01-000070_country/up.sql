-- The subscriber's country of residence (ISO 3166-1 alpha-2): it chooses the escalation
-- ladder. Accounts made before this field existed were all French residents (the portal only
-- knew the French ladder), so they get FR.
ALTER TABLE users ADD COLUMN country TEXT NOT NULL DEFAULT 'FR';
