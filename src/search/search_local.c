/* search_local.c: the embedded search provider: the local corpus in the
 * store, ranked by BM25 (title and headings weigh more than body text) over
 * the query's words and its adjacent pairs as phrases, then grouped by site. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "search/search_int.h"
#include "text/text.h"

#define LOCAL_MAX_TERMS 64
#define LOCAL_PAGES_PER_SITE 8 /* pages fetched per wanted site, for grouping */

struct local {
    struct search_provider base;
    struct store *st;
};

struct terms {
    char *v[LOCAL_MAX_TERMS];
    size_t n;
    const char *prev; /* the word before, when the two stood together */
    size_t prev_len, prev_end;
    const char *query;
};

static void add_one(struct terms *t, char *term)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i], term) == 0) {
            free(term);
            return;
        }
    if (t->n == LOCAL_MAX_TERMS) {
        free(term);
        return;
    }
    t->v[t->n++] = term;
}

/* Each word, and each pair of words that stand together in the query as a
 * phrase ("car wash"): FTS5 matches a phrase only where its words are
 * adjacent, so a page that says "car wash" ranks above one that says "car"
 * and "wash" apart. */
static int add_term(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
    struct terms *t = ctx;
    if (text_is_stopword(tok, len)) {
        t->prev = NULL;
        return 0;
    }
    bool together = t->prev && strspn(t->query + t->prev_end, " \t-") == start - t->prev_end;
    if (together)
        add_one(t, xasprintf("%.*s %.*s", (int)t->prev_len, t->prev, (int)len, tok));
    add_one(t, xstrndup(tok, len));
    t->prev = t->query + start;
    t->prev_len = end - start; /* the query's own bytes */
    t->prev_end = end;
    return 0;
}

static int local_run(struct search_provider *p, const char *query, size_t limit,
                     struct search_results *out, struct err *e)
{
    struct local *l = (struct local *)p;
    *out = (struct search_results){0};
    struct terms t = {.n = 0, .query = query};
    text_tokenize(query, strlen(query), add_term, &t);
    if (t.n == 0)
        return err_set(e, CORE_EINVAL, "the query has no searchable words");
    struct store_hits hits;
    const char *const *terms = (const char *const *)t.v;
    int rc = store_corpus_search(l->st, terms, t.n, limit * LOCAL_PAGES_PER_SITE, &hits, e);
    if (rc)
        goto out;
    out->v = xcalloc(limit ? limit : 1, sizeof *out->v);
    for (size_t i = 0; i < hits.n; i++) {
        struct store_hit *h = &hits.v[i];
        struct search_result *same = NULL;
        for (size_t k = 0; k < out->n && !same; k++)
            if (strcmp(out->v[k].site, h->site) == 0)
                same = &out->v[k];
        if (same) { /* hits come best first: this page ranks below the site's best */
            same->more = xrealloc(same->more, (same->nmore + 1) * sizeof *same->more);
            same->more[same->nmore++] = xstrdup(h->url);
            continue;
        }
        if (out->n == limit)
            continue;
        struct search_result *r = &out->v[out->n++];
        r->url = xstrdup(h->url);
        r->site = xstrdup(h->site);
        r->title = xstrdup(h->title);
        r->score = h->score;
        if ((rc = store_corpus_snippet(l->st, terms, t.n, h->id, &r->snippet, e)))
            break;
    }
    store_hits_release(&hits);
    if (rc)
        search_results_release(out);
out:
    for (size_t i = 0; i < t.n; i++)
        free(t.v[i]);
    return rc;
}

static void local_free(struct search_provider *p)
{
    free(p);
}

static const struct search_ops local_ops = {.name = "local", .run = local_run, .free = local_free};

void search_local_open(struct store *st, struct search_provider **out)
{
    struct local *l = xcalloc(1, sizeof *l);
    l->base.ops = &local_ops;
    l->st = st;
    *out = &l->base;
}
