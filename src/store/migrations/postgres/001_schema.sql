-- 001_schema.sql: Prospect's store on PostgreSQL (PROSPECT_DB=postgres://...),
-- the same tables as the SQLite migrations 001-005, plus what scale-out
-- needs: a job's worker and lease (claimed with FOR UPDATE SKIP LOCKED),
-- and a delivery's claim, so that one node at a time sends it.

-- The local search corpus: full text with PostgreSQL's own tsvector, title
-- weighted A, headings B, body D (ts_rank), English Snowball stemming.
CREATE TABLE corpus_docs (
    id           BIGSERIAL PRIMARY KEY,
    url          TEXT NOT NULL UNIQUE,
    site         TEXT NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    headings     TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    html_z       BYTEA,
    html_len     BIGINT NOT NULL DEFAULT 0,
    charset      TEXT NOT NULL DEFAULT 'UTF-8',
    fetched_at   BIGINT,
    indexed_at   BIGINT NOT NULL,
    tsv          TSVECTOR GENERATED ALWAYS AS (
                     setweight(to_tsvector('english', title), 'A') ||
                     setweight(to_tsvector('english', headings), 'B') ||
                     setweight(to_tsvector('english', body), 'D')) STORED
);
CREATE INDEX corpus_docs_site ON corpus_docs (site);
CREATE INDEX corpus_docs_tsv ON corpus_docs USING GIN (tsv);

CREATE TABLE jobs (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL,
    owner       TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,          -- queued | running | succeeded | failed | cancelled
    request     TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    started_at  BIGINT,
    finished_at BIGINT,
    leads       BIGINT NOT NULL DEFAULT 0,
    last_seq    BIGINT NOT NULL DEFAULT 0,
    summary     TEXT,
    worker      TEXT,                   -- the node running it
    lease_until BIGINT,                 -- epoch ms; past it, another worker may take the job
    cancel      BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX jobs_created ON jobs (created_at);
CREATE INDEX jobs_queue ON jobs (created_at) WHERE status IN ('queued', 'running');
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX jobs_owner ON jobs (owner, created_at);

CREATE TABLE events (
    job_id     TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq        BIGINT NOT NULL,
    type       TEXT NOT NULL,
    data       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (job_id, seq)
);

CREATE TABLE leads (
    job_id  TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    lead_id TEXT NOT NULL,
    seq     BIGINT NOT NULL,
    data    JSONB NOT NULL,
    PRIMARY KEY (job_id, lead_id)
);

CREATE TABLE outbox (
    job_id        TEXT NOT NULL,
    seq           BIGINT NOT NULL,
    url           TEXT NOT NULL,
    state         TEXT NOT NULL,        -- pending | delivered | dead | disabled
    attempts      BIGINT NOT NULL DEFAULT 0,
    next_at       BIGINT NOT NULL,
    last_error    TEXT,
    done_at       BIGINT,
    claimed_until BIGINT NOT NULL DEFAULT 0, -- a node is sending it until then
    PRIMARY KEY (job_id, seq),
    FOREIGN KEY (job_id, seq) REFERENCES events (job_id, seq) ON DELETE CASCADE
);
CREATE INDEX outbox_pending ON outbox (job_id, seq) WHERE state = 'pending';

CREATE TABLE webhook_endpoints (
    url         TEXT PRIMARY KEY,
    disabled_at BIGINT NOT NULL,
    reason      TEXT NOT NULL
);

CREATE TABLE cache (
    key        TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    value      BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX cache_expires ON cache (expires_at);
