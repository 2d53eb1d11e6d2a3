/* query.c: keyword query generation (query.h).
 *
 * Terms are counted by stem across the context's fields, each field with a
 * weight (the ideal customer and industries say most about whom to find),
 * after dropping stop words, numbers and words that describe any company
 * ("solutions", "leading", "powered"). Queries are then assembled from
 * templates per strategy, so each one looks for leads in a different way.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/str.h"
#include "query/query.h"
#include "text/text.h"

static const char *const strategy_names[QUERY_NSTRATEGIES] = {"user", "combined", "industry",
                                                              "pain", "signal",   "location"};

const char *query_strategy_name(enum query_strategy s)
{
    return (unsigned)s < QUERY_NSTRATEGIES ? strategy_names[s] : "unknown";
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
    size_t lo = 0, hi = sizeof filler / sizeof *filler;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        size_t wl = strlen(filler[mid]);
        int c = memcmp(filler[mid], tok, wl < len ? wl : len);
        if (c == 0)
            c = wl < len ? -1 : wl > len ? 1 : 0;
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
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

struct builder {
    struct query_list *out;
    size_t max;
};

/* Adds a query unless the list is full or holds the same words already. */
static void add(struct builder *b, enum query_strategy s, const char *text)
{
    char *q = str_trim_dup(text);
    /* collapse inner runs of spaces */
    char *w = q;
    for (char *r = q; *r; r++)
        if (*r != ' ' || (w > q && w[-1] != ' '))
            *w++ = *r;
    *w = '\0';
    bool dup = !*q;
    for (size_t i = 0; !dup && i < b->out->n; i++)
        dup = strcasecmp(b->out->v[i].text, q) == 0;
    if (dup || b->out->n >= b->max) {
        free(q);
        return;
    }
    b->out->v[b->out->n].text = q;
    b->out->v[b->out->n].strategy = s;
    b->out->n++;
}

/* The first n words of terms, space-separated, into out. */
static void top_words(const struct query_terms *t, size_t skip, size_t n, struct buf *out)
{
    for (size_t i = skip; i < t->n && i < skip + n; i++) {
        if (out->len && buf_putc(out, ' '))
            return;
        if (buf_puts(out, t->v[i].word))
            return;
    }
}

/* Location items: "United States, Canada" -> "United States", "Canada". */
static size_t split_places(const char *s, char places[][64], size_t max)
{
    size_t n = 0;
    while (*s && n < max) {
        size_t k = strcspn(s, ",;/|");
        const char *p = s;
        size_t len = k;
        while (len && isspace((unsigned char)*p))
            p++, len--;
        while (len && isspace((unsigned char)p[len - 1]))
            len--;
        if (len && len < 64) {
            memcpy(places[n], p, len);
            places[n][len] = '\0';
            n++;
        }
        s += k;
        if (*s)
            s++;
    }
    return n;
}

void query_generate(const struct request *req, size_t max, struct query_list *out)
{
    const struct business_context *ctx = &req->ctx;
    if (!max)
        max = QUERY_DEFAULT_MAX;
    out->v = xcalloc(max, sizeof *out->v);
    out->n = 0;
    struct builder b = {out, max};
    struct query_terms cust, prod;
    query_key_terms(ctx, 0, &cust);
    query_key_terms(ctx, 1, &prod);
    struct buf q;
    buf_init(&q, 1024);
    const char *industry = ctx->industry_focus.n ? ctx->industry_focus.v[0] : NULL;
    const char *product = prod.n ? prod.v[0].word : "";
    int rc = 0;

    /* The user's own words come first, alone and with the context's. */
    if (*req->user_search_query) {
        add(&b, QUERY_USER, req->user_search_query);
        buf_reset(&q);
        rc |= buf_printf(&q, "%s ", req->user_search_query);
        top_words(&cust, 0, 2, &q);
        add(&b, QUERY_COMBINED, buf_cstr(&q));
    }
    /* Industry and customer: one query per industry (at most two). */
    for (size_t i = 0; i < ctx->industry_focus.n && i < 2; i++) {
        buf_reset(&q);
        rc |= buf_printf(&q, "%s ", ctx->industry_focus.v[i]);
        top_words(&cust, 0, 3, &q);
        add(&b, QUERY_INDUSTRY, buf_cstr(&q));
    }
    if (!ctx->industry_focus.n && cust.n) {
        buf_reset(&q);
        top_words(&cust, 0, 4, &q);
        add(&b, QUERY_INDUSTRY, buf_cstr(&q));
    }
    /* Each pain point, anchored in the industry or customer. */
    for (size_t i = 0; i < ctx->pain_points.n && i < 3; i++) {
        buf_reset(&q);
        rc |= buf_printf(&q, "%s ", ctx->pain_points.v[i]);
        if (industry)
            rc |= buf_puts(&q, industry);
        else
            top_words(&cust, 0, 1, &q);
        add(&b, QUERY_PAIN, buf_cstr(&q));
    }
    /* Buying signals: looking for, evaluating or migrating, a competitor. */
    if (*product) {
        buf_reset(&q);
        rc |= buf_printf(&q, "looking for %s evaluating migrating from spreadsheets hiring ",
                         product);
        top_words(&cust, 0, 1, &q);
        add(&b, QUERY_SIGNAL, buf_cstr(&q));
    }
    if (ctx->competitors.n) {
        buf_reset(&q);
        rc |= buf_printf(&q, "%s alternative replacing %s ", ctx->competitors.v[0], product);
        if (industry)
            rc |= buf_puts(&q, industry);
        add(&b, QUERY_SIGNAL, buf_cstr(&q));
    }
    /* Location: the customer in each named place (at most two). */
    char places[4][64];
    size_t nplaces = split_places(*ctx->location ? ctx->location : ctx->target_market, places, 4);
    for (size_t i = 0; i < nplaces && i < 2; i++) {
        buf_reset(&q);
        if (industry)
            rc |= buf_printf(&q, "%s ", industry);
        top_words(&cust, industry ? 1 : 0, 2, &q);
        rc |= buf_printf(&q, " %s", places[i]);
        add(&b, QUERY_LOCATION, buf_cstr(&q));
    }
    /* Nothing but a description: its own key terms. */
    if (out->n == 0) {
        buf_reset(&q);
        top_words(&prod, 0, 5, &q);
        add(&b, QUERY_INDUSTRY, buf_cstr(&q));
    }
    (void)rc; /* a capped query is still a query */
    buf_release(&q);
    query_terms_release(&cust);
    query_terms_release(&prod);
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
