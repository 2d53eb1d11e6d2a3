/* pg/outbox.c: the PostgreSQL backend's outbox: webhook deliveries, each
 * job's in seq order and claimed by one node at a time, and the receivers
 * disabled (410 Gone). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/clock.h"
#include "store/pg/pg_int.h"

#define CLAIM_MS 60000 /* a delivery claimed by a node that died is free again after this */

static int pg_outbox_due(struct store *base, int64_t now_ms, size_t max, store_delivery_fn fn,
                         void *ctx, int64_t *next_ms, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_params p = {0};
    store__pg_int(&p, now_ms);
    store__pg_int(&p, (int64_t)max);
    store__pg_int(&p, now_ms + CLAIM_MS);
    /* Each job's first pending delivery, due and unclaimed, claimed for this
     * node: the claim is re-checked under the row lock, so two nodes never
     * send the same delivery at once, and a job's next event waits for it. */
    PGresult *r = store__pg_run(
        s,
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
        struct store_delivery d = {.job_id = store__pg_col_str(r, i, 0),
                                   .seq = store__pg_col_int(r, i, 1),
                                   .url = store__pg_col_str(r, i, 2),
                                   .attempts = store__pg_col_int(r, i, 3),
                                   .type = store__pg_col_str(r, i, 4),
                                   .data = store__pg_col_str(r, i, 5)};
        if (fn(ctx, &d))
            break;
    }
    PQclear(r);
    r = store__pg_run(s,
                      "SELECT coalesce(min(greatest(next_at, claimed_until)), 0) FROM outbox"
                      " WHERE state = 'pending'",
                      NULL, e, "reading the outbox");
    *next_ms = r ? store__pg_col_int(r, 0, 0) : 0;
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
    struct pg_params p = {0};
    store__pg_str(&p, job_id);
    store__pg_int(&p, seq);
    store__pg_str(&p, states[outcome]);
    store__pg_int(&p, attempts);
    store__pg_int(&p, next_ms);
    store__pg_str(&p, error);
    store__pg_int(&p, clock_now_ms());
    return store__pg_exec(
        s,
        "UPDATE outbox SET state = $3, attempts = $4, next_at = $5, last_error = $6,"
        " claimed_until = 0, done_at = CASE WHEN $3 = 'pending' THEN NULL ELSE"
        " $7::bigint END WHERE job_id = $1 AND seq = $2",
        &p, e, "recording a delivery");
}

static int pg_outbox_disable(struct store *base, const char *url, const char *reason, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_params p = {0};
    store__pg_str(&p, url);
    store__pg_int(&p, clock_now_ms());
    store__pg_str(&p, reason);
    return store__pg_exec(
        s,
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
    struct pg_params p = {0};
    store__pg_str(&p, url);
    store__pg_int(&p, clock_now_ms());
    store__pg_str(&p, redeliver_dead ? "t" : "f");
    PGresult *r =
        store__pg_run(s,
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
    struct pg_params p = {0};
    store__pg_str(&p, url);
    PGresult *r = store__pg_run(s, "SELECT reason FROM webhook_endpoints WHERE url = $1", &p, e,
                                "reading webhook receivers");
    if (!r)
        return CORE_EIO;
    int rc = CORE_ENOTFOUND;
    if (PQntuples(r)) {
        snprintf(reason, n, "%s", store__pg_col_str(r, 0, 0));
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
    struct pg_params p = {0};
    store__pg_str(&p, job_id);
    PGresult *r =
        store__pg_run(s,
                      "SELECT state, count(*) FROM outbox WHERE $1::text IS NULL OR job_id = $1"
                      " GROUP BY state",
                      &p, e, "counting deliveries");
    if (!r)
        return CORE_EIO;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *state = store__pg_col_str(r, i, 0);
        int64_t n = store__pg_col_int(r, i, 1);
        store__count_state(out, state, n);
    }
    PQclear(r);
    return 0;
}

const struct store_outbox_ops store__pg_outbox = {
    .outbox_due = pg_outbox_due,
    .outbox_mark = pg_outbox_mark,
    .outbox_disable = pg_outbox_disable,
    .outbox_enable = pg_outbox_enable,
    .outbox_disabled = pg_outbox_disabled,
    .outbox_counts = pg_outbox_counts,
};
