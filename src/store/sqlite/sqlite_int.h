/* sqlite/sqlite_int.h: what the SQLite backend's files share: the handle,
 * its cache of prepared statements and the helpers that step them, and the
 * backend's tables, one per concern (each defined in its own file). */
#ifndef PROSPECT_STORE_SQLITE_INT_H
#define PROSPECT_STORE_SQLITE_INT_H

#include <sqlite3.h>

#include "store/store_int.h"

#define STORE_SQ_STMT_CACHE 40

struct sqlite_store {
    struct store base;
    sqlite3 *db;
    struct {
        const char *sql; /* a static string: the cache key is its address */
        sqlite3_stmt *st;
    } cache[STORE_SQ_STMT_CACHE];
};

/* store__sq_prep(s, sql): the prepared statement of sql, a static string
 * (its address is the cache key); NULL when it does not prepare. End each
 * use with store__sq_done. */
sqlite3_stmt *store__sq_prep(struct sqlite_store *s, const char *sql);

/* store__sq_done(s, st): ends a use of a statement from store__sq_prep;
 * NULL is fine. */
void store__sq_done(struct sqlite_store *s, sqlite3_stmt *st);

/* store__sq_err(db, e, what): CORE_EIO with what and SQLite's message. */
int store__sq_err(sqlite3 *db, struct err *e, const char *what);

/* store__sq_exec(db, sql, e): runs sql (one or more statements, no
 * parameters); CORE_EIO with SQLite's message. */
int store__sq_exec(sqlite3 *db, const char *sql, struct err *e);

/* store__sq_text(st, i): column i of the current row, "" for NULL;
 * valid until the statement steps or resets. */
const char *store__sq_text(sqlite3_stmt *st, int i);

/* store__sq_step_row(db, st, e, what): one step of a lookup: 1 for a row,
 * 0 for none, or the error. */
int store__sq_step_row(sqlite3 *db, sqlite3_stmt *st, struct err *e, const char *what);

/* store__sq_step_done(s, st): steps st from store__sq_prep once and ends
 * its use: 0, or -1 when it failed (st NULL included). */
int store__sq_step_done(struct sqlite_store *s, sqlite3_stmt *st);

/* store__sq_run(s, st, e, what): store__sq_step_done, with the error in e. */
int store__sq_run(struct sqlite_store *s, sqlite3_stmt *st, struct err *e, const char *what);

/* store__sq_register_tokenizer(db): registers the "prospect" FTS5
 * tokenizer on db (tokenizer.c); an SQLite result code. */
int store__sq_register_tokenizer(sqlite3 *db);

extern const struct store_corpus_ops store__sq_corpus;
extern const struct store_jobs_ops store__sq_jobs;
extern const struct store_outbox_ops store__sq_outbox;
extern const struct store_cache_ops store__sq_cache;

#endif
