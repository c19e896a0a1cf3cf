-- Provider staff: an account of role 'provider' is bound to one provider of the directory.
ALTER TABLE users ADD COLUMN provider_id TEXT REFERENCES providers(id);
CREATE INDEX users_provider ON users(provider_id);

-- A claim sent through Recours: the name the provider finds the account under, and the
-- provider's answers (the last closing answer's type, the one "in progress" allowed), and
-- the subscriber's acceptance or dispute of that answer.
ALTER TABLE claims ADD COLUMN account_name TEXT;
ALTER TABLE claims ADD COLUMN response_type TEXT;
ALTER TABLE claims ADD COLUMN in_progress_on DATE;
ALTER TABLE claims ADD COLUMN reply TEXT;
CREATE INDEX claims_channel ON claims(channel, state);

-- Only the evidence the subscriber ticks reaches the provider.
ALTER TABLE attachments ADD COLUMN sent_to_provider BOOLEAN NOT NULL DEFAULT FALSE;

-- Every action of a provider's staff, for admins to read.
CREATE TABLE provider_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    provider_id TEXT NOT NULL REFERENCES providers(id),
    actor_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    actor_email TEXT NOT NULL,
    action TEXT NOT NULL,
    complaint_id TEXT,
    detail TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX provider_audit_provider ON provider_audit(provider_id, id);
