-- 002_jobs.sql: jobs, their event log and their leads. An event is stored
-- before it is sent anywhere; a client that reconnects replays from here.
CREATE TABLE jobs (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL,
    status      TEXT NOT NULL,          -- queued | running | succeeded | failed | cancelled
    request     TEXT NOT NULL,          -- the normalised request (JSON)
    created_at  INTEGER NOT NULL,       -- epoch milliseconds
    started_at  INTEGER,
    finished_at INTEGER,
    leads       INTEGER NOT NULL DEFAULT 0,
    last_seq    INTEGER NOT NULL DEFAULT 0,
    summary     TEXT                    -- pipeline_end's summary, or the error (JSON)
);
CREATE INDEX jobs_created ON jobs (created_at);

CREATE TABLE events (
    job_id     TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    type       TEXT NOT NULL,
    data       TEXT NOT NULL,           -- the event, one line of JSON
    created_at INTEGER NOT NULL,
    PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;

CREATE TABLE leads (
    job_id  TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    lead_id TEXT NOT NULL,
    seq     INTEGER NOT NULL,           -- order of lead_generated
    data    TEXT NOT NULL,              -- {lead_id, lead_data, source_url, final_package?}
    PRIMARY KEY (job_id, lead_id)
) WITHOUT ROWID;
