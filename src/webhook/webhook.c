/* webhook.c: the Standard Webhooks signer and the outbox sender of
 * webhook.h.
 *
 * One thread reads the outbox: each turn it asks for the first pending
 * delivery of each job that is due, hands those whose job has nothing under
 * way (so a job's events stay in order) to the process's I/O engine, waits
 * for an answer, a kick or the next due time, and records each outcome in
 * the store. The outbox is the only state that matters: a crash at any point
 * leaves pending rows, which the next start sends again under the same
 * webhook-id (receivers de-duplicate on it).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <xxhash.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "engine/engine.h"
#include "store/store.h"
#include "upstream/upstream.h"
#include "webhook/webhook.h"

#define MAX_IN_FLIGHT 32 /* jobs whose next event is on its way at once */
#define MAX_WAIT_MS 1000 /* a turn at least this often: stop requests, clock */
#define MAX_RETRY_AFTER_MS (24 * 3600 * 1000LL)

/* ---- signing ---- */

int webhook_key(const char *secret, unsigned char key[64], size_t *len, struct err *e)
{
    const char *b64 = str_has_prefix(secret, "whsec_") ? secret + 6 : secret;
    size_t n = strlen(b64);
    size_t pad = n >= 1 && b64[n - 1] == '=' ? (n >= 2 && b64[n - 2] == '=' ? 2 : 1) : 0;
    bool ok = n > 0 && n % 4 == 0 && n / 4 * 3 - pad <= 64;
    for (size_t i = 0; ok && i < n - pad; i++)
        ok = b64[i] &&
             strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", b64[i]);
    if (!ok)
        return err_set(e, CORE_EINVAL,
                       "WEBHOOK_SECRET is not a Standard Webhooks secret: expected whsec_ and the "
                       "base64 of 1 to 64 bytes");
    unsigned char out[3 * 88 / 4 + 3];
    int got = EVP_DecodeBlock(out, (const unsigned char *)b64, (int)n);
    if (got < 0 || (size_t)got < pad)
        return err_set(e, CORE_EINVAL, "WEBHOOK_SECRET: its base64 cannot be decoded");
    *len = (size_t)got - pad; /* EVP_DecodeBlock counts the padding as zero bytes */
    memcpy(key, out, *len);
    OPENSSL_cleanse(out, sizeof out);
    return 0;
}

void webhook_sign(const unsigned char *key, size_t len, const char *id, int64_t ts,
                  const char *body, size_t body_len, char out[WEBHOOK_SIGNATURE_MAX])
{
    struct buf msg;
    buf_init(&msg, 0);
    char prefix[96];
    int k = snprintf(prefix, sizeof prefix, "%s.%lld.", id, (long long)ts);
    if (buf_append(&msg, prefix, (size_t)k) || buf_append(&msg, body, body_len))
        abort(); /* an uncapped buf only fails by running out of memory, which aborts first */
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    HMAC(EVP_sha256(), key, (int)len, (const unsigned char *)msg.data, msg.len, mac, &mac_len);
    buf_release(&msg);
    memcpy(out, "v1,", 3);
    EVP_EncodeBlock((unsigned char *)out + 3, mac, (int)mac_len); /* 44 chars and a NUL */
}

void webhook_id(const char *job_id, int64_t seq, char out[40])
{
    char s[32];
    snprintf(s, sizeof s, "%lld", (long long)seq);
    XXH3_state_t *st = XXH3_createState();
    XXH3_128bits_reset(st);
    XXH3_128bits_update(st, job_id, strlen(job_id) + 1); /* the NUL separates */
    XXH3_128bits_update(st, s, strlen(s));
    XXH128_hash_t h = XXH3_128bits_digest(st);
    XXH3_freeState(st);
    snprintf(out, 40, "msg_%016llx%016llx", (unsigned long long)h.high64,
             (unsigned long long)h.low64);
}

/* ---- the sender ---- */

struct attempt {
    CURL *h;
    struct curl_slist *headers;
    char *job_id, *url, *body;
    int64_t seq, attempts;  /* attempts made before this one */
    int64_t retry_after_ms; /* -1: the receiver gave none */
    char error[CURL_ERROR_SIZE];
    struct webhook_sender *w;
    CURLcode cc;          /* when it ended */
    struct attempt *next; /* in the list of ended attempts */
};

struct webhook_sender {
    const struct config *cfg;
    struct store *st;
    pthread_t thread;
    pthread_cond_t wake; /* an attempt ended, a kick, a stop */
    struct attempt *ended;
    bool kicked;
    int stopping; /* atomic */
    int64_t schedule[CONFIG_MAX_DURATIONS];
    int nschedule;
    unsigned char key[64];
    size_t key_len;
    bool signing;
    struct attempt *slots[MAX_IN_FLIGHT];
    unsigned int seed;    /* jitter */
    pthread_mutex_t lock; /* stats, ended, kicked */
    struct webhook_stats stats;
};

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
    struct attempt *a = ctx;
    size_t len = size * n;
    static const char name[] = "retry-after:";
    if (len > sizeof name - 1 && len < 160 && strncasecmp(p, name, sizeof name - 1) == 0) {
        char v[160];
        memcpy(v, p + sizeof name - 1, len - (sizeof name - 1));
        v[len - (sizeof name - 1)] = '\0';
        a->retry_after_ms = upstream_retry_after_ms(v, (int64_t)time(NULL));
    }
    return len;
}

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * n; /* the receiver's answer body is not needed */
}

static bool in_flight(const struct webhook_sender *w, const char *job_id)
{
    for (int i = 0; i < MAX_IN_FLIGHT; i++)
        if (w->slots[i] && strcmp(w->slots[i]->job_id, job_id) == 0)
            return true;
    return false;
}

static int free_slot(const struct webhook_sender *w)
{
    for (int i = 0; i < MAX_IN_FLIGHT; i++)
        if (!w->slots[i])
            return i;
    return -1;
}

static struct curl_slist *add_header(struct curl_slist *l, const char *name, const char *value)
{
    char line[256];
    snprintf(line, sizeof line, "%s: %s", name, value);
    return curl_slist_append(l, line);
}

/* On the engine's loop: a stopping sender ends its attempts at once (they
 * stay pending in the store). */
static int on_progress(void *ctx, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    (void)dt, (void)dn, (void)ut, (void)un;
    struct webhook_sender *w = ctx;
    return __atomic_load_n(&w->stopping, __ATOMIC_ACQUIRE) ? 1 : 0;
}

/* On the engine's loop: hands the ended attempt to the sender's thread. */
static void ended(void *ctx, CURL *h, CURLcode cc)
{
    (void)h;
    struct attempt *a = ctx;
    struct webhook_sender *w = a->w;
    pthread_mutex_lock(&w->lock);
    a->cc = cc;
    a->next = w->ended;
    w->ended = a;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

/* store_delivery_fn: starts one attempt, unless its job has one under way. */
static int start(void *ctx, const struct store_delivery *d)
{
    struct webhook_sender *w = ctx;
    int slot = free_slot(w);
    if (slot < 0)
        return 1; /* full: the rest waits for a turn */
    if (in_flight(w, d->job_id))
        return 0;
    struct attempt *a = xcalloc(1, sizeof *a);
    a->job_id = xstrdup(d->job_id);
    a->url = xstrdup(d->url);
    a->body = xstrdup(d->data);
    a->seq = d->seq;
    a->attempts = d->attempts;
    a->retry_after_ms = -1;

    char id[40], ts[24];
    webhook_id(d->job_id, d->seq, id);
    int64_t now_s = clock_now_ms() / 1000;
    snprintf(ts, sizeof ts, "%lld", (long long)now_s);
    a->headers = add_header(NULL, "Content-Type", "application/json");
    a->headers = add_header(a->headers, "webhook-id", id);
    a->headers = add_header(a->headers, "webhook-timestamp", ts);
    if (w->signing) {
        char sig[WEBHOOK_SIGNATURE_MAX];
        webhook_sign(w->key, w->key_len, id, now_s, a->body, strlen(a->body), sig);
        a->headers = add_header(a->headers, "webhook-signature", sig);
    }
    char seq[24];
    snprintf(seq, sizeof seq, "%lld", (long long)d->seq);
    a->headers = add_header(a->headers, "Prospect-Event-Type", d->type);
    a->headers = add_header(a->headers, "Prospect-Event-Id", seq); /* the SSE id: order */
    a->headers = curl_slist_append(a->headers, "Expect:");         /* no 100-continue round trip */

    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, a->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, a->body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(a->body));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, a->headers);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "Prospect-Webhooks/0.1");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L); /* a redirect is a failure */
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)w->cfg->webhook_timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     (long)(w->cfg->webhook_timeout_ms < 5000 ? w->cfg->webhook_timeout_ms : 5000));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, a->error);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, a);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, w);
    a->h = h;
    a->w = w;
    w->slots[slot] = a;
    pthread_mutex_lock(&w->lock);
    w->stats.in_flight++;
    pthread_mutex_unlock(&w->lock);
    engine_transfer(h, ended, a);
    return 0;
}

static void attempt_free(struct webhook_sender *w, struct attempt *a)
{
    for (int i = 0; i < MAX_IN_FLIGHT; i++)
        if (w->slots[i] == a)
            w->slots[i] = NULL;
    curl_easy_cleanup(a->h);
    curl_slist_free_all(a->headers);
    free(a->job_id);
    free(a->url);
    free(a->body);
    free(a);
    pthread_mutex_lock(&w->lock);
    w->stats.in_flight--;
    pthread_mutex_unlock(&w->lock);
}

/* The delay before attempt number `made + 1`: the schedule's, jittered by
 * up to a tenth either way so that receivers coming back are not stampeded,
 * or the receiver's Retry-After when that is longer. */
static int64_t delay_ms(struct webhook_sender *w, const struct attempt *a)
{
    int64_t d = w->schedule[a->attempts];
    double jitter = 0.9 + 0.2 * ((double)rand_r(&w->seed) / RAND_MAX);
    d = (int64_t)((double)d * jitter);
    if (a->retry_after_ms > d)
        d = a->retry_after_ms < MAX_RETRY_AFTER_MS ? a->retry_after_ms : MAX_RETRY_AFTER_MS;
    return d;
}

static void finish(struct webhook_sender *w, struct attempt *a, CURLcode cc)
{
    long status = 0;
    curl_easy_getinfo(a->h, CURLINFO_RESPONSE_CODE, &status);
    struct err e = {0};
    int rc = 0;
    int64_t made = a->attempts + 1;
    if (cc == CURLE_OK && status >= 200 && status < 300) {
        rc = store_outbox_mark(w->st, a->job_id, a->seq, STORE_DELIVERED, made, 0, NULL, &e);
        pthread_mutex_lock(&w->lock);
        w->stats.delivered++;
        pthread_mutex_unlock(&w->lock);
    } else if (cc == CURLE_OK && status == 410) {
        log_warn("webhook receiver answered 410 Gone: nothing more is sent to it until "
                 "`prospect webhooks enable` (its deliveries are kept)",
                 LOG_S("job_id", a->job_id), LOG_I("seq", a->seq));
        rc = store_outbox_disable(w->st, a->url, "the receiver answered 410 Gone", &e);
        pthread_mutex_lock(&w->lock);
        w->stats.disabled++;
        pthread_mutex_unlock(&w->lock);
    } else {
        char why[CURL_ERROR_SIZE + 32];
        if (cc != CURLE_OK)
            snprintf(why, sizeof why, "%s", a->error[0] ? a->error : curl_easy_strerror(cc));
        else
            snprintf(why, sizeof why, "HTTP %ld", status);
        bool dead = a->attempts >= w->nschedule;
        int64_t next = dead ? 0 : clock_now_ms() + delay_ms(w, a);
        rc = store_outbox_mark(w->st, a->job_id, a->seq, dead ? STORE_DEAD : STORE_RETRY, made,
                               next, why, &e);
        if (dead)
            log_warn("webhook dead-lettered after its last attempt", LOG_S("job_id", a->job_id),
                     LOG_I("seq", a->seq), LOG_I("attempts", made), LOG_S("error", why));
        else
            log_info("webhook attempt failed; retrying", LOG_S("job_id", a->job_id),
                     LOG_I("seq", a->seq), LOG_I("attempt", made), LOG_S("error", why),
                     LOG_I("retry_in_ms", next - clock_now_ms()));
        pthread_mutex_lock(&w->lock);
        w->stats.failed_attempts++;
        w->stats.dead += dead;
        pthread_mutex_unlock(&w->lock);
    }
    if (rc) /* the row stays pending: it is sent again, under the same id */
        log_error("could not record a webhook outcome", LOG_S("job_id", a->job_id),
                  LOG_I("seq", a->seq), LOG_S("error", e.msg));
    attempt_free(w, a);
}

/* The attempts that ended since the last look, oldest first. */
static struct attempt *take_ended(struct webhook_sender *w)
{
    pthread_mutex_lock(&w->lock);
    struct attempt *list = w->ended, *rev = NULL;
    w->ended = NULL;
    pthread_mutex_unlock(&w->lock);
    while (list) {
        struct attempt *next = list->next;
        list->next = rev;
        rev = list;
        list = next;
    }
    return rev;
}

static bool any_in_flight(const struct webhook_sender *w)
{
    for (int i = 0; i < MAX_IN_FLIGHT; i++)
        if (w->slots[i])
            return true;
    return false;
}

static void *sender_main(void *arg)
{
    struct webhook_sender *w = arg;
    while (!__atomic_load_n(&w->stopping, __ATOMIC_ACQUIRE)) {
        int64_t now = clock_now_ms(), next = 0;
        struct err e = {0};
        if (free_slot(w) >= 0 &&
            store_outbox_due(w->st, now, MAX_IN_FLIGHT * 2, start, w, &next, &e))
            log_error("could not read the webhook outbox", LOG_S("error", e.msg));
        struct attempt *a = take_ended(w);
        if (a) {
            while (a) {
                struct attempt *n = a->next;
                finish(w, a, a->cc);
                a = n;
            }
            continue; /* the job's next event may be due now */
        }
        int64_t wait = MAX_WAIT_MS;
        now = clock_now_ms();
        if (next > now && next - now < wait)
            wait = next - now;
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += wait / 1000;
        until.tv_nsec += (wait % 1000) * 1000000;
        if (until.tv_nsec >= 1000000000) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000;
        }
        pthread_mutex_lock(&w->lock);
        while (!w->ended && !w->kicked && !__atomic_load_n(&w->stopping, __ATOMIC_ACQUIRE) &&
               pthread_cond_timedwait(&w->wake, &w->lock, &until) == 0) {
        }
        w->kicked = false;
        pthread_mutex_unlock(&w->lock);
    }
    /* Stopping: the engine ends the attempts under way at once (their rows
     * stay pending in the store); wait for each to come back. */
    while (any_in_flight(w)) {
        pthread_mutex_lock(&w->lock);
        while (!w->ended)
            pthread_cond_wait(&w->wake, &w->lock);
        pthread_mutex_unlock(&w->lock);
        for (struct attempt *a = take_ended(w), *n; a; a = n) {
            n = a->next;
            attempt_free(w, a);
        }
    }
    return NULL;
}

int webhook_sender_start(const struct config *cfg, struct webhook_sender **out, struct err *e)
{
    struct webhook_sender *w = xcalloc(1, sizeof *w);
    w->cfg = cfg;
    w->nschedule = config_durations(cfg->webhook_schedule, w->schedule, CONFIG_MAX_DURATIONS);
    if (w->nschedule < 0) {
        free(w);
        return err_set(e, CORE_EINVAL, "PROSPECT_WEBHOOK_SCHEDULE: '%s' is not a list of durations",
                       cfg->webhook_schedule);
    }
    if (*cfg->webhook_secret) {
        int rc = webhook_key(cfg->webhook_secret, w->key, &w->key_len, e);
        if (rc) {
            free(w);
            return rc;
        }
        w->signing = true;
    }
    int rc = store_open(cfg->db, &w->st, e);
    if (rc) {
        OPENSSL_cleanse(w->key, sizeof w->key);
        free(w);
        return rc;
    }
    engine_curl_init();
    w->seed = (unsigned int)clock_mono_ms();
    pthread_mutex_init(&w->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->wake, &ca);
    pthread_condattr_destroy(&ca);
    int prc = pthread_create(&w->thread, NULL, sender_main, w);
    if (prc) {
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->lock);
        store_close(w->st);
        OPENSSL_cleanse(w->key, sizeof w->key);
        free(w);
        return err_set(e, CORE_EINTERNAL, "cannot start the webhook sender's thread (error %d)",
                       prc);
    }
    *out = w;
    return 0;
}

void webhook_sender_kick(struct webhook_sender *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->kicked = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

void webhook_sender_stop(struct webhook_sender *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    __atomic_store_n(&w->stopping, 1, __ATOMIC_RELEASE);
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    store_close(w->st);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    OPENSSL_cleanse(w->key, sizeof w->key);
    free(w);
}

void webhook_sender_stats(struct webhook_sender *w, struct webhook_stats *out)
{
    memset(out, 0, sizeof *out);
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    *out = w->stats;
    pthread_mutex_unlock(&w->lock);
}
