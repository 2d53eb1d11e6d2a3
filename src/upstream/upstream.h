/* upstream.h: every call Prospect makes to a provider's API (search engines,
 * LLMs, embeddings), under one discipline.
 *
 * A timeout on every call; retries only for transient failures (429, 5xx,
 * timeouts, connection errors), with exponential backoff and full jitter,
 * a server-given delay (Retry-After, Gemini's RetryInfo) honoured first; a
 * token bucket per provider; a circuit breaker that rests a provider after
 * consecutive failures; connections reused across calls and threads. Each
 * provider says which answers are final through its classify function
 * (Tavily's 432/433, an exhausted quota, 401 are never retried).
 *
 * Answers can be cached in the store (keyed by a hash of provider, method,
 * URL and body, with a time to live per kind), recorded to a directory with
 * secrets redacted (PROSPECT_RECORD), and replayed from one with no network
 * (PROSPECT_REPLAY). Secrets travel only in headers, which are never
 * recorded, logged or hashed.
 * Thread: an upstream is shared by every thread of the process.
 */
#ifndef PROSPECT_UPSTREAM_H
#define PROSPECT_UPSTREAM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"

enum upstream_verdict {
    UPSTREAM_OK,    /* a usable answer */
    UPSTREAM_RETRY, /* transient: try again after a delay */
    UPSTREAM_FINAL, /* a failure that retrying cannot mend */
};

/* Judges one answer. *delay_ms may be set from the body (Gemini's
 * retryDelay); the Retry-After header is read by the caller. */
typedef enum upstream_verdict (*upstream_classify_fn)(long status, const char *body,
                                                      int64_t *delay_ms);

/* The default judge: 2xx ok; 408, 429, 5xx retry; the rest final. */
enum upstream_verdict upstream_classify_http(long status, const char *body, int64_t *delay_ms);

struct upstream_options {
    const char *name;              /* "tavily", "gemini", ...: logs, metrics, cache, recordings */
    const char *secret;            /* the key, redacted wherever it could show; may be "" */
    const char *auth_header;       /* "Authorization: Bearer ...", or NULL */
    upstream_classify_fn classify; /* NULL: upstream_classify_http */
    long timeout_ms, connect_timeout_ms;
    int attempts;       /* 1 + retries */
    int64_t backoff_ms; /* first retry's delay cap; doubles each retry */
    int64_t backoff_max_ms;
    double rate_per_s; /* token bucket refill; 0: unlimited */
    int burst;
    int breaker_failures; /* consecutive failed calls that open the breaker */
    int64_t breaker_rest_ms;
    const char *record_dir, *replay_dir; /* "" or NULL: off */
    const char *user_agent; /* NULL: "Prospect/0.1"; open services want a contact in it */
    const char *accept;     /* the Accept header; NULL: application/json */
    int max_in_flight;      /* calls on the wire at once, for the whole process; 0: no limit */
};

/* upstream_options_from_config(cfg, name, rpm, out): the configured timeouts,
 * retries, breaker, record/replay for provider name at rpm requests a
 * minute. The secret and auth header are the caller's. */
void upstream_options_from_config(const struct config *cfg, const char *name, int rpm,
                                  struct upstream_options *out);

struct upstream;

/* upstream_new(opt): strings in opt are copied. */
struct upstream *upstream_new(const struct upstream_options *opt);
void upstream_free(struct upstream *u);

/* upstream_shared(opt): the process's upstream for these options (same
 * name, auth, record and replay), made on first use and kept for the life of
 * the process, so that jobs share its connections, bucket and breaker. */
struct upstream *upstream_shared(const struct upstream_options *opt);
const char *upstream_name(const struct upstream *u);

/* A cache shared by the threads of a job: the store is one connection, so
 * calls take the lock around it. st NULL: no cache. */
struct upstream_cache {
    struct store *st;
    pthread_mutex_t *lock;
};

struct upstream_request {
    const char *method; /* "GET" or "POST" */
    const char *url;
    const char *body;       /* JSON for POST, NULL for GET */
    const char *cache_kind; /* "search", "llm", "embed", "page"; NULL: not cached */
    int64_t cache_ttl_s;
    const struct upstream_cache *cache;
};

struct upstream_response {
    long status; /* the last answer's HTTP status, 0 when none */
    struct buf body;
    int attempts;
    bool cached, replayed;
    int64_t elapsed_ms;
};

/* upstream_call(u, rq, out, e): sends rq under the discipline above. 0 with
 * a usable answer in out; else CORE_EUPSTREAM (final answer, retries spent or
 * breaker open: out->status and body tell which), CORE_ETIMEOUT, or
 * CORE_ENOTFOUND when replaying and no recording matches. e names the
 * provider and the cause, never a secret. Release out with
 * upstream_response_release, whatever the result. */
int upstream_call(struct upstream *u, const struct upstream_request *rq,
                  struct upstream_response *out, struct err *e) __attribute__((warn_unused_result));

void upstream_response_release(struct upstream_response *r);

/* Called once when an asynchronous call ends, with upstream_call's result,
 * on a thread of the call pool (engine/pool.h). */
typedef void (*upstream_done_fn)(void *ctx, int rc);

/* upstream_call_async(u, rq, out, e, done, ctx): upstream_call without a
 * waiting thread: rq is copied; out and e must stay valid until done is
 * called, exactly once. */
void upstream_call_async(struct upstream *u, const struct upstream_request *rq,
                         struct upstream_response *out, struct err *e, upstream_done_fn done,
                         void *ctx);

/* upstream_delay_ms(attempt, base, max, server_ms, rnd): the wait before
 * retry `attempt` (1 for the first retry): the server's delay when it gave
 * one, else a random point in [0, min(max, base * 2^(attempt-1))] (full
 * jitter); rnd in [0, 1). Exposed for tests. */
int64_t upstream_delay_ms(int attempt, int64_t base, int64_t max, int64_t server_ms, double rnd);

/* upstream_retry_after_ms(value, now_s): a Retry-After header value (seconds
 * or an HTTP date) in milliseconds; -1 when unreadable. */
int64_t upstream_retry_after_ms(const char *value, int64_t now_s);

/* Counters of one provider, for /metrics and pipeline_end. */
struct upstream_stats {
    const char *name;
    int64_t calls, ok, failed, retries, cache_hits, breaker_open, replayed;
};

/* upstream_stats_each(fn, ctx): every provider opened in this process. */
void upstream_stats_each(void (*fn)(void *ctx, const struct upstream_stats *s), void *ctx);

#include "core/banned.h"
#endif
