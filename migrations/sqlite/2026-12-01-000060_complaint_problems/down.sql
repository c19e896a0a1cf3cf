-- Back to one kind per complaint: a complaint keeps its first problem (in the order
-- service_cut, price_hike, billing, other); its other problems are lost.
ALTER TABLE complaints ADD COLUMN kind TEXT NOT NULL DEFAULT 'other';
ALTER TABLE complaints ADD COLUMN service TEXT;
ALTER TABLE complaints ADD COLUMN started_on DATE;
ALTER TABLE complaints ADD COLUMN ended_on DATE;
ALTER TABLE complaints ADD COLUMN partly_restored BOOLEAN;
ALTER TABLE complaints ADD COLUMN still_billed BOOLEAN;
ALTER TABLE complaints ADD COLUMN monthly_fee BIGINT;
ALTER TABLE complaints ADD COLUMN old_price BIGINT;
ALTER TABLE complaints ADD COLUMN new_price BIGINT;
ALTER TABLE complaints ADD COLUMN effective_on DATE;
ALTER TABLE complaints ADD COLUMN announced_by TEXT;
ALTER TABLE complaints ADD COLUMN notice_received BOOLEAN;
ALTER TABLE complaints ADD COLUMN billing_issue TEXT;
ALTER TABLE complaints ADD COLUMN charged_on DATE;
ALTER TABLE complaints ADD COLUMN charged_amount BIGINT;
UPDATE complaints SET
    kind = p.kind, service = p.service, started_on = p.started_on, ended_on = p.ended_on,
    partly_restored = p.partly_restored, still_billed = p.still_billed,
    monthly_fee = p.monthly_fee, old_price = p.old_price, new_price = p.new_price,
    effective_on = p.effective_on, announced_by = p.announced_by,
    notice_received = p.notice_received, billing_issue = p.billing_issue,
    charged_on = p.charged_on, charged_amount = p.charged_amount
FROM (SELECT * FROM complaint_problems p1 WHERE p1.kind = (
    SELECT p2.kind FROM complaint_problems p2 WHERE p2.complaint_id = p1.complaint_id
    ORDER BY CASE p2.kind WHEN 'service_cut' THEN 0 WHEN 'price_hike' THEN 1
        WHEN 'billing' THEN 2 ELSE 3 END LIMIT 1)) AS p
WHERE p.complaint_id = complaints.id;
DROP TABLE complaint_problems;
