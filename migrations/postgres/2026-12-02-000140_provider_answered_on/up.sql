-- The day of the provider's first closing answer given on Recours: the public figures of
-- the portal time the provider's own answers, not an answer a subscriber recorded.
ALTER TABLE claims ADD COLUMN provider_answered_on DATE;
UPDATE claims SET provider_answered_on = (
    SELECT MIN(e.on_date) FROM claim_events e
    WHERE e.complaint_id = claims.complaint_id AND e.action = 'provider_answer'
);
