-- 002_pages.sql: pages fetched from the web, shared by every job of every
-- worker for PROSPECT_PAGE_TTL_S, then revalidated with their ETag or
-- Last-Modified. The body is zlib-compressed.
CREATE TABLE pages (
    url           TEXT PRIMARY KEY,
    final_url     TEXT NOT NULL,
    body          BYTEA NOT NULL,
    size          BIGINT NOT NULL,
    http_code     INTEGER NOT NULL,
    charset       TEXT NOT NULL DEFAULT '',
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    fetched_at    BIGINT NOT NULL,
    hits          BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX pages_fetched ON pages (fetched_at);
