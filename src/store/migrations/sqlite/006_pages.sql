-- 006_pages.sql: pages fetched from the web, shared by every job of every
-- process on this store for PROSPECT_PAGE_TTL_S, then revalidated with
-- their ETag or Last-Modified. The body is zlib-compressed.
CREATE TABLE pages (
    url           TEXT PRIMARY KEY,     -- as asked for
    final_url     TEXT NOT NULL,        -- after redirects
    body          BLOB NOT NULL,
    size          INTEGER NOT NULL,     -- uncompressed bytes
    http_code     INTEGER NOT NULL,     -- 200, or 404/410: a page that is not there
    charset       TEXT NOT NULL DEFAULT '',
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    fetched_at    INTEGER NOT NULL,     -- epoch milliseconds of the last answer
    hits          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX pages_fetched ON pages (fetched_at);
