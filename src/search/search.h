/* search.h: web search behind one interface: the local corpus (embedded
 * default), and the real providers that later plug in as further backends.
 *
 * Results are grouped by site (registrable domain): one result per site, its
 * best page first, so that a site with many matching pages counts once.
 * Thread: a provider handle belongs to one thread at a time.
 */
#ifndef PROSPECT_SEARCH_H
#define PROSPECT_SEARCH_H

#include <stddef.h>

#include "core/err.h"
#include "store/store.h"

struct search_result {
    char *url;  /* the site's best page for the query */
    char *site; /* registrable domain */
    char *title;
    char *snippet; /* text around the matched terms */
    double score;  /* provider's relevance, higher is better */
    char **more;   /* further matching pages of the same site */
    size_t nmore;
};

struct search_results {
    struct search_result *v;
    size_t n;
};

void search_results_release(struct search_results *r);

struct search_provider;

/* search_local_open(st, out): the local-corpus provider over store st
 * (borrowed; it must outlive the provider). */
void search_local_open(struct store *st, struct search_provider **out);

/* search_run(p, query, limit, out, e): at most limit sites for query, best
 * first. out is filled (release with search_results_release) even when
 * empty. Errors: CORE_EINVAL when the query has no searchable words, or the
 * provider's failure. */
int search_run(struct search_provider *p, const char *query, size_t limit,
               struct search_results *out, struct err *e) __attribute__((warn_unused_result));

/* search_provider_name(p): "local", ... Static string. */
const char *search_provider_name(const struct search_provider *p);

void search_provider_free(struct search_provider *p);

#include "core/banned.h"
#endif
