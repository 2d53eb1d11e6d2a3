/* pg/pg_int.h: what the PostgreSQL backend's files share: the handle, the
 * parameters of a statement and the helpers that run it and read its rows,
 * and the backend's tables, one per concern (each defined in its own file). */
#ifndef PROSPECT_STORE_PG_INT_H
#define PROSPECT_STORE_PG_INT_H

#include <libpq-fe.h>

#include "store/store_int.h"

struct pg_store {
    struct store base;
    PGconn *db;
    bool listening; /* LISTEN prospect_events was sent */
};

#define STORE_PG_MAXP 12

/* The parameters of one statement. */
struct pg_params {
    const char *v[STORE_PG_MAXP];
    int len[STORE_PG_MAXP], fmt[STORE_PG_MAXP];
    char num[STORE_PG_MAXP][24];
    int n;
};

/* store__pg_str/int/bin(p, ...): append a parameter to p: text (NULL is
 * SQL NULL; borrowed until the statement runs), an integer (copied), or
 * binary bytes (borrowed). At most STORE_PG_MAXP per statement. */
void store__pg_str(struct pg_params *p, const char *s);
void store__pg_int(struct pg_params *p, int64_t i);
void store__pg_bin(struct pg_params *p, const void *data, size_t len);

/* store__pg_err(s, r, e, what): the error of result r (or, when r is NULL,
 * of the connection), with what: CORE_EEXIST for a unique violation, else
 * CORE_EIO. */
int store__pg_err(struct pg_store *s, PGresult *r, struct err *e, const char *what);

/* store__pg_run(s, sql, p, e, what): runs sql with parameters p (NULL for
 * none), connecting again first when the server went away; the result, which
 * the caller PQclears, or NULL with e set. */
PGresult *store__pg_run(struct pg_store *s, const char *sql, const struct pg_params *p,
                        struct err *e, const char *what);

/* store__pg_exec(s, sql, p, e, what): store__pg_run for a statement whose
 * rows are not needed: 0 or the error. */
int store__pg_exec(struct pg_store *s, const char *sql, const struct pg_params *p, struct err *e,
                   const char *what);

/* store__pg_col_int/str(r, row, col): a value of r: an integer (0 for
 * NULL), or text borrowed until r is cleared ("" for NULL). */
int64_t store__pg_col_int(PGresult *r, int row, int col);
const char *store__pg_col_str(PGresult *r, int row, int col);

/* store__pg_read_job(r, i, out): row i of r, in the columns of a job read
 * (jobs.c), into out, which the caller releases with store_job_release. */
void store__pg_read_job(PGresult *r, int i, struct store_job *out);

extern const struct store_corpus_ops store__pg_corpus;
extern const struct store_jobs_ops store__pg_jobs;
extern const struct store_outbox_ops store__pg_outbox;
extern const struct store_cache_ops store__pg_cache;
extern const struct store_queue_ops store__pg_queue;

#endif
