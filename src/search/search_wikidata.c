/* search_wikidata.c: Wikidata as a search provider, with no key:
 * organisations of the context's kinds of customer, with their official
 * website (P856), number of employees (P1128) and inception (P571).
 *
 * Each kind's items are found once through the Action API's
 * wbsearchentities (and cached), the place's too; then one SPARQL query a
 * kind: organisations whose industry (P452) or kind (P31) is one of those
 * items, in the place's country (P17), with a website. A size range in the
 * ideal customer ("10-100 employees") leaves out those whose P1128 is known
 * and outside it.
 *
 * The services' policies: a User-Agent that names a contact
 * (PROSPECT_CONTACT, else the provider refuses to start), one SPARQL query
 * at a time in the process, answers cached, 429 retried after Retry-After.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/log.h"
#include "industry/industry.h"
#include "search/search_int.h"

#define MAX_KINDS 4      /* kinds of customer asked about, one query each */
#define ITEMS_PER_KIND 3 /* entity search hits taken as a kind's items */

struct wikidata {
    struct web web;       /* SPARQL: its upstream and URL */
    struct upstream *api; /* api.php */
    char *api_url;
};

struct wd_run {
    struct wikidata *w;
    char kinds[MAX_KINDS][INDUSTRY_KIND_NAME];
    char items[MAX_KINDS][ITEMS_PER_KIND][16]; /* QIDs */
    size_t nkinds, kind;                       /* the kind being asked about */
    char place[256], place_item[16];
    int step;                          /* 0: the kinds' items, 1: the place's, 2: the queries */
    long min_employees, max_employees; /* -1: no bound */
    size_t limit;
    struct search_results *out;
    struct err *e;
    struct upstream_response r;
    search_done_fn done;
    void *ctx;
};

static void next(struct wd_run *x);

static void run_end(struct wd_run *x, int rc)
{
    if (rc)
        search_results_release(x->out);
    x->done(x->ctx, rc);
    free(x);
}

/* A size range the ideal customer states, from the words before
 * "employees": "10-100", "10 to 100", "50+", "under 200" (a bound that is
 * not stated is -1). */
static void size_range(const char *text, long *lo, long *hi)
{
    *lo = *hi = -1;
    const char *p = strstr(text, "employee");
    if (!p)
        return;
    const char *from = p - text > 32 ? p - 32 : text;
    long nums[2];
    int n = 0;
    bool plus = false;
    for (const char *q = from; q < p; q++) {
        if (isdigit((unsigned char)*q) && (q == from || !isdigit((unsigned char)q[-1]))) {
            char *end;
            long v = strtol(q, &end, 10);
            if (n == 2)
                nums[0] = nums[1], n = 1;
            nums[n++] = v;
            plus = *end == '+';
        }
    }
    if (n == 2) {
        *lo = nums[0];
        *hi = nums[1];
    } else if (n == 1 && plus) {
        *lo = nums[0];
    } else if (n == 1 && (strstr(from, "under ") || strstr(from, "fewer than ") ||
                          strstr(from, "less than ") || strstr(from, "up to "))) {
        *hi = nums[0];
    }
}

/* ---- the entity searches ---- */

static void entity_answered(void *ctx, int rc);

static void ask_entity(struct wd_run *x, const char *text)
{
    char *q = curl_easy_escape(NULL, text, 0);
    char *url = xasprintf("%s?action=wbsearchentities&search=%s&language=en&type=item"
                          "&format=json&limit=%d",
                          x->w->api_url, q, ITEMS_PER_KIND);
    struct upstream_request rq = search__request(&x->w->web, "GET", url, NULL);
    upstream_call_async(x->w->api, &rq, &x->r, x->e, entity_answered, x);
    curl_free(q);
    free(url);
}

static void entity_answered(void *ctx, int rc)
{
    struct wd_run *x = ctx;
    json_t *j = search__answer(&x->w->web, "wikidata", rc, &x->r, x->e);
    if (!j) {
        run_end(x, x->e->code ? x->e->code : CORE_EUPSTREAM);
        return;
    }
    size_t i;
    json_t *hit;
    json_array_foreach (json_object_get(j, "search"), i, hit) {
        const char *id = json_string_value(json_object_get(hit, "id"));
        if (!id || id[0] != 'Q' || strlen(id) > 15)
            continue;
        if (x->step == 0 && i < ITEMS_PER_KIND)
            snprintf(x->items[x->kind][i], sizeof x->items[x->kind][i], "%s", id);
        else if (x->step == 1 && !x->place_item[0])
            snprintf(x->place_item, sizeof x->place_item, "%s", id);
    }
    json_decref(j);
    if (x->step == 0 && ++x->kind < x->nkinds) {
        ask_entity(x, x->kinds[x->kind]);
        return;
    }
    if (x->step == 0) {
        x->step = 1;
        x->kind = 0;
        if (x->place[0]) {
            ask_entity(x, x->place);
            return;
        }
    }
    x->step = 2;
    next(x);
}

/* ---- the SPARQL queries ---- */

static char *sparql(const struct wd_run *x, size_t kind)
{
    struct buf b;
    buf_init(&b, 0);
    int rc = buf_puts(&b, "SELECT ?org ?orgLabel ?website ?employees ?inception ?countryLabel "
                          "WHERE {\n  VALUES ?kind {");
    for (size_t i = 0; i < ITEMS_PER_KIND; i++)
        if (x->items[kind][i][0])
            rc |= buf_printf(&b, " wd:%s", x->items[kind][i]);
    rc |= buf_puts(&b, " }\n  { ?org wdt:P452 ?kind } UNION { ?org wdt:P31 ?kind }\n"
                       "  ?org wdt:P856 ?website .\n"
                       "  OPTIONAL { ?org wdt:P1128 ?employees }\n"
                       "  OPTIONAL { ?org wdt:P571 ?inception }\n"
                       "  OPTIONAL { ?org wdt:P17 ?country }\n");
    if (x->place_item[0]) /* a country is its own P17 */
        rc |= buf_printf(&b, "  wd:%s wdt:P17 ?country .\n", x->place_item);
    rc |= buf_printf(&b,
                     "  SERVICE wikibase:label { bd:serviceParam wikibase:language \"en\". }\n"
                     "}\nLIMIT %zu\n",
                     x->limit * 2);
    (void)rc;
    return buf_detach(&b);
}

static const char *binding(json_t *row, const char *var)
{
    return json_string_value(json_object_get(json_object_get(row, var), "value"));
}

static void file_bindings(struct wd_run *x, json_t *bindings)
{
    size_t i;
    json_t *row;
    json_array_foreach (bindings, i, row) {
        const char *site = binding(row, "website"), *name = binding(row, "orgLabel");
        if (!site || !name)
            continue;
        const char *emp = binding(row, "employees"), *inc = binding(row, "inception"),
                   *country = binding(row, "countryLabel"), *org = binding(row, "org");
        long n = emp ? strtol(emp, NULL, 10) : -1;
        if (emp && ((x->min_employees >= 0 && n < x->min_employees) ||
                    (x->max_employees >= 0 && n > x->max_employees)))
            continue;
        struct buf b;
        buf_init(&b, 0);
        const char *qid = org && strrchr(org, '/') ? strrchr(org, '/') + 1 : org ? org : "";
        int rc = buf_printf(&b, "%s: %s (Wikidata %s)", name, x->kinds[x->kind], qid);
        if (country)
            rc |= buf_printf(&b, ", %s", country);
        if (emp)
            rc |= buf_printf(&b, "; %ld employees", n);
        if (inc && strlen(inc) >= 4)
            rc |= buf_printf(&b, "; founded %.4s", inc[0] == '+' ? inc + 1 : inc);
        (void)rc;
        search__add(x->out, x->limit, site, name, buf_cstr(&b), NULL, 1.0);
        buf_release(&b);
    }
}

void search__wikidata_results(json_t *answer, size_t limit, struct search_results *out)
{
    struct wd_run x = {.limit = limit, .out = out, .min_employees = -1, .max_employees = -1};
    json_t *bindings = json_object_get(json_object_get(answer, "results"), "bindings");
    if (json_is_array(bindings))
        file_bindings(&x, bindings);
}

static void sparql_answered(void *ctx, int rc)
{
    struct wd_run *x = ctx;
    json_t *j = search__answer(&x->w->web, "wikidata sparql", rc, &x->r, x->e);
    json_t *bindings = json_object_get(json_object_get(j, "results"), "bindings");
    if (j && !json_is_array(bindings)) {
        err_set(x->e, CORE_EPARSE, "wikidata sparql: no results.bindings in the answer");
        json_decref(j);
        j = NULL;
    }
    if (!j) {
        if (x->out->n == 0) { /* a later kind's failure keeps the earlier kinds' answers */
            run_end(x, x->e->code ? x->e->code : CORE_EUPSTREAM);
            return;
        }
        log_warn("wikidata query failed", LOG_S("kind", x->kinds[x->kind]),
                 LOG_S("error", x->e->msg));
    } else {
        file_bindings(x, bindings);
        json_decref(j);
    }
    x->kind++;
    next(x);
}

/* The next kind's query, or the end. */
static void next(struct wd_run *x)
{
    while (x->kind < x->nkinds && !x->items[x->kind][0][0])
        x->kind++; /* Wikidata knows no item of this kind */
    if (x->kind >= x->nkinds || x->out->n >= x->limit) {
        if (x->out->n == 0 && x->place[0] && !x->place_item[0]) {
            run_end(x, err_set(x->e, CORE_ENOTFOUND, "wikidata knows no place called \"%s\"",
                               x->place));
            return;
        }
        run_end(x, 0);
        return;
    }
    char *text = sparql(x, x->kind);
    char *q = curl_easy_escape(NULL, text, 0);
    char *url = xasprintf("%s?query=%s&format=json", x->w->web.base_url, q);
    struct upstream_request rq = search__request(&x->w->web, "GET", url, NULL);
    upstream_call_async(x->w->web.up, &rq, &x->r, x->e, sparql_answered, x);
    curl_free(q);
    free(url);
    free(text);
}

static int wd_context_async(struct search_provider *p, const struct business_context *bc,
                            size_t limit, struct search_results *out, struct err *e,
                            search_done_fn done, void *ctx)
{
    struct industry_kind kinds[INDUSTRY_MAX_KINDS];
    bool from_focus[INDUSTRY_MAX_KINDS];
    size_t nk = industry_context_kinds(bc, kinds, from_focus);
    if (nk == 0)
        return err_set(e, CORE_EINVAL,
                       "wikidata: the business context names no kind of customer (industry "
                       "focus, ideal customer) to look for");
    struct wd_run *x = xcalloc(1, sizeof *x);
    *x = (struct wd_run){
        .w = (struct wikidata *)p, .limit = limit, .out = out, .e = e, .done = done, .ctx = ctx};
    for (size_t k = 0; k < nk && x->nkinds < MAX_KINDS; k++)
        snprintf(x->kinds[x->nkinds++], sizeof x->kinds[0], "%.95s", kinds[k].name);
    snprintf(x->place, sizeof x->place, "%s", *bc->location ? bc->location : bc->target_market);
    size_range(bc->ideal_customer, &x->min_employees, &x->max_employees);
    ask_entity(x, x->kinds[0]);
    return 0;
}

static void wd_free(struct search_provider *p)
{
    struct wikidata *w = (struct wikidata *)p;
    free(w->api_url);
    search__web_release(&w->web);
    free(w);
}

static const struct search_ops wikidata_ops = {
    .name = "wikidata",
    .context_async = wd_context_async,
    .free = wd_free,
    .usage = search__web_usage,
    .web = true,
};

int search_wikidata_open(const struct config *cfg, const struct upstream_cache *cache,
                         struct search_provider **out, struct err *e)
{
    char ua[512];
    if (search__open_user_agent(cfg, "wikidata", ua, sizeof ua, e))
        return CORE_EINVAL;
    struct wikidata *w = xcalloc(1, sizeof *w);
    search__web_init(&w->web, &wikidata_ops, cfg, cache, cfg->wikidata_sparql_url);
    w->api_url = search__base_url(cfg->wikidata_api_url);
    struct upstream_options uo;
    upstream_options_from_config(cfg, "wikidata-api", (int)cfg->search_rpm, &uo);
    uo.user_agent = ua;
    w->api = upstream_shared(&uo);
    upstream_options_from_config(cfg, "wikidata-sparql", (int)cfg->search_rpm, &uo);
    uo.user_agent = ua;
    uo.accept = "application/sparql-results+json";
    uo.max_in_flight = 1; /* the query service's rule: one query at a time */
    w->web.up = upstream_shared(&uo);
    *out = &w->web.base;
    return 0;
}
