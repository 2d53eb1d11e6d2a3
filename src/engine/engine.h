/* engine.h: the one outbound I/O loop of the process.
 *
 * A single thread runs a libuv loop into which libcurl's multi-socket
 * interface is plugged: every outbound HTTP transfer of the process (pages,
 * robots.txt, search, LLM and embedding calls, webhooks) runs on it, so the
 * limits that span jobs (concurrency, per-host, token buckets, retries with
 * backoff, crawl-delay) are timers and counters on one thread instead of
 * threads that sleep. The loop starts on first use and lives as long as the
 * process; one multi handle means one connection pool, DNS cache and TLS
 * session cache for everything.
 * Thread: every function may be called from any thread; callbacks run on
 * the loop's thread and must not block.
 */
#ifndef PROSPECT_ENGINE_H
#define PROSPECT_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include <curl/curl.h>

/* Called once when a transfer ends, on the loop, with libcurl's result. The
 * handle is out of the multi by then and belongs to the callback. */
typedef void (*engine_done_fn)(void *ctx, CURL *easy, CURLcode cc);
typedef void (*engine_fn)(void *ctx);

/* engine_transfer(easy, done, ctx): runs a configured easy handle on the
 * loop. The engine uses CURLOPT_PRIVATE; callers keep their state in ctx. */
void engine_transfer(CURL *easy, engine_done_fn done, void *ctx);

/* engine_abort(easy): on the loop only: ends a running transfer now; its
 * done callback is called at once with CURLE_ABORTED_BY_CALLBACK. */
void engine_abort(CURL *easy);

/* engine_call(fn, ctx): runs fn on the loop, soon. */
void engine_call(engine_fn fn, void *ctx);

/* engine_after(ms, fn, ctx): runs fn on the loop after ms milliseconds. */
void engine_after(int64_t ms, engine_fn fn, void *ctx);

/* engine_perform(easy): engine_transfer, waiting for its end; not from the
 * loop. The caller's thread waits on a condition, it does no I/O. */
CURLcode engine_perform(CURL *easy);

/* engine_on_loop(): whether the caller is the loop's thread. */
bool engine_on_loop(void);

struct engine_stats {
    int64_t transfers, running, peak_running;
};
void engine_stats(struct engine_stats *out);

/* engine_curl_init(): curl_global_init, once per process, before any thread
 * uses libcurl. Every module that makes handles calls it (it is cheap). */
void engine_curl_init(void);

#include "core/banned.h"
#endif
