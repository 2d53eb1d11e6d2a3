/* server.h: `prospect serve`: the HTTP API on libmicrohttpd.
 *
 * The seed's streaming endpoint, the job API with replay, health, readiness,
 * metrics and the OpenAPI description. One epoll thread serves every
 * connection; a stream that has nothing to send is suspended, so idle
 * streams hold no thread. Thread: call from the main thread.
 */
#ifndef PROSPECT_HTTP_SERVER_H
#define PROSPECT_HTTP_SERVER_H

#include <stdbool.h>

#include "config/config.h"
#include "core/err.h"

/* http_serve(cfg, no_worker, e): serves until SIGTERM or SIGINT, then stops
 * accepting, ends the streams with a comment (clients resume by id) and
 * returns 0. With no_worker (a PostgreSQL store only) the node runs no job
 * itself: `prospect worker` nodes claim them. Errors: CORE_EIO (cannot
 * listen, cannot open the store), CORE_EINVAL (no_worker on SQLite). */
int http_serve(const struct config *cfg, bool no_worker, struct err *e)
    __attribute__((warn_unused_result));

#include "core/banned.h"
#endif
