/* sqlite/corpus.c: the SQLite backend's corpus, the local search engine's
 * pages: the documents with their compressed bytes, and the FTS5 index
 * (external content) that ranks them by BM25 with store.h's field weights. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <zlib.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "store/sqlite/sqlite_int.h"

#define XSTR(x) #x
#define STR(x) XSTR(x)
#define BM25_WEIGHTS                                                                               \
    STR(STORE_WEIGHT_TITLE) ", " STR(STORE_WEIGHT_HEADINGS) ", " STR(STORE_WEIGHT_BODY)

static const char SQL_FTS_DELETE[] =
    "INSERT INTO corpus_fts (corpus_fts, rowid, title, headings, body)"
    " VALUES ('delete', ?1, ?2, ?3, ?4)";
static const char SQL_FTS_INSERT[] =
    "INSERT INTO corpus_fts (rowid, title, headings, body) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_DOC_OLD[] =
    "SELECT id, content_hash, title, headings, body FROM corpus_docs WHERE url = ?1";
static const char SQL_DOC_UPSERT[] =
    "INSERT INTO corpus_docs (url, site, title, headings, body, content_hash,"
    " html_z, html_len, fetched_at, indexed_at, charset)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    " ON CONFLICT (url) DO UPDATE SET site = excluded.site,"
    " title = excluded.title, headings = excluded.headings,"
    " body = excluded.body, content_hash = excluded.content_hash,"
    " html_z = excluded.html_z, html_len = excluded.html_len,"
    " fetched_at = excluded.fetched_at, indexed_at = excluded.indexed_at,"
    " charset = excluded.charset"
    " RETURNING id";
static const char SQL_DOC_HASH[] = "SELECT content_hash FROM corpus_docs WHERE url = ?1";

static int fts_write(struct sqlite_store *s, const char *sql, int64_t id, const char *title,
                     const char *headings, const char *body)
{
    sqlite3_stmt *st = store__sq_prep(s, sql);
    if (!st)
        return SQLITE_ERROR;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, title, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, headings, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, body, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    store__sq_done(s, st);
    return rc == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
}

static int sq_corpus_put(struct store *base, const struct store_doc *d, enum store_put *result,
                         struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    int rc = 0;
    unsigned char *z = NULL;

    /* The old row, if any: unchanged pages stop here; changed ones leave the
     * FTS index first (external content needs the old values to delete). */
    sqlite3_stmt *st = store__sq_prep(s, SQL_DOC_OLD);
    if (!st)
        return store__sq_err(s->db, e, "reading the corpus");
    sqlite3_bind_text(st, 1, d->url, -1, SQLITE_STATIC);
    int64_t old_id = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        old_id = sqlite3_column_int64(st, 0);
        if (strcmp(store__sq_text(st, 1), d->hash) == 0) {
            store__sq_done(s, st);
            *result = STORE_UNCHANGED;
            return 0;
        }
        if (fts_write(s, SQL_FTS_DELETE, old_id, store__sq_text(st, 2), store__sq_text(st, 3),
                      store__sq_text(st, 4))) {
            store__sq_done(s, st);
            return store__sq_err(s->db, e, "updating the corpus index");
        }
    }
    store__sq_done(s, st);

    uLongf zlen = compressBound((uLong)d->html_len);
    z = xmalloc(zlen);
    if (compress2(z, &zlen, (const Bytef *)d->html, (uLong)d->html_len, Z_BEST_SPEED) != Z_OK) {
        free(z);
        return err_set(e, CORE_EINTERNAL, "compressing %s failed", d->url);
    }
    st = store__sq_prep(s, SQL_DOC_UPSERT);
    if (!st) {
        free(z);
        return store__sq_err(s->db, e, "storing a corpus page");
    }
    sqlite3_bind_text(st, 1, d->url, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, d->site, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, d->title ? d->title : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, d->headings ? d->headings : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, d->body ? d->body : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, d->hash, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 7, z, (int)zlen, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)d->html_len);
    if (d->fetched_at)
        sqlite3_bind_int64(st, 9, d->fetched_at);
    else
        sqlite3_bind_null(st, 9);
    sqlite3_bind_int64(st, 10, clock_now_ms());
    sqlite3_bind_text(st, 11, d->charset ? d->charset : "UTF-8", -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = store__sq_err(s->db, e, "storing a corpus page");
        goto out;
    }
    int64_t id = sqlite3_column_int64(st, 0);
    if (fts_write(s, SQL_FTS_INSERT, id, d->title ? d->title : "", d->headings ? d->headings : "",
                  d->body ? d->body : "")) {
        rc = store__sq_err(s->db, e, "indexing a corpus page");
        goto out;
    }
    *result = old_id < 0 ? STORE_ADDED : STORE_UPDATED;
out:
    store__sq_done(s, st);
    free(z);
    return rc;
}

static int sq_corpus_hash(struct store *base, const char *url, char hash[65], struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = store__sq_prep(s, SQL_DOC_HASH);
    if (!st)
        return store__sq_err(s->db, e, "reading the corpus");
    sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
    hash[0] = '\0';
    int row = store__sq_step_row(s->db, st, e, "reading the corpus");
    if (row > 0)
        snprintf(hash, 65, "%s", store__sq_text(st, 0));
    store__sq_done(s, st);
    return row < 0 ? row : 0;
}

static int sq_corpus_stats(struct store *base, int64_t *docs, int64_t *sites, struct err *e)
{
    sqlite3 *db = ((struct sqlite_store *)base)->db;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT count(*), count(DISTINCT site) FROM corpus_docs", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return store__sq_err(db, e, "counting the corpus");
    }
    *docs = sqlite3_column_int64(st, 0);
    *sites = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    return 0;
}

/* Builds an FTS5 MATCH expression: each term quoted (so no term is read as
 * syntax), joined with OR; BM25 then favours pages matching more of them. */
static int match_expr(const char *const *terms, size_t nterms, struct buf *out)
{
    int rc = 0;
    for (size_t i = 0; i < nterms; i++) {
        if (!terms[i] || !*terms[i])
            continue;
        if (out->len)
            rc |= buf_puts(out, " OR ");
        rc |= buf_putc(out, '"');
        for (const char *p = terms[i]; *p; p++)
            rc |= *p == '"' ? buf_puts(out, "\"\"") : buf_putc(out, *p);
        rc |= buf_putc(out, '"');
    }
    return rc;
}

static int sq_corpus_search(struct store *base, const char *const *terms, size_t nterms, size_t max,
                            struct store_hits *out, struct err *e)
{
    sqlite3 *db = ((struct sqlite_store *)base)->db;
    out->v = NULL;
    out->n = 0;
    struct buf expr;
    buf_init(&expr, 64 * 1024);
    if (match_expr(terms, nterms, &expr)) {
        buf_release(&expr);
        return err_set(e, CORE_ETOOBIG, "search query too long");
    }
    if (expr.len == 0) {
        buf_release(&expr);
        return 0;
    }
    static const char sql[] = "SELECT d.id, d.url, d.site, d.title, f.r FROM"
                              " (SELECT rowid, bm25(corpus_fts, " BM25_WEIGHTS ") AS r"
                              "  FROM corpus_fts WHERE corpus_fts MATCH ?1 ORDER BY r LIMIT ?2)"
                              " AS f JOIN corpus_docs d ON d.id = f.rowid ORDER BY f.r";
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = store__sq_prep(s, sql);
    if (!st) {
        buf_release(&expr);
        return store__sq_err(db, e, "searching the corpus");
    }
    sqlite3_bind_text(st, 1, expr.data, (int)expr.len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 16;
            out->v = xrealloc(out->v, cap * sizeof *out->v);
        }
        struct store_hit *h = &out->v[out->n++];
        h->id = sqlite3_column_int64(st, 0);
        h->url = xstrdup(store__sq_text(st, 1));
        h->site = xstrdup(store__sq_text(st, 2));
        h->title = xstrdup(store__sq_text(st, 3));
        h->score = -sqlite3_column_double(st, 4);
    }
    int rc = 0;
    if (step != SQLITE_DONE) {
        rc = store__sq_err(db, e, "searching the corpus");
        store_hits_release(out);
    }
    store__sq_done(s, st);
    buf_release(&expr);
    return rc;
}

static int sq_corpus_snippet(struct store *base, const char *const *terms, size_t nterms,
                             int64_t id, char **out, struct err *e)
{
    sqlite3 *db = ((struct sqlite_store *)base)->db;
    struct buf expr;
    buf_init(&expr, 64 * 1024);
    *out = NULL;
    if (match_expr(terms, nterms, &expr) || expr.len == 0) {
        buf_release(&expr);
        *out = xstrdup("");
        return 0;
    }
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st =
        store__sq_prep(s, "SELECT snippet(corpus_fts, 2, '', '', ' ... ', 24) FROM corpus_fts"
                          " WHERE corpus_fts MATCH ?1 AND rowid = ?2");
    if (!st) {
        buf_release(&expr);
        return store__sq_err(db, e, "reading a snippet");
    }
    sqlite3_bind_text(st, 1, expr.data, (int)expr.len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    *out = xstrdup(sqlite3_step(st) == SQLITE_ROW ? store__sq_text(st, 0) : "");
    for (char *c = *out; *c; c++) /* one line: blocks become spaces */
        if (*c == '\n')
            *c = ' ';
    store__sq_done(s, st);
    buf_release(&expr);
    return 0;
}

static int sq_corpus_page(struct store *base, const char *url, char **html, size_t *len,
                          char charset[64], struct err *e)
{
    sqlite3 *db = ((struct sqlite_store *)base)->db;
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(db, "SELECT html_z, html_len, charset FROM corpus_docs WHERE url = ?1", -1,
                       &st, NULL);
    sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
    int rc = 0;
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = err_set(e, CORE_ENOTFOUND, "%s is not in the corpus", url);
        goto out;
    }
    uLongf n = (uLongf)sqlite3_column_int64(st, 1);
    char *p = xmalloc((size_t)n + 1);
    if (uncompress((Bytef *)p, &n, sqlite3_column_blob(st, 0),
                   (uLong)sqlite3_column_bytes(st, 0)) != Z_OK) {
        free(p);
        rc = err_set(e, CORE_EIO, "the stored copy of %s is damaged", url);
        goto out;
    }
    p[n] = '\0';
    snprintf(charset, 64, "%s", store__sq_text(st, 2));
    *html = p;
    *len = (size_t)n;
out:
    sqlite3_finalize(st);
    return rc;
}

const struct store_corpus_ops store__sq_corpus = {
    .corpus_put = sq_corpus_put,
    .corpus_hash = sq_corpus_hash,
    .corpus_stats = sq_corpus_stats,
    .corpus_search = sq_corpus_search,
    .corpus_snippet = sq_corpus_snippet,
    .corpus_page = sq_corpus_page,
};
