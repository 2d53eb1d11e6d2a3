/* query.c: keyword query generation (query.h).
 *
 * Queries look for the customer, not the seller: each kind of customer the
 * context names (every industry focus item, every kind the ideal customer
 * lists) is a query of its own, its name kept whole, in the context's
 * location when the provider can use one; then one pain and one buying
 * signal anchored in the first kind. Key terms (counted by stem across the
 * context's fields, stop words and words that describe any company
 * dropped) stand in only when the context names no kind at all.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/str.h"
#include "industry/industry.h"
#include "query/query.h"
#include "text/text.h"

static const char *const strategy_names[QUERY_NSTRATEGIES] = {
    "user", "combined", "industry", "customer", "pain", "signal", "location"};

const char *query_strategy_name(enum query_strategy s)
{
    return (unsigned)s < QUERY_NSTRATEGIES ? strategy_names[s] : "unknown";
}

enum query_strategy query_strategy_of(const char *name, enum query_strategy fallback)
{
    for (int s = 0; name && s < QUERY_NSTRATEGIES; s++)
        if (strcmp(name, strategy_names[s]) == 0)
            return (enum query_strategy)s;
    return fallback;
}

/* Words that say nothing about which company to look for. Sorted. */
static const char *const filler[] = {
    "advanced",   "ai",           "based",         "best",         "business",
    "businesses", "client",       "clients",       "companies",    "company",
    "customer",   "customers",    "effective",     "efficiency",   "efficient",
    "employee",   "employees",    "enterprise",    "enterprises",  "firm",
    "firms",      "focus",        "focused",       "help",         "helps",
    "ideal",      "improve",      "increase",      "innovative",   "intelligent",
    "leading",    "market",       "markets",       "medium",       "modern",
    "new",        "organisation", "organisations", "organization", "organizations",
    "powered",    "provider",     "providers",     "service",      "services",
    "size",       "sized",        "small",         "smart",        "sme",
    "smes",       "smb",          "smbs",          "solution",     "solutions",
    "team",       "teams",        "tool",          "tools",        "top",
    "use",        "using",        "world",
};

static bool is_filler(const char *tok, size_t len)
{
    return text_in_sorted(filler, sizeof filler / sizeof *filler, tok, len);
}

struct counter {
    struct text_stemmer *stem;
    struct query_terms *terms;
    size_t cap;
    double weight;
};

static int count_token(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
    (void)start;
    (void)end;
    struct counter *c = ctx;
    if (len < 2 || text_is_stopword(tok, len) || is_filler(tok, len) ||
        isdigit((unsigned char)tok[0]))
        return 0;
    size_t slen;
    const char *s = text_stem(c->stem, tok, len, &slen);
    struct query_terms *t = c->terms;
    for (size_t i = 0; i < t->n; i++) {
        if (strlen(t->v[i].stem) == slen && memcmp(t->v[i].stem, s, slen) == 0) {
            t->v[i].weight += c->weight;
            /* keep the shortest surface form: "lead" over "leads" */
            if (len < strlen(t->v[i].word)) {
                free(t->v[i].word);
                t->v[i].word = xstrndup(tok, len);
            }
            return 0;
        }
    }
    if (t->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 32;
        t->v = xrealloc(t->v, c->cap * sizeof *t->v);
    }
    t->v[t->n].word = xstrndup(tok, len);
    t->v[t->n].stem = xstrndup(s, slen);
    t->v[t->n].weight = c->weight;
    t->n++;
    return 0;
}

static void count(struct counter *c, const char *text, double weight)
{
    c->weight = weight;
    text_tokenize(text, strlen(text), count_token, c);
}

static int cmp_term(const void *a, const void *b)
{
    const struct query_term *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight > y->weight ? -1 : 1;
    return strcmp(x->word, y->word);
}

void query_key_terms(const struct business_context *ctx, int which, struct query_terms *out)
{
    out->v = NULL;
    out->n = 0;
    struct counter c = {text_stemmer_new(), out, 0, 0};
    if (which == 0) {
        count(&c, ctx->ideal_customer, 3);
        for (size_t i = 0; i < ctx->industry_focus.n; i++)
            count(&c, ctx->industry_focus.v[i], 3);
        count(&c, ctx->target_market, 1);
    } else {
        count(&c, ctx->product_service_description, 3);
        count(&c, ctx->business_description, 2);
        count(&c, ctx->value_proposition, 1);
    }
    text_stemmer_free(c.stem);
    if (out->n)
        qsort(out->v, out->n, sizeof *out->v, cmp_term);
}

void query_terms_release(struct query_terms *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].word);
        free(t->v[i].stem);
    }
    free(t->v);
    t->v = NULL;
    t->n = 0;
}

/* Adds a query unless the list is full or holds the same text already. */
static void take(struct query_list *out, size_t max, enum query_strategy st, char *text)
{
    bool dup = !*text;
    for (size_t i = 0; !dup && i < out->n; i++)
        dup = strcasecmp(out->v[i].text, text) == 0;
    if (dup || out->n >= max) {
        free(text);
        return;
    }
    out->v[out->n].text = text;
    out->v[out->n].strategy = st;
    out->n++;
}

/* The place a query names: the context's location as written
 * ("Springfield, IL"; "United States, Canada"). */
static const char *place_of(const struct business_context *ctx)
{
    return *ctx->location ? ctx->location : "";
}

/* "Plumbers" in a place: "Plumbers in Springfield, IL". */
static char *kind_query(const char *kind, const char *place)
{
    return *place ? xasprintf("%s in %s", kind, place) : xstrdup(kind);
}

/* s after the first kind of customer, when there is one: "plumbers s". */
static char *anchored(const char *first, const char *s)
{
    return first ? xasprintf("%s %s", first, s) : xstrdup(s);
}

void query_generate(const struct request *req, size_t max, bool place, struct query_list *out)
{
    const struct business_context *ctx = &req->ctx;
    if (!max)
        max = QUERY_DEFAULT_MAX;
    out->v = xcalloc(max, sizeof *out->v);
    out->n = 0;
    const char *where = place ? place_of(ctx) : "";

    /* The kinds of customer: each industry focus, each kind the ideal
     * customer lists, multi-word names whole ("hair salons"). */
    struct industry_kind kinds[INDUSTRY_MAX_KINDS];
    bool focus[INDUSTRY_MAX_KINDS];
    size_t nk = industry_context_kinds(ctx, kinds, focus);
    /* the customer's own kinds first: they are more specific than a focus;
     * a long description ("SMBs with 10-100 employees in tech") is no kind
     * to search for */
    size_t order[INDUSTRY_MAX_KINDS], no = 0;
    for (size_t k = 0; k < nk; k++)
        if (!focus[k] && str_count_words(kinds[k].name) <= INDUSTRY_KIND_MAX_WORDS)
            order[no++] = k;
    for (size_t k = 0; k < nk; k++)
        if (focus[k])
            order[no++] = k;
    const char *first = no ? kinds[order[0]].name : NULL;

    /* The user's own words, alone and with the first kind. */
    if (*req->user_search_query) {
        take(out, max, QUERY_USER, xstrdup(req->user_search_query));
        if (first && !strcasestr(req->user_search_query, first))
            take(out, max, QUERY_COMBINED, xasprintf("%s %s", req->user_search_query, first));
    }
    /* One query per kind of customer. */
    for (size_t i = 0; i < no; i++)
        take(out, max, focus[order[i]] ? QUERY_INDUSTRY : QUERY_CUSTOMER,
             kind_query(kinds[order[i]].name, where));
    /* A pain and a buying signal, then the other pains, anchored in the
     * first kind: what the user sells is never the head of a query. */
    if (ctx->pain_points.n)
        take(out, max, QUERY_PAIN, anchored(first, ctx->pain_points.v[0]));
    if (ctx->competitors.n) {
        char *signal = xasprintf("switching from %s", ctx->competitors.v[0]);
        take(out, max, QUERY_SIGNAL, anchored(first, signal));
        free(signal);
    }
    for (size_t i = 1; i < ctx->pain_points.n; i++)
        take(out, max, QUERY_PAIN, anchored(first, ctx->pain_points.v[i]));
    /* Nothing named a kind: the context's own key terms of the customer,
     * else of the product. */
    if (!out->n) {
        struct query_terms t;
        query_key_terms(ctx, 0, &t);
        if (!t.n) {
            query_terms_release(&t);
            query_key_terms(ctx, 1, &t);
        }
        struct buf q;
        buf_init(&q, 1024);
        for (size_t i = 0; i < t.n && i < 4; i++)
            if ((q.len && buf_putc(&q, ' ')) || buf_puts(&q, t.v[i].word))
                break;
        if (q.len)
            take(out, max, QUERY_INDUSTRY, kind_query(buf_cstr(&q), where));
        buf_release(&q);
        query_terms_release(&t);
    }
}

void query_list_release(struct query_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].text);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

json_t *query_list_to_json(const struct query_list *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s}", "query", l->v[i].text, "strategy",
                                           query_strategy_name(l->v[i].strategy)));
    return a;
}
