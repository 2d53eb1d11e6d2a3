/* search.h: web search behind one interface: the local corpus (embedded
 * default), Tavily and SearXNG (queries), OpenStreetMap and Wikidata (a
 * business context's kinds of customer in its place), or several web
 * providers at once.
 *
 * Results are grouped by site (registrable domain): one result per site, its
 * best page first, so that a site with many matching pages counts once.
 * Thread: the local provider belongs to one thread at a time; web
 * providers may be called from many threads at once.
 */
#ifndef PROSPECT_SEARCH_H
#define PROSPECT_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "core/err.h"
#include "model/request.h"
#include "store/store.h"
#include "upstream/upstream.h"

/* The credit OpenStreetMap's data needs (ODbL) wherever it is shown. */
#define SEARCH_OSM_ATTRIBUTION "\u00a9 OpenStreetMap contributors"

struct search_result {
    char *url;  /* the site's best page for the query */
    char *site; /* registrable domain */
    char *title;
    char *snippet; /* text around the matched terms */
    char *content; /* the page's text as the provider read it (Tavily's raw
                    * content, markdown), or NULL */
    double score;  /* provider's relevance, higher is better */
    char **more;   /* further matching pages of the same site */
    size_t nmore;
    char *providers;         /* the providers that found it, comma-separated (owned) */
    const char *attribution; /* static: the credit its data needs, or NULL */
    bool no_site;            /* a place without a website (site is a key, url its map page):
                              * its lead is what the provider knows, the snippet */
    char naics[7];           /* the trade the provider files it under (its OSM tag's
                              * NAICS code), "" when it does not say */
};

struct search_results {
    struct search_result *v;
    size_t n;
    char *note; /* providers at once: those that failed while others answered, or NULL */
};

void search_results_release(struct search_results *r);

/* Sites that are never leads: social networks, directories, news, job
 * boards, marketplaces, encyclopaedias (registrable domains; NULL ends). */
extern const char *const search_excluded_sites[];

struct search_provider;

/* search_local_open(st, out): the local-corpus provider over store st
 * (borrowed; it must outlive the provider). */
void search_local_open(struct store *st, struct search_provider **out);

/* search_open(cfg, st, cache, out, e): the provider the configuration
 * asks for (PROSPECT_SEARCH), or with "auto" the first configured of
 * Tavily (TAVILY_API_KEY), SearXNG (SEARXNG_URL), the local corpus. st is
 * the local provider's corpus; cache is borrowed (may be NULL). Errors:
 * CORE_EINVAL when a forced provider lacks its key or URL (e says which). */
int search_open(const struct config *cfg, struct store *st, const struct upstream_cache *cache,
                struct search_provider **out, struct err *e) __attribute__((warn_unused_result));

/* search_choice(cfg, why, n): the provider search_open would pick, and why
 * (for `prospect config`). Static string. */
const char *search_choice(const struct config *cfg, char *why, size_t n);

/* search_is_web(p): whether results are live web pages to fetch (Tavily,
 * SearXNG) rather than pages stored in the corpus (local). */
bool search_is_web(const struct search_provider *p);

/* search_extract(p, url, text, e): the provider's own reading of a page
 * (Tavily /extract), for pages whose fetch failed; *text (markdown) is the
 * caller's. CORE_EUNSUP for providers without one. */
int search_extract(struct search_provider *p, const char *url, char **text, struct err *e)
    __attribute__((warn_unused_result));

/* search_usage(p, credits, cache_hits): credits spent so far (Tavily's
 * usage; 0 when free) and answers taken from the cache. */
void search_usage(const struct search_provider *p, double *credits, int64_t *cache_hits);

/* search_run(p, query, limit, out, e): at most limit sites for query, best
 * first. out is filled (release with search_results_release) even when
 * empty. Errors: CORE_EINVAL when the query has no searchable words, or the
 * provider's failure. Waits for a web provider's answer: not from a thread
 * of the call pool. */
int search_run(struct search_provider *p, const char *query, size_t limit,
               struct search_results *out, struct err *e) __attribute__((warn_unused_result));

/* Called once when an asynchronous search ends, with search_run's result,
 * on a thread of the call pool (engine/pool.h). */
typedef void (*search_done_fn)(void *ctx, int rc);

/* search_run_async(p, query, limit, out, e, done, ctx): search_run
 * without a waiting thread, for web providers; out and e must stay valid
 * until done. A provider with no such path (the local corpus) runs the
 * search now. Either way done is called exactly once, unless an error is
 * returned at once (CORE_EINVAL: an empty query). */
int search_run_async(struct search_provider *p, const char *query, size_t limit,
                     struct search_results *out, struct err *e, search_done_fn done, void *ctx)
    __attribute__((warn_unused_result));

/* search_takes_queries(p), search_takes_context(p): whether p answers
 * search queries (tavily, searxng, local), a business context (osm,
 * wikidata), or (several providers at once) both. */
bool search_takes_queries(const struct search_provider *p);
bool search_takes_context(const struct search_provider *p);

/* search_context_async(p, bc, limit, out, e, done, ctx): at most limit
 * places or organisations of the kinds of customer bc names, in its place,
 * as search_run_async answers a query; bc must stay valid until done.
 * CORE_EUNSUP at once from a provider of queries alone. */
int search_context_async(struct search_provider *p, const struct business_context *bc, size_t limit,
                         struct search_results *out, struct err *e, search_done_fn done, void *ctx)
    __attribute__((warn_unused_result));

/* search_provider_name(p): "local", ... Static string. */
const char *search_provider_name(const struct search_provider *p);

void search_provider_free(struct search_provider *p);

#include "core/banned.h"
#endif
