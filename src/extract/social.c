/* social.c: a company's profiles on social networks, from its links and
 * its structured data's sameAs, without share buttons and the networks'
 * own pages. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "core/alloc.h"
#include "extract/extract_int.h"
#include "net/url.h"

/* Whether path starts with one of the '|'-separated prefixes. */
static bool path_is(const char *path, const char *bad)
{
    while (*bad) {
        size_t k = strcspn(bad, "|");
        if (strncasecmp(path, bad, k) == 0)
            return true;
        bad += k + (bad[k] == '|');
    }
    return false;
}

static void add_social(struct extract_page *pg, const char *href)
{
    /* network host, name, and paths that are share buttons or site pages */
    static const struct {
        const char *host, *network, *bad;
    } nets[] = {
        {"linkedin.com", "linkedin", "/share|/sharing|/feed|/login"},
        {"twitter.com", "x", "/intent|/share|/home|/hashtag|/search|/i/"},
        {"x.com", "x", "/intent|/share|/home|/hashtag|/search|/i/"},
        {"facebook.com", "facebook", "/sharer|/share|/dialog|/plugins|/tr|/login"},
        {"instagram.com", "instagram", "/p/|/reel|/explore"},
        {"youtube.com", "youtube", "/watch|/embed|/results"},
        {"github.com", "github", "/login|/features|/about"},
    };
    char *host = url_host(href);
    if (!host)
        return;
    char *h = host;
    if (strncmp(h, "www.", 4) == 0 || strncmp(h, "mobile.", 7) == 0)
        h = strchr(h, '.') + 1;
    for (size_t i = 0; i < sizeof nets / sizeof *nets; i++) {
        if (strcmp(h, nets[i].host) != 0)
            continue;
        char *path = url_path(href);
        bool ok = path && strlen(path) > 1 && !path_is(path, nets[i].bad);
        bool dup = false;
        for (size_t k = 0; k < pg->social_network.n; k++)
            dup = dup || strcmp(pg->social_network.v[k], nets[i].network) == 0;
        if (ok && !dup) {
            char *clean = url_normalize(href);
            if (clean) {
                char *q = strpbrk(clean, "?#");
                if (q)
                    *q = '\0';
                size_t n = pg->social_network.n;
                pg->social_network.v = xrealloc(pg->social_network.v, (n + 1) * sizeof(char *));
                pg->social_url.v = xrealloc(pg->social_url.v, (n + 1) * sizeof(char *));
                pg->social_network.v[n] = xstrdup(nets[i].network);
                pg->social_url.v[n] = clean;
                pg->social_network.n = pg->social_url.n = n + 1;
            }
        }
        free(path);
        break;
    }
    free(host);
}

void extract__social(const struct extract_doc *d, const struct extract_meta *m,
                     struct extract_page *pg)
{
    for (size_t i = 0; i < d->nnodes; i++) {
        if (d->nodes[i].tag != EXTRACT_TAG_A)
            continue;
        const char *h = extract__attr(d->nodes[i].node, "href");
        if (h && strncasecmp(h, "http", 4) == 0)
            add_social(pg, h);
    }
    for (size_t i = 0; i < m->same_as.n; i++)
        add_social(pg, m->same_as.v[i]);
}
