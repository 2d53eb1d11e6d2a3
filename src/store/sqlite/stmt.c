/* sqlite/stmt.c: the SQLite backend's statements: the per-connection cache
 * of prepared statements, and the helpers that step them and report their
 * errors. */
#include <sqlite3.h>

#include "store/sqlite/sqlite_int.h"

/* The hot statements are prepared once per connection and reused. */
sqlite3_stmt *store__sq_prep(struct sqlite_store *s, const char *sql)
{
    int free_slot = -1;
    for (int i = 0; i < STORE_SQ_STMT_CACHE; i++) {
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

/* Ends a use of a statement from store__sq_prep(): reset for the next use (or
 * finalized when the cache was full). */
void store__sq_done(struct sqlite_store *s, sqlite3_stmt *st)
{
    if (!st)
        return;
    for (int i = 0; i < STORE_SQ_STMT_CACHE; i++) {
        if (s->cache[i].st == st) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return;
        }
    }
    sqlite3_finalize(st);
}

int store__sq_err(sqlite3 *db, struct err *e, const char *what)
{
    return err_set(e, CORE_EIO, "%s: %s", what, db ? sqlite3_errmsg(db) : "no database");
}

int store__sq_exec(sqlite3 *db, const char *sql, struct err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(e, CORE_EIO, "%s", msg ? msg : "sqlite error");
        sqlite3_free(msg);
        return CORE_EIO;
    }
    return 0;
}

const char *store__sq_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

/* One step of a lookup: 1 for a row, 0 for none, or the error (a failing
 * store must not pass for a missing row). */
int store__sq_step_row(sqlite3 *db, sqlite3_stmt *st, struct err *e, const char *what)
{
    int rc = sqlite3_step(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : store__sq_err(db, e, what);
}

int store__sq_step_done(struct sqlite_store *s, sqlite3_stmt *st)
{
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    store__sq_done(s, st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* Runs one bound statement to its end; what names it in an error. */
int store__sq_run(struct sqlite_store *s, sqlite3_stmt *st, struct err *e, const char *what)
{
    return store__sq_step_done(s, st) ? store__sq_err(s->db, e, what) : 0;
}
