-- Complaints filed per provider and day, kept by the filing transaction: what the spike
-- detector reads (a few rows per provider) instead of the complaints themselves.
CREATE TABLE daily_counts (
    provider_id TEXT NOT NULL REFERENCES providers(id),
    day DATE NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (provider_id, day)
);
CREATE INDEX daily_counts_day ON daily_counts(day);
