/* pg/conn.c: the PostgreSQL backend of store.h (libpq), for scale-out:
 * several API nodes and workers on one database; its connection and its
 * table.
 *
 * Migrations are the embedded .sql files of migrations/postgres, applied
 * under an advisory lock so that nodes starting together do not race. The
 * concerns have a file each: corpus.c, jobs.c, outbox.c, cache.c and
 * queue.c (the job queue of scale-out).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/embed.h"
#include "core/log.h"
#include "store/pg/pg_int.h"

extern const struct embed_file store__pg_migrations[];

static int migrate(struct pg_store *s, struct err *e)
{
    int rc = store__pg_exec(s, "BEGIN", NULL, e, "migrating");
    if (!rc) /* one node migrates at a time; the others then see it done */
        rc = store__pg_exec(s, "SELECT pg_advisory_xact_lock(727274)", NULL, e, "migrating");
    if (!rc)
        rc = store__pg_exec(
            s,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
            " name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
            NULL, e, "migrating");
    for (const struct embed_file *m = store__pg_migrations; !rc && m->name; m++) {
        struct pg_params p = {0};
        store__pg_int(&p, strtol(m->name, NULL, 10));
        PGresult *r = store__pg_run(s, "SELECT 1 FROM schema_migrations WHERE version = $1", &p, e,
                                    "migrating");
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
            rc = store__pg_err(s, mr, e, m->name);
            PQclear(mr);
            break;
        }
        PQclear(mr);
        store__pg_str(&p, m->name);
        store__pg_int(&p, clock_now_ms());
        rc = store__pg_exec(s, "INSERT INTO schema_migrations VALUES ($1, $2, $3)", &p, e,
                            "migrating");
        log_debug("store migration applied", LOG_S("name", m->name));
    }
    if (rc) {
        PQclear(PQexec(s->db, "ROLLBACK"));
        return rc;
    }
    return store__pg_exec(s, "COMMIT", NULL, e, "migrating");
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
    return store__pg_exec((struct pg_store *)base, "BEGIN", NULL, e, "beginning a transaction");
}

static int pg_commit(struct store *base, struct err *e)
{
    return store__pg_exec((struct pg_store *)base, "COMMIT", NULL, e, "committing");
}

static void pg_rollback(struct store *base)
{
    PQclear(PQexec(((struct pg_store *)base)->db, "ROLLBACK"));
}

const struct store_ops store__pg_ops = {
    .name = "postgres",
    .open = pg_open,
    .close = pg_close,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .corpus = &store__pg_corpus,
    .jobs = &store__pg_jobs,
    .outbox = &store__pg_outbox,
    .cache = &store__pg_cache,
    .queue = &store__pg_queue,
};
