-- A complaint being written: the answers given so far, step by step, so that nothing typed
-- is lost (a step left for later, a session that expired on submit).
CREATE TABLE complaint_drafts (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- The form's fields as a JSON array of [name, value] pairs (a name may repeat: `kind`).
    fields TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX complaint_drafts_user ON complaint_drafts(user_id, updated_at);
