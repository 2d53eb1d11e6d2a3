/* sqlite/jobs.c: the SQLite backend's jobs, their events and leads; an
 * event is stored with its lead row and its webhook delivery in one
 * transaction. */
#include <string.h>

#include <sqlite3.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "store/sqlite/sqlite_int.h"

static int sq_job_create(struct store *base, const char *id, const char *user_id, const char *owner,
                         const char *request, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st =
        store__sq_prep(s, "INSERT INTO jobs (id, user_id, owner, status, request, created_at)"
                          " VALUES (?1, ?2, ?5, 'queued', ?3, ?4)");
    if (!st)
        return store__sq_err(s->db, e, "creating a job");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, user_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, request, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, clock_now_ms());
    sqlite3_bind_text(st, 5, owner, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int ext = sqlite3_extended_errcode(s->db);
    store__sq_done(s, st);
    if (rc == SQLITE_CONSTRAINT || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return err_set(e, CORE_EEXIST, "a job with id %s exists", id);
    return rc == SQLITE_DONE ? 0 : store__sq_err(s->db, e, "creating a job");
}

static int sq_job_status(struct store *base, const char *id, const char *status,
                         const char *summary, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st =
        store__sq_prep(s, "UPDATE jobs SET status = ?2,"
                          " started_at = CASE WHEN ?2 = 'running' THEN ?3 ELSE started_at END,"
                          " finished_at = CASE WHEN ?2 IN ('succeeded','failed','cancelled')"
                          "   THEN ?3 ELSE finished_at END,"
                          " summary = coalesce(?4, summary) WHERE id = ?1");
    if (!st)
        return store__sq_err(s->db, e, "updating a job");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, clock_now_ms());
    if (summary)
        sqlite3_bind_text(st, 4, summary, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 4);
    int rc = sqlite3_step(st);
    store__sq_done(s, st);
    return rc == SQLITE_DONE ? 0 : store__sq_err(s->db, e, "updating a job");
}

static char *opt_text(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL : xstrdup(store__sq_text(st, i));
}

#define SQL_JOB_COLUMNS                                                                            \
    "SELECT id, user_id, status, request, summary, created_at, coalesce(started_at, 0),"           \
    " coalesce(finished_at, 0), leads, last_seq, owner FROM jobs"

static void read_job(sqlite3_stmt *st, struct store_job *out)
{
    out->id = xstrdup(store__sq_text(st, 0));
    out->user_id = xstrdup(store__sq_text(st, 1));
    out->status = xstrdup(store__sq_text(st, 2));
    out->request = xstrdup(store__sq_text(st, 3));
    out->summary = opt_text(st, 4);
    out->created_at = sqlite3_column_int64(st, 5);
    out->started_at = sqlite3_column_int64(st, 6);
    out->finished_at = sqlite3_column_int64(st, 7);
    out->leads = sqlite3_column_int64(st, 8);
    out->last_seq = sqlite3_column_int64(st, 9);
    out->owner = xstrdup(store__sq_text(st, 10));
}

static int sq_jobs_list(struct store *base, const char *owner, size_t limit, store_job_fn fn,
                        void *ctx, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = store__sq_prep(s, SQL_JOB_COLUMNS " WHERE ?1 IS NULL OR owner = ?1"
                                                         " ORDER BY created_at DESC, id LIMIT ?2");
    if (!st)
        return store__sq_err(s->db, e, "listing jobs");
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
    int rc =
        step == SQLITE_ROW || step == SQLITE_DONE ? 0 : store__sq_err(s->db, e, "listing jobs");
    store__sq_done(s, st);
    return rc;
}

static int sq_job_get(struct store *base, const char *id, struct store_job *out, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = store__sq_prep(s, SQL_JOB_COLUMNS " WHERE id = ?1");
    if (!st)
        return store__sq_err(s->db, e, "reading a job");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = store__sq_step_row(s->db, st, e, "reading a job");
    if (rc > 0) {
        rc = 0;
        read_job(st, out);
    } else if (rc == 0) {
        rc = err_set(e, CORE_ENOTFOUND, "no job %s", id);
    }
    store__sq_done(s, st);
    return rc;
}

static int sq_event_append(struct store *base, const char *job_id, int64_t seq, const char *type,
                           const char *data, const char *webhook_url, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    int rc = store__sq_exec(s->db, "BEGIN IMMEDIATE", e);
    if (rc)
        return rc;
    sqlite3_stmt *st = store__sq_prep(s, "INSERT INTO events (job_id, seq, type, data, created_at)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5)");
    if (st) {
        sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, seq);
        sqlite3_bind_text(st, 3, type, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, data, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, clock_now_ms());
    }
    int bad = store__sq_step_done(s, st);
    st = store__sq_prep(s, "UPDATE jobs SET last_seq = max(last_seq, ?2),"
                           " leads = leads + (?3 = 'lead_generated') WHERE id = ?1");
    if (st) {
        sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, seq);
        sqlite3_bind_text(st, 3, type, -1, SQLITE_STATIC);
    }
    bad |= store__sq_step_done(s, st);
    if (!bad && strcmp(type, "lead_generated") == 0) {
        st = store__sq_prep(
            s, "INSERT OR REPLACE INTO leads (job_id, lead_id, seq, data) VALUES (?1,"
               " json_extract(?2, '$.lead_id'), ?3, json_object('lead_id',"
               " json_extract(?2, '$.lead_id'), 'lead_data', json_extract(?2, '$.lead_data'),"
               " 'source_url', json_extract(?2, '$.source_url')))");
        if (st) {
            sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, data, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 3, seq);
        }
        bad |= store__sq_step_done(s, st);
    } else if (!bad && strcmp(type, "lead_enrichment_end") == 0) {
        st = store__sq_prep(
            s, "UPDATE leads SET data = CASE WHEN ?2 ->> '$.success'"
               " THEN json_set(data, '$.final_package', ?2 -> '$.final_package', '$.success',"
               " json('true')) ELSE json_set(data, '$.final_package', ?2 -> '$.final_package',"
               " '$.success', json('false'), '$.error', json_object('type', ?2 ->> '$.error_type',"
               " 'message', ?2 ->> '$.error_message')) END"
               " WHERE job_id = ?1 AND lead_id = json_extract(?2, '$.lead_id')");
        if (st) {
            sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, data, -1, SQLITE_STATIC);
        }
        bad |= store__sq_step_done(s, st);
    }
    if (!bad && webhook_url) {
        st = store__sq_prep(
            s, "INSERT INTO outbox (job_id, seq, url, state, next_at) VALUES (?1, ?2, ?3,"
               " CASE WHEN EXISTS (SELECT 1 FROM webhook_endpoints WHERE url = ?3)"
               " THEN 'disabled' ELSE 'pending' END, ?4)");
        if (st) {
            sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, seq);
            sqlite3_bind_text(st, 3, webhook_url, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 4, clock_now_ms());
        }
        bad |= store__sq_step_done(s, st);
    }
    if (bad) {
        rc = store__sq_err(s->db, e, "storing an event");
        store__sq_exec(s->db, "ROLLBACK", NULL);
        return rc;
    }
    return store__sq_exec(s->db, "COMMIT", e);
}

static int iterate(struct sqlite_store *s, sqlite3_stmt *st, store_event_fn fn, void *ctx,
                   struct err *e, const char *what)
{
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ctx, sqlite3_column_int64(st, 0), store__sq_text(st, 1), store__sq_text(st, 2)))
            break;
    int rc = step == SQLITE_ROW || step == SQLITE_DONE ? 0 : store__sq_err(s->db, e, what);
    store__sq_done(s, st);
    return rc;
}

static int sq_events_after(struct store *base, const char *job_id, int64_t after, store_event_fn fn,
                           void *ctx, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st =
        store__sq_prep(s, "SELECT seq, type, data FROM events WHERE job_id = ?1 AND seq > ?2"
                          " ORDER BY seq");
    if (!st)
        return store__sq_err(s->db, e, "reading events");
    sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, after);
    return iterate(s, st, fn, ctx, e, "reading events");
}

static int sq_leads(struct store *base, const char *job_id, store_event_fn fn, void *ctx,
                    struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st =
        store__sq_prep(s, "SELECT seq, lead_id, data FROM leads WHERE job_id = ?1 ORDER BY seq");
    if (!st)
        return store__sq_err(s->db, e, "reading leads");
    sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
    return iterate(s, st, fn, ctx, e, "reading leads");
}

static int sq_jobs_unfinished(struct store *base, store_event_fn fn, void *ctx, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st =
        store__sq_prep(s, "SELECT last_seq, status, id FROM jobs"
                          " WHERE status IN ('queued', 'running') ORDER BY created_at");
    if (!st)
        return store__sq_err(s->db, e, "reading jobs");
    return iterate(s, st, fn, ctx, e, "reading jobs");
}

static int sq_job_delete(struct store *base, const char *id, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = store__sq_prep(s, "DELETE FROM jobs WHERE id = ?1");
    if (st)
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = store__sq_run(s, st, e, "deleting a job");
    if (!rc && sqlite3_changes(s->db) == 0)
        rc = err_set(e, CORE_ENOTFOUND, "no job %s", id);
    return rc;
}

static int sq_jobs_purge(struct store *base, int64_t before_ms, int64_t *purged, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st =
        store__sq_prep(s, "DELETE FROM jobs WHERE finished_at IS NOT NULL AND finished_at < ?1");
    if (st)
        sqlite3_bind_int64(st, 1, before_ms);
    int rc = store__sq_run(s, st, e, "purging old jobs");
    *purged = rc ? 0 : sqlite3_changes(s->db);
    return rc;
}

const struct store_jobs_ops store__sq_jobs = {
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
