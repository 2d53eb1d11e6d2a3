/* store_pg.c: the PostgreSQL backend of store.h (libpq), for scale-out:
 * several API nodes and workers on one database.
 *
 * Every statement is sent with PQexecParams (text parameters, bytea as
 * binary), so no value is ever spliced into SQL. Migrations are the
 * embedded .sql files of migrations/postgres, applied under an advisory lock so
 * that nodes starting together do not race. A stored event announces
 * itself with pg_notify('prospect_events', job_id) in its own transaction,
 * so that any node can follow any job (jobs.c listens).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <poll.h>

#include <libpq-fe.h>
#include <zlib.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/embed.h"
#include "core/log.h"
#include "store/store_int.h"

extern const struct embed_file store__pg_migrations[];

struct pg_store {
    struct store base;
    PGconn *db;
    bool listening; /* LISTEN prospect_events was sent */
};

#define MAXP 12

/* The parameters of one statement. */
struct params {
    const char *v[MAXP];
    int len[MAXP], fmt[MAXP];
    char num[MAXP][24];
    int n;
};

static void p_str(struct params *p, const char *s)
{
    p->v[p->n] = s;
    p->len[p->n] = 0;
    p->fmt[p->n++] = 0;
}

static void p_int(struct params *p, int64_t i)
{
    snprintf(p->num[p->n], sizeof p->num[0], "%lld", (long long)i);
    p_str(p, p->num[p->n]);
}

static void p_bin(struct params *p, const void *data, size_t len)
{
    p->v[p->n] = data;
    p->len[p->n] = (int)len;
    p->fmt[p->n++] = 1;
}

static int pg_err(struct pg_store *s, PGresult *r, struct err *e, const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    int code = state && strcmp(state, "23505") == 0 ? CORE_EEXIST : CORE_EIO;
    const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(s->db);
    char clean[200];
    snprintf(clean, sizeof clean, "%s", msg && *msg ? msg : "no answer");
    clean[strcspn(clean, "\n")] = '\0';
    return err_set(e, code, "%s: %s", what, clean);
}

/* Runs sql; on success returns the result (the caller PQclears it), else
 * NULL with e set. */
static PGresult *run(struct pg_store *s, const char *sql, const struct params *p, struct err *e,
                     const char *what)
{
    if (PQstatus(s->db) == CONNECTION_BAD) { /* the server restarted: connect again */
        PQreset(s->db);
        if (PQstatus(s->db) == CONNECTION_OK) {
            s->listening = false; /* the new session listens again at its next wait */
            log_warn("reconnected to PostgreSQL");
        }
    }
    PGresult *r = PQexecParams(s->db, sql, p ? p->n : 0, NULL, p ? p->v : NULL, p ? p->len : NULL,
                               p ? p->fmt : NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return r;
    pg_err(s, r, e, what);
    PQclear(r);
    return NULL;
}

/* Runs a statement whose rows are not needed. */
static int exec(struct pg_store *s, const char *sql, const struct params *p, struct err *e,
                const char *what)
{
    PGresult *r = run(s, sql, p, e, what);
    if (!r)
        return e ? e->code : CORE_EIO;
    PQclear(r);
    return 0;
}

static int64_t get_int(PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static const char *get_str(PGresult *r, int row, int col)
{
    return PQgetvalue(r, row, col);
}

/* ---- open, migrations ---- */

static int migrate(struct pg_store *s, struct err *e)
{
    int rc = exec(s, "BEGIN", NULL, e, "migrating");
    if (!rc) /* one node migrates at a time; the others then see it done */
        rc = exec(s, "SELECT pg_advisory_xact_lock(727274)", NULL, e, "migrating");
    if (!rc)
        rc = exec(s,
                  "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
                  " name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                  NULL, e, "migrating");
    for (const struct embed_file *m = store__pg_migrations; !rc && m->name; m++) {
        struct params p = {0};
        p_int(&p, strtol(m->name, NULL, 10));
        PGresult *r =
            run(s, "SELECT 1 FROM schema_migrations WHERE version = $1", &p, e, "migrating");
        if (!r) {
            rc = CORE_EIO;
            break;
        }
        bool done = PQntuples(r) > 0;
        PQclear(r);
        if (done)
            continue;
        PGresult *mr = PQexec(s->db, (const char *)m->data); /* several statements */
        if (PQresultStatus(mr) != PGRES_COMMAND_OK) {
            rc = pg_err(s, mr, e, m->name);
            PQclear(mr);
            break;
        }
        PQclear(mr);
        p_str(&p, m->name);
        p_int(&p, clock_now_ms());
        rc = exec(s, "INSERT INTO schema_migrations VALUES ($1, $2, $3)", &p, e, "migrating");
        log_debug("store migration applied", LOG_S("name", m->name));
    }
    if (rc) {
        PQclear(PQexec(s->db, "ROLLBACK"));
        return rc;
    }
    return exec(s, "COMMIT", NULL, e, "migrating");
}

static int pg_open(const char *target, struct store **out, struct err *e)
{
    struct pg_store *s = xcalloc(1, sizeof *s);
    s->base.ops = &store__pg_ops;
    s->db = PQconnectdb(target);
    if (PQstatus(s->db) != CONNECTION_OK) {
        char why[200];
        snprintf(why, sizeof why, "%s", PQerrorMessage(s->db));
        why[strcspn(why, "\n")] = '\0';
        PQfinish(s->db);
        free(s);
        /* the target may hold a password: name the problem, not the URL */
        return err_set(e, CORE_EIO, "cannot connect to PostgreSQL: %s", why);
    }
    PQclear(PQexec(s->db, "SET client_min_messages = warning"));
    PQconninfoOption *opts = PQconninfoParse(target, NULL);
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val && *o->val)
            log_add_secret(o->val); /* the URL is logged; its password never is */
    PQconninfoFree(opts);
    int rc = migrate(s, e);
    if (rc) {
        PQfinish(s->db);
        free(s);
        return rc;
    }
    *out = &s->base;
    return 0;
}

static void pg_close(struct store *base)
{
    struct pg_store *s = (struct pg_store *)base;
    PQfinish(s->db);
    free(s);
}

static int pg_begin(struct store *base, struct err *e)
{
    return exec((struct pg_store *)base, "BEGIN", NULL, e, "beginning a transaction");
}

static int pg_commit(struct store *base, struct err *e)
{
    return exec((struct pg_store *)base, "COMMIT", NULL, e, "committing");
}

static void pg_rollback(struct store *base)
{
    PQclear(PQexec(((struct pg_store *)base)->db, "ROLLBACK"));
}

/* ---- corpus ---- */

static int pg_corpus_put(struct store *base, const struct store_doc *d, enum store_put *result,
                         struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_str(&p, d->url);
    PGresult *r =
        run(s, "SELECT content_hash FROM corpus_docs WHERE url = $1", &p, e, "reading the corpus");
    if (!r)
        return CORE_EIO;
    bool exists = PQntuples(r) > 0;
    bool same = exists && strcmp(get_str(r, 0, 0), d->hash) == 0;
    PQclear(r);
    if (same) {
        *result = STORE_UNCHANGED;
        return 0;
    }
    uLongf zlen = compressBound((uLong)d->html_len);
    unsigned char *z = xmalloc(zlen);
    if (compress2(z, &zlen, (const Bytef *)d->html, (uLong)d->html_len, Z_BEST_SPEED) != Z_OK) {
        free(z);
        return err_set(e, CORE_EINTERNAL, "compressing %s failed", d->url);
    }
    p = (struct params){0};
    p_str(&p, d->url);
    p_str(&p, d->site);
    p_str(&p, d->title ? d->title : "");
    p_str(&p, d->headings ? d->headings : "");
    p_str(&p, d->body ? d->body : "");
    p_str(&p, d->hash);
    p_bin(&p, z, zlen);
    p_int(&p, (int64_t)d->html_len);
    if (d->fetched_at)
        p_int(&p, d->fetched_at);
    else
        p_str(&p, NULL);
    p_int(&p, clock_now_ms());
    p_str(&p, d->charset ? d->charset : "UTF-8");
    int rc = exec(s,
                  "INSERT INTO corpus_docs (url, site, title, headings, body, content_hash,"
                  " html_z, html_len, fetched_at, indexed_at, charset)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
                  " ON CONFLICT (url) DO UPDATE SET site = excluded.site, title = excluded.title,"
                  " headings = excluded.headings, body = excluded.body,"
                  " content_hash = excluded.content_hash, html_z = excluded.html_z,"
                  " html_len = excluded.html_len, fetched_at = excluded.fetched_at,"
                  " indexed_at = excluded.indexed_at, charset = excluded.charset",
                  &p, e, "storing a corpus page");
    free(z);
    if (!rc)
        *result = exists ? STORE_UPDATED : STORE_ADDED;
    return rc;
}

static int pg_corpus_hash(struct store *base, const char *url, char hash[65], struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_str(&p, url);
    PGresult *r =
        run(s, "SELECT content_hash FROM corpus_docs WHERE url = $1", &p, e, "reading the corpus");
    if (!r)
        return CORE_EIO;
    snprintf(hash, 65, "%s", PQntuples(r) ? get_str(r, 0, 0) : "");
    PQclear(r);
    return 0;
}

static int pg_corpus_stats(struct store *base, int64_t *docs, int64_t *sites, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    PGresult *r = run(s, "SELECT count(*), count(DISTINCT site) FROM corpus_docs", NULL, e,
                      "counting the corpus");
    if (!r)
        return CORE_EIO;
    *docs = get_int(r, 0, 0);
    *sites = get_int(r, 0, 1);
    PQclear(r);
    return 0;
}

/* The terms as a PostgreSQL text array literal: {"a","b"} with quotes and
 * backslashes escaped (a parameter, never SQL). */
static int terms_array(const char *const *terms, size_t nterms, struct buf *out)
{
    int rc = buf_putc(out, '{');
    for (size_t i = 0, k = 0; i < nterms; i++) {
        if (!terms[i] || !*terms[i])
            continue;
        rc |= k++ ? buf_puts(out, ",\"") : buf_putc(out, '"');
        for (const char *c = terms[i]; *c; c++) {
            if (*c == '"' || *c == '\\')
                rc |= buf_putc(out, '\\');
            rc |= buf_putc(out, *c);
        }
        rc |= buf_putc(out, '"');
    }
    return rc | buf_putc(out, '}');
}

/* Any of the terms: each a phrase of its stemmed words (adjacent, as FTS5
 * matches a phrase), ORed. */
#define SQL_QUERY                                                                                  \
    "(SELECT string_agg('(' || phraseto_tsquery('english', t)::text || ')', ' | ')::tsquery"       \
    " FROM unnest($1::text[]) t WHERE numnode(phraseto_tsquery('english', t)) > 0)"

static int pg_corpus_search(struct store *base, const char *const *terms, size_t nterms, size_t max,
                            struct store_hits *out, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    out->v = NULL;
    out->n = 0;
    struct buf arr;
    buf_init(&arr, 64 * 1024);
    if (terms_array(terms, nterms, &arr)) {
        buf_release(&arr);
        return err_set(e, CORE_ETOOBIG, "search query too long");
    }
    struct params p = {0};
    p_str(&p, buf_cstr(&arr));
    p_int(&p, (int64_t)max);
    /* Weights D, C, B, A: body 1, headings 3, title 8, as STORE_WEIGHT_*. */
    PGresult *r = run(s,
                      "SELECT d.id, d.url, d.site, d.title,"
                      " ts_rank('{0.125, 0, 0.375, 1}', d.tsv, q.q) AS r"
                      " FROM corpus_docs d, " SQL_QUERY " AS q (q)"
                      " WHERE q.q IS NOT NULL AND d.tsv @@ q.q ORDER BY r DESC, d.id LIMIT $2",
                      &p, e, "searching the corpus");
    buf_release(&arr);
    if (!r)
        return CORE_EIO;
    int n = PQntuples(r);
    out->v = n ? xcalloc((size_t)n, sizeof *out->v) : NULL;
    for (int i = 0; i < n; i++) {
        struct store_hit *h = &out->v[out->n++];
        h->id = get_int(r, i, 0);
        h->url = xstrdup(get_str(r, i, 1));
        h->site = xstrdup(get_str(r, i, 2));
        h->title = xstrdup(get_str(r, i, 3));
        h->score = strtod(get_str(r, i, 4), NULL);
    }
    PQclear(r);
    return 0;
}

static int pg_corpus_snippet(struct store *base, const char *const *terms, size_t nterms,
                             int64_t id, char **out, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct buf arr;
    buf_init(&arr, 64 * 1024);
    *out = NULL;
    if (terms_array(terms, nterms, &arr)) {
        buf_release(&arr);
        *out = xstrdup("");
        return 0;
    }
    struct params p = {0};
    p_str(&p, buf_cstr(&arr));
    p_int(&p, id);
    PGresult *r = run(s,
                      "SELECT ts_headline('english', d.body, q.q, 'StartSel=\"\", StopSel=\"\","
                      " MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=\" ... \"')"
                      " FROM corpus_docs d, " SQL_QUERY " AS q (q)"
                      " WHERE d.id = $2 AND q.q IS NOT NULL",
                      &p, e, "reading a snippet");
    buf_release(&arr);
    if (!r)
        return CORE_EIO;
    *out = xstrdup(PQntuples(r) ? get_str(r, 0, 0) : "");
    PQclear(r);
    for (char *c = *out; *c; c++)
        if (*c == '\n')
            *c = ' ';
    return 0;
}

static int pg_corpus_page(struct store *base, const char *url, char **html, size_t *len,
                          char charset[64], struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_str(&p, url);
    /* The bytes come back as the text of a bytea: decode them here. */
    PGresult *r = run(s, "SELECT html_z, html_len, charset FROM corpus_docs WHERE url = $1", &p, e,
                      "reading a corpus page");
    if (!r)
        return CORE_EIO;
    int rc = 0;
    if (!PQntuples(r)) {
        rc = err_set(e, CORE_ENOTFOUND, "%s is not in the corpus", url);
    } else {
        size_t zlen = 0;
        unsigned char *z = PQunescapeBytea((const unsigned char *)get_str(r, 0, 0), &zlen);
        uLongf n = (uLongf)get_int(r, 0, 1);
        char *page = xmalloc((size_t)n + 1);
        if (!z || uncompress((Bytef *)page, &n, z, (uLong)zlen) != Z_OK) {
            free(page);
            rc = err_set(e, CORE_EIO, "the stored copy of %s is damaged", url);
        } else {
            page[n] = '\0';
            *html = page;
            *len = (size_t)n;
            snprintf(charset, 64, "%s", get_str(r, 0, 2));
        }
        PQfreemem(z);
    }
    PQclear(r);
    return rc;
}

/* ---- jobs, events, leads ---- */

static int pg_job_create(struct store *base, const char *id, const char *user_id, const char *owner,
                         const char *request, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_str(&p, id);
    p_str(&p, user_id);
    p_str(&p, owner);
    p_str(&p, request);
    p_int(&p, clock_now_ms());
    int rc = exec(s,
                  "INSERT INTO jobs (id, user_id, owner, status, request, created_at)"
                  " VALUES ($1, $2, $3, 'queued', $4, $5)",
                  &p, e, "creating a job");
    if (rc == CORE_EEXIST)
        return err_set(e, CORE_EEXIST, "a job with id %s exists", id);
    return rc;
}

static int pg_job_status(struct store *base, const char *id, const char *status,
                         const char *summary, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_str(&p, id);
    p_str(&p, status);
    p_int(&p, clock_now_ms());
    p_str(&p, summary);
    return exec(s,
                "UPDATE jobs SET status = $2,"
                " started_at = CASE WHEN $2 = 'running' THEN $3::bigint ELSE started_at END,"
                " finished_at = CASE WHEN $2 IN ('succeeded','failed','cancelled')"
                "   THEN $3::bigint ELSE finished_at END,"
                " lease_until = CASE WHEN $2 IN ('succeeded','failed','cancelled') THEN NULL"
                "   ELSE lease_until END,"
                " summary = coalesce($4, summary) WHERE id = $1",
                &p, e, "updating a job");
}

#define SQL_JOB_COLUMNS                                                                            \
    "SELECT id, user_id, status, request, summary, created_at, coalesce(started_at, 0),"           \
    " coalesce(finished_at, 0), leads, last_seq, owner FROM jobs"

static void read_job(PGresult *r, int i, struct store_job *out)
{
    out->id = xstrdup(get_str(r, i, 0));
    out->user_id = xstrdup(get_str(r, i, 1));
    out->status = xstrdup(get_str(r, i, 2));
    out->request = xstrdup(get_str(r, i, 3));
    out->summary = PQgetisnull(r, i, 4) ? NULL : xstrdup(get_str(r, i, 4));
    out->created_at = get_int(r, i, 5);
    out->started_at = get_int(r, i, 6);
    out->finished_at = get_int(r, i, 7);
    out->leads = get_int(r, i, 8);
    out->last_seq = get_int(r, i, 9);
    out->owner = xstrdup(get_str(r, i, 10));
}

static int pg_job_get(struct store *base, const char *id, struct store_job *out, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_str(&p, id);
    PGresult *r = run(s, SQL_JOB_COLUMNS " WHERE id = $1", &p, e, "reading a job");
    if (!r)
        return CORE_EIO;
    int rc = 0;
    if (PQntuples(r))
        read_job(r, 0, out);
    else
        rc = err_set(e, CORE_ENOTFOUND, "no job %s", id);
    PQclear(r);
    return rc;
}

static int pg_jobs_list(struct store *base, const char *owner, size_t limit, store_job_fn fn,
                        void *ctx, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_str(&p, owner);
    p_int(&p, (int64_t)limit);
    PGresult *r = run(s,
                      SQL_JOB_COLUMNS " WHERE $1::text IS NULL OR owner = $1"
                                      " ORDER BY created_at DESC, id LIMIT $2",
                      &p, e, "listing jobs");
    if (!r)
        return CORE_EIO;
    for (int i = 0; i < PQntuples(r); i++) {
        struct store_job j = {0};
        read_job(r, i, &j);
        int stop = fn(ctx, &j);
        store_job_release(&j);
        if (stop)
            break;
    }
    PQclear(r);
    return 0;
}

static int pg_event_append(struct store *base, const char *job_id, int64_t seq, const char *type,
                           const char *data, const char *webhook_url, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_str(&p, job_id);
    p_int(&p, seq);
    p_str(&p, type);
    p_str(&p, data);
    p_int(&p, clock_now_ms());
    p_str(&p, webhook_url);
    /* One statement, so one transaction: the event, the job's counters,
     * the lead row, the delivery, and the announcement. */
    return exec(
        s,
        "WITH ev AS (INSERT INTO events (job_id, seq, type, data, created_at)"
        "   VALUES ($1, $2, $3, $4, $5) RETURNING job_id),"
        " jb AS (UPDATE jobs SET last_seq = greatest(last_seq, $2),"
        "   leads = leads + (CASE WHEN $3 = 'lead_generated' THEN 1 ELSE 0 END)"
        "   WHERE id = $1 RETURNING id),"
        " ld AS (INSERT INTO leads (job_id, lead_id, seq, data)"
        "   SELECT $1, $4::jsonb->>'lead_id', $2, jsonb_build_object('lead_id',"
        "   $4::jsonb->'lead_id', 'lead_data', $4::jsonb->'lead_data', 'source_url',"
        "   $4::jsonb->'source_url') WHERE $3 = 'lead_generated'"
        "   ON CONFLICT (job_id, lead_id) DO UPDATE SET seq = excluded.seq, data = excluded.data"
        "   RETURNING 1),"
        " en AS (UPDATE leads SET data = data || jsonb_build_object('final_package',"
        "   $4::jsonb->'final_package', 'success', $4::jsonb->'success')"
        "   WHERE $3 = 'lead_enrichment_end' AND job_id = $1 AND lead_id = $4::jsonb->>'lead_id'"
        "   RETURNING 1),"
        " ob AS (INSERT INTO outbox (job_id, seq, url, state, next_at)"
        "   SELECT $1, $2, $6, CASE WHEN EXISTS (SELECT 1 FROM webhook_endpoints WHERE url = $6)"
        "   THEN 'disabled' ELSE 'pending' END, $5 WHERE $6::text IS NOT NULL RETURNING 1)"
        " SELECT pg_notify('prospect_events', $1), (SELECT count(*) FROM ev),"
        " (SELECT count(*) FROM jb), (SELECT count(*) FROM ld), (SELECT count(*) FROM en),"
        " (SELECT count(*) FROM ob)",
        &p, e, "storing an event");
}

static int iterate(PGresult *r, store_event_fn fn, void *ctx)
{
    for (int i = 0; i < PQntuples(r); i++)
        if (fn(ctx, get_int(r, i, 0), get_str(r, i, 1), get_str(r, i, 2)))
            break;
    PQclear(r);
    return 0;
}

static int pg_events_after(struct store *base, const char *job_id, int64_t after, store_event_fn fn,
                           void *ctx, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_str(&p, job_id);
    p_int(&p, after);
    PGresult *r = run(s,
                      "SELECT seq, type, data FROM events WHERE job_id = $1 AND seq > $2"
                      " ORDER BY seq",
                      &p, e, "reading events");
    return r ? iterate(r, fn, ctx) : CORE_EIO;
}

static int pg_leads(struct store *base, const char *job_id, store_event_fn fn, void *ctx,
                    struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_str(&p, job_id);
    PGresult *r =
        run(s, "SELECT seq, lead_id, data::text FROM leads WHERE job_id = $1 ORDER BY seq", &p, e,
            "reading leads");
    return r ? iterate(r, fn, ctx) : CORE_EIO;
}

static int pg_jobs_unfinished(struct store *base, store_event_fn fn, void *ctx, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    /* Only jobs no live worker holds: a lease still running is another
     * node's job, not one left behind. */
    struct params p = {0};
    p_int(&p, clock_now_ms());
    PGresult *r = run(s,
                      "SELECT last_seq, status, id FROM jobs WHERE status IN ('queued', 'running')"
                      " AND coalesce(lease_until, 0) < $1 ORDER BY created_at",
                      &p, e, "reading jobs");
    return r ? iterate(r, fn, ctx) : CORE_EIO;
}

static int pg_job_delete(struct store *base, const char *id, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_str(&p, id);
    PGresult *r = run(s, "DELETE FROM jobs WHERE id = $1", &p, e, "deleting a job");
    if (!r)
        return CORE_EIO;
    int rc = strcmp(PQcmdTuples(r), "0") == 0 ? err_set(e, CORE_ENOTFOUND, "no job %s", id) : 0;
    PQclear(r);
    return rc;
}

static int pg_jobs_purge(struct store *base, int64_t before_ms, int64_t *purged, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_int(&p, before_ms);
    PGresult *r = run(s, "DELETE FROM jobs WHERE finished_at IS NOT NULL AND finished_at < $1", &p,
                      e, "purging old jobs");
    if (!r)
        return CORE_EIO;
    *purged = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return 0;
}

/* ---- outbox ---- */

#define CLAIM_MS 60000 /* a delivery claimed by a node that died is free again after this */

static int pg_outbox_due(struct store *base, int64_t now_ms, size_t max, store_delivery_fn fn,
                         void *ctx, int64_t *next_ms, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_int(&p, now_ms);
    p_int(&p, (int64_t)max);
    p_int(&p, now_ms + CLAIM_MS);
    /* Each job's first pending delivery, due and unclaimed, claimed for this
     * node: the claim is re-checked under the row lock, so two nodes never
     * send the same delivery at once, and a job's next event waits for it. */
    PGresult *r =
        run(s,
            "UPDATE outbox o SET claimed_until = $3 FROM (SELECT h.job_id, h.seq FROM"
            "   (SELECT DISTINCT ON (job_id) job_id, seq, next_at, claimed_until FROM outbox"
            "    WHERE state = 'pending' ORDER BY job_id, seq) h"
            "   WHERE h.next_at <= $1 AND h.claimed_until < $1 ORDER BY h.next_at LIMIT $2) d"
            " WHERE o.job_id = d.job_id AND o.seq = d.seq AND o.state = 'pending'"
            "   AND o.claimed_until < $1"
            " RETURNING o.job_id, o.seq, o.url, o.attempts,"
            "   (SELECT type FROM events e WHERE e.job_id = o.job_id AND e.seq = o.seq),"
            "   (SELECT data FROM events e WHERE e.job_id = o.job_id AND e.seq = o.seq)",
            &p, e, "reading the outbox");
    if (!r)
        return CORE_EIO;
    for (int i = 0; i < PQntuples(r); i++) {
        struct store_delivery d = {.job_id = get_str(r, i, 0),
                                   .seq = get_int(r, i, 1),
                                   .url = get_str(r, i, 2),
                                   .attempts = get_int(r, i, 3),
                                   .type = get_str(r, i, 4),
                                   .data = get_str(r, i, 5)};
        if (fn(ctx, &d))
            break;
    }
    PQclear(r);
    r = run(s,
            "SELECT coalesce(min(greatest(next_at, claimed_until)), 0) FROM outbox"
            " WHERE state = 'pending'",
            NULL, e, "reading the outbox");
    *next_ms = r ? get_int(r, 0, 0) : 0;
    if (r)
        PQclear(r);
    return 0;
}

static int pg_outbox_mark(struct store *base, const char *job_id, int64_t seq,
                          enum store_outcome outcome, int64_t attempts, int64_t next_ms,
                          const char *error, struct err *e)
{
    static const char *const states[] = {"delivered", "pending", "dead"};
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_str(&p, job_id);
    p_int(&p, seq);
    p_str(&p, states[outcome]);
    p_int(&p, attempts);
    p_int(&p, next_ms);
    p_str(&p, error);
    p_int(&p, clock_now_ms());
    return exec(s,
                "UPDATE outbox SET state = $3, attempts = $4, next_at = $5, last_error = $6,"
                " claimed_until = 0, done_at = CASE WHEN $3 = 'pending' THEN NULL ELSE"
                " $7::bigint END WHERE job_id = $1 AND seq = $2",
                &p, e, "recording a delivery");
}

static int pg_outbox_disable(struct store *base, const char *url, const char *reason, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_str(&p, url);
    p_int(&p, clock_now_ms());
    p_str(&p, reason);
    return exec(s,
                "WITH w AS (INSERT INTO webhook_endpoints VALUES ($1, $2, $3) ON CONFLICT (url)"
                " DO UPDATE SET disabled_at = excluded.disabled_at, reason = excluded.reason"
                " RETURNING 1) UPDATE outbox SET state = 'disabled', last_error = $3,"
                " claimed_until = 0 WHERE url = $1 AND state = 'pending'",
                &p, e, "disabling a webhook receiver");
}

static int pg_outbox_enable(struct store *base, const char *url, bool redeliver_dead,
                            int64_t *requeued, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_str(&p, url);
    p_int(&p, clock_now_ms());
    p_str(&p, redeliver_dead ? "t" : "f");
    PGresult *r = run(s,
                      "WITH w AS (DELETE FROM webhook_endpoints WHERE url = $1 RETURNING 1)"
                      " UPDATE outbox SET state = 'pending', attempts = 0, next_at = $2,"
                      " done_at = NULL, claimed_until = 0 WHERE url = $1 AND (state = 'disabled'"
                      " OR ($3::boolean AND state = 'dead'))",
                      &p, e, "enabling a webhook receiver");
    if (!r)
        return CORE_EIO;
    *requeued = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return 0;
}

static int pg_outbox_disabled(struct store *base, const char *url, char *reason, size_t n,
                              struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_str(&p, url);
    PGresult *r = run(s, "SELECT reason FROM webhook_endpoints WHERE url = $1", &p, e,
                      "reading webhook receivers");
    if (!r)
        return CORE_EIO;
    int rc = CORE_ENOTFOUND;
    if (PQntuples(r)) {
        snprintf(reason, n, "%s", get_str(r, 0, 0));
        rc = 0;
    }
    PQclear(r);
    return rc;
}

static int pg_outbox_counts(struct store *base, const char *job_id, struct store_outbox_counts *out,
                            struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    memset(out, 0, sizeof *out);
    struct params p = {0};
    p_str(&p, job_id);
    PGresult *r = run(s,
                      "SELECT state, count(*) FROM outbox WHERE $1::text IS NULL OR job_id = $1"
                      " GROUP BY state",
                      &p, e, "counting deliveries");
    if (!r)
        return CORE_EIO;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *state = get_str(r, i, 0);
        int64_t n = get_int(r, i, 1);
        store__count_state(out, state, n);
    }
    PQclear(r);
    return 0;
}

/* ---- the job queue ---- */

static int pg_job_claim(struct store *base, const char *worker, int64_t lease_ms,
                        struct store_job *out, bool *resumed, bool *cancel, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    int64_t now = clock_now_ms();
    p_str(&p, worker);
    p_int(&p, now);
    p_int(&p, now + lease_ms);
    PGresult *r = run(
        s,
        "WITH c AS (SELECT id, status AS was FROM jobs WHERE status = 'queued'"
        "   OR (status = 'running' AND coalesce(lease_until, 0) < $2)"
        "   ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)"
        " UPDATE jobs j SET status = 'running', worker = $1, lease_until = $3,"
        "   started_at = coalesce(j.started_at, $2) FROM c WHERE j.id = c.id"
        " RETURNING j.id, j.user_id, j.status, j.request, j.summary, j.created_at,"
        "   coalesce(j.started_at, 0), coalesce(j.finished_at, 0), j.leads, j.last_seq, j.owner,"
        "   c.was, j.cancel",
        &p, e, "claiming a job");
    if (!r)
        return CORE_EIO;
    int rc = CORE_ENOTFOUND;
    if (PQntuples(r)) {
        read_job(r, 0, out);
        *resumed = strcmp(get_str(r, 0, 11), "running") == 0;
        *cancel = strcmp(get_str(r, 0, 12), "t") == 0;
        rc = 0;
    }
    PQclear(r);
    return rc;
}

static int pg_job_renew(struct store *base, const char *id, const char *worker, int64_t lease_ms,
                        bool *cancel, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_str(&p, id);
    p_str(&p, worker);
    p_int(&p, clock_now_ms() + lease_ms);
    PGresult *r = run(s,
                      "UPDATE jobs SET lease_until = $3 WHERE id = $1 AND worker = $2"
                      " AND status = 'running' RETURNING cancel",
                      &p, e, "renewing a lease");
    if (!r)
        return CORE_EIO;
    int rc = PQntuples(r) ? 0 : CORE_ENOTFOUND;
    *cancel = rc == 0 && strcmp(get_str(r, 0, 0), "t") == 0;
    PQclear(r);
    return rc;
}

static int pg_job_request_cancel(struct store *base, const char *id, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_str(&p, id);
    PGresult *r = run(s,
                      "UPDATE jobs SET cancel = true WHERE id = $1 AND status IN ('queued',"
                      " 'running')",
                      &p, e, "cancelling a job");
    if (!r)
        return CORE_EIO;
    int rc = strcmp(PQcmdTuples(r), "0") == 0 ? CORE_ENOTFOUND : 0;
    PQclear(r);
    return rc;
}

static int pg_jobs_active(struct store *base, const char *owner, int64_t *n, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_str(&p, owner);
    PGresult *r = run(s,
                      "SELECT count(*) FROM jobs WHERE owner = $1 AND status IN ('queued',"
                      " 'running')",
                      &p, e, "counting jobs");
    if (!r)
        return CORE_EIO;
    *n = get_int(r, 0, 0);
    PQclear(r);
    return 0;
}

static int pg_wait_event(struct store *base, int timeout_ms, char *job_id, size_t n, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    if (!s->listening) {
        if (exec(s, "LISTEN prospect_events", NULL, e, "listening for events"))
            return CORE_EIO;
        s->listening = true;
    }
    for (;;) {
        PGnotify *note = PQnotifies(s->db);
        if (note) {
            snprintf(job_id, n, "%s", note->extra);
            PQfreemem(note);
            return 0;
        }
        struct pollfd pfd = {PQsocket(s->db), POLLIN, 0};
        int got = poll(&pfd, 1, timeout_ms);
        if (got == 0)
            return CORE_ETIMEOUT;
        if (got < 0 || !PQconsumeInput(s->db))
            return err_set(e, CORE_EIO, "the event announcements stopped: %s",
                           PQerrorMessage(s->db));
        timeout_ms = 0; /* what came is read; no further wait */
    }
}

/* ---- cache ---- */

static int pg_cache_get(struct store *base, const char *key, int64_t now_ms, char **value,
                        size_t *len, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_str(&p, key);
    p_int(&p, now_ms);
    PGresult *r = run(s, "SELECT value FROM cache WHERE key = $1 AND expires_at > $2", &p, e,
                      "reading the cache");
    if (!r)
        return CORE_EIO;
    int rc = CORE_ENOTFOUND;
    if (PQntuples(r)) {
        size_t n = 0;
        unsigned char *v = PQunescapeBytea((const unsigned char *)get_str(r, 0, 0), &n);
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
    struct params p = {0};
    int64_t now = clock_now_ms();
    p_str(&p, key);
    p_str(&p, kind);
    p_bin(&p, value, len);
    p_int(&p, now);
    p_int(&p, expires_ms);
    int rc = exec(s,
                  "INSERT INTO cache VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO UPDATE SET"
                  " kind = excluded.kind, value = excluded.value,"
                  " created_at = excluded.created_at, expires_at = excluded.expires_at",
                  &p, e, "writing the cache");
    if (!rc && now % 64 == 0) { /* now and then, the expired go */
        struct params q = {0};
        p_int(&q, now);
        rc = exec(s, "DELETE FROM cache WHERE expires_at <= $1", &q, e, "purging the cache");
    }
    return rc;
}

/* ---- pages ---- */

static int pg_page_get(struct store *base, const char *url, struct store_page *out, size_t *size,
                       struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_str(&p, url);
    PGresult *r = run(s,
                      "SELECT final_url, body, size, charset, etag, last_modified, fetched_at,"
                      " http_code FROM pages WHERE url = $1",
                      &p, e, "reading a stored page");
    if (!r)
        return CORE_EIO;
    int rc = CORE_ENOTFOUND;
    if (PQntuples(r)) {
        size_t n = 0;
        unsigned char *v = PQunescapeBytea((const unsigned char *)get_str(r, 0, 1), &n);
        if (v) {
            out->final_url = xstrdup(get_str(r, 0, 0));
            out->body = xmalloc(n + 1);
            memcpy(out->body, v, n);
            out->len = n;
            PQfreemem(v);
            *size = (size_t)get_int(r, 0, 2);
            snprintf(out->charset, sizeof out->charset, "%s", get_str(r, 0, 3));
            snprintf(out->etag, sizeof out->etag, "%s", get_str(r, 0, 4));
            snprintf(out->last_modified, sizeof out->last_modified, "%s", get_str(r, 0, 5));
            out->fetched_at = get_int(r, 0, 6);
            out->http_code = (int)get_int(r, 0, 7);
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
    struct params p = {0};
    p_str(&p, url);
    p_str(&p, pg->final_url ? pg->final_url : url);
    p_bin(&p, pg->body, pg->len);
    p_int(&p, (int64_t)size);
    p_str(&p, pg->charset);
    p_str(&p, pg->etag);
    p_str(&p, pg->last_modified);
    p_int(&p, pg->fetched_at);
    p_int(&p, pg->http_code);
    int rc = exec(s,
                  "INSERT INTO pages (url, final_url, body, size, charset, etag, last_modified,"
                  " fetched_at, http_code) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                  " ON CONFLICT (url) DO UPDATE SET final_url = excluded.final_url,"
                  " body = excluded.body, size = excluded.size, charset = excluded.charset,"
                  " etag = excluded.etag, last_modified = excluded.last_modified,"
                  " fetched_at = excluded.fetched_at, http_code = excluded.http_code",
                  &p, e, "storing a page");
    if (!rc && pg->fetched_at % 64 == 0) { /* now and then, the long unused go */
        struct params q = {0};
        p_int(&q, purge_before_ms);
        rc = exec(s, "DELETE FROM pages WHERE fetched_at < $1", &q, e, "purging stored pages");
    }
    return rc;
}

static int pg_page_touch(struct store *base, const char *url, int64_t fetched_at, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    p_str(&p, url);
    p_int(&p, fetched_at);
    return exec(
        s,
        "UPDATE pages SET hits = hits + 1, fetched_at = CASE WHEN $2::bigint > 0 THEN $2::bigint"
        " ELSE fetched_at END WHERE url = $1",
        &p, e, "counting a page hit");
}

static int pg_page_stats(struct store *base, int64_t *pages, int64_t *hits, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct params p = {0};
    PGresult *r = run(s, "SELECT count(*), COALESCE(sum(hits), 0) FROM pages", &p, e,
                      "counting stored pages");
    if (!r)
        return CORE_EIO;
    *pages = get_int(r, 0, 0);
    *hits = get_int(r, 0, 1);
    PQclear(r);
    return 0;
}

static const struct store_corpus_ops pg_corpus = {
    .corpus_put = pg_corpus_put,
    .corpus_hash = pg_corpus_hash,
    .corpus_stats = pg_corpus_stats,
    .corpus_search = pg_corpus_search,
    .corpus_snippet = pg_corpus_snippet,
    .corpus_page = pg_corpus_page,
};

static const struct store_jobs_ops pg_jobs = {
    .job_create = pg_job_create,
    .job_status = pg_job_status,
    .job_get = pg_job_get,
    .event_append = pg_event_append,
    .events_after = pg_events_after,
    .leads = pg_leads,
    .jobs_unfinished = pg_jobs_unfinished,
    .jobs_list = pg_jobs_list,
    .job_delete = pg_job_delete,
    .jobs_purge = pg_jobs_purge,
};

static const struct store_outbox_ops pg_outbox = {
    .outbox_due = pg_outbox_due,
    .outbox_mark = pg_outbox_mark,
    .outbox_disable = pg_outbox_disable,
    .outbox_enable = pg_outbox_enable,
    .outbox_disabled = pg_outbox_disabled,
    .outbox_counts = pg_outbox_counts,
};

static const struct store_cache_ops pg_cache = {
    .cache_get = pg_cache_get,
    .cache_put = pg_cache_put,
    .page_get = pg_page_get,
    .page_put = pg_page_put,
    .page_touch = pg_page_touch,
    .page_stats = pg_page_stats,
};

static const struct store_queue_ops pg_queue = {
    .job_claim = pg_job_claim,
    .job_renew = pg_job_renew,
    .job_request_cancel = pg_job_request_cancel,
    .jobs_active = pg_jobs_active,
    .wait_event = pg_wait_event,
};

const struct store_ops store__pg_ops = {
    .name = "postgres",
    .open = pg_open,
    .close = pg_close,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .corpus = &pg_corpus,
    .jobs = &pg_jobs,
    .outbox = &pg_outbox,
    .cache = &pg_cache,
    .queue = &pg_queue,
};
