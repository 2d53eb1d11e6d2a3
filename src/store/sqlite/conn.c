/* store_sqlite.c: the SQLite backend of store.h, the embedded default.
 *
 * WAL journal, one connection per handle, migrations from the embedded
 * .sql files of src/store/migrations/sqlite applied in order on open. The corpus's
 * FTS5 index uses the "prospect" tokenizer registered here, which sees words
 * exactly as src/text does (folded, accent-free, Snowball-stemmed), so that
 * a query and a page agree on what a term is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <zlib.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/embed.h"
#include "core/log.h"
#include "store/store_int.h"
#include "text/text.h"

extern const struct embed_file store__sqlite_migrations[];

#define STMT_CACHE 40

struct sqlite_store {
    struct store base;
    sqlite3 *db;
    struct {
        const char *sql; /* a static string: the cache key is its address */
        sqlite3_stmt *st;
    } cache[STMT_CACHE];
};

/* The hot statements are prepared once per connection and reused. */
static sqlite3_stmt *prep(struct sqlite_store *s, const char *sql)
{
    int free_slot = -1;
    for (int i = 0; i < STMT_CACHE; i++) {
        if (s->cache[i].sql == sql)
            return s->cache[i].st;
        if (!s->cache[i].sql && free_slot < 0)
            free_slot = i;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        return NULL;
    if (free_slot >= 0) {
        s->cache[free_slot].sql = sql;
        s->cache[free_slot].st = st;
    }
    return st;
}

/* Ends a use of a statement from prep(): reset for the next use (or
 * finalized when the cache was full). */
static void done(struct sqlite_store *s, sqlite3_stmt *st)
{
    if (!st)
        return;
    for (int i = 0; i < STMT_CACHE; i++) {
        if (s->cache[i].st == st) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return;
        }
    }
    sqlite3_finalize(st);
}

#define XSTR(x) #x
#define STR(x) XSTR(x)
#define BM25_WEIGHTS                                                                               \
    STR(STORE_WEIGHT_TITLE) ", " STR(STORE_WEIGHT_HEADINGS) ", " STR(STORE_WEIGHT_BODY)

static int db_err(sqlite3 *db, struct err *e, const char *what)
{
    return err_set(e, CORE_EIO, "%s: %s", what, db ? sqlite3_errmsg(db) : "no database");
}

/* ---- the "prospect" FTS5 tokenizer ---- */

struct fts_tok {
    struct text_stemmer *stemmer;
};

struct fts_call {
    struct fts_tok *tok;
    void *ctx;
    int (*emit)(void *ctx, int flags, const char *token, int n, int start, int end);
};

static int fts_create(void *unused, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)unused;
    (void)argv;
    (void)argc;
    struct fts_tok *t = xmalloc(sizeof *t);
    t->stemmer = text_stemmer_new();
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void fts_delete(Fts5Tokenizer *p)
{
    struct fts_tok *t = (struct fts_tok *)p;
    text_stemmer_free(t->stemmer);
    free(t);
}

static int fts_on_token(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
    struct fts_call *c = ctx;
    size_t n;
    const char *stem = text_stem(c->tok->stemmer, tok, len, &n);
    return c->emit(c->ctx, 0, stem, (int)n, (int)start, (int)end);
}

static int fts_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n,
                        int (*emit)(void *, int, const char *, int, int, int))
{
    (void)flags;
    struct fts_call c = {(struct fts_tok *)p, ctx, emit};
    return text_tokenize(text, (size_t)(n > 0 ? n : 0), fts_on_token, &c);
}

static int register_tokenizer(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return SQLITE_ERROR;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    if (!api)
        return SQLITE_ERROR;
    static fts5_tokenizer tok = {fts_create, fts_delete, fts_tokenize};
    return api->xCreateTokenizer(api, "prospect", NULL, &tok, NULL);
}

/* ---- open, migrate, transactions ---- */

static int exec(sqlite3 *db, const char *sql, struct err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(e, CORE_EIO, "%s", msg ? msg : "sqlite error");
        sqlite3_free(msg);
        return CORE_EIO;
    }
    return 0;
}

static int migrate(sqlite3 *db, struct err *e)
{
    int rc = exec(db,
                  "CREATE TABLE IF NOT EXISTS schema_migrations ("
                  " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
                  e);
    if (rc)
        return rc;
    for (const struct embed_file *m = store__sqlite_migrations; m->name; m++) {
        int version = (int)strtol(m->name, NULL, 10);
        sqlite3_stmt *st = NULL;
        sqlite3_prepare_v2(db, "SELECT 1 FROM schema_migrations WHERE version = ?1", -1, &st, NULL);
        sqlite3_bind_int(st, 1, version);
        bool done = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
        if (done)
            continue;
        if ((rc = exec(db, "BEGIN IMMEDIATE", e)))
            return rc;
        if ((rc = exec(db, (const char *)m->data, e))) {
            char why[sizeof e->msg];
            snprintf(why, sizeof why, "%s", e ? e->msg : "");
            exec(db, "ROLLBACK", NULL);
            return err_set(e, CORE_EIO, "migration %s failed: %s", m->name, why);
        }
        sqlite3_prepare_v2(db,
                           "INSERT INTO schema_migrations (version, name, applied_at)"
                           " VALUES (?1, ?2, ?3)",
                           -1, &st, NULL);
        sqlite3_bind_int(st, 1, version);
        sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, clock_now_ms());
        int step = sqlite3_step(st);
        sqlite3_finalize(st);
        if (step != SQLITE_DONE) {
            exec(db, "ROLLBACK", NULL);
            return db_err(db, e, "recording a migration");
        }
        if ((rc = exec(db, "COMMIT", e)))
            return rc;
        log_debug("store migration applied", LOG_S("name", m->name));
    }
    return 0;
}

static int sq_open(const char *target, struct store **out, struct err *e)
{
    sqlite3 *db = NULL;
    int rc;
    if (sqlite3_open_v2(target, &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        rc = err_set(e, CORE_EIO, "cannot open %s: %s", target,
                     db ? sqlite3_errmsg(db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(db, 5000);
    if ((rc = exec(db,
                   "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                   " PRAGMA foreign_keys = ON;",
                   e))) {
        char why[sizeof e->msg];
        snprintf(why, sizeof why, "%s", e ? e->msg : "");
        rc = err_set(e, CORE_EIO, "cannot use %s as a store: %s", target, why);
        goto fail;
    }
    if (register_tokenizer(db) != SQLITE_OK) {
        rc = db_err(db, e, "registering the FTS5 tokenizer");
        goto fail;
    }
    if ((rc = migrate(db, e)))
        goto fail;
    struct sqlite_store *s = xcalloc(1, sizeof *s);
    s->base.ops = &store__sqlite_ops;
    s->db = db;
    *out = &s->base;
    return 0;
fail:
    sqlite3_close(db);
    return rc;
}

static void sq_close(struct store *base)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    for (int i = 0; i < STMT_CACHE; i++)
        sqlite3_finalize(s->cache[i].st);
    sqlite3_close(s->db);
    free(s);
}

static int sq_begin(struct store *base, struct err *e)
{
    return exec(((struct sqlite_store *)base)->db, "BEGIN IMMEDIATE", e);
}

static int sq_commit(struct store *base, struct err *e)
{
    return exec(((struct sqlite_store *)base)->db, "COMMIT", e);
}

static void sq_rollback(struct store *base)
{
    exec(((struct sqlite_store *)base)->db, "ROLLBACK", NULL);
}

/* ---- corpus ---- */

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

/* One step of a lookup: 1 for a row, 0 for none, or the error (a failing
 * store must not pass for a missing row). */
static int step_row(struct sqlite3 *db, sqlite3_stmt *st, struct err *e, const char *what)
{
    int rc = sqlite3_step(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : db_err(db, e, what);
}

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
    sqlite3_stmt *st = prep(s, sql);
    if (!st)
        return SQLITE_ERROR;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, title, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, headings, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, body, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    done(s, st);
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
    sqlite3_stmt *st = prep(s, SQL_DOC_OLD);
    if (!st)
        return db_err(s->db, e, "reading the corpus");
    sqlite3_bind_text(st, 1, d->url, -1, SQLITE_STATIC);
    int64_t old_id = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        old_id = sqlite3_column_int64(st, 0);
        if (strcmp(col_text(st, 1), d->hash) == 0) {
            done(s, st);
            *result = STORE_UNCHANGED;
            return 0;
        }
        if (fts_write(s, SQL_FTS_DELETE, old_id, col_text(st, 2), col_text(st, 3),
                      col_text(st, 4))) {
            done(s, st);
            return db_err(s->db, e, "updating the corpus index");
        }
    }
    done(s, st);

    uLongf zlen = compressBound((uLong)d->html_len);
    z = xmalloc(zlen);
    if (compress2(z, &zlen, (const Bytef *)d->html, (uLong)d->html_len, Z_BEST_SPEED) != Z_OK) {
        free(z);
        return err_set(e, CORE_EINTERNAL, "compressing %s failed", d->url);
    }
    st = prep(s, SQL_DOC_UPSERT);
    if (!st) {
        free(z);
        return db_err(s->db, e, "storing a corpus page");
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
        rc = db_err(s->db, e, "storing a corpus page");
        goto out;
    }
    int64_t id = sqlite3_column_int64(st, 0);
    if (fts_write(s, SQL_FTS_INSERT, id, d->title ? d->title : "", d->headings ? d->headings : "",
                  d->body ? d->body : "")) {
        rc = db_err(s->db, e, "indexing a corpus page");
        goto out;
    }
    *result = old_id < 0 ? STORE_ADDED : STORE_UPDATED;
out:
    done(s, st);
    free(z);
    return rc;
}

static int sq_corpus_hash(struct store *base, const char *url, char hash[65], struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = prep(s, SQL_DOC_HASH);
    if (!st)
        return db_err(s->db, e, "reading the corpus");
    sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
    hash[0] = '\0';
    int row = step_row(s->db, st, e, "reading the corpus");
    if (row > 0)
        snprintf(hash, 65, "%s", col_text(st, 0));
    done(s, st);
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
        return db_err(db, e, "counting the corpus");
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
    sqlite3_stmt *st = prep(s, sql);
    if (!st) {
        buf_release(&expr);
        return db_err(db, e, "searching the corpus");
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
        h->url = xstrdup(col_text(st, 1));
        h->site = xstrdup(col_text(st, 2));
        h->title = xstrdup(col_text(st, 3));
        h->score = -sqlite3_column_double(st, 4);
    }
    int rc = 0;
    if (step != SQLITE_DONE) {
        rc = db_err(db, e, "searching the corpus");
        store_hits_release(out);
    }
    done(s, st);
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
    sqlite3_stmt *st = prep(s, "SELECT snippet(corpus_fts, 2, '', '', ' ... ', 24) FROM corpus_fts"
                               " WHERE corpus_fts MATCH ?1 AND rowid = ?2");
    if (!st) {
        buf_release(&expr);
        return db_err(db, e, "reading a snippet");
    }
    sqlite3_bind_text(st, 1, expr.data, (int)expr.len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    *out = xstrdup(sqlite3_step(st) == SQLITE_ROW ? col_text(st, 0) : "");
    for (char *c = *out; *c; c++) /* one line: blocks become spaces */
        if (*c == '\n')
            *c = ' ';
    done(s, st);
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
    snprintf(charset, 64, "%s", col_text(st, 2));
    *html = p;
    *len = (size_t)n;
out:
    sqlite3_finalize(st);
    return rc;
}

/* ---- jobs, events, leads ---- */

static int sq_job_create(struct store *base, const char *id, const char *user_id, const char *owner,
                         const char *request, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = prep(s, "INSERT INTO jobs (id, user_id, owner, status, request, created_at)"
                               " VALUES (?1, ?2, ?5, 'queued', ?3, ?4)");
    if (!st)
        return db_err(s->db, e, "creating a job");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, user_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, request, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, clock_now_ms());
    sqlite3_bind_text(st, 5, owner, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int ext = sqlite3_extended_errcode(s->db);
    done(s, st);
    if (rc == SQLITE_CONSTRAINT || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return err_set(e, CORE_EEXIST, "a job with id %s exists", id);
    return rc == SQLITE_DONE ? 0 : db_err(s->db, e, "creating a job");
}

static int sq_job_status(struct store *base, const char *id, const char *status,
                         const char *summary, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = prep(s, "UPDATE jobs SET status = ?2,"
                               " started_at = CASE WHEN ?2 = 'running' THEN ?3 ELSE started_at END,"
                               " finished_at = CASE WHEN ?2 IN ('succeeded','failed','cancelled')"
                               "   THEN ?3 ELSE finished_at END,"
                               " summary = coalesce(?4, summary) WHERE id = ?1");
    if (!st)
        return db_err(s->db, e, "updating a job");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, clock_now_ms());
    if (summary)
        sqlite3_bind_text(st, 4, summary, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 4);
    int rc = sqlite3_step(st);
    done(s, st);
    return rc == SQLITE_DONE ? 0 : db_err(s->db, e, "updating a job");
}

static char *opt_text(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL : xstrdup(col_text(st, i));
}

#define SQL_JOB_COLUMNS                                                                            \
    "SELECT id, user_id, status, request, summary, created_at, coalesce(started_at, 0),"           \
    " coalesce(finished_at, 0), leads, last_seq, owner FROM jobs"

static void read_job(sqlite3_stmt *st, struct store_job *out)
{
    out->id = xstrdup(col_text(st, 0));
    out->user_id = xstrdup(col_text(st, 1));
    out->status = xstrdup(col_text(st, 2));
    out->request = xstrdup(col_text(st, 3));
    out->summary = opt_text(st, 4);
    out->created_at = sqlite3_column_int64(st, 5);
    out->started_at = sqlite3_column_int64(st, 6);
    out->finished_at = sqlite3_column_int64(st, 7);
    out->leads = sqlite3_column_int64(st, 8);
    out->last_seq = sqlite3_column_int64(st, 9);
    out->owner = xstrdup(col_text(st, 10));
}

static int sq_jobs_list(struct store *base, const char *owner, size_t limit, store_job_fn fn,
                        void *ctx, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = prep(s, SQL_JOB_COLUMNS " WHERE ?1 IS NULL OR owner = ?1"
                                               " ORDER BY created_at DESC, id LIMIT ?2");
    if (!st)
        return db_err(s->db, e, "listing jobs");
    if (owner)
        sqlite3_bind_text(st, 1, owner, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_job j = {0};
        read_job(st, &j);
        int stop = fn(ctx, &j);
        store_job_release(&j);
        if (stop)
            break;
    }
    int rc = step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_err(s->db, e, "listing jobs");
    done(s, st);
    return rc;
}

static int sq_job_get(struct store *base, const char *id, struct store_job *out, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = prep(s, SQL_JOB_COLUMNS " WHERE id = ?1");
    if (!st)
        return db_err(s->db, e, "reading a job");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = step_row(s->db, st, e, "reading a job");
    if (rc > 0) {
        rc = 0;
        read_job(st, out);
    } else if (rc == 0) {
        rc = err_set(e, CORE_ENOTFOUND, "no job %s", id);
    }
    done(s, st);
    return rc;
}

static int step_done(struct sqlite_store *s, sqlite3_stmt *st)
{
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    done(s, st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

static int sq_event_append(struct store *base, const char *job_id, int64_t seq, const char *type,
                           const char *data, const char *webhook_url, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    int rc = exec(s->db, "BEGIN IMMEDIATE", e);
    if (rc)
        return rc;
    sqlite3_stmt *st = prep(s, "INSERT INTO events (job_id, seq, type, data, created_at)"
                               " VALUES (?1, ?2, ?3, ?4, ?5)");
    if (st) {
        sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, seq);
        sqlite3_bind_text(st, 3, type, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, data, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, clock_now_ms());
    }
    int bad = step_done(s, st);
    st = prep(s, "UPDATE jobs SET last_seq = max(last_seq, ?2),"
                 " leads = leads + (?3 = 'lead_generated') WHERE id = ?1");
    if (st) {
        sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, seq);
        sqlite3_bind_text(st, 3, type, -1, SQLITE_STATIC);
    }
    bad |= step_done(s, st);
    if (!bad && strcmp(type, "lead_generated") == 0) {
        st = prep(s, "INSERT OR REPLACE INTO leads (job_id, lead_id, seq, data) VALUES (?1,"
                     " json_extract(?2, '$.lead_id'), ?3, json_object('lead_id',"
                     " json_extract(?2, '$.lead_id'), 'lead_data', json_extract(?2, '$.lead_data'),"
                     " 'source_url', json_extract(?2, '$.source_url')))");
        if (st) {
            sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, data, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 3, seq);
        }
        bad |= step_done(s, st);
    } else if (!bad && strcmp(type, "lead_enrichment_end") == 0) {
        st = prep(
            s, "UPDATE leads SET data = json_set(data, '$.final_package',"
               " json_extract(?2, '$.final_package'), '$.success', json_extract(?2, '$.success'))"
               " WHERE job_id = ?1 AND lead_id = json_extract(?2, '$.lead_id')");
        if (st) {
            sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, data, -1, SQLITE_STATIC);
        }
        bad |= step_done(s, st);
    }
    if (!bad && webhook_url) {
        st = prep(s, "INSERT INTO outbox (job_id, seq, url, state, next_at) VALUES (?1, ?2, ?3,"
                     " CASE WHEN EXISTS (SELECT 1 FROM webhook_endpoints WHERE url = ?3)"
                     " THEN 'disabled' ELSE 'pending' END, ?4)");
        if (st) {
            sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, seq);
            sqlite3_bind_text(st, 3, webhook_url, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 4, clock_now_ms());
        }
        bad |= step_done(s, st);
    }
    if (bad) {
        rc = db_err(s->db, e, "storing an event");
        exec(s->db, "ROLLBACK", NULL);
        return rc;
    }
    return exec(s->db, "COMMIT", e);
}

static int iterate(struct sqlite_store *s, sqlite3_stmt *st, store_event_fn fn, void *ctx,
                   struct err *e, const char *what)
{
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ctx, sqlite3_column_int64(st, 0), col_text(st, 1), col_text(st, 2)))
            break;
    int rc = step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_err(s->db, e, what);
    done(s, st);
    return rc;
}

static int sq_events_after(struct store *base, const char *job_id, int64_t after, store_event_fn fn,
                           void *ctx, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = prep(s, "SELECT seq, type, data FROM events WHERE job_id = ?1 AND seq > ?2"
                               " ORDER BY seq");
    if (!st)
        return db_err(s->db, e, "reading events");
    sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, after);
    return iterate(s, st, fn, ctx, e, "reading events");
}

static int sq_leads(struct store *base, const char *job_id, store_event_fn fn, void *ctx,
                    struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st =
        prep(s, "SELECT seq, lead_id, data FROM leads WHERE job_id = ?1 ORDER BY seq");
    if (!st)
        return db_err(s->db, e, "reading leads");
    sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
    return iterate(s, st, fn, ctx, e, "reading leads");
}

static int sq_jobs_unfinished(struct store *base, store_event_fn fn, void *ctx, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = prep(s, "SELECT last_seq, status, id FROM jobs"
                               " WHERE status IN ('queued', 'running') ORDER BY created_at");
    if (!st)
        return db_err(s->db, e, "reading jobs");
    return iterate(s, st, fn, ctx, e, "reading jobs");
}

/* Runs one bound statement to its end; what names it in an error. */
static int run(struct sqlite_store *s, sqlite3_stmt *st, struct err *e, const char *what)
{
    return step_done(s, st) ? db_err(s->db, e, what) : 0;
}

static int sq_job_delete(struct store *base, const char *id, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = prep(s, "DELETE FROM jobs WHERE id = ?1");
    if (st)
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = run(s, st, e, "deleting a job");
    if (!rc && sqlite3_changes(s->db) == 0)
        rc = err_set(e, CORE_ENOTFOUND, "no job %s", id);
    return rc;
}

static int sq_jobs_purge(struct store *base, int64_t before_ms, int64_t *purged, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st =
        prep(s, "DELETE FROM jobs WHERE finished_at IS NOT NULL AND finished_at < ?1");
    if (st)
        sqlite3_bind_int64(st, 1, before_ms);
    int rc = run(s, st, e, "purging old jobs");
    *purged = rc ? 0 : sqlite3_changes(s->db);
    return rc;
}

static int sq_outbox_due(struct store *base, int64_t now_ms, size_t max, store_delivery_fn fn,
                         void *ctx, int64_t *next_ms, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    *next_ms = 0;
    sqlite3_stmt *st =
        prep(s, "SELECT o.job_id, o.seq, o.url, o.attempts, e.type, e.data"
                " FROM (SELECT job_id, min(seq) AS seq FROM outbox WHERE state = 'pending'"
                "       GROUP BY job_id) h"
                " JOIN outbox o ON o.job_id = h.job_id AND o.seq = h.seq"
                " JOIN events e ON e.job_id = h.job_id AND e.seq = h.seq"
                " WHERE o.next_at <= ?1 ORDER BY o.next_at LIMIT ?2");
    if (!st)
        return db_err(s->db, e, "reading the outbox");
    sqlite3_bind_int64(st, 1, now_ms);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_delivery d = {
            .job_id = col_text(st, 0),
            .seq = sqlite3_column_int64(st, 1),
            .url = col_text(st, 2),
            .attempts = sqlite3_column_int64(st, 3),
            .type = col_text(st, 4),
            .data = col_text(st, 5),
        };
        if (fn(ctx, &d))
            break;
    }
    int rc = step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_err(s->db, e, "reading the outbox");
    done(s, st);
    if (rc)
        return rc;
    st = prep(s, "SELECT coalesce(min(next_at), 0) FROM outbox WHERE state = 'pending'");
    if (st && sqlite3_step(st) == SQLITE_ROW)
        *next_ms = sqlite3_column_int64(st, 0);
    done(s, st);
    return 0;
}

static int sq_outbox_mark(struct store *base, const char *job_id, int64_t seq,
                          enum store_outcome outcome, int64_t attempts, int64_t next_ms,
                          const char *error, struct err *e)
{
    static const char *const states[] = {"delivered", "pending", "dead"};
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = prep(s, "UPDATE outbox SET state = ?3, attempts = ?4, next_at = ?5,"
                               " last_error = ?6, done_at = CASE WHEN ?3 = 'pending' THEN NULL"
                               " ELSE ?7 END WHERE job_id = ?1 AND seq = ?2");
    if (st) {
        sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, seq);
        sqlite3_bind_text(st, 3, states[outcome], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, attempts);
        sqlite3_bind_int64(st, 5, next_ms);
        if (error)
            sqlite3_bind_text(st, 6, error, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 6);
        sqlite3_bind_int64(st, 7, clock_now_ms());
    }
    return run(s, st, e, "recording a delivery");
}

static int sq_outbox_disable(struct store *base, const char *url, const char *reason, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    int rc = exec(s->db, "BEGIN IMMEDIATE", e);
    if (rc)
        return rc;
    sqlite3_stmt *st = prep(s, "INSERT OR REPLACE INTO webhook_endpoints (url, disabled_at, reason)"
                               " VALUES (?1, ?2, ?3)");
    if (st) {
        sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, clock_now_ms());
        sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
    }
    int bad = step_done(s, st);
    st = prep(s, "UPDATE outbox SET state = 'disabled', last_error = ?2"
                 " WHERE url = ?1 AND state = 'pending'");
    if (st) {
        sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
    }
    bad |= step_done(s, st);
    if (bad) {
        rc = db_err(s->db, e, "disabling a webhook receiver");
        exec(s->db, "ROLLBACK", NULL);
        return rc;
    }
    return exec(s->db, "COMMIT", e);
}

static int sq_outbox_enable(struct store *base, const char *url, bool redeliver_dead,
                            int64_t *requeued, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    *requeued = 0;
    int rc = exec(s->db, "BEGIN IMMEDIATE", e);
    if (rc)
        return rc;
    sqlite3_stmt *st = prep(s, "DELETE FROM webhook_endpoints WHERE url = ?1");
    if (st)
        sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
    int bad = step_done(s, st);
    st = prep(s, "UPDATE outbox SET state = 'pending', attempts = 0, next_at = ?2, done_at = NULL"
                 " WHERE url = ?1 AND (state = 'disabled' OR (?3 AND state = 'dead'))");
    if (st) {
        sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, clock_now_ms());
        sqlite3_bind_int(st, 3, redeliver_dead);
    }
    bad |= step_done(s, st);
    if (bad) {
        rc = db_err(s->db, e, "enabling a webhook receiver");
        exec(s->db, "ROLLBACK", NULL);
        return rc;
    }
    *requeued = sqlite3_changes(s->db);
    return exec(s->db, "COMMIT", e);
}

static int sq_outbox_disabled(struct store *base, const char *url, char *reason, size_t n,
                              struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = prep(s, "SELECT reason FROM webhook_endpoints WHERE url = ?1");
    if (!st)
        return db_err(s->db, e, "reading webhook receivers");
    sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
    int rc = step_row(s->db, st, e, "reading webhook receivers");
    if (rc > 0)
        snprintf(reason, n, "%s", col_text(st, 0));
    rc = rc > 0 ? 0 : rc == 0 ? CORE_ENOTFOUND : rc;
    done(s, st);
    return rc;
}

static int sq_outbox_counts(struct store *base, const char *job_id, struct store_outbox_counts *out,
                            struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = prep(s, job_id ? "SELECT state, count(*) FROM outbox WHERE job_id = ?1"
                                        " GROUP BY state"
                                      : "SELECT state, count(*) FROM outbox GROUP BY state");
    if (!st)
        return db_err(s->db, e, "counting deliveries");
    if (job_id)
        sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *state = col_text(st, 0);
        int64_t n = sqlite3_column_int64(st, 1);
        store__count_state(out, state, n);
    }
    int rc = step == SQLITE_DONE ? 0 : db_err(s->db, e, "counting deliveries");
    done(s, st);
    return rc;
}

static int sq_cache_get(struct store *base, const char *key, int64_t now_ms, char **value,
                        size_t *len, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = prep(s, "SELECT value FROM cache WHERE key = ?1 AND expires_at > ?2");
    if (!st)
        return db_err(s->db, e, "reading the cache");
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now_ms);
    int rc = step_row(s->db, st, e, "reading the cache");
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
    done(s, st);
    return rc;
}

static int sq_cache_put(struct store *base, const char *key, const char *kind, const char *value,
                        size_t len, int64_t expires_ms, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = prep(s, "INSERT OR REPLACE INTO cache (key, kind, value, created_at,"
                               " expires_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    int64_t now = clock_now_ms();
    if (st) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, value, (int)len, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, now);
        sqlite3_bind_int64(st, 5, expires_ms);
    }
    if (step_done(s, st))
        return db_err(s->db, e, "writing the cache");
    /* Expired entries go about once in a hundred writes. */
    if (now % 100 == 0) {
        st = prep(s, "DELETE FROM cache WHERE expires_at <= ?1");
        if (st)
            sqlite3_bind_int64(st, 1, now);
        (void)step_done(s, st);
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
    sqlite3_stmt *st = prep(s, "SELECT final_url, body, size, charset, etag, last_modified,"
                               " fetched_at, http_code FROM pages WHERE url = ?1");
    if (!st)
        return db_err(s->db, e, "reading a stored page");
    sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
    int rc = step_row(s->db, st, e, "reading a stored page");
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
    done(s, st);
    return rc;
}

static int sq_page_put(struct store *base, const char *url, const struct store_page *p, size_t size,
                       int64_t purge_before_ms, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = prep(s, "INSERT OR REPLACE INTO pages (url, final_url, body, size, charset,"
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
    if (step_done(s, st))
        return db_err(s->db, e, "storing a page");
    if (p->fetched_at % 100 == 0) { /* now and then, the long unused go */
        st = prep(s, "DELETE FROM pages WHERE fetched_at < ?1");
        if (st)
            sqlite3_bind_int64(st, 1, purge_before_ms);
        (void)step_done(s, st);
    }
    return 0;
}

static int sq_page_touch(struct store *base, const char *url, int64_t fetched_at, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = prep(s, "UPDATE pages SET hits = hits + 1, fetched_at = CASE WHEN ?2 > 0"
                               " THEN ?2 ELSE fetched_at END WHERE url = ?1");
    if (st) {
        sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, fetched_at);
    }
    if (step_done(s, st))
        return db_err(s->db, e, "counting a page hit");
    return 0;
}

static int sq_page_stats(struct store *base, int64_t *pages, int64_t *hits, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = prep(s, "SELECT count(*), COALESCE(sum(hits), 0) FROM pages");
    if (!st)
        return db_err(s->db, e, "counting stored pages");
    int rc = step_row(s->db, st, e, "counting stored pages");
    if (rc > 0) {
        *pages = sqlite3_column_int64(st, 0);
        *hits = sqlite3_column_int64(st, 1);
        rc = 0;
    }
    done(s, st);
    return rc;
}

static const struct store_corpus_ops sq_corpus = {
    .corpus_put = sq_corpus_put,
    .corpus_hash = sq_corpus_hash,
    .corpus_stats = sq_corpus_stats,
    .corpus_search = sq_corpus_search,
    .corpus_snippet = sq_corpus_snippet,
    .corpus_page = sq_corpus_page,
};

static const struct store_jobs_ops sq_jobs = {
    .job_create = sq_job_create,
    .job_status = sq_job_status,
    .job_get = sq_job_get,
    .event_append = sq_event_append,
    .events_after = sq_events_after,
    .leads = sq_leads,
    .jobs_unfinished = sq_jobs_unfinished,
    .jobs_list = sq_jobs_list,
    .job_delete = sq_job_delete,
    .jobs_purge = sq_jobs_purge,
};

static const struct store_outbox_ops sq_outbox = {
    .outbox_due = sq_outbox_due,
    .outbox_mark = sq_outbox_mark,
    .outbox_disable = sq_outbox_disable,
    .outbox_enable = sq_outbox_enable,
    .outbox_disabled = sq_outbox_disabled,
    .outbox_counts = sq_outbox_counts,
};

static const struct store_cache_ops sq_cache = {
    .cache_get = sq_cache_get,
    .cache_put = sq_cache_put,
    .page_get = sq_page_get,
    .page_put = sq_page_put,
    .page_touch = sq_page_touch,
    .page_stats = sq_page_stats,
};

const struct store_ops store__sqlite_ops = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .corpus = &sq_corpus,
    .jobs = &sq_jobs,
    .outbox = &sq_outbox,
    .cache = &sq_cache,
};
