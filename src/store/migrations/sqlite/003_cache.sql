-- 003_cache.sql: answers of providers (search results, LLM answers,
-- embeddings, pages), keyed by a hash of provider, method, URL and body.
CREATE TABLE cache (
    key        TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,           -- search | llm | embed | page
    value      BLOB NOT NULL,
    created_at INTEGER NOT NULL,        -- epoch milliseconds
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX cache_expires ON cache (expires_at);
