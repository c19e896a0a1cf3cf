-- The second factor (TOTP) of staff, reviewer and admin accounts. The secret is written when
-- enrolment starts and counts once `enrolled_at` is set; `last_step` is the last 30-second
-- step accepted, so a code seen once cannot be played again.
CREATE TABLE second_factors (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    enrolled_at TIMESTAMP,
    last_step BIGINT
);

-- Recovery codes: only their Argon2 hashes, each used once.
CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hash TEXT NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX recovery_codes_user ON recovery_codes(user_id);

-- When the session passed the second step: a privileged role counts only after it.
ALTER TABLE sessions ADD COLUMN second_factor_at TIMESTAMP;

-- What admins did to other accounts (a second factor reset), for admins to read.
CREATE TABLE account_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_email TEXT NOT NULL,
    target_email TEXT NOT NULL,
    action TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
