-- 004_outbox.sql: the webhook outbox. A delivery row is written with its
-- event, in one transaction, so a crash can lose neither without the other;
-- the sender works through each job's rows in seq order.
CREATE TABLE outbox (
    job_id     TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    url        TEXT NOT NULL,
    state      TEXT NOT NULL,           -- pending | delivered | dead | disabled
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    INTEGER NOT NULL,        -- epoch ms of the next attempt
    last_error TEXT,
    done_at    INTEGER,
    PRIMARY KEY (job_id, seq),
    FOREIGN KEY (job_id, seq) REFERENCES events (job_id, seq) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX outbox_pending ON outbox (job_id, seq) WHERE state = 'pending';
CREATE INDEX outbox_due ON outbox (next_at) WHERE state = 'pending';

-- Receivers that answered 410 Gone: nothing more is sent to them until an
-- operator re-enables them (`prospect webhooks enable`).
CREATE TABLE webhook_endpoints (
    url         TEXT PRIMARY KEY,
    disabled_at INTEGER NOT NULL,
    reason      TEXT NOT NULL
);

CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
