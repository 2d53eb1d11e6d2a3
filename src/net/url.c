/* url.c: URL helpers of url.h on libcurl's URL API and libpsl. */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <libpsl.h>

#include "core/alloc.h"
#include "net/url.h"

static const psl_ctx_t *psl;
static pthread_once_t psl_once = PTHREAD_ONCE_INIT;

static void psl_load(void)
{
    psl = psl_latest(NULL);
    if (!psl)
        psl = psl_builtin();
}

static bool http_scheme(CURLU *u)
{
    char *scheme = NULL;
    bool ok = curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
              (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0);
    curl_free(scheme);
    return ok;
}

static char *finish(CURLU *u)
{
    char *out = NULL, *s = NULL;
    if (!http_scheme(u))
        goto done;
    char *host = NULL;
    if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !*host) {
        curl_free(host);
        goto done;
    }
    for (char *p = host; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    curl_url_set(u, CURLUPART_HOST, host, 0);
    curl_free(host);
    curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
    if (curl_url_get(u, CURLUPART_URL, &s, CURLU_NO_DEFAULT_PORT) == CURLUE_OK)
        out = xstrdup(s);
done:
    curl_free(s);
    return out;
}

char *url_normalize(const char *url)
{
    CURLU *u = curl_url();
    char *out = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK)
        out = finish(u);
    curl_url_cleanup(u);
    return out;
}

char *url_resolve(const char *base, const char *ref)
{
    CURLU *u = curl_url();
    char *out = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, base, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_URL, ref, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK)
        out = finish(u);
    curl_url_cleanup(u);
    return out;
}

static char *get_part(const char *url, CURLUPart part)
{
    CURLU *u = curl_url();
    char *s = NULL, *out = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
        curl_url_get(u, part, &s, 0) == CURLUE_OK && s && *s)
        out = xstrdup(s);
    curl_free(s);
    curl_url_cleanup(u);
    return out;
}

char *url_host(const char *url)
{
    char *h = get_part(url, CURLUPART_HOST);
    for (char *p = h; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return h;
}

char *url_site_of_host(const char *host)
{
    pthread_once(&psl_once, psl_load);
    char *h = xstrdup(host);
    for (char *p = h; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    size_t n = strlen(h);
    if (n && h[n - 1] == '.')
        h[n - 1] = '\0';
    if (strchr(h, ':') || strspn(h, "0123456789.") == strlen(h))
        return h;                                          /* an IP address is its own site */
    if (h[0] == 'w' && strncmp(h, "www.", 4) == 0 && !psl) /* no list: strip www at least */
        memmove(h, h + 4, strlen(h + 4) + 1);
    const char *reg = psl ? psl_registrable_domain(psl, h) : NULL;
    if (reg) {
        char *out = xstrdup(reg);
        free(h);
        return out;
    }
    return h;
}

char *url_site(const char *url)
{
    char *host = url_host(url);
    if (!host)
        return NULL;
    char *site = url_site_of_host(host);
    free(host);
    return site;
}

bool url_is_tld(const char *label, size_t n)
{
    char t[64];
    if (n < 2 || n >= sizeof t)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!isalnum((unsigned char)label[i]) && label[i] != '-')
            return false;
        t[i] = (char)tolower((unsigned char)label[i]);
    }
    t[n] = '\0';
    if (!strcmp(t, "example") || !strcmp(t, "test")) /* RFC 2606 */
        return true;
    pthread_once(&psl_once, psl_load);
    if (!psl)
        return true; /* no list to judge by */
    return psl_is_public_suffix2(psl, t, PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE) != 0;
}

char *url_path(const char *url)
{
    CURLU *u = curl_url();
    char *path = NULL, *query = NULL, *out = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK) {
        if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK && query)
            out = xasprintf("%s?%s", path, query);
        else
            out = xstrdup(path);
    }
    curl_free(path);
    curl_free(query);
    curl_url_cleanup(u);
    return out;
}
