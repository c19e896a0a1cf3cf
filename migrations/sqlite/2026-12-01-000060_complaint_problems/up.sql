-- A complaint carries one or more problems, at most one of each kind, each with its own
-- facts. The facts move from the complaint's row to one row per problem.
CREATE TABLE complaint_problems (
    complaint_id TEXT NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
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
    PRIMARY KEY (complaint_id, kind)
);
-- Reviewers select complaints by kind.
CREATE INDEX complaint_problems_kind ON complaint_problems(kind, complaint_id);

INSERT INTO complaint_problems (complaint_id, kind, service, started_on, ended_on,
    partly_restored, still_billed, monthly_fee, old_price, new_price, effective_on,
    announced_by, notice_received, billing_issue, charged_on, charged_amount)
SELECT id, kind, service, started_on, ended_on, partly_restored, still_billed, monthly_fee,
    old_price, new_price, effective_on, announced_by, notice_received, billing_issue,
    charged_on, charged_amount
FROM complaints;

ALTER TABLE complaints DROP COLUMN kind;
ALTER TABLE complaints DROP COLUMN service;
ALTER TABLE complaints DROP COLUMN started_on;
ALTER TABLE complaints DROP COLUMN ended_on;
ALTER TABLE complaints DROP COLUMN partly_restored;
ALTER TABLE complaints DROP COLUMN still_billed;
ALTER TABLE complaints DROP COLUMN monthly_fee;
ALTER TABLE complaints DROP COLUMN old_price;
ALTER TABLE complaints DROP COLUMN new_price;
ALTER TABLE complaints DROP COLUMN effective_on;
ALTER TABLE complaints DROP COLUMN announced_by;
ALTER TABLE complaints DROP COLUMN notice_received;
ALTER TABLE complaints DROP COLUMN billing_issue;
ALTER TABLE complaints DROP COLUMN charged_on;
ALTER TABLE complaints DROP COLUMN charged_amount;
