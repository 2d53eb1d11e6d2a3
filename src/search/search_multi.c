/* search_multi.c: several web providers at once (PROSPECT_SEARCH=tavily,osm).
 * A query goes to every provider of queries, a business context to every
 * provider of contexts, all at once; their answers merge by registrable
 * domain with reciprocal-rank fusion (1/(60 + rank) summed over the lists),
 * and each result names the providers that found it. A provider that fails
 * while others answer is said in the results' note; only when all fail is
 * the search a failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/log.h"
#include "search/search_int.h"

#define RRF_K 60.0

struct multi {
    struct search_provider base;
    struct search_provider **v;
    size_t n;
    char name[64]; /* "tavily+osm" */
};

/* One search across the providers that take it. */
struct fan {
    struct multi *m;
    size_t limit, left, asked;
    struct search_results *out;
    struct err *e;
    search_done_fn done;
    void *ctx;
    pthread_mutex_t lock;
    struct part {
        struct fan *f;
        struct search_provider *p;
        struct search_results r;
        struct err e;
        int rc;
    } * parts;
};

/* Appends name to the comma list *list (owned) unless it is there. */
static void add_name(char **list, const char *name)
{
    if (!*list) {
        *list = xstrdup(name);
        return;
    }
    size_t n = strlen(name);
    for (const char *p = *list; *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && strncmp(p, name, n) == 0)
            return;
        p += k + (p[k] == ',');
    }
    char *joined = xasprintf("%s,%s", *list, name);
    free(*list);
    *list = joined;
}

struct fused {
    struct search_result *r; /* borrowed from a part */
    double score;
    char *providers;
};

static int by_score(const void *a, const void *b)
{
    const struct fused *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return strcmp(x->r->site, y->r->site);
}

/* The parts' lists fused into f->out, best first, at most f->limit. */
static void fuse(struct fan *f)
{
    struct fused *all = NULL;
    size_t n = 0;
    for (size_t i = 0; i < f->asked; i++) {
        struct part *pt = &f->parts[i];
        for (size_t k = 0; pt->rc == 0 && k < pt->r.n; k++) {
            struct search_result *r = &pt->r.v[k];
            size_t at = 0;
            while (at < n && strcmp(all[at].r->site, r->site) != 0)
                at++;
            if (at == n) {
                all = xrealloc(all, (n + 1) * sizeof *all);
                all[n++] = (struct fused){.r = r};
            }
            all[at].score += 1.0 / (RRF_K + (double)k + 1.0);
            add_name(&all[at].providers, search_provider_name(pt->p));
            if (r->providers) /* a provider's own fusion */
                add_name(&all[at].providers, r->providers);
        }
    }
    qsort(all, n, sizeof *all, by_score);
    *f->out = (struct search_results){0};
    size_t keep = n < f->limit ? n : f->limit;
    f->out->v = xcalloc(keep ? keep : 1, sizeof *f->out->v);
    for (size_t i = 0; i < n; i++) {
        if (i >= keep) {
            free(all[i].providers);
            continue;
        }
        struct search_result *to = &f->out->v[f->out->n++];
        *to = *all[i].r; /* moved out of its part */
        memset(all[i].r, 0, sizeof *all[i].r);
        free(to->providers);
        to->providers = all[i].providers;
        to->score = all[i].score;
    }
    free(all);
}

static void part_done(void *ctx, int rc)
{
    struct part *pt = ctx;
    struct fan *f = pt->f;
    pt->rc = rc;
    pthread_mutex_lock(&f->lock);
    bool last = --f->left == 0;
    pthread_mutex_unlock(&f->lock);
    if (!last)
        return;
    int rc_all = 0, failed = 0;
    char note[512] = "";
    for (size_t i = 0; i < f->asked; i++) {
        struct part *p = &f->parts[i];
        if (!p->rc)
            continue;
        failed++;
        rc_all = p->rc;
        size_t k = strlen(note);
        snprintf(note + k, sizeof note - k, "%s%s", k ? "; " : "", p->e.msg);
    }
    if (failed == (int)f->asked) {
        err_set(f->e, rc_all, "%s", note);
    } else {
        fuse(f);
        if (failed) {
            log_warn("a search provider failed", LOG_S("error", note));
            f->out->note = xstrdup(note);
        }
        rc_all = 0;
    }
    for (size_t i = 0; i < f->asked; i++)
        search_results_release(&f->parts[i].r);
    f->done(f->ctx, rc_all);
    pthread_mutex_destroy(&f->lock);
    free(f->parts);
    free(f);
}

/* Sends the search to every provider that takes it (context: the
 * business context, else the query). */
static int fan_out(struct multi *m, const char *query, const struct business_context *bc,
                   size_t limit, struct search_results *out, struct err *e, search_done_fn done,
                   void *ctx)
{
    *out = (struct search_results){0};
    struct fan *f = xcalloc(1, sizeof *f);
    *f = (struct fan){.m = m, .limit = limit, .out = out, .e = e, .done = done, .ctx = ctx};
    f->parts = xcalloc(m->n, sizeof *f->parts);
    for (size_t i = 0; i < m->n; i++)
        if (bc ? search_takes_context(m->v[i]) : search_takes_queries(m->v[i]))
            f->parts[f->asked++] = (struct part){.f = f, .p = m->v[i]};
    if (f->asked == 0) {
        free(f->parts);
        free(f);
        return err_set(e, CORE_EUNSUP, "none of %s takes a %s", m->name,
                       bc ? "business context" : "query");
    }
    pthread_mutex_init(&f->lock, NULL);
    f->left = f->asked;
    size_t asked = f->asked; /* f may be gone once the last part is done */
    for (size_t i = 0; i < asked; i++) {
        struct part *pt = &f->parts[i];
        int rc = bc ? search_context_async(pt->p, bc, limit, &pt->r, &pt->e, part_done, pt)
                    : search_run_async(pt->p, query, limit, &pt->r, &pt->e, part_done, pt);
        if (rc) /* refused at once: no callback comes */
            part_done(pt, rc);
    }
    return 0;
}

static int multi_run_async(struct search_provider *p, const char *query, size_t limit,
                           struct search_results *out, struct err *e, search_done_fn done,
                           void *ctx)
{
    return fan_out((struct multi *)p, query, NULL, limit, out, e, done, ctx);
}

static int multi_context_async(struct search_provider *p, const struct business_context *bc,
                               size_t limit, struct search_results *out, struct err *e,
                               search_done_fn done, void *ctx)
{
    return fan_out((struct multi *)p, NULL, bc, limit, out, e, done, ctx);
}

/* A page a provider of queries can read (Tavily's /extract). */
static int multi_extract(struct search_provider *p, const char *url, char **text, struct err *e)
{
    struct multi *m = (struct multi *)p;
    int rc = err_set(e, CORE_EUNSUP, "%s cannot read pages", m->name);
    for (size_t i = 0; i < m->n && rc == CORE_EUNSUP; i++)
        rc = search_extract(m->v[i], url, text, e);
    return rc;
}

static void multi_usage(const struct search_provider *p, double *credits, int64_t *cache_hits)
{
    const struct multi *m = (const struct multi *)p;
    for (size_t i = 0; i < m->n; i++) {
        double c;
        int64_t h;
        search_usage(m->v[i], &c, &h);
        *credits += c;
        *cache_hits += h;
    }
}

static void multi_free(struct search_provider *p)
{
    struct multi *m = (struct multi *)p;
    for (size_t i = 0; i < m->n; i++)
        search_provider_free(m->v[i]);
    free(m->v);
    free(m);
}

static const struct search_ops multi_ops = {
    .name = "multi",
    .run_async = multi_run_async,
    .context_async = multi_context_async,
    .extract = multi_extract,
    .usage = multi_usage,
    .free = multi_free,
    .web = true,
};

void search__multi_open(struct search_provider **v, size_t n, struct search_provider **out)
{
    struct multi *m = xcalloc(1, sizeof *m);
    m->base.ops = &multi_ops;
    m->v = v;
    m->n = n;
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(m->name);
        snprintf(m->name + k, sizeof m->name - k, "%s%s", i ? "+" : "", search_provider_name(v[i]));
    }
    *out = &m->base;
}

const char *search__multi_name(const struct search_provider *p)
{
    return p->ops == &multi_ops ? ((const struct multi *)p)->name : NULL;
}

int search__multi_takes(const struct search_provider *p, bool context)
{
    if (p->ops != &multi_ops)
        return -1;
    const struct multi *m = (const struct multi *)p;
    for (size_t i = 0; i < m->n; i++)
        if (context ? search_takes_context(m->v[i]) : search_takes_queries(m->v[i]))
            return 1;
    return 0;
}
