/* upstream.c: the outbound-call discipline of upstream.h on the process's
 * I/O engine, with the store as the cache and plain files for record and
 * replay.
 *
 * A call is a small state machine on the engine's loop: wait for a token
 * (a timer), one exchange (a transfer), judge it, wait out the backoff (a
 * timer), again; the calling thread only waits for the end. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>
#include <xxhash.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "engine/engine.h"
#include "engine/pool.h"
#include "upstream/upstream.h"

#define MAX_ANSWER (32u << 20)

struct upstream {
    struct upstream_options o; /* strings owned */
    pthread_mutex_t lock;      /* bucket, breaker, stats */
    double tokens;
    int64_t refilled_ms;
    int failures;          /* consecutive failed calls */
    int64_t resting_until; /* breaker open until (monotonic ms) */
    struct upstream_stats st;
    struct upstream *next_registered;
    /* On the engine's thread only: the calls on the wire, and those that
     * wait for one of them to end (max_in_flight). */
    int in_flight;
    struct call *waiting, **waiting_tail;
};

/* Every provider of the process, for /metrics. */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct upstream *registry;

enum upstream_verdict upstream_classify_http(long status, const char *body, int64_t *delay_ms)
{
    (void)body;
    (void)delay_ms;
    if (status >= 200 && status < 300)
        return UPSTREAM_OK;
    if (status == 408 || status == 429 || status >= 500)
        return UPSTREAM_RETRY;
    return UPSTREAM_FINAL;
}

void upstream_options_from_config(const struct config *cfg, const char *name, int rpm,
                                  struct upstream_options *out)
{
    *out = (struct upstream_options){
        .name = name,
        .timeout_ms = cfg->upstream_timeout_ms,
        .connect_timeout_ms = cfg->upstream_timeout_ms < 10000 ? cfg->upstream_timeout_ms : 10000,
        .attempts = (int)cfg->upstream_retries + 1,
        .backoff_ms = cfg->upstream_backoff_ms,
        .backoff_max_ms = 60000,
        .rate_per_s = rpm > 0 ? rpm / 60.0 : 0,
        .burst = rpm > 0 ? (rpm < 10 ? rpm : rpm / 10) : 0, /* six seconds of calls at once */
        .breaker_failures = 5,
        .breaker_rest_ms = 30000,
        .record_dir = cfg->record_dir,
        .replay_dir = cfg->replay_dir,
    };
}

static char *dup_or_empty(const char *s)
{
    return xstrdup(s ? s : "");
}

struct upstream *upstream_new(const struct upstream_options *opt)
{
    struct upstream *u = xcalloc(1, sizeof *u);
    u->o = *opt;
    u->o.name = dup_or_empty(opt->name);
    u->o.secret = dup_or_empty(opt->secret);
    u->o.auth_header = opt->auth_header ? xstrdup(opt->auth_header) : NULL;
    u->o.record_dir = dup_or_empty(opt->record_dir);
    u->o.replay_dir = dup_or_empty(opt->replay_dir);
    u->o.user_agent = xstrdup(opt->user_agent ? opt->user_agent : "Prospect/0.1");
    u->o.accept = xstrdup(opt->accept ? opt->accept : "application/json");
    u->waiting_tail = &u->waiting;
    if (!u->o.classify)
        u->o.classify = upstream_classify_http;
    if (u->o.attempts < 1)
        u->o.attempts = 1;
    if (*u->o.secret)
        log_add_secret(u->o.secret);
    engine_curl_init();
    pthread_mutex_init(&u->lock, NULL);
    u->tokens = u->o.burst;
    u->refilled_ms = clock_mono_ms();
    u->st.name = u->o.name;

    pthread_mutex_lock(&registry_lock);
    u->next_registered = registry;
    registry = u;
    pthread_mutex_unlock(&registry_lock);
    return u;
}

void upstream_free(struct upstream *u)
{
    if (!u)
        return;
    pthread_mutex_lock(&registry_lock);
    for (struct upstream **p = &registry; *p; p = &(*p)->next_registered)
        if (*p == u) {
            *p = u->next_registered;
            break;
        }
    pthread_mutex_unlock(&registry_lock);
    pthread_mutex_destroy(&u->lock);
    free((char *)u->o.name);
    free((char *)u->o.secret);
    free((char *)u->o.auth_header);
    free((char *)u->o.record_dir);
    free((char *)u->o.replay_dir);
    free((char *)u->o.user_agent);
    free((char *)u->o.accept);
    free(u);
}

static bool same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

struct upstream *upstream_shared(const struct upstream_options *opt)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static struct upstream **kept;
    static size_t nkept;
    pthread_mutex_lock(&lock);
    struct upstream *u = NULL;
    for (size_t i = 0; i < nkept && !u; i++)
        if (same(kept[i]->o.name, opt->name) && same(kept[i]->o.auth_header, opt->auth_header) &&
            same(kept[i]->o.record_dir, opt->record_dir) &&
            same(kept[i]->o.replay_dir, opt->replay_dir))
            u = kept[i];
    if (!u) {
        u = upstream_new(opt);
        kept = xrealloc(kept, (nkept + 1) * sizeof *kept);
        kept[nkept++] = u;
    }
    pthread_mutex_unlock(&lock);
    return u;
}

const char *upstream_name(const struct upstream *u)
{
    return u->o.name;
}

void upstream_stats_each(void (*fn)(void *ctx, const struct upstream_stats *s), void *ctx)
{
    pthread_mutex_lock(&registry_lock);
    for (struct upstream *u = registry; u; u = u->next_registered) {
        pthread_mutex_lock(&u->lock);
        struct upstream_stats s = u->st;
        pthread_mutex_unlock(&u->lock);
        fn(ctx, &s);
    }
    pthread_mutex_unlock(&registry_lock);
}

void upstream_response_release(struct upstream_response *r)
{
    buf_release(&r->body);
}

/* ---- pacing ---- */

int64_t upstream_delay_ms(int attempt, int64_t base, int64_t max, int64_t server_ms, double rnd)
{
    if (server_ms >= 0)
        return server_ms < max ? server_ms : max;
    int64_t cap = base;
    for (int i = 1; i < attempt && cap < max; i++)
        cap *= 2;
    if (cap > max)
        cap = max;
    return (int64_t)(rnd * (double)cap);
}

int64_t upstream_retry_after_ms(const char *v, int64_t now_s)
{
    while (*v == ' ')
        v++;
    if (*v >= '0' && *v <= '9') {
        char *end;
        double s = strtod(v, &end);
        while (*end == ' ' || *end == '\r' || *end == '\n')
            end++;
        return *end ? -1 : (int64_t)(s * 1000);
    }
    time_t t = curl_getdate(v, NULL);
    if (t < 0)
        return -1;
    return t > now_s ? ((int64_t)t - now_s) * 1000 : 0;
}

static double random_unit(void)
{
    char hex[9];
    str_random_hex(hex, 4);
    return (double)strtoul(hex, NULL, 16) / 4294967296.0;
}

/* Takes a token: 0, or how long to wait for one (milliseconds). */
static int64_t take_token(struct upstream *u)
{
    if (u->o.rate_per_s <= 0)
        return 0;
    pthread_mutex_lock(&u->lock);
    int64_t now = clock_mono_ms();
    u->tokens += (double)(now - u->refilled_ms) * u->o.rate_per_s / 1000.0;
    if (u->tokens > u->o.burst)
        u->tokens = u->o.burst;
    u->refilled_ms = now;
    int64_t wait = 0;
    if (u->tokens >= 1)
        u->tokens -= 1;
    else
        wait = (int64_t)((1 - u->tokens) * 1000.0 / u->o.rate_per_s) + 1;
    pthread_mutex_unlock(&u->lock);
    return wait;
}

/* ---- secrets, keys, files ---- */

/* s with every occurrence of secret replaced; caller frees. */
static char *redact(const char *s, const char *secret)
{
    struct buf b;
    buf_init(&b, 0);
    size_t n = strlen(secret);
    int rc = 0;
    for (const char *p = s; *p;) {
        const char *hit = n >= 4 ? strstr(p, secret) : NULL;
        if (!hit) {
            rc |= buf_puts(&b, p);
            break;
        }
        rc |= buf_append(&b, p, (size_t)(hit - p));
        rc |= buf_puts(&b, "[redacted]");
        p = hit + n;
    }
    (void)rc;
    return buf_detach(&b);
}

static void request_key(const struct upstream *u, const struct upstream_request *rq, char out[33])
{
    XXH3_state_t *st = XXH3_createState();
    XXH3_128bits_reset(st);
    const char *parts[] = {u->o.name, rq->method, rq->url, rq->body ? rq->body : ""};
    for (size_t i = 0; i < 4; i++) {
        XXH3_128bits_update(st, parts[i], strlen(parts[i]));
        XXH3_128bits_update(st, "\n", 1);
    }
    XXH128_hash_t h = XXH3_128bits_digest(st);
    XXH3_freeState(st);
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.high64, (unsigned long long)h.low64);
}

static char *recording_path(const char *dir, const struct upstream *u, const char key[33])
{
    return xasprintf("%s/%s-%s.json", dir, u->o.name, key);
}

static void record(const struct upstream *u, const struct upstream_request *rq, const char *key,
                   long status, const char *body)
{
    char *url = redact(rq->url, u->o.secret), *req = redact(rq->body ? rq->body : "", u->o.secret),
         *ans = redact(body, u->o.secret);
    json_t *j =
        json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "provider", u->o.name, "method", rq->method,
                  "url", url, "request", req, "status", (json_int_t)status, "response", ans);
    free(url);
    free(req);
    free(ans);
    mkdir(u->o.record_dir, 0755);
    char *path = recording_path(u->o.record_dir, u, key);
    char *tmp = xasprintf("%s.tmp", path);
    if (j && json_dump_file(j, tmp, JSON_INDENT(1) | JSON_SORT_KEYS) == 0)
        rename(tmp, path);
    else
        log_warn("recording failed", LOG_S("provider", u->o.name), LOG_S("path", path));
    free(tmp);
    free(path);
    json_decref(j);
}

static int replay(const struct upstream *u, const struct upstream_request *rq, const char *key,
                  struct upstream_response *out, struct err *e)
{
    char *path = recording_path(u->o.replay_dir, u, key);
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    free(path);
    json_int_t status = 0;
    const char *body = NULL;
    if (!j || json_unpack(j, "{s:I, s:s}", "status", &status, "response", &body)) {
        json_decref(j);
        return err_set(e, CORE_ENOTFOUND, "%s: no recording of %s %s in %s", u->o.name, rq->method,
                       rq->url, u->o.replay_dir);
    }
    out->status = (long)status;
    int rc = buf_puts(&out->body, body);
    json_decref(j);
    out->replayed = true;
    return rc;
}

static bool cache_get(const struct upstream_request *rq, const char *key,
                      struct upstream_response *out, int64_t now)
{
    if (!rq->cache_kind || !rq->cache || !rq->cache->st)
        return false;
    char *v = NULL;
    size_t n = 0;
    struct err e = {0};
    pthread_mutex_lock(rq->cache->lock);
    int rc = store_cache_get(rq->cache->st, key, now, &v, &n, &e);
    pthread_mutex_unlock(rq->cache->lock);
    if (rc)
        return false;
    out->status = 200;
    int brc = buf_append(&out->body, v, n);
    free(v);
    return brc == 0;
}

static void cache_put(const struct upstream_request *rq, const char *key, const struct buf *body,
                      int64_t now)
{
    if (!rq->cache_kind || !rq->cache || !rq->cache->st || rq->cache_ttl_s <= 0)
        return;
    struct err e = {0};
    pthread_mutex_lock(rq->cache->lock);
    int rc = store_cache_put(rq->cache->st, key, rq->cache_kind, buf_cstr(body), body->len,
                             now + rq->cache_ttl_s * 1000, &e);
    pthread_mutex_unlock(rq->cache->lock);
    if (rc)
        log_warn("cache write failed", LOG_S("error", e.msg));
}

/* ---- one call, on the engine's loop ---- */

struct call {
    struct upstream *u;
    const struct upstream_request *rq;
    struct upstream_response *out;
    struct err *e;
    int attempt, rc;
    int64_t retry_after_ms; /* -1: the server gave none */
    struct curl_slist *hdr;
    char key[33];
    int64_t t0, now;
    /* waited for (upstream_call) */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool done;
    /* or not (upstream_call_async): the request is the call's own copy */
    upstream_done_fn on_done;
    void *ctx;
    struct upstream_request own;
    struct call *next_waiting; /* in u->waiting */
};

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
    struct call *c = ctx;
    return buf_append(&c->out->body, p, size * n) ? 0 : size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
    struct call *c = ctx;
    size_t len = size * n;
    static const char name[] = "retry-after:";
    if (len > sizeof name - 1 && strncasecmp(p, name, sizeof name - 1) == 0) {
        char v[128];
        size_t k = len - (sizeof name - 1) < sizeof v - 1 ? len - (sizeof name - 1) : sizeof v - 1;
        memcpy(v, p + sizeof name - 1, k);
        v[k] = '\0';
        c->retry_after_ms = upstream_retry_after_ms(v, (int64_t)time(NULL));
    }
    return len;
}

static void call_done(void *ctx, CURL *h, CURLcode cc);

/* The next attempt: when the bucket has a token, one exchange. */
static void call_attempt(void *ctx)
{
    struct call *c = ctx;
    struct upstream *u = c->u;
    int64_t wait = take_token(u);
    if (wait > 0) {
        engine_after(wait, call_attempt, c);
        return;
    }
    if (u->o.max_in_flight && u->in_flight >= u->o.max_in_flight) {
        c->next_waiting = NULL; /* its turn comes when a call on the wire ends */
        *u->waiting_tail = c;
        u->waiting_tail = &c->next_waiting;
        return;
    }
    u->in_flight++;
    const struct upstream_request *rq = c->rq;
    CURL *h = curl_easy_init();
    if (!c->hdr) {
        char accept[160];
        snprintf(accept, sizeof accept, "Accept: %s", u->o.accept);
        c->hdr = curl_slist_append(NULL, accept);
        if (rq->body)
            c->hdr = curl_slist_append(c->hdr, "Content-Type: application/json");
        if (u->o.auth_header && *u->o.auth_header)
            c->hdr = curl_slist_append(c->hdr, u->o.auth_header);
    }
    c->retry_after_ms = -1;
    buf_reset(&c->out->body);
    curl_easy_setopt(h, CURLOPT_URL, rq->url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, c->hdr);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, u->o.timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, u->o.connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_USERAGENT, u->o.user_agent);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, c);
    if (rq->body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, rq->body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(rq->body));
    }
    c->attempt++;
    engine_transfer(h, call_done, c);
}

static void call_finish(struct call *c);

/* An asynchronous call's end, on the call pool: its bookkeeping (a file,
 * the store) must not hold up the loop. */
static void async_end(void *arg)
{
    struct call *c = arg;
    if (c->attempt) /* it went out: else replay or cache answered */
        call_finish(c);
    c->on_done(c->ctx, c->rc);
    curl_slist_free_all(c->hdr);
    free((char *)c->own.method);
    free((char *)c->own.url);
    free((char *)c->own.body);
    free(c);
}

static void call_end(struct call *c)
{
    if (c->on_done) {
        pool_submit(POOL_CALLS, async_end, c);
        return;
    }
    pthread_mutex_lock(&c->lock);
    c->done = true;
    pthread_cond_signal(&c->cond);
    pthread_mutex_unlock(&c->lock);
}

static void count(struct upstream *u, int64_t *field)
{
    pthread_mutex_lock(&u->lock);
    (*field)++;
    pthread_mutex_unlock(&u->lock);
}

/* The breaker: whether a call may go out now. */
static bool breaker_allows(struct upstream *u)
{
    pthread_mutex_lock(&u->lock);
    bool ok = clock_mono_ms() >= u->resting_until;
    if (!ok)
        u->st.breaker_open++;
    pthread_mutex_unlock(&u->lock);
    return ok;
}

static void breaker_note(struct upstream *u, bool success)
{
    pthread_mutex_lock(&u->lock);
    if (success) {
        u->failures = 0;
        u->st.ok++;
    } else {
        u->st.failed++;
        if (++u->failures >= u->o.breaker_failures && u->o.breaker_failures > 0) {
            u->resting_until = clock_mono_ms() + u->o.breaker_rest_ms;
            u->failures = 0;
            log_warn("provider resting after repeated failures", LOG_S("provider", u->o.name),
                     LOG_I("rest_ms", u->o.breaker_rest_ms));
        }
    }
    pthread_mutex_unlock(&u->lock);
}

/* The start of an error body, one line, secret-free, for messages. */
static void describe(const struct upstream *u, const struct buf *body, char *out, size_t n)
{
    char *r = redact(buf_cstr(body), u->o.secret);
    size_t k = 0;
    for (const char *p = r; *p && k + 1 < n && k < 160; p++)
        out[k++] = (*p == '\n' || *p == '\r') ? ' ' : *p;
    out[k] = '\0';
    free(r);
}

/* An exchange ended: judged, then the call ends or waits for its retry. */
static void call_done(void *ctx, CURL *h, CURLcode cc)
{
    struct call *c = ctx;
    struct upstream *u = c->u;
    struct upstream_response *out = c->out;
    u->in_flight--;
    struct call *next = u->waiting;
    if (next) { /* the first waiting call goes out now */
        u->waiting = next->next_waiting;
        if (!u->waiting)
            u->waiting_tail = &u->waiting;
        engine_after(0, call_attempt, next);
    }
    out->status = 0;
    if (cc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
    curl_easy_cleanup(h);
    out->attempts = c->attempt;
    int64_t body_delay = -1;
    enum upstream_verdict v;
    if (cc == CURLE_OK) {
        v = u->o.classify(out->status, buf_cstr(&out->body), &body_delay);
        if (v == UPSTREAM_OK) {
            c->rc = 0;
            call_end(c);
            return;
        }
        char why[200];
        describe(u, &out->body, why, sizeof why);
        c->rc = err_set(c->e, CORE_EUPSTREAM, "%s: HTTP %ld: %s", u->o.name, out->status, why);
    } else {
        v = UPSTREAM_RETRY;
        c->rc = err_set(c->e, cc == CURLE_OPERATION_TIMEDOUT ? CORE_ETIMEOUT : CORE_EUPSTREAM,
                        "%s: %s", u->o.name, curl_easy_strerror(cc));
    }
    if (v == UPSTREAM_FINAL || c->attempt >= u->o.attempts) {
        call_end(c);
        return;
    }
    int64_t server = body_delay >= 0 ? body_delay : c->retry_after_ms;
    int64_t d =
        upstream_delay_ms(c->attempt, u->o.backoff_ms, u->o.backoff_max_ms, server, random_unit());
    count(u, &u->st.retries);
    log_info("retrying provider call", LOG_S("provider", u->o.name), LOG_I("status", out->status),
             LOG_I("attempt", c->attempt), LOG_I("delay_ms", d));
    engine_after(d, call_attempt, c);
}

/* Before the wire: a recording replayed, a cached answer, a resting
 * provider. true when the call must go out; else c->rc is its result. */
static bool call_begin(struct call *c)
{
    struct upstream *u = c->u;
    const struct upstream_request *rq = c->rq;
    struct upstream_response *out = c->out;
    memset(out, 0, sizeof *out);
    buf_init(&out->body, MAX_ANSWER);
    c->rc = CORE_EUPSTREAM;
    c->t0 = clock_mono_ms();
    request_key(u, rq, c->key);
    count(u, &u->st.calls);
    if (u->o.replay_dir && *u->o.replay_dir) {
        c->rc = replay(u, rq, c->key, out, c->e);
        out->elapsed_ms = clock_mono_ms() - c->t0;
        if (c->rc)
            return false;
        count(u, &u->st.replayed);
        int64_t d = -1;
        if (u->o.classify(out->status, buf_cstr(&out->body), &d) != UPSTREAM_OK) {
            char why[200];
            describe(u, &out->body, why, sizeof why);
            c->rc = err_set(c->e, CORE_EUPSTREAM, "%s: HTTP %ld (replayed): %s", u->o.name,
                            out->status, why);
        }
        return false;
    }
    c->now = clock_now_ms();
    if (cache_get(rq, c->key, out, c->now)) {
        out->cached = true;
        count(u, &u->st.cache_hits);
        out->elapsed_ms = clock_mono_ms() - c->t0;
        c->rc = 0;
        return false;
    }
    if (!breaker_allows(u)) {
        c->rc = err_set(c->e, CORE_EUPSTREAM, "%s: resting after repeated failures", u->o.name);
        return false;
    }
    return true;
}

/* After the wire: the breaker, the recording, the cache. */
static void call_finish(struct call *c)
{
    struct upstream *u = c->u;
    struct upstream_response *out = c->out;
    breaker_note(u, c->rc == 0);
    out->elapsed_ms = clock_mono_ms() - c->t0;
    if (u->o.record_dir && *u->o.record_dir && (c->rc == 0 || out->status))
        record(u, c->rq, c->key, out->status, buf_cstr(&out->body));
    if (c->rc == 0)
        cache_put(c->rq, c->key, &out->body, c->now);
}

int upstream_call(struct upstream *u, const struct upstream_request *rq,
                  struct upstream_response *out, struct err *e)
{
    struct call c = {.u = u, .rq = rq, .out = out, .e = e};
    if (!call_begin(&c))
        return c.rc;
    pthread_mutex_init(&c.lock, NULL);
    pthread_cond_init(&c.cond, NULL);
    engine_call(call_attempt, &c);
    pthread_mutex_lock(&c.lock);
    while (!c.done)
        pthread_cond_wait(&c.cond, &c.lock);
    pthread_mutex_unlock(&c.lock);
    pthread_cond_destroy(&c.cond);
    pthread_mutex_destroy(&c.lock);
    curl_slist_free_all(c.hdr);
    call_finish(&c);
    return c.rc;
}

void upstream_call_async(struct upstream *u, const struct upstream_request *rq,
                         struct upstream_response *out, struct err *e, upstream_done_fn done,
                         void *ctx)
{
    struct call *c = xcalloc(1, sizeof *c);
    *c = (struct call){.u = u, .out = out, .e = e, .on_done = done, .ctx = ctx, .own = *rq};
    c->own.method = xstrdup(rq->method);
    c->own.url = xstrdup(rq->url);
    c->own.body = rq->body ? xstrdup(rq->body) : NULL;
    c->rq = &c->own;
    if (call_begin(c))
        engine_call(call_attempt, c);
    else
        pool_submit(POOL_CALLS, async_end, c);
}
