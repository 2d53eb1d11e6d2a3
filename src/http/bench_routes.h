/* bench_routes.h: the routes bench/sse.sh drives, in the test build only:
 * POST /bench/open/ID opens a job that runs no pipeline and stays live,
 * POST /bench/publish/ID appends the request's body to it as an event.
 * Linked into prospect-test (src/CMakeLists.txt: prospect_test_hooks),
 * never into prospect, which answers 404 there.
 */
#ifndef PROSPECT_HTTP_BENCH_ROUTES_H
#define PROSPECT_HTTP_BENCH_ROUTES_H

/* http_bench_routes_register(): adds the routes to the server's table; a
 * server offers them only when PROSPECT_BENCH_ROUTES=1 as well.
 * Thread: call from main, before http_serve. */
void http_bench_routes_register(void);

#include "core/banned.h"
#endif
