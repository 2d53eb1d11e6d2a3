/* sqlite/conn.c: the SQLite backend of store.h, the embedded default: its
 * connection and its table.
 *
 * WAL journal, one connection per handle, migrations from the embedded
 * .sql files of src/store/migrations/sqlite applied in order on open, and
 * the FTS5 tokenizer of the corpus (tokenizer.c) registered on open. The
 * concerns have a file each: corpus.c, jobs.c, outbox.c, cache.c; SQLite
 * has no job queue of scale-out.
 */
#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/embed.h"
#include "core/log.h"
#include "store/sqlite/sqlite_int.h"

extern const struct embed_file store__sqlite_migrations[];

static int migrate(sqlite3 *db, struct err *e)
{
    int rc = store__sq_exec(
        db,
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
        if ((rc = store__sq_exec(db, "BEGIN IMMEDIATE", e)))
            return rc;
        if ((rc = store__sq_exec(db, (const char *)m->data, e))) {
            char why[sizeof e->msg];
            snprintf(why, sizeof why, "%s", e ? e->msg : "");
            store__sq_exec(db, "ROLLBACK", NULL);
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
            store__sq_exec(db, "ROLLBACK", NULL);
            return store__sq_err(db, e, "recording a migration");
        }
        if ((rc = store__sq_exec(db, "COMMIT", e)))
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
    if ((rc = store__sq_exec(db,
                             "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                             " PRAGMA foreign_keys = ON;",
                             e))) {
        char why[sizeof e->msg];
        snprintf(why, sizeof why, "%s", e ? e->msg : "");
        rc = err_set(e, CORE_EIO, "cannot use %s as a store: %s", target, why);
        goto fail;
    }
    if (store__sq_register_tokenizer(db) != SQLITE_OK) {
        rc = store__sq_err(db, e, "registering the FTS5 tokenizer");
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
    for (int i = 0; i < STORE_SQ_STMT_CACHE; i++)
        sqlite3_finalize(s->cache[i].st);
    sqlite3_close(s->db);
    free(s);
}

static int sq_begin(struct store *base, struct err *e)
{
    return store__sq_exec(((struct sqlite_store *)base)->db, "BEGIN IMMEDIATE", e);
}

static int sq_commit(struct store *base, struct err *e)
{
    return store__sq_exec(((struct sqlite_store *)base)->db, "COMMIT", e);
}

static void sq_rollback(struct store *base)
{
    store__sq_exec(((struct sqlite_store *)base)->db, "ROLLBACK", NULL);
}

const struct store_ops store__sqlite_ops = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .corpus = &store__sq_corpus,
    .jobs = &store__sq_jobs,
    .outbox = &store__sq_outbox,
    .cache = &store__sq_cache,
};
