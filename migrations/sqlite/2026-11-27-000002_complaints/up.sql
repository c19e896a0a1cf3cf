CREATE TABLE providers (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    website TEXT,
    subscribers BIGINT,
    network_id TEXT REFERENCES providers(id),
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX providers_network ON providers(network_id);

CREATE TABLE complaints (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    provider_id TEXT NOT NULL REFERENCES providers(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    contract_ref TEXT,
    currency TEXT NOT NULL,
    amount_claimed BIGINT,
    share_with_associations BOOLEAN NOT NULL,
    service TEXT,
    started_on DATE,
    ended_on DATE,
    partly_restored BOOLEAN,
    still_billed BOOLEAN,
    monthly_fee BIGINT,
    old_price BIGINT,
    new_price BIGINT,
    effective_on DATE,
    announced_by TEXT,
    notice_received BOOLEAN,
    billing_issue TEXT,
    charged_on DATE,
    charged_amount BIGINT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX complaints_user ON complaints(user_id, created_at);
CREATE INDEX complaints_provider ON complaints(provider_id);

CREATE TABLE claims (
    complaint_id TEXT PRIMARY KEY NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    filed_on DATE NOT NULL,
    sent_on DATE,
    answer_due_on DATE,
    channel TEXT,
    provider_ref TEXT,
    first_answered_on DATE,
    answered_on DATE,
    last_offer BIGINT,
    escalated_on DATE,
    body TEXT,
    closed_on DATE,
    outcome TEXT,
    received BIGINT,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE claim_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    complaint_id TEXT NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
    at TIMESTAMP NOT NULL,
    actor_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    on_date DATE NOT NULL,
    state_after TEXT NOT NULL,
    amount BIGINT,
    detail TEXT,
    reference TEXT,
    note TEXT
);
CREATE INDEX claim_events_complaint ON claim_events(complaint_id, id);

CREATE TABLE attachments (
    id TEXT PRIMARY KEY NOT NULL,
    complaint_id TEXT NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    data BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX attachments_complaint ON attachments(complaint_id);

-- Statistics: counters kept in step with the complaints, in the same transactions.
CREATE TABLE stat_counts (
    provider_id TEXT NOT NULL REFERENCES providers(id),
    month TEXT NOT NULL,
    kind TEXT NOT NULL,
    metric TEXT NOT NULL,
    currency TEXT NOT NULL,
    value BIGINT NOT NULL,
    -- In this order a provider's figures are read in one sweep, summed over months.
    PRIMARY KEY (provider_id, kind, metric, currency, month)
) WITHOUT ROWID;
-- The trend chart reads one metric month by month from this index alone.
CREATE INDEX stat_counts_metric_month ON stat_counts(metric, month, value);

-- Bumped by every change to the counters: statistics pages cache their figures until it moves.
CREATE TABLE stats_generation (
    id INTEGER PRIMARY KEY NOT NULL,
    n BIGINT NOT NULL
);
INSERT INTO stats_generation (id, n) VALUES (1, 0);
