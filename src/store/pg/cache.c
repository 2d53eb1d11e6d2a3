/* pg/cache.c: the PostgreSQL backend's caches: providers' answers by key
 * until they expire, and fetched pages (compressed by store.c) with their
 * validators and hits. */
#include <stdio.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "store/pg/pg_int.h"

static int pg_cache_get(struct store *base, const char *key, int64_t now_ms, char **value,
                        size_t *len, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_params p = {0};
    store__pg_str(&p, key);
    store__pg_int(&p, now_ms);
    PGresult *r = store__pg_run(s, "SELECT value FROM cache WHERE key = $1 AND expires_at > $2", &p,
                                e, "reading the cache");
    if (!r)
        return CORE_EIO;
    int rc = CORE_ENOTFOUND;
    if (PQntuples(r)) {
        size_t n = 0;
        unsigned char *v = PQunescapeBytea((const unsigned char *)store__pg_col_str(r, 0, 0), &n);
        if (v) {
            *value = xmalloc(n + 1);
            memcpy(*value, v, n);
            (*value)[n] = '\0';
            *len = n;
            PQfreemem(v);
            rc = 0;
        }
    }
    PQclear(r);
    return rc;
}

static int pg_cache_put(struct store *base, const char *key, const char *kind, const char *value,
                        size_t len, int64_t expires_ms, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_params p = {0};
    int64_t now = clock_now_ms();
    store__pg_str(&p, key);
    store__pg_str(&p, kind);
    store__pg_bin(&p, value, len);
    store__pg_int(&p, now);
    store__pg_int(&p, expires_ms);
    int rc = store__pg_exec(
        s,
        "INSERT INTO cache VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO UPDATE SET"
        " kind = excluded.kind, value = excluded.value,"
        " created_at = excluded.created_at, expires_at = excluded.expires_at",
        &p, e, "writing the cache");
    if (!rc && now % 64 == 0) { /* now and then, the expired go */
        struct pg_params q = {0};
        store__pg_int(&q, now);
        rc = store__pg_exec(s, "DELETE FROM cache WHERE expires_at <= $1", &q, e,
                            "purging the cache");
    }
    return rc;
}

/* ---- pages ---- */

static int pg_page_get(struct store *base, const char *url, struct store_page *out, size_t *size,
                       struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_params p = {0};
    store__pg_str(&p, url);
    PGresult *r =
        store__pg_run(s,
                      "SELECT final_url, body, size, charset, etag, last_modified, fetched_at,"
                      " http_code FROM pages WHERE url = $1",
                      &p, e, "reading a stored page");
    if (!r)
        return CORE_EIO;
    int rc = CORE_ENOTFOUND;
    if (PQntuples(r)) {
        size_t n = 0;
        unsigned char *v = PQunescapeBytea((const unsigned char *)store__pg_col_str(r, 0, 1), &n);
        if (v) {
            out->final_url = xstrdup(store__pg_col_str(r, 0, 0));
            out->body = xmalloc(n + 1);
            memcpy(out->body, v, n);
            out->len = n;
            PQfreemem(v);
            *size = (size_t)store__pg_col_int(r, 0, 2);
            snprintf(out->charset, sizeof out->charset, "%s", store__pg_col_str(r, 0, 3));
            snprintf(out->etag, sizeof out->etag, "%s", store__pg_col_str(r, 0, 4));
            snprintf(out->last_modified, sizeof out->last_modified, "%s",
                     store__pg_col_str(r, 0, 5));
            out->fetched_at = store__pg_col_int(r, 0, 6);
            out->http_code = (int)store__pg_col_int(r, 0, 7);
            rc = 0;
        }
    }
    PQclear(r);
    return rc;
}

static int pg_page_put(struct store *base, const char *url, const struct store_page *pg,
                       size_t size, int64_t purge_before_ms, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_params p = {0};
    store__pg_str(&p, url);
    store__pg_str(&p, pg->final_url ? pg->final_url : url);
    store__pg_bin(&p, pg->body, pg->len);
    store__pg_int(&p, (int64_t)size);
    store__pg_str(&p, pg->charset);
    store__pg_str(&p, pg->etag);
    store__pg_str(&p, pg->last_modified);
    store__pg_int(&p, pg->fetched_at);
    store__pg_int(&p, pg->http_code);
    int rc = store__pg_exec(
        s,
        "INSERT INTO pages (url, final_url, body, size, charset, etag, last_modified,"
        " fetched_at, http_code) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        " ON CONFLICT (url) DO UPDATE SET final_url = excluded.final_url,"
        " body = excluded.body, size = excluded.size, charset = excluded.charset,"
        " etag = excluded.etag, last_modified = excluded.last_modified,"
        " fetched_at = excluded.fetched_at, http_code = excluded.http_code",
        &p, e, "storing a page");
    if (!rc && pg->fetched_at % 64 == 0) { /* now and then, the long unused go */
        struct pg_params q = {0};
        store__pg_int(&q, purge_before_ms);
        rc = store__pg_exec(s, "DELETE FROM pages WHERE fetched_at < $1", &q, e,
                            "purging stored pages");
    }
    return rc;
}

static int pg_page_touch(struct store *base, const char *url, int64_t fetched_at, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_params p = {0};
    store__pg_str(&p, url);
    store__pg_int(&p, fetched_at);
    return store__pg_exec(
        s,
        "UPDATE pages SET hits = hits + 1, fetched_at = CASE WHEN $2::bigint > 0 THEN $2::bigint"
        " ELSE fetched_at END WHERE url = $1",
        &p, e, "counting a page hit");
}

static int pg_page_stats(struct store *base, int64_t *pages, int64_t *hits, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_params p = {0};
    PGresult *r = store__pg_run(s, "SELECT count(*), COALESCE(sum(hits), 0) FROM pages", &p, e,
                                "counting stored pages");
    if (!r)
        return CORE_EIO;
    *pages = store__pg_col_int(r, 0, 0);
    *hits = store__pg_col_int(r, 0, 1);
    PQclear(r);
    return 0;
}

const struct store_cache_ops store__pg_cache = {
    .cache_get = pg_cache_get,
    .cache_put = pg_cache_put,
    .page_get = pg_page_get,
    .page_put = pg_page_put,
    .page_touch = pg_page_touch,
    .page_stats = pg_page_stats,
};
