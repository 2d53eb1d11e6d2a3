/* site.c: where a page comes from when nobody said: a saved page, a file
 * of a folder without a manifest.
 *
 * The page's own address: its canonical link, og:url, a <base href> that
 * names a page, or the url of its schema.org WebPage. Failing that, its
 * site (registrable domain): that of <base href> or of its Organization's
 * or WebSite's url; else what the page names as its own: the domain of its
 * e-mail addresses (not a free-mail provider's), the domain most of its
 * absolute links and home links go to, a domain in its copyright line.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "core/alloc.h"
#include "extract/extract_int.h"
#include "net/url.h"

#define MAX_HOSTS 64

/* Whether a URL names a page below a site's root, not the root itself. */
static bool below_root(const char *url)
{
    const char *host = strstr(url, "://");
    const char *path = host ? strchr(host + 3, '/') : NULL;
    return path && path[1];
}

static char *page_url_of(const struct extract_doc *d, const struct extract_meta *m)
{
    char *canonical = extract_canonical(d);
    char *out = NULL;
    if (canonical && m->base_href && strncasecmp(canonical, "http", 4) != 0)
        out = url_resolve(m->base_href, canonical); /* a relative canonical link */
    /* a <base href> that names a page (saved pages carry their address so) */
    const char *base_page = m->base_href && below_root(m->base_href) ? m->base_href : NULL;
    const char *tries[] = {canonical, m->og_url, base_page, m->ld_page_url};
    for (size_t i = 0; i < sizeof tries / sizeof *tries && !out; i++)
        if (tries[i] && strncasecmp(tries[i], "http", 4) == 0)
            out = url_normalize(tries[i]);
    free(canonical);
    return out;
}

char *extract_page_url(const struct extract_doc *d)
{
    struct extract_meta m;
    extract__meta(d, &m);
    char *out = page_url_of(d, &m);
    extract__meta_release(&m);
    return out;
}

/* The site a page names as its own in markup: its address's, else that of
 * <base href>, its Organization's or WebSite's url. */
static char *site_of_markup(const struct extract_doc *d, const struct extract_meta *m)
{
    char *url = page_url_of(d, m);
    const char *tries[] = {m->base_href, m->url, m->ld_site_url};
    for (size_t i = 0; i < sizeof tries / sizeof *tries && !url; i++)
        if (tries[i] && strncasecmp(tries[i], "http", 4) == 0)
            url = url_normalize(tries[i]);
    char *site = url ? url_site(url) : NULL;
    free(url);
    return site;
}

static bool free_mail(const char *domain)
{
    static const char *const providers[] = {"gmail.com",
                                            "googlemail.com",
                                            "yahoo.com",
                                            "hotmail.com",
                                            "outlook.com",
                                            "live.com",
                                            "msn.com",
                                            "aol.com",
                                            "icloud.com",
                                            "me.com",
                                            "mail.com",
                                            "gmx.com",
                                            "gmx.de",
                                            "web.de",
                                            "protonmail.com",
                                            "proton.me",
                                            "yandex.com",
                                            "yandex.ru",
                                            "qq.com",
                                            "163.com",
                                            "comcast.net",
                                            "att.net",
                                            "verizon.net",
                                            "sbcglobal.net",
                                            "bellsouth.net",
                                            "btinternet.com",
                                            "yahoo.co.uk",
                                            "hotmail.co.uk",
                                            "orange.fr",
                                            "free.fr",
                                            NULL};
    for (const char *const *p = providers; *p; p++)
        if (strcasecmp(domain, *p) == 0)
            return true;
    return false;
}

bool extract__platform(const char *site)
{
    static const char *const sites[] = {"facebook.com",
                                        "twitter.com",
                                        "x.com",
                                        "instagram.com",
                                        "linkedin.com",
                                        "youtube.com",
                                        "youtu.be",
                                        "pinterest.com",
                                        "tiktok.com",
                                        "google.com",
                                        "goo.gl",
                                        "apple.com",
                                        "wordpress.org",
                                        "w3.org",
                                        "schema.org",
                                        "bit.ly",
                                        "yelp.com",
                                        "bbb.org",
                                        "tripadvisor.com",
                                        "houzz.com",
                                        "nextdoor.com",
                                        "angi.com",
                                        "homeadvisor.com",
                                        "thumbtack.com",
                                        "maps.app.goo.gl",
                                        "wa.me",
                                        "whatsapp.com",
                                        "t.me",
                                        "vimeo.com",
                                        "github.com",
                                        "medium.com",
                                        "amazon.com",
                                        "godaddy.com",
                                        "wix.com",
                                        "squarespace.com",
                                        "shopify.com",
                                        "cloudflare.com",
                                        "gstatic.com",
                                        "googleapis.com",
                                        "doubleclick.net",
                                        NULL};
    for (const char *const *p = sites; *p; p++)
        if (strcasecmp(site, *p) == 0)
            return true;
    return false;
}

struct tally {
    char *site[MAX_HOSTS];
    int count[MAX_HOSTS];
    size_t n;
    int total;
};

static void tally_add(struct tally *t, char *site, int weight)
{
    t->total += weight;
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->site[i], site) == 0) {
            t->count[i] += weight;
            free(site);
            return;
        }
    if (t->n == MAX_HOSTS) {
        free(site);
        return;
    }
    t->site[t->n] = site;
    t->count[t->n++] = weight;
}

static void tally_release(struct tally *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->site[i]);
    t->n = 0;
    t->total = 0;
}

/* The site most votes went to; NULL unless it has at least min votes and
 * share of them all. Empties t. */
static char *tally_take(struct tally *t, int min, double share)
{
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < t->n; i++)
        if (best == SIZE_MAX || t->count[i] > t->count[best] ||
            (t->count[i] == t->count[best] && strcmp(t->site[i], t->site[best]) < 0))
            best = i;
    char *out = NULL;
    if (best != SIZE_MAX && t->count[best] >= min && t->count[best] >= share * t->total) {
        out = t->site[best];
        t->site[best] = NULL;
    }
    tally_release(t);
    return out;
}

/* The site of a mail domain at dom[0, n) ("acme.com."), unless it is no
 * domain or a free-mail provider's. */
static char *mail_site(const char *dom, size_t n)
{
    while (n && dom[n - 1] == '.')
        n--;
    const char *dot = n ? memrchr(dom, '.', n) : NULL;
    if (!dot || !url_is_tld(dot + 1, (size_t)(dom + n - dot - 1)))
        return NULL;
    char *host = xstrndup(dom, n);
    char *site = url_site_of_host(host);
    free(host);
    if (site && free_mail(site)) {
        free(site);
        site = NULL;
    }
    return site;
}

/* The first domain written in p[0, n) ("acme.com" in "2024 acme.com. All
 * rights reserved"), as a site. */
static char *domain_in(const char *p, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        if (p[i] != '.' || !isalnum((unsigned char)p[i - 1]))
            continue;
        size_t s = i, e = i + 1;
        while (s > 0 && (isalnum((unsigned char)p[s - 1]) || p[s - 1] == '-'))
            s--;
        while (e < n && (isalnum((unsigned char)p[e]) || p[e] == '.' || p[e] == '-'))
            e++;
        while (e > i && p[e - 1] == '.') /* the sentence's full stop */
            e--;
        size_t dot = e;
        while (dot > i && p[dot - 1] != '.')
            dot--;
        if (e - dot >= 2 && isalpha((unsigned char)p[dot]) && url_is_tld(p + dot, e - dot)) {
            char *host = xstrndup(p + s, e - s);
            char *site = url_site_of_host(host);
            free(host);
            return site;
        }
        i = e;
    }
    return NULL;
}

/* The domain of a copyright line ("© 2024 acme.com", "Copyright (c) Acme.io"). */
static char *copyright_site(const char *text)
{
    static const char *const marks[] = {"\xc2\xa9", "(c)", "copyright"};
    char *site = NULL;
    for (size_t m = 0; m < 3 && !site; m++) {
        const char *c = text;
        for (int tries = 0; !site && tries < 4 && (c = strcasestr(c, marks[m])); tries++) {
            c += strlen(marks[m]);
            size_t line = strcspn(c, "\n");
            site = domain_in(c, line < 120 ? line : 120);
        }
    }
    return site;
}

char *extract_site_guess(const struct extract_doc *d, const char *text)
{
    struct extract_meta m;
    extract__meta(d, &m);
    char *site = extract__site_guess(d, &m, text);
    extract__meta_release(&m);
    return site;
}

char *extract__site_guess(const struct extract_doc *d, const struct extract_meta *m,
                          const char *text)
{
    char *marked = site_of_markup(d, m);
    if (marked)
        return marked;
    struct tally mail = {0}, links = {0};
    for (size_t i = 0; i < d->nnodes; i++) {
        if (d->nodes[i].tag != EXTRACT_TAG_A)
            continue;
        const char *h = extract__attr(d->nodes[i].node, "href");
        while (h && isspace((unsigned char)*h))
            h++;
        if (!h)
            continue;
        if (strncasecmp(h, "mailto:", 7) == 0) {
            const char *at = strchr(h, '@');
            char *site = at ? mail_site(at + 1, strcspn(at + 1, "?&,;> ")) : NULL;
            if (site)
                tally_add(&mail, site, 1);
        } else if (strncasecmp(h, "http://", 7) == 0 || strncasecmp(h, "https://", 8) == 0) {
            char *site = url_site(h);
            if (!site)
                continue;
            if (extract__platform(site)) {
                free(site);
                continue;
            }
            /* a link to a home page ("https://acme.com/") says more */
            const char *path = strchr(strstr(h, "://") + 3, '/');
            tally_add(&links, site, !path || !path[1] ? 2 : 1);
        }
    }
    /* addresses written in the text ("info@acme.com") */
    for (const char *at = text ? strchr(text, '@') : NULL; at; at = strchr(at + 1, '@')) {
        size_t n = 0;
        while (isalnum((unsigned char)at[1 + n]) || at[1 + n] == '.' || at[1 + n] == '-')
            n++;
        char *site = at > text && isalnum((unsigned char)at[-1]) ? mail_site(at + 1, n) : NULL;
        if (site)
            tally_add(&mail, site, 1);
    }
    char *site = tally_take(&mail, 1, 0.5);
    if (!site)
        site = tally_take(&links, 3, 0.4);
    tally_release(&links);
    if (!site && text)
        site = copyright_site(text);
    return site;
}
