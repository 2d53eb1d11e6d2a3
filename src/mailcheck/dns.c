/* dns.c: whether a domain takes mail, asked of DNS with c-ares: its MX
 * records, else (RFC 5321 section 5.1, the implicit MX) its A or AAAA
 * records. The domains of one batch are asked at once, within a deadline;
 * answers are kept for the records' TTL (a failure is not kept), so a
 * domain is asked once however many jobs meet it. No answer (no network,
 * a timeout, SERVFAIL) is unknown, never a verdict against the domain.
 */
#include <arpa/nameser.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ares.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/log.h"
#include "mailcheck/mailcheck_int.h"

#define CACHE_MAX 4096
#define TTL_MAX_S 86400
#define NEGATIVE_TTL_S 300 /* an NXDOMAIN or a domain without mail, when its TTL is unknown */

/* ---- the answer's TTL ---- */

/* Skips a (possibly compressed) name at p; the offset after it, or -1. */
static int skip_name(const unsigned char *m, int len, int p)
{
    for (int hops = 0; p < len && hops < 128; hops++) {
        unsigned char c = m[p];
        if (c == 0)
            return p + 1;
        if ((c & 0xC0) == 0xC0)
            return p + 2 <= len ? p + 2 : -1;
        if (c & 0xC0)
            return -1;
        p += 1 + c;
    }
    return -1;
}

int mailcheck__answer_ttl(const unsigned char *m, int len)
{
    if (!m || len < 12)
        return -1;
    int qd = m[4] << 8 | m[5], an = m[6] << 8 | m[7];
    int p = 12;
    for (int i = 0; i < qd && p >= 0; i++) {
        p = skip_name(m, len, p);
        p = p >= 0 && p + 4 <= len ? p + 4 : -1;
    }
    long ttl = -1;
    for (int i = 0; i < an && p >= 0; i++) {
        p = skip_name(m, len, p);
        if (p < 0 || p + 10 > len)
            return -1;
        long t = (long)m[p + 4] << 24 | (long)m[p + 5] << 16 | (long)m[p + 6] << 8 | m[p + 7];
        int rdlen = m[p + 8] << 8 | m[p + 9];
        if (t >= 0 && (ttl < 0 || t < ttl))
            ttl = t;
        p += 10 + rdlen;
        if (p > len)
            return -1;
    }
    return ttl < 0 ? -1 : ttl > TTL_MAX_S ? TTL_MAX_S : (int)ttl;
}

/* ---- the cache ---- */

struct kept {
    char domain[256];
    enum mail_domain verdict;
    int64_t until_ms;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kept *cache;
static size_t ncache, cache_next; /* a ring once full */

static bool cache_get(const char *domain, enum mail_domain *out)
{
    int64_t now = clock_mono_ms();
    bool hit = false;
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < ncache && !hit; i++)
        if (cache[i].until_ms > now && strcmp(cache[i].domain, domain) == 0) {
            *out = cache[i].verdict;
            hit = true;
        }
    pthread_mutex_unlock(&cache_lock);
    return hit;
}

static void cache_put(const char *domain, enum mail_domain verdict, int ttl_s)
{
    if (verdict == MAIL_DOMAIN_UNKNOWN || ttl_s <= 0 || strlen(domain) >= 256)
        return;
    pthread_mutex_lock(&cache_lock);
    if (!cache)
        cache = xcalloc(CACHE_MAX, sizeof *cache);
    struct kept *k = ncache < CACHE_MAX ? &cache[ncache++] : &cache[cache_next++ % CACHE_MAX];
    snprintf(k->domain, sizeof k->domain, "%s", domain);
    k->verdict = verdict;
    k->until_ms = clock_mono_ms() + (int64_t)ttl_s * 1000;
    pthread_mutex_unlock(&cache_lock);
}

/* ---- one batch ---- */

static void library_init(void)
{
    ares_library_init(ARES_LIB_INIT_ALL);
}

struct ask {
    const char *domain;
    enum mail_domain *out;
    int ttl;
    bool asked_address; /* the MX had none: A, then AAAA */
    bool asked_aaaa;
    ares_channel ch;
};

static void answered(void *arg, int status, int timeouts, unsigned char *abuf, int alen);

static void ask_type(struct ask *a, int type)
{
    ares_query(a->ch, a->domain, ns_c_in, type, answered, a);
}

static void answered(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
    (void)timeouts;
    struct ask *a = arg;
    int ttl = mailcheck__answer_ttl(abuf, alen);
    if (status == ARES_SUCCESS && !a->asked_address) {
        struct ares_mx_reply *mx = NULL;
        if (ares_parse_mx_reply(abuf, alen, &mx) == ARES_SUCCESS && mx) {
            /* RFC 7505: a single MX of "." says the domain takes no mail */
            bool null_mx = !mx->next && (!mx->host || !*mx->host || !strcmp(mx->host, "."));
            *a->out = null_mx ? MAIL_DOMAIN_NO_MAIL : MAIL_DOMAIN_MX;
            a->ttl = ttl;
            ares_free_data(mx);
            return;
        }
        ares_free_data(mx);
        status = ARES_ENODATA;
    }
    if (status == ARES_SUCCESS) { /* an A or AAAA answer */
        *a->out = MAIL_DOMAIN_ADDRESS_ONLY;
        a->ttl = ttl;
        return;
    }
    if (status == ARES_ENODATA && !a->asked_address) {
        a->asked_address = true;
        ask_type(a, ns_t_a);
        return;
    }
    if (status == ARES_ENODATA && !a->asked_aaaa) {
        a->asked_aaaa = true;
        ask_type(a, ns_t_aaaa);
        return;
    }
    if (status == ARES_ENODATA) {
        *a->out = MAIL_DOMAIN_NO_MAIL;
        a->ttl = ttl > 0 ? ttl : NEGATIVE_TTL_S;
    } else if (status == ARES_ENOTFOUND) {
        *a->out = MAIL_DOMAIN_NXDOMAIN;
        a->ttl = ttl > 0 ? ttl : NEGATIVE_TTL_S;
    } else { /* SERVFAIL, REFUSED, a timeout, no network, cancelled */
        *a->out = MAIL_DOMAIN_UNKNOWN;
        a->ttl = 0;
    }
}

void mailcheck__resolve(const struct mailcheck_options *o, const char *const *domains, size_t n,
                        enum mail_domain *out)
{
    struct ask *asks = xcalloc(n ? n : 1, sizeof *asks);
    size_t pending = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = MAIL_DOMAIN_UNKNOWN;
        if (cache_get(domains[i], &out[i]))
            continue;
        if (pending < o->max_domains)
            asks[pending++] = (struct ask){.domain = domains[i], .out = &out[i]};
    }
    if (pending == 0) {
        free(asks);
        return;
    }
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, library_init);
    ares_channel ch;
    struct ares_options opts = {.timeout = (int)(o->timeout_ms / 2), .tries = 2};
    int rc = ares_init_options(&ch, &opts, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
    if (rc == ARES_SUCCESS && o->servers && *o->servers)
        rc = ares_set_servers_ports_csv(ch, o->servers);
    if (rc != ARES_SUCCESS) {
        log_warn("dns unavailable", LOG_S("error", ares_strerror(rc)));
        if (rc != ARES_ENOTINITIALIZED)
            ares_destroy(ch);
        free(asks);
        return;
    }
    for (size_t i = 0; i < pending; i++) {
        asks[i].ch = ch;
        ask_type(&asks[i], ns_t_mx);
    }
    int64_t deadline = clock_mono_ms() + o->timeout_ms;
    for (;;) {
        ares_socket_t socks[ARES_GETSOCK_MAXNUM];
        int bits = ares_getsock(ch, socks, ARES_GETSOCK_MAXNUM);
        struct pollfd fds[ARES_GETSOCK_MAXNUM];
        int nfds = 0;
        for (int i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
            /* (c-ares's own macros shift a signed 1 by up to 31: undefined) */
            unsigned u = (unsigned)bits;
            short ev = (short)((u & (1u << i) ? POLLIN : 0) |
                               (u & (1u << (i + ARES_GETSOCK_MAXNUM)) ? POLLOUT : 0));
            if (ev)
                fds[nfds++] = (struct pollfd){.fd = socks[i], .events = ev};
        }
        int64_t left = deadline - clock_mono_ms();
        if (nfds == 0 || left <= 0)
            break;
        struct timeval tv, *tvp = ares_timeout(ch, NULL, &tv);
        int wait = tvp ? (int)(tvp->tv_sec * 1000 + tvp->tv_usec / 1000) : (int)left;
        poll(fds, (nfds_t)nfds, wait < left ? wait + 1 : (int)left);
        ares_socket_t rd[ARES_GETSOCK_MAXNUM], wr[ARES_GETSOCK_MAXNUM];
        for (int i = 0; i < nfds; i++) {
            rd[i] = fds[i].revents & (POLLIN | POLLERR | POLLHUP) ? fds[i].fd : ARES_SOCKET_BAD;
            wr[i] = fds[i].revents & POLLOUT ? fds[i].fd : ARES_SOCKET_BAD;
        }
        for (int i = 0; i < nfds; i++)
            ares_process_fd(ch, rd[i], wr[i]);
        ares_process_fd(ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD); /* timeouts */
    }
    ares_destroy(ch); /* what is still asked ends as cancelled: unknown */
    for (size_t i = 0; i < pending; i++)
        cache_put(asks[i].domain, *asks[i].out, asks[i].ttl);
    free(asks);
}
