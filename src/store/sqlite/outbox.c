/* sqlite/outbox.c: the SQLite backend's outbox: webhook deliveries, each
 * job's in seq order, and the receivers disabled (410 Gone). */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "core/clock.h"
#include "store/sqlite/sqlite_int.h"

static int sq_outbox_due(struct store *base, int64_t now_ms, size_t max, store_delivery_fn fn,
                         void *ctx, int64_t *next_ms, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    *next_ms = 0;
    sqlite3_stmt *st = store__sq_prep(
        s, "SELECT o.job_id, o.seq, o.url, o.attempts, e.type, e.data"
           " FROM (SELECT job_id, min(seq) AS seq FROM outbox WHERE state = 'pending'"
           "       GROUP BY job_id) h"
           " JOIN outbox o ON o.job_id = h.job_id AND o.seq = h.seq"
           " JOIN events e ON e.job_id = h.job_id AND e.seq = h.seq"
           " WHERE o.next_at <= ?1 ORDER BY o.next_at LIMIT ?2");
    if (!st)
        return store__sq_err(s->db, e, "reading the outbox");
    sqlite3_bind_int64(st, 1, now_ms);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_delivery d = {
            .job_id = store__sq_text(st, 0),
            .seq = sqlite3_column_int64(st, 1),
            .url = store__sq_text(st, 2),
            .attempts = sqlite3_column_int64(st, 3),
            .type = store__sq_text(st, 4),
            .data = store__sq_text(st, 5),
        };
        if (fn(ctx, &d))
            break;
    }
    int rc = step == SQLITE_ROW || step == SQLITE_DONE
                 ? 0
                 : store__sq_err(s->db, e, "reading the outbox");
    store__sq_done(s, st);
    if (rc)
        return rc;
    st = store__sq_prep(s, "SELECT coalesce(min(next_at), 0) FROM outbox WHERE state = 'pending'");
    if (st && sqlite3_step(st) == SQLITE_ROW)
        *next_ms = sqlite3_column_int64(st, 0);
    store__sq_done(s, st);
    return 0;
}

static int sq_outbox_mark(struct store *base, const char *job_id, int64_t seq,
                          enum store_outcome outcome, int64_t attempts, int64_t next_ms,
                          const char *error, struct err *e)
{
    static const char *const states[] = {"delivered", "pending", "dead"};
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st =
        store__sq_prep(s, "UPDATE outbox SET state = ?3, attempts = ?4, next_at = ?5,"
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
    return store__sq_run(s, st, e, "recording a delivery");
}

static int sq_outbox_disable(struct store *base, const char *url, const char *reason, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    int rc = store__sq_exec(s->db, "BEGIN IMMEDIATE", e);
    if (rc)
        return rc;
    sqlite3_stmt *st =
        store__sq_prep(s, "INSERT OR REPLACE INTO webhook_endpoints (url, disabled_at, reason)"
                          " VALUES (?1, ?2, ?3)");
    if (st) {
        sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, clock_now_ms());
        sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
    }
    int bad = store__sq_step_done(s, st);
    st = store__sq_prep(s, "UPDATE outbox SET state = 'disabled', last_error = ?2"
                           " WHERE url = ?1 AND state = 'pending'");
    if (st) {
        sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
    }
    bad |= store__sq_step_done(s, st);
    if (bad) {
        rc = store__sq_err(s->db, e, "disabling a webhook receiver");
        store__sq_exec(s->db, "ROLLBACK", NULL);
        return rc;
    }
    return store__sq_exec(s->db, "COMMIT", e);
}

static int sq_outbox_enable(struct store *base, const char *url, bool redeliver_dead,
                            int64_t *requeued, struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    *requeued = 0;
    int rc = store__sq_exec(s->db, "BEGIN IMMEDIATE", e);
    if (rc)
        return rc;
    sqlite3_stmt *st = store__sq_prep(s, "DELETE FROM webhook_endpoints WHERE url = ?1");
    if (st)
        sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
    int bad = store__sq_step_done(s, st);
    st = store__sq_prep(
        s, "UPDATE outbox SET state = 'pending', attempts = 0, next_at = ?2, done_at = NULL"
           " WHERE url = ?1 AND (state = 'disabled' OR (?3 AND state = 'dead'))");
    if (st) {
        sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, clock_now_ms());
        sqlite3_bind_int(st, 3, redeliver_dead);
    }
    bad |= store__sq_step_done(s, st);
    if (bad) {
        rc = store__sq_err(s->db, e, "enabling a webhook receiver");
        store__sq_exec(s->db, "ROLLBACK", NULL);
        return rc;
    }
    *requeued = sqlite3_changes(s->db);
    return store__sq_exec(s->db, "COMMIT", e);
}

static int sq_outbox_disabled(struct store *base, const char *url, char *reason, size_t n,
                              struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = store__sq_prep(s, "SELECT reason FROM webhook_endpoints WHERE url = ?1");
    if (!st)
        return store__sq_err(s->db, e, "reading webhook receivers");
    sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
    int rc = store__sq_step_row(s->db, st, e, "reading webhook receivers");
    if (rc > 0)
        snprintf(reason, n, "%s", store__sq_text(st, 0));
    rc = rc > 0 ? 0 : rc == 0 ? CORE_ENOTFOUND : rc;
    store__sq_done(s, st);
    return rc;
}

static int sq_outbox_counts(struct store *base, const char *job_id, struct store_outbox_counts *out,
                            struct err *e)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st =
        store__sq_prep(s, job_id ? "SELECT state, count(*) FROM outbox WHERE job_id = ?1"
                                   " GROUP BY state"
                                 : "SELECT state, count(*) FROM outbox GROUP BY state");
    if (!st)
        return store__sq_err(s->db, e, "counting deliveries");
    if (job_id)
        sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *state = store__sq_text(st, 0);
        int64_t n = sqlite3_column_int64(st, 1);
        store__count_state(out, state, n);
    }
    int rc = step == SQLITE_DONE ? 0 : store__sq_err(s->db, e, "counting deliveries");
    store__sq_done(s, st);
    return rc;
}

const struct store_outbox_ops store__sq_outbox = {
    .outbox_due = sq_outbox_due,
    .outbox_mark = sq_outbox_mark,
    .outbox_disable = sq_outbox_disable,
    .outbox_enable = sq_outbox_enable,
    .outbox_disabled = sq_outbox_disabled,
    .outbox_counts = sq_outbox_counts,
};
