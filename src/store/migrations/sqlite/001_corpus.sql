-- 001_corpus.sql: the local search corpus. One row per page; the FTS5 index
-- (external content, Snowball-stemming tokenizer "prospect") covers title,
-- headings and visible text. The page's HTML is kept, zlib-compressed, so
-- that the pipeline can extract from it exactly as from a fetched page.
CREATE TABLE corpus_docs (
    id           INTEGER PRIMARY KEY,
    url          TEXT NOT NULL UNIQUE,
    site         TEXT NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    headings     TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    html_z       BLOB,
    html_len     INTEGER NOT NULL DEFAULT 0,
    charset      TEXT NOT NULL DEFAULT 'UTF-8',
    fetched_at   INTEGER,            -- epoch milliseconds, when known
    indexed_at   INTEGER NOT NULL    -- epoch milliseconds
);
CREATE INDEX corpus_docs_site ON corpus_docs (site);

CREATE VIRTUAL TABLE corpus_fts USING fts5 (
    title, headings, body,
    content = 'corpus_docs', content_rowid = 'id',
    tokenize = 'prospect'
);
