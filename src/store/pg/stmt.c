/* pg/stmt.c: the PostgreSQL backend's statements: their parameters, running
 * them (every one with PQexecParams: text parameters, bytea as binary, so no
 * value is ever spliced into SQL), their errors, and reading their rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/log.h"
#include "store/pg/pg_int.h"

void store__pg_str(struct pg_params *p, const char *s)
{
    p->v[p->n] = s;
    p->len[p->n] = 0;
    p->fmt[p->n++] = 0;
}

void store__pg_int(struct pg_params *p, int64_t i)
{
    snprintf(p->num[p->n], sizeof p->num[0], "%lld", (long long)i);
    store__pg_str(p, p->num[p->n]);
}

void store__pg_bin(struct pg_params *p, const void *data, size_t len)
{
    p->v[p->n] = data;
    p->len[p->n] = (int)len;
    p->fmt[p->n++] = 1;
}

int store__pg_err(struct pg_store *s, PGresult *r, struct err *e, const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    int code = state && strcmp(state, "23505") == 0 ? CORE_EEXIST : CORE_EIO;
    const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(s->db);
    char clean[200];
    snprintf(clean, sizeof clean, "%s", msg && *msg ? msg : "no answer");
    clean[strcspn(clean, "\n")] = '\0';
    return err_set(e, code, "%s: %s", what, clean);
}

/* Runs sql; on success returns the result (the caller PQclears it), else
 * NULL with e set. */
PGresult *store__pg_run(struct pg_store *s, const char *sql, const struct pg_params *p,
                        struct err *e, const char *what)
{
    if (PQstatus(s->db) == CONNECTION_BAD) { /* the server restarted: connect again */
        PQreset(s->db);
        if (PQstatus(s->db) == CONNECTION_OK) {
            s->listening = false; /* the new session listens again at its next wait */
            log_warn("reconnected to PostgreSQL");
        }
    }
    PGresult *r = PQexecParams(s->db, sql, p ? p->n : 0, NULL, p ? p->v : NULL, p ? p->len : NULL,
                               p ? p->fmt : NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return r;
    store__pg_err(s, r, e, what);
    PQclear(r);
    return NULL;
}

/* Runs a statement whose rows are not needed. */
int store__pg_exec(struct pg_store *s, const char *sql, const struct pg_params *p, struct err *e,
                   const char *what)
{
    PGresult *r = store__pg_run(s, sql, p, e, what);
    if (!r)
        return e ? e->code : CORE_EIO;
    PQclear(r);
    return 0;
}

int64_t store__pg_col_int(PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

const char *store__pg_col_str(PGresult *r, int row, int col)
{
    return PQgetvalue(r, row, col);
}
