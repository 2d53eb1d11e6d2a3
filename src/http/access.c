/* access.c: API keys, token buckets and CORS origins of access.h.
 *
 * Keys are kept as SHA-256 digests only, so a key file can hold digests and
 * the process never needs the secrets. Buckets live in a fixed table per
 * kind, indexed by a 64-bit hash of who (a key or an address); when a probe
 * run is full the stalest bucket is reused, so memory stays bounded whatever
 * number of addresses comes.
 */
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <xxhash.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/str.h"
#include "http/access.h"

#define BUCKETS 4096 /* per kind; a power of two */
#define PROBES 8
#define MIN_SECRET 16

struct key {
    char name[ACCESS_NAME_MAX];
    unsigned char digest[32];
};

struct bucket {
    uint64_t who; /* 0: free */
    double tokens;
    int64_t last_ms;
};

struct access {
    struct key *keys;
    int nkeys;
    int64_t per_min[2]; /* by kind; 0: no limit */
    struct bucket *buckets[2];
    pthread_mutex_t lock;
    char **origins;
    size_t norigins;
    bool any_origin;
};

static void digest(const char *s, size_t n, unsigned char out[32])
{
    unsigned int len = 32;
    EVP_Digest(s, n, out, &len, EVP_sha256(), NULL);
}

static bool name_ok(const char *s, size_t n)
{
    if (n == 0 || n >= ACCESS_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
            return false;
    return true;
}

static int hexval(int c)
{
    return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

/* Adds one key; where names the entry in errors. */
static int add_key(struct access *a, const char *name, size_t nlen, const unsigned char d[32],
                   const char *where, struct err *e)
{
    if (!name_ok(name, nlen))
        return err_set(e, CORE_EINVAL,
                       "PROSPECT_API_KEYS: %s: the name must be 1 to %d characters from A-Z a-z "
                       "0-9 _ . -",
                       where, ACCESS_NAME_MAX - 1);
    for (int i = 0; i < a->nkeys; i++)
        if (strlen(a->keys[i].name) == nlen && memcmp(a->keys[i].name, name, nlen) == 0)
            return err_set(e, CORE_EINVAL, "PROSPECT_API_KEYS: %s: the name %.*s is used twice",
                           where, (int)nlen, name);
    a->keys = xrealloc(a->keys, (size_t)(a->nkeys + 1) * sizeof *a->keys);
    struct key *k = &a->keys[a->nkeys++];
    memcpy(k->name, name, nlen);
    k->name[nlen] = '\0';
    memcpy(k->digest, d, 32);
    return 0;
}

/* "name:secret,name:secret" */
static int parse_inline(struct access *a, const char *v, struct err *e)
{
    int pos = 0;
    while (*v) {
        pos++;
        size_t n = strcspn(v, ",");
        const char *colon = memchr(v, ':', n);
        char where[32];
        snprintf(where, sizeof where, "entry %d", pos);
        if (!colon)
            return err_set(e, CORE_EINVAL, "PROSPECT_API_KEYS: %s is not name:secret", where);
        size_t slen = n - (size_t)(colon + 1 - v);
        if (slen < MIN_SECRET)
            return err_set(e, CORE_EINVAL,
                           "PROSPECT_API_KEYS: %s: the secret must be at least %d characters",
                           where, MIN_SECRET);
        unsigned char d[32];
        digest(colon + 1, slen, d);
        int rc = add_key(a, v, (size_t)(colon - v), d, where, e);
        if (rc)
            return rc;
        v += n;
        if (*v == ',')
            v++;
    }
    return 0;
}

/* "@FILE": name:sha256-hex per line. */
static int parse_file(struct access *a, const char *path, struct err *e)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return err_set(e, CORE_EIO, "PROSPECT_API_KEYS: cannot read %s", path);
    char line[512];
    int lineno = 0, rc = 0;
    while (!rc && fgets(line, sizeof line, f)) {
        lineno++;
        char *s = line;
        while (isspace((unsigned char)*s))
            s++;
        size_t n = strlen(s);
        while (n && isspace((unsigned char)s[n - 1]))
            s[--n] = '\0';
        if (!n || *s == '#')
            continue;
        char where[300];
        snprintf(where, sizeof where, "%s line %d", path, lineno);
        char *colon = strchr(s, ':');
        const char *hex = colon ? colon + 1 : "";
        bool ok = colon && strlen(hex) == 64;
        for (size_t i = 0; ok && i < 64; i++)
            ok = isxdigit((unsigned char)hex[i]);
        if (!ok) {
            rc = err_set(e, CORE_EINVAL,
                         "PROSPECT_API_KEYS: %s is not name:sha256-hex (64 hex digits of the "
                         "secret's SHA-256)",
                         where);
            break;
        }
        unsigned char d[32];
        for (int i = 0; i < 32; i++)
            d[i] = (unsigned char)(hexval(hex[2 * i]) * 16 + hexval(hex[2 * i + 1]));
        rc = add_key(a, s, (size_t)(colon - s), d, where, e);
    }
    fclose(f);
    if (!rc && a->nkeys == 0)
        rc = err_set(e, CORE_EINVAL, "PROSPECT_API_KEYS: %s holds no key", path);
    return rc;
}

static void parse_origins(struct access *a, const char *v)
{
    while (*v) {
        size_t n = strcspn(v, ",");
        const char *s = v;
        size_t k = n;
        while (k && *s == ' ')
            s++, k--;
        while (k && (s[k - 1] == ' ' || s[k - 1] == '/'))
            k--;
        if (k == 1 && *s == '*')
            a->any_origin = true;
        else if (k) {
            a->origins = xrealloc(a->origins, (a->norigins + 1) * sizeof *a->origins);
            a->origins[a->norigins++] = xstrndup(s, k);
        }
        v += n;
        if (*v == ',')
            v++;
    }
}

int access_new(const struct config *cfg, struct access **out, struct err *e)
{
    struct access *a = xcalloc(1, sizeof *a);
    pthread_mutex_init(&a->lock, NULL);
    a->per_min[ACCESS_REQUEST] = cfg->rate_requests;
    a->per_min[ACCESS_JOB] = cfg->rate_jobs;
    for (int k = 0; k < 2; k++)
        a->buckets[k] = xcalloc(BUCKETS, sizeof(struct bucket));
    parse_origins(a, cfg->cors_origins);
    int rc = 0;
    if (cfg->api_keys[0] == '@')
        rc = parse_file(a, cfg->api_keys + 1, e);
    else if (cfg->api_keys[0])
        rc = parse_inline(a, cfg->api_keys, e);
    if (rc) {
        access_free(a);
        return rc;
    }
    *out = a;
    return 0;
}

void access_free(struct access *a)
{
    if (!a)
        return;
    if (a->keys)
        OPENSSL_cleanse(a->keys, (size_t)a->nkeys * sizeof *a->keys);
    free(a->keys);
    for (int k = 0; k < 2; k++)
        free(a->buckets[k]);
    for (size_t i = 0; i < a->norigins; i++)
        free(a->origins[i]);
    free(a->origins);
    pthread_mutex_destroy(&a->lock);
    free(a);
}

int access_keys(const struct access *a)
{
    return a->nkeys;
}

int access_check(const struct access *a, const char *authorization, char name[ACCESS_NAME_MAX])
{
    if (!authorization || strncasecmp(authorization, "Bearer ", 7) != 0)
        return CORE_EINVAL;
    const char *t = authorization + 7;
    while (*t == ' ')
        t++;
    size_t n = strlen(t);
    while (n && t[n - 1] == ' ')
        n--;
    if (!n)
        return CORE_EINVAL;
    unsigned char d[32];
    digest(t, n, d);
    int match = -1;
    for (int i = 0; i < a->nkeys; i++) { /* every key, whatever matched before */
        int same = CRYPTO_memcmp(d, a->keys[i].digest, sizeof d) == 0;
        match = same ? i : match;
    }
    OPENSSL_cleanse(d, sizeof d);
    if (match < 0)
        return CORE_ENOTFOUND;
    snprintf(name, ACCESS_NAME_MAX, "%s", a->keys[match].name);
    return 0;
}

bool access_take(struct access *a, enum access_kind kind, const char *who, int64_t *retry_after_s)
{
    int64_t per_min = a->per_min[kind];
    if (per_min <= 0)
        return true;
    uint64_t h = XXH3_64bits(who, strlen(who)) | 1; /* never 0, the free mark */
    double rate = (double)per_min / 60000.0;        /* tokens per ms */
    int64_t now = clock_mono_ms();
    pthread_mutex_lock(&a->lock);
    struct bucket *tab = a->buckets[kind], *b = NULL, *victim = NULL;
    for (int p = 0; p < PROBES && !b; p++) {
        struct bucket *c = &tab[(h + (uint64_t)p) & (BUCKETS - 1)];
        if (c->who == h)
            b = c;
        else if (!victim || (victim->who && (!c->who || c->last_ms < victim->last_ms)))
            victim = c; /* a free slot, else the least recently used */
    }
    if (!b) { /* new (or evicted earlier): a full bucket */
        b = victim;
        *b = (struct bucket){h, (double)per_min, now};
    }
    b->tokens += (double)(now - b->last_ms) * rate;
    if (b->tokens > (double)per_min)
        b->tokens = (double)per_min;
    b->last_ms = now;
    bool ok = b->tokens >= 1.0;
    if (ok)
        b->tokens -= 1.0;
    else
        *retry_after_s = (int64_t)ceil((1.0 - b->tokens) / rate / 1000.0);
    pthread_mutex_unlock(&a->lock);
    return ok;
}

bool access_origin_allowed(const struct access *a, const char *origin)
{
    if (!origin || !*origin)
        return false;
    if (a->any_origin)
        return true;
    for (size_t i = 0; i < a->norigins; i++)
        if (strcasecmp(a->origins[i], origin) == 0)
            return true;
    return false;
}
