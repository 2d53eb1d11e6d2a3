/* pg/jobs.c: the PostgreSQL backend's jobs, their events and leads. A
 * stored event announces itself with pg_notify('prospect_events', job_id)
 * in its own transaction, so that any node can follow any job (src/jobs
 * listens, with store_wait_event: queue.c). */
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "store/pg/pg_int.h"

static int pg_job_create(struct store *base, const char *id, const char *user_id, const char *owner,
                         const char *request, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_params p = {0};
    store__pg_str(&p, id);
    store__pg_str(&p, user_id);
    store__pg_str(&p, owner);
    store__pg_str(&p, request);
    store__pg_int(&p, clock_now_ms());
    int rc = store__pg_exec(s,
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
    struct pg_params p = {0};
    store__pg_str(&p, id);
    store__pg_str(&p, status);
    store__pg_int(&p, clock_now_ms());
    store__pg_str(&p, summary);
    return store__pg_exec(
        s,
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

void store__pg_read_job(PGresult *r, int i, struct store_job *out)
{
    out->id = xstrdup(store__pg_col_str(r, i, 0));
    out->user_id = xstrdup(store__pg_col_str(r, i, 1));
    out->status = xstrdup(store__pg_col_str(r, i, 2));
    out->request = xstrdup(store__pg_col_str(r, i, 3));
    out->summary = PQgetisnull(r, i, 4) ? NULL : xstrdup(store__pg_col_str(r, i, 4));
    out->created_at = store__pg_col_int(r, i, 5);
    out->started_at = store__pg_col_int(r, i, 6);
    out->finished_at = store__pg_col_int(r, i, 7);
    out->leads = store__pg_col_int(r, i, 8);
    out->last_seq = store__pg_col_int(r, i, 9);
    out->owner = xstrdup(store__pg_col_str(r, i, 10));
}

static int pg_job_get(struct store *base, const char *id, struct store_job *out, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_params p = {0};
    store__pg_str(&p, id);
    PGresult *r = store__pg_run(s, SQL_JOB_COLUMNS " WHERE id = $1", &p, e, "reading a job");
    if (!r)
        return CORE_EIO;
    int rc = 0;
    if (PQntuples(r))
        store__pg_read_job(r, 0, out);
    else
        rc = err_set(e, CORE_ENOTFOUND, "no job %s", id);
    PQclear(r);
    return rc;
}

static int pg_jobs_list(struct store *base, const char *owner, size_t limit, store_job_fn fn,
                        void *ctx, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_params p = {0};
    store__pg_str(&p, owner);
    store__pg_int(&p, (int64_t)limit);
    PGresult *r = store__pg_run(s,
                                SQL_JOB_COLUMNS " WHERE $1::text IS NULL OR owner = $1"
                                                " ORDER BY created_at DESC, id LIMIT $2",
                                &p, e, "listing jobs");
    if (!r)
        return CORE_EIO;
    for (int i = 0; i < PQntuples(r); i++) {
        struct store_job j = {0};
        store__pg_read_job(r, i, &j);
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
    struct pg_params p = {0};
    store__pg_str(&p, job_id);
    store__pg_int(&p, seq);
    store__pg_str(&p, type);
    store__pg_str(&p, data);
    store__pg_int(&p, clock_now_ms());
    store__pg_str(&p, webhook_url);
    /* One statement, so one transaction: the event, the job's counters,
     * the lead row, the delivery, and the announcement. */
    return store__pg_exec(
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
        "   $4::jsonb->'final_package', 'success', $4::jsonb->'success') ||"
        "   CASE WHEN ($4::jsonb->>'success')::boolean THEN '{}'::jsonb ELSE"
        "   jsonb_build_object('error', jsonb_build_object('type', $4::jsonb->'error_type',"
        "   'message', $4::jsonb->'error_message')) END"
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
        if (fn(ctx, store__pg_col_int(r, i, 0), store__pg_col_str(r, i, 1),
               store__pg_col_str(r, i, 2)))
            break;
    PQclear(r);
    return 0;
}

static int pg_events_after(struct store *base, const char *job_id, int64_t after, store_event_fn fn,
                           void *ctx, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_params p = {0};
    store__pg_str(&p, job_id);
    store__pg_int(&p, after);
    PGresult *r = store__pg_run(s,
                                "SELECT seq, type, data FROM events WHERE job_id = $1 AND seq > $2"
                                " ORDER BY seq",
                                &p, e, "reading events");
    return r ? iterate(r, fn, ctx) : CORE_EIO;
}

static int pg_leads(struct store *base, const char *job_id, store_event_fn fn, void *ctx,
                    struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_params p = {0};
    store__pg_str(&p, job_id);
    PGresult *r = store__pg_run(
        s, "SELECT seq, lead_id, data::text FROM leads WHERE job_id = $1 ORDER BY seq", &p, e,
        "reading leads");
    return r ? iterate(r, fn, ctx) : CORE_EIO;
}

static int pg_jobs_unfinished(struct store *base, store_event_fn fn, void *ctx, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    /* Only jobs no live worker holds: a lease still running is another
     * node's job, not one left behind. */
    struct pg_params p = {0};
    store__pg_int(&p, clock_now_ms());
    PGresult *r =
        store__pg_run(s,
                      "SELECT last_seq, status, id FROM jobs WHERE status IN ('queued', 'running')"
                      " AND coalesce(lease_until, 0) < $1 ORDER BY created_at",
                      &p, e, "reading jobs");
    return r ? iterate(r, fn, ctx) : CORE_EIO;
}

static int pg_job_delete(struct store *base, const char *id, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_params p = {0};
    store__pg_str(&p, id);
    PGresult *r = store__pg_run(s, "DELETE FROM jobs WHERE id = $1", &p, e, "deleting a job");
    if (!r)
        return CORE_EIO;
    int rc = strcmp(PQcmdTuples(r), "0") == 0 ? err_set(e, CORE_ENOTFOUND, "no job %s", id) : 0;
    PQclear(r);
    return rc;
}

static int pg_jobs_purge(struct store *base, int64_t before_ms, int64_t *purged, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_params p = {0};
    store__pg_int(&p, before_ms);
    PGresult *r =
        store__pg_run(s, "DELETE FROM jobs WHERE finished_at IS NOT NULL AND finished_at < $1", &p,
                      e, "purging old jobs");
    if (!r)
        return CORE_EIO;
    *purged = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return 0;
}

const struct store_jobs_ops store__pg_jobs = {
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
