/* sqlite/cache.c: the SQLite backend's caches: providers' answers by key
 * until they expire, and fetched pages (compressed by store.c) with their
 * validators and hits. */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "store/sqlite/sqlite_int.h"

static int sq_cache_get(struct store *base, const char *key, int64_t now_ms, char **value,
                        size_t *len, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st =
        store__sq_prep(s, "SELECT value FROM cache WHERE key = ?1 AND expires_at > ?2");
    if (!st)
        return store__sq_err(s->db, e, "reading the cache");
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now_ms);
    int rc = store__sq_step_row(s->db, st, e, "reading the cache");
    if (rc > 0) {
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        *value = xmalloc(n + 1);
        if (n)
            memcpy(*value, sqlite3_column_blob(st, 0), n);
        (*value)[n] = '\0';
        *len = n;
        rc = 0;
    } else if (rc == 0) {
        rc = CORE_ENOTFOUND;
    }
    store__sq_done(s, st);
    return rc;
}

static int sq_cache_put(struct store *base, const char *key, const char *kind, const char *value,
                        size_t len, int64_t expires_ms, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st =
        store__sq_prep(s, "INSERT OR REPLACE INTO cache (key, kind, value, created_at,"
                          " expires_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    int64_t now = clock_now_ms();
    if (st) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, value, (int)len, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, now);
        sqlite3_bind_int64(st, 5, expires_ms);
    }
    if (store__sq_step_done(s, st))
        return store__sq_err(s->db, e, "writing the cache");
    /* Expired entries go about once in a hundred writes. */
    if (now % 100 == 0) {
        st = store__sq_prep(s, "DELETE FROM cache WHERE expires_at <= ?1");
        if (st)
            sqlite3_bind_int64(st, 1, now);
        (void)store__sq_step_done(s, st);
    }
    return 0;
}

/* ---- pages ---- */

static void copy_col(sqlite3_stmt *st, int col, char *out, size_t n)
{
    const char *v = (const char *)sqlite3_column_text(st, col);
    snprintf(out, n, "%s", v ? v : "");
}

static int sq_page_get(struct store *base, const char *url, struct store_page *out, size_t *size,
                       struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st =
        store__sq_prep(s, "SELECT final_url, body, size, charset, etag, last_modified,"
                          " fetched_at, http_code FROM pages WHERE url = ?1");
    if (!st)
        return store__sq_err(s->db, e, "reading a stored page");
    sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
    int rc = store__sq_step_row(s->db, st, e, "reading a stored page");
    if (rc > 0) {
        out->final_url = xstrdup((const char *)sqlite3_column_text(st, 0));
        size_t n = (size_t)sqlite3_column_bytes(st, 1);
        out->body = xmalloc(n + 1);
        if (n)
            memcpy(out->body, sqlite3_column_blob(st, 1), n);
        out->len = n;
        *size = (size_t)sqlite3_column_int64(st, 2);
        copy_col(st, 3, out->charset, sizeof out->charset);
        copy_col(st, 4, out->etag, sizeof out->etag);
        copy_col(st, 5, out->last_modified, sizeof out->last_modified);
        out->fetched_at = sqlite3_column_int64(st, 6);
        out->http_code = sqlite3_column_int(st, 7);
        rc = 0;
    } else if (rc == 0) {
        rc = CORE_ENOTFOUND;
    }
    store__sq_done(s, st);
    return rc;
}

static int sq_page_put(struct store *base, const char *url, const struct store_page *p, size_t size,
                       int64_t purge_before_ms, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st =
        store__sq_prep(s, "INSERT OR REPLACE INTO pages (url, final_url, body, size, charset,"
                          " etag, last_modified, fetched_at, http_code, hits) VALUES (?1, ?2,"
                          " ?3, ?4, ?5, ?6, ?7, ?8, ?9, COALESCE((SELECT hits FROM pages"
                          " WHERE url = ?1), 0))");
    if (st) {
        sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, p->final_url ? p->final_url : url, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, p->body, (int)p->len, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)size);
        sqlite3_bind_text(st, 5, p->charset, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, p->etag, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, p->last_modified, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 8, p->fetched_at);
        sqlite3_bind_int(st, 9, p->http_code);
    }
    if (store__sq_step_done(s, st))
        return store__sq_err(s->db, e, "storing a page");
    if (p->fetched_at % 100 == 0) { /* now and then, the long unused go */
        st = store__sq_prep(s, "DELETE FROM pages WHERE fetched_at < ?1");
        if (st)
            sqlite3_bind_int64(st, 1, purge_before_ms);
        (void)store__sq_step_done(s, st);
    }
    return 0;
}

static int sq_page_touch(struct store *base, const char *url, int64_t fetched_at, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st =
        store__sq_prep(s, "UPDATE pages SET hits = hits + 1, fetched_at = CASE WHEN ?2 > 0"
                          " THEN ?2 ELSE fetched_at END WHERE url = ?1");
    if (st) {
        sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, fetched_at);
    }
    if (store__sq_step_done(s, st))
        return store__sq_err(s->db, e, "counting a page hit");
    return 0;
}

static int sq_page_stats(struct store *base, int64_t *pages, int64_t *hits, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = store__sq_prep(s, "SELECT count(*), COALESCE(sum(hits), 0) FROM pages");
    if (!st)
        return store__sq_err(s->db, e, "counting stored pages");
    int rc = store__sq_step_row(s->db, st, e, "counting stored pages");
    if (rc > 0) {
        *pages = sqlite3_column_int64(st, 0);
        *hits = sqlite3_column_int64(st, 1);
        rc = 0;
    }
    store__sq_done(s, st);
    return rc;
}

const struct store_cache_ops store__sq_cache = {
    .cache_get = sq_cache_get,
    .cache_put = sq_cache_put,
    .page_get = sq_page_get,
    .page_put = sq_page_put,
    .page_touch = sq_page_touch,
    .page_stats = sq_page_stats,
};
