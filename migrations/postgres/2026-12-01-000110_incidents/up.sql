-- Mass incidents: one event, many subscribers who join it with a complaint of their own.
CREATE TABLE incidents (
    id TEXT PRIMARY KEY NOT NULL,
    provider_id TEXT NOT NULL REFERENCES providers(id),
    -- The upstream network, where a wholesale dispute is the cause.
    network_id TEXT REFERENCES providers(id),
    service TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    sources TEXT NOT NULL,
    started_on DATE NOT NULL,
    partly_restored_on DATE,
    -- Percent of the service back from partly_restored_on (1..99).
    restored_share INTEGER,
    restored_on DATE,
    -- No more joins from this day.
    closed_on DATE,
    declared_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX incidents_provider ON incidents(provider_id);

-- The public timeline: the declaration and each change of its dates.
CREATE TABLE incident_updates (
    id BIGSERIAL PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    at TIMESTAMP NOT NULL,
    what TEXT NOT NULL,
    on_date DATE,
    share INTEGER,
    note TEXT NOT NULL
);
CREATE INDEX incident_updates_incident ON incident_updates(incident_id, id);

-- Who joined: one complaint per subscriber and incident (the unique key refuses a second).
CREATE TABLE incident_members (
    complaint_id TEXT PRIMARY KEY NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    joined_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX incident_members_once ON incident_members(incident_id, user_id);

-- Live figures, several rows per figure (shard) so a surge of joins does not queue on one
-- row; read as their sum.
CREATE TABLE incident_counts (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    shard INTEGER NOT NULL,
    metric TEXT NOT NULL,
    currency TEXT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (incident_id, shard, metric, currency)
);
