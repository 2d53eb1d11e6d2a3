/* pg/queue.c: the PostgreSQL backend's job queue of scale-out: workers
 * claim jobs under a lease (FOR UPDATE SKIP LOCKED) and renew it, any node
 * asks for a cancel or counts an owner's active jobs, and any node waits
 * for the announcements of stored events (LISTEN prospect_events). */
#include <stdio.h>
#include <string.h>

#include <poll.h>

#include <libpq-fe.h>

#include "core/clock.h"
#include "store/pg/pg_int.h"

static int pg_job_claim(struct store *base, const char *worker, int64_t lease_ms,
                        struct store_job *out, bool *resumed, bool *cancel, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_params p = {0};
    int64_t now = clock_now_ms();
    store__pg_str(&p, worker);
    store__pg_int(&p, now);
    store__pg_int(&p, now + lease_ms);
    PGresult *r = store__pg_run(
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
        store__pg_read_job(r, 0, out);
        *resumed = strcmp(store__pg_col_str(r, 0, 11), "running") == 0;
        *cancel = strcmp(store__pg_col_str(r, 0, 12), "t") == 0;
        rc = 0;
    }
    PQclear(r);
    return rc;
}

static int pg_job_renew(struct store *base, const char *id, const char *worker, int64_t lease_ms,
                        bool *cancel, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_params p = {0};
    store__pg_str(&p, id);
    store__pg_str(&p, worker);
    store__pg_int(&p, clock_now_ms() + lease_ms);
    PGresult *r = store__pg_run(s,
                                "UPDATE jobs SET lease_until = $3 WHERE id = $1 AND worker = $2"
                                " AND status = 'running' RETURNING cancel",
                                &p, e, "renewing a lease");
    if (!r)
        return CORE_EIO;
    int rc = PQntuples(r) ? 0 : CORE_ENOTFOUND;
    *cancel = rc == 0 && strcmp(store__pg_col_str(r, 0, 0), "t") == 0;
    PQclear(r);
    return rc;
}

static int pg_job_request_cancel(struct store *base, const char *id, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_params p = {0};
    store__pg_str(&p, id);
    PGresult *r =
        store__pg_run(s,
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
    struct pg_params p = {0};
    store__pg_str(&p, owner);
    PGresult *r =
        store__pg_run(s,
                      "SELECT count(*) FROM jobs WHERE owner = $1 AND status IN ('queued',"
                      " 'running')",
                      &p, e, "counting jobs");
    if (!r)
        return CORE_EIO;
    *n = store__pg_col_int(r, 0, 0);
    PQclear(r);
    return 0;
}

static int pg_wait_event(struct store *base, int timeout_ms, char *job_id, size_t n, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    if (!s->listening) {
        if (store__pg_exec(s, "LISTEN prospect_events", NULL, e, "listening for events"))
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

const struct store_queue_ops store__pg_queue = {
    .job_claim = pg_job_claim,
    .job_renew = pg_job_renew,
    .job_request_cancel = pg_job_request_cancel,
    .jobs_active = pg_jobs_active,
    .wait_event = pg_wait_event,
};
