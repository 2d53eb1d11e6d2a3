/* score.c: signals, the four scores and prospect_score, evidence, insights,
 * the qualification summary, the analysis and the final package.
 *
 * Every number here is documented in docs/scoring.md; change them together.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <pcre2.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/str.h"
#include "enrich/enrich_int.h"

#define MAX_EVIDENCE 4  /* per score */
#define SURE_CODE 0.6   /* a lead's code scored this high is read surely */
#define ALTERNATIVE 0.8 /* of the first code's score, for another to count */
#define FIT_SAME 0.99   /* industry fit: the lead's trade is a kind named */
#define FIT_CLOSE 0.5   /* industry fit: near enough to say so, with evidence */
/* icp_fit_score: the weights of its parts, and the score of a part the
 * pages do not tell */
#define ICP_W_INDUSTRY 0.60
#define ICP_W_LOCATION 0.25
#define ICP_W_SIZE 0.15
#define ICP_UNKNOWN 0.4

/* ---- the business context, prepared once per job ---- */

struct pain {
    char *text;
    struct enrich__terms terms; /* own words weight 1, expansions 0.5 */
};

struct enrich_context {
    struct enrich_weights w;
    int64_t now_ms;
    struct pain *pains;
    size_t npains;
    struct enrich__terms product; /* what the user sells: relevance of hiring/evaluating */
    char **competitors;
    size_t ncompetitors;
    struct industry_kind kinds[INDUSTRY_MAX_KINDS]; /* from industry_focus and the ideal customer */
    size_t nkinds;                                  /* of them with codes */
    struct enrich__terms
        unknown[INDUSTRY_MAX_KINDS]; /* the stems of kinds the index does not know */
    char unknown_name[INDUSTRY_MAX_KINDS][INDUSTRY_KIND_NAME];
    size_t nunknown;
    int size_min, size_max; /* from the ideal customer, 0 when not said */
    char countries[32][3];  /* from location and target market */
    size_t ncountries;
    char regions[16][8]; /* states, provinces: "US-IL" */
    size_t nregions;
    bool any_location; /* a location was given at all */
    enrich_dense_fn dense;
    void *dense_data;
};

/* Concepts of common B2B pains, so that "fall through the cracks" meets
 * "poor lead tracking": each row's words expand a pain that has any of them.
 * Stems (Snowball English). */
static const char *const concepts[] = {
    "manual spreadsheet excel hand copi past rekey paperwork whiteboard",
    "track lost lose crack follow sticki forgot miss",
    "late delay miss window deliveri slow",
    "cost expens margin squeez price fuel budget",
    "secur ransomwar breach attack threat cyber protect",
    "complianc audit hipaa gdpr regul polici certif",
    "outdat legaci old age upgrad replac",
    "rout dispatch plan schedul",
    "lead pipelin prospect sale crm",
};

static void expand(struct enrich__terms *t)
{
    size_t own = t->n;
    for (size_t c = 0; c < sizeof concepts / sizeof *concepts; c++) {
        bool hit = false;
        for (const char *w = concepts[c]; *w && !hit;) {
            size_t k = strcspn(w, " ");
            for (size_t i = 0; i < own && !hit; i++)
                hit = strlen(t->v[i].stem) == k && strncmp(t->v[i].stem, w, k) == 0;
            w += k + (w[k] == ' ');
        }
        for (const char *w = concepts[c]; hit && *w;) {
            size_t k = strcspn(w, " ");
            enrich__terms_add(t, w, k, 0.5);
            w += k + (w[k] == ' ');
        }
    }
}

/* "10-100 employees", "20 to 200 staff", "50-500" */
static void size_range(const char *s, int *lo, int *hi)
{
    *lo = *hi = 0;
    for (const char *p = s; *p; p++) {
        if (!isdigit((unsigned char)*p) || (p > s && isdigit((unsigned char)p[-1])))
            continue;
        char *end;
        long a = strtol(p, &end, 10);
        const char *q = end;
        while (*q == ' ')
            q++;
        if (*q == '-' || strncmp(q, "to ", 3) == 0 || (unsigned char)*q == 0xE2) {
            q += *q == '-' ? 1 : *q == 't' ? 3 : 3; /* '-', "to ", or an en dash */
            while (*q == ' ')
                q++;
            long b = strtol(q, &end, 10);
            if (end != q && b > a && a >= 1) {
                *lo = (int)a;
                *hi = (int)b;
                return;
            }
        }
    }
}

struct region {
    const char *name;  /* lower case, matched as a word */
    const char *codes; /* space-separated ISO codes */
};

static const struct region regions[] = {
    {"north america", "US CA"},
    {"united states", "US"},
    {"usa", "US"},
    {"us", "US"},
    {"america", "US"},
    {"canada", "CA"},
    {"united kingdom", "GB"},
    {"uk", "GB"},
    {"britain", "GB"},
    {"england", "GB"},
    {"ireland", "IE"},
    {"germany", "DE"},
    {"deutschland", "DE"},
    {"france", "FR"},
    {"netherlands", "NL"},
    {"spain", "ES"},
    {"sweden", "SE"},
    {"australia", "AU"},
    {"new zealand", "NZ"},
    {"dach", "DE AT CH"},
    {"benelux", "BE NL LU"},
    {"nordics", "SE NO DK FI IS"},
    {"europe", "GB IE DE FR NL ES SE IT PT BE AT CH DK NO FI PL"},
    {"european", "GB IE DE FR NL ES SE IT PT BE AT CH DK NO FI PL"},
    {"emea", "GB IE DE FR NL ES SE IT PT BE AT CH DK NO FI PL"},
};

static bool has_word(const char *hay, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = hay; (p = strcasestr(p, word)) != NULL; p++) {
        bool left = p == hay || !isalnum((unsigned char)p[-1]);
        bool right = !isalnum((unsigned char)p[n]);
        if (left && right)
            return true;
    }
    return false;
}

static void add_country(struct enrich_context *c, const char *code, size_t n)
{
    if (n != 2 || c->ncountries >= 32)
        return;
    for (size_t i = 0; i < c->ncountries; i++)
        if (strncmp(c->countries[i], code, 2) == 0)
            return;
    memcpy(c->countries[c->ncountries], code, 2);
    c->countries[c->ncountries++][2] = '\0';
}

/* Whether w[0, n) is written as an abbreviation: capitals and dots. */
static bool abbreviation(const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (islower((unsigned char)w[i]))
            return false;
    return true;
}

/* Whether w follows a city: "Austin, TX" (a word with small letters and a
 * comma before it), not a list of codes ("DE, AT, CH"; "US, CA"). */
static bool after_city(const char *s, const char *w)
{
    const char *p = w;
    while (p > s && p[-1] == ' ')
        p--;
    if (p == s || p[-1] != ',')
        return false;
    p--;
    const char *e = p;
    while (p > s && isalpha((unsigned char)p[-1]))
        p--;
    return e > p && !abbreviation(p, (size_t)(e - p));
}

/* US states, Canadian provinces, Australian states named in s ("Texas",
 * "Austin, TX"), each a region of its country. An abbreviation counts only
 * after a city or alone: "DE, AT, CH" are countries, "MS Dynamics" is no
 * state. */
static void regions_of(struct enrich_context *c, const char *s)
{
    for (const char *p = s; *p && c->nregions < 16;) {
        while (*p && !isalpha((unsigned char)*p))
            p++;
        const char *w = p;
        while (*p && (isalpha((unsigned char)*p) || *p == '.'))
            p++;
        if (p == w)
            continue;
        /* one word ("Texas", "TX") or two ("New York") */
        const char *code = NULL;
        const char *two = p;
        if (*two == ' ' && isalpha((unsigned char)two[1])) {
            const char *e = two + 1;
            while (isalpha((unsigned char)*e))
                e++;
            char *pair = xstrndup(w, (size_t)(e - w));
            code = extract_region_code(pair, NULL);
            free(pair);
            if (code)
                p = e;
        }
        if (!code &&
            (!abbreviation(w, (size_t)(p - w)) || after_city(s, w) || str_count_words(s) == 1)) {
            char *one = xstrndup(w, (size_t)(p - w));
            code = extract_region_code(one, NULL);
            free(one);
        }
        if (!code)
            continue;
        bool dup = false;
        for (size_t i = 0; i < c->nregions; i++)
            dup = dup || strcmp(c->regions[i], code) == 0;
        if (!dup) {
            snprintf(c->regions[c->nregions++], sizeof c->regions[0], "%s", code);
            add_country(c, code, 2);
            c->any_location = true;
        }
    }
}

static void places(struct enrich_context *c, const char *s)
{
    if (!s || !*s)
        return;
    regions_of(c, s);
    /* each part of a list that names a country ("Italy, DE, AT") */
    for (const char *p = s; *p;) {
        size_t n = strcspn(p, ",;/\n");
        char *part = xstrndup(p, n);
        const char *code = extract_country_code(part);
        if (code && !after_city(s, p + strspn(p, " "))) {
            add_country(c, code, strlen(code));
            c->any_location = true;
        }
        free(part);
        p += n + (p[n] != '\0');
    }
    for (size_t i = 0; i < sizeof regions / sizeof *regions; i++) {
        /* "us" only as a capitalised country word, not the pronoun */
        if (strcmp(regions[i].name, "us") == 0 ? !strstr(s, "US") : !has_word(s, regions[i].name))
            continue;
        c->any_location = true;
        for (const char *p = regions[i].codes; *p;) {
            size_t k = strcspn(p, " ");
            add_country(c, p, k);
            p += k + (p[k] == ' ');
        }
    }
}

struct enrich_context *enrich_context_new(const struct business_context *bc,
                                          const struct enrich_weights *w, int64_t now_ms)
{
    struct enrich_context *c = xcalloc(1, sizeof *c);
    double sum = w->pain + w->intent + w->urgency + w->icp;
    c->w = *w;
    if (sum <= 0) { /* the defaults: fit first */
        c->w.icp = 0.70;
        c->w.pain = 0.15;
        c->w.intent = 0.10;
        c->w.urgency = 0.05;
    } else {
        c->w.pain /= sum, c->w.intent /= sum, c->w.urgency /= sum, c->w.icp /= sum;
    }
    c->now_ms = now_ms;
    struct text_stemmer *st = text_stemmer_new();
    c->pains = xcalloc(bc->pain_points.n ? bc->pain_points.n : 1, sizeof *c->pains);
    for (size_t i = 0; i < bc->pain_points.n; i++) {
        struct pain *p = &c->pains[c->npains];
        p->text = xstrdup(bc->pain_points.v[i]);
        enrich__stems(st, p->text, strlen(p->text), &p->terms);
        if (!p->terms.n) {
            free(p->text);
            continue;
        }
        expand(&p->terms);
        c->npains++;
    }
    const char *prod[] = {bc->product_service_description, bc->business_description,
                          bc->value_proposition};
    for (size_t i = 0; i < 3; i++)
        enrich__stems(st, prod[i], strlen(prod[i]), &c->product);
    c->competitors = xcalloc(bc->competitors.n + 1, sizeof *c->competitors);
    for (size_t i = 0; i < bc->competitors.n; i++)
        c->competitors[c->ncompetitors++] = xstrdup(bc->competitors.v[i]);
    /* the kinds of customer, as codes: each industry focus, each kind the
     * ideal customer lists (those the index knows) */
    struct industry_kind k[INDUSTRY_MAX_KINDS];
    bool focus[INDUSTRY_MAX_KINDS];
    size_t nk = industry_context_kinds(bc, k, focus);
    for (size_t i = 0; i < nk; i++) {
        if (k[i].ncodes) {
            c->kinds[c->nkinds++] = k[i];
        } else if (c->nunknown < INDUSTRY_MAX_KINDS &&
                   str_count_words(k[i].name) <= INDUSTRY_KIND_MAX_WORDS) {
            /* "underwater basket weaving": a kind known by its words alone */
            struct enrich__terms *t = &c->unknown[c->nunknown];
            enrich__stems(st, k[i].name, strlen(k[i].name), t);
            if (t->n)
                snprintf(c->unknown_name[c->nunknown++], INDUSTRY_KIND_NAME, "%s", k[i].name);
            else
                enrich__terms_release(t);
        }
    }
    text_stemmer_free(st);
    size_range(bc->ideal_customer, &c->size_min, &c->size_max);
    if (!c->size_max)
        size_range(bc->target_market, &c->size_min, &c->size_max);
    places(c, bc->location);
    places(c, bc->target_market);
    return c;
}

void enrich_context_set_dense(struct enrich_context *ctx, enrich_dense_fn fn, void *data)
{
    ctx->dense = fn;
    ctx->dense_data = data;
}

void enrich_context_free(struct enrich_context *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->npains; i++) {
        free(c->pains[i].text);
        enrich__terms_release(&c->pains[i].terms);
    }
    free(c->pains);
    enrich__terms_release(&c->product);
    for (size_t i = 0; i < c->nunknown; i++)
        enrich__terms_release(&c->unknown[i]);
    for (size_t i = 0; i < c->ncompetitors; i++)
        free(c->competitors[i]);
    free(c->competitors);
    free(c);
}

/* ---- evidence ---- */

/* Adds evidence to s: the passage p (or, for a signal seen in markup, NULL
 * with what was seen in detail, at url). Returns it, for the caller to say
 * what it shows; NULL when s is full or quotes p already. */
static struct enrich_evidence *add_ev(struct enrich_score *s, const struct enrich_passage *p,
                                      const char *signal, const char *detail, const char *url)
{
    for (size_t i = 0; i < s->nev; i++) /* one quote per score once */
        if (p && s->ev[i].quote && s->ev[i].url && strcmp(s->ev[i].url, p->url) == 0 &&
            strlen(s->ev[i].quote) == p->end - p->start &&
            strncmp(s->ev[i].quote, p->text + p->start, p->end - p->start) == 0)
            return NULL;
    if (s->nev >= MAX_EVIDENCE)
        return NULL;
    s->ev = xrealloc(s->ev, (s->nev + 1) * sizeof *s->ev);
    struct enrich_evidence *e = &s->ev[s->nev++];
    e->quote = p ? xstrndup(p->text + p->start, p->end - p->start) : NULL;
    e->url = xstrdup(p ? p->url : url ? url : "");
    e->signal = xstrdup(signal);
    e->detail = detail ? xstrdup(detail) : NULL;
    e->shows = NULL;
    return e;
}

/* What a signal shows, in words, for evidence that did not say it itself. */
static char *shows_of(const char *signal)
{
    static const struct {
        const char *signal, *shows;
    } words[] = {
        {"hiring_relevant_role", "it is hiring for a role close to what you sell"},
        {"hiring", "it is hiring, so it is growing"},
        {"evaluating_or_migrating", "it is evaluating, replacing or moving off a tool like yours"},
        {"request_for_proposals", "it is asking vendors for proposals"},
        {"growth_or_funding", "it is growing or newly funded"},
        {"competitor_named", "it names a competitor of yours while it considers a change"},
        {"deadline", "it names a deadline for the change"},
        {"recent_signal", "its buying signal is recent"},
        {"dated_signal", "its buying signal is dated, and not recent"},
        {"pace_of_growth", "it is growing fast"},
        {"pressing_problem", "it calls a problem urgent or costly"},
    };
    if (!strncmp(signal, "pain:", 5))
        return xasprintf("it speaks about the pain \"%s\"", signal + 5);
    if (!strncmp(signal, "competitor_technology:", 22))
        return xasprintf("its site loads %s, a competitor's product", signal + 22);
    if (!strncmp(signal, "llm:", 4))
        return xasprintf("the LLM's reading (%s) of this passage", signal + 4);
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (!strcmp(signal, words[i].signal))
            return xstrdup(words[i].shows);
    return xasprintf("a %s signal", signal);
}

void enrich_evidence_put(struct enrich_score *s, const char *quote, const char *url,
                         const char *signal)
{
    if (s->nev == MAX_EVIDENCE) {
        struct enrich_evidence *last = &s->ev[--s->nev];
        free(last->quote);
        free(last->url);
        free(last->signal);
        free(last->detail);
        free(last->shows);
    }
    s->ev = xrealloc(s->ev, (s->nev + 1) * sizeof *s->ev);
    memmove(s->ev + 1, s->ev, s->nev * sizeof *s->ev);
    s->nev++;
    s->ev[0] = (struct enrich_evidence){xstrdup(quote), xstrdup(url), xstrdup(signal), NULL, NULL};
}

void enrich_rescore(const struct enrich_context *c, struct enrich_result *r)
{
    r->prospect = c->w.pain * r->pain.value + c->w.intent * r->intent.value +
                  c->w.urgency * r->urgency.value + c->w.icp * r->icp.value;
    r->qualified = r->prospect >= c->w.qualify;
}

size_t enrich_retrieve(const struct enrich_context *c, const struct enrich_passages *ps, size_t k,
                       size_t *idx)
{
    size_t n = 0;
    if (!ps->n || !k)
        return 0;
    /* Who the company is: the opening passages of the first page. */
    for (size_t i = 0; i < ps->n && n < 3 && n < k; i++)
        if (ps->v[i].url == ps->v[0].url)
            idx[n++] = i;
    struct enrich__index ix;
    struct text_stemmer *st = text_stemmer_new();
    enrich__index_build(&ix, ps, st);
    text_stemmer_free(st);
    double *scores = xcalloc(ps->n, sizeof *scores);
    /* Round robin over the queries, so every pain point gets its best. */
    size_t nq = c->npains + 1;
    size_t *best = xcalloc(nq * 3, sizeof *best);
    size_t *nbest = xcalloc(nq, sizeof *nbest);
    for (size_t q = 0; q < nq; q++) {
        const struct enrich__terms *t = q < c->npains ? &c->pains[q].terms : &c->product;
        enrich__bm25(&ix, t, scores);
        for (size_t r = 0; r < 3; r++) {
            size_t top = SIZE_MAX;
            for (size_t i = 0; i < ps->n; i++) {
                bool taken = false;
                for (size_t m = 0; m < nbest[q]; m++)
                    taken |= best[q * 3 + m] == i;
                if (!taken && scores[i] > 0 && (top == SIZE_MAX || scores[i] > scores[top]))
                    top = i;
            }
            if (top != SIZE_MAX)
                best[q * 3 + nbest[q]++] = top;
        }
    }
    for (size_t r = 0; r < 3; r++)
        for (size_t q = 0; q < nq && n < k; q++) {
            if (r >= nbest[q])
                continue;
            size_t cand = best[q * 3 + r];
            bool dup = false;
            for (size_t m = 0; m < n; m++)
                dup |= idx[m] == cand;
            if (!dup)
                idx[n++] = cand;
        }
    free(best);
    free(nbest);
    free(scores);
    enrich__index_release(&ix);
    return n;
}

static double noisy_or(double acc, double w)
{
    return 1.0 - (1.0 - acc) * (1.0 - w);
}

/* ---- signal patterns ---- */

enum sig {
    SIG_HIRING,
    SIG_EVALUATING,
    SIG_RFP,
    SIG_GROWTH,
    SIG_DEADLINE,
    SIG_PACE,
    SIG_URGENT_WORDS,
    SIG_CHALLENGE,
    SIG_SERVICE,
    SIG_N
};

static const char *const sig_patterns[SIG_N] = {
    /* said only by a company of itself: "hiring" alone is anyone's advice */
    [SIG_HIRING] = "\\b(?:we(?:'re| are) (?:hiring|recruiting)|now (?:hiring|recruiting)|"
                   "open (?:role|position)s\\b|join (?:us as|our team)|vacanc(?:y|ies)|"
                   "job openings?)",
    [SIG_EVALUATING] = "\\b(?:evaluat(?:e|ing)|migrat(?:e|ing)|replac(?:e|ing)|switch(?:ing)? from|"
                       "looking for (?:a |an |new |better )|outgrown|reviewing alternatives|"
                       "selecting an? |shortlist|moving (?:away )?from)",
    [SIG_RFP] = "\\b(?:request for proposals?|RFP|invite vendors|tender|submit (?:a )?proposals?|"
                "call for bids)",
    [SIG_GROWTH] = "\\b(?:raised|series [a-e]\\b|seed round|funding|investment round|opened a "
                   "(?:new|second) (?:office|depot|location|site)|doubled|expanding|expansion|"
                   "grew \\d+|growth funding|new depot|added \\d+ (?:vehicles|people|staff))",
    [SIG_DEADLINE] = "\\b(?:deadline\\b|due (?:by|on)|by (?:\\d{1,2} )?(?:january|february|march|"
                     "april|may|june|july|august|september|october|november|december)|"
                     "before the (?:next|end of)|this quarter|this year)",
    [SIG_PACE] = "\\b(?:doubled|tripled|fast[- ]growing|rapid(?:ly)? grow|grew \\d+ ?%|\\d+ ?% "
                 "growth|keep hiring)",
    [SIG_URGENT_WORDS] = "\\b(?:urgent(?:ly)?|asap|immediately|priority|cost us|lost (?:two|\\d+|"
                         "several|major)|squeez)",
    [SIG_CHALLENGE] = "\\b(?:still (?:on|use|using|manage|track|plan)|struggl|challeng|problem|"
                      "too much time|by hand|manual(?:ly)?|slow(?:ing)?|costly|burden|outdated|"
                      "ageing|aging|fall(?:s)? through|missed|late\\b)",
    [SIG_SERVICE] = "\\b(?:we (?:provide|offer|build|help|specialis|specializ|deliver|produce|"
                    "manufacture|install|distribute|advise|design|develop|run|manage|sell|"
                    "operate|focus on)|specialising in|specializing in)",
};

static pcre2_code *sig_re[SIG_N];
static pthread_once_t sig_once = PTHREAD_ONCE_INIT;

static void compile_signals(void)
{
    for (int i = 0; i < SIG_N; i++) {
        int code;
        PCRE2_SIZE off;
        sig_re[i] = pcre2_compile((PCRE2_SPTR)sig_patterns[i], PCRE2_ZERO_TERMINATED,
                                  PCRE2_CASELESS | PCRE2_UTF, &code, &off, NULL);
        if (!sig_re[i])
            abort(); /* built in; covered by the tests */
        pcre2_jit_compile(sig_re[i], PCRE2_JIT_COMPLETE);
    }
}

static bool sig_in(enum sig s, const struct enrich_passage *p, pcre2_match_data *md)
{
    return pcre2_match(sig_re[s], (PCRE2_SPTR)(p->text + p->start), p->end - p->start, 0,
                       PCRE2_NO_UTF_CHECK, md, NULL) >= 0;
}

/* ---- dates, for urgency ---- */

static const char *const months[] = {"january",   "february", "march",    "april",
                                     "may",       "june",     "july",     "august",
                                     "september", "october",  "november", "december"};

/* The latest "Month YYYY" or "YYYY-MM-DD" in a passage, as months since
 * year 0; 0 when none. */
static int month_stamp(const char *s, size_t n)
{
    int best = 0;
    for (size_t i = 0; i + 8 < n; i++) {
        for (int m = 0; m < 12; m++) {
            size_t ml = strlen(months[m]);
            if (i + ml + 5 <= n && strncasecmp(s + i, months[m], ml) == 0 && s[i + ml] == ' ' &&
                isdigit((unsigned char)s[i + ml + 1]) && isdigit((unsigned char)s[i + ml + 4])) {
                int y = (int)strtol(s + i + ml + 1, NULL, 10);
                if (y > 1990 && y < 2200 && y * 12 + m > best)
                    best = y * 12 + m;
            }
        }
        if (isdigit((unsigned char)s[i]) && i + 10 <= n && s[i + 4] == '-' && s[i + 7] == '-') {
            int y = (int)strtol(s + i, NULL, 10), m = (int)strtol(s + i + 5, NULL, 10) - 1;
            if (y > 1990 && y < 2200 && m >= 0 && m < 12 && y * 12 + m > best)
                best = y * 12 + m;
        }
    }
    return best;
}

static int now_stamp(int64_t now_ms)
{
    time_t t = (time_t)(now_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    return (tm.tm_year + 1900) * 12 + tm.tm_mon;
}

/* ---- passages that are no sentences ---- */

/* What a passage is, besides a sentence. Neither kind is ever evidence
 * of pain or intent; a heading may still name a kind of customer. */
enum passage_kind {
    P_SENTENCE,
    P_FURNITURE, /* a few words without a full stop, a menu or a heading, an
                    address (words in capitals only) */
    P_CONTACT,   /* a line with an e-mail address or a phone number */
};

/* Whether s[0, n) (digits and the marks between them) is a date:
 * "2026-10-02", "10/02/2026", "02.10.26". */
static bool date_run(const char *s, size_t n)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '.')) /* "... on 2026-10-02." */
        n--;
    while (n && *s == ' ')
        s++, n--;
    size_t len[3] = {0}, groups = 0;
    char sep = 0;
    for (size_t i = 0; i < n; i++) {
        if (isdigit((unsigned char)s[i])) {
            len[groups]++;
        } else {
            if ((sep && s[i] != sep) || !len[groups] || ++groups > 2)
                return false;
            sep = s[i];
        }
    }
    if (groups != 2 || !strchr("-/.", sep) || !len[2])
        return false;
    bool year_first = len[0] == 4 && len[1] <= 2 && len[2] <= 2;
    bool year_last = len[0] <= 2 && len[1] <= 2 && (len[2] == 4 || len[2] == 2);
    return year_first || year_last;
}

/* A phone number: a run of digits, spaces and ()+.-/ with seven digits or
 * more that is not a date. */
static bool has_phone(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t j = i, digits = 0;
        while (j < n && (isdigit((unsigned char)s[j]) || strchr(" ()+.-/", s[j]))) {
            digits += isdigit((unsigned char)s[j]) != 0;
            j++;
        }
        if (digits >= 7 && !date_run(s + i, j - i))
            return true;
        i = j + (j == i);
    }
    return false;
}

static enum passage_kind passage_kind(const struct enrich_passage *p)
{
    const char *s = p->text + p->start;
    size_t n = p->end - p->start;
    if (memchr(s, '@', n) || has_phone(s, n))
        return P_CONTACT;
    int words = 0, capitals = 0;
    bool in = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        bool w = isalpha(ch) != 0;
        if (w && !in) {
            words++;
            capitals += isupper(ch) != 0;
        }
        in = w || (in && (ch == '\'' || ch == '-'));
    }
    char last = n ? s[n - 1] : 0;
    bool sentence = last == '.' || last == '!' || last == '?' || last == ':';
    if (words < 4 || (words < 6 && !sentence) || capitals * 10 >= words * 8)
        return P_FURNITURE;
    return P_SENTENCE;
}

/* Who a sentence speaks for. A buying signal is the company's own ("we
 * are evaluating", "we raised"); a sentence addressed to the reader ("If
 * you're looking for...", "Consider replacing your...") is advice or a
 * pitch, and one in the third person is about someone else (a news page's
 * "Acme opened a new office"). */
enum voice {
    V_OTHER,
    V_SELF,   /* we, our, us; no you */
    V_READER, /* you, your */
};

struct voice_scan {
    const char *text;
    bool we;
};

static int voice_token(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
    static const char *const self[] = {"our", "ours", "us", "we"}; /* sorted */
    static const char *const reader[] = {"you", "your", "yours"};
    struct voice_scan *v = ctx;
    (void)end;
    if (text_in_sorted(reader, 3, tok, len))
        return 1; /* addressed to the reader: no need to read on */
    /* "US", the country, is not us */
    v->we = v->we || (text_in_sorted(self, 4, tok, len) && strncmp(v->text + start, "US", 2) != 0);
    return 0;
}

static enum voice passage_voice(const struct enrich_passage *p)
{
    struct voice_scan v = {.text = p->text + p->start};
    if (text_tokenize(p->text + p->start, p->end - p->start, voice_token, &v))
        return V_READER;
    return v.we ? V_SELF : V_OTHER;
}

/* ---- industry fit ---- */

struct fit {
    double value;                       /* in [0, 1]; -1 when the lead's trade is unknown */
    size_t code;                        /* the lead's code that fits best (index in naics) */
    size_t kind;                        /* the kind of customer it fits */
    const struct enrich_passage *named; /* a kind the index does not know, named here */
};

/* How near a lead's trade is to the kinds of customer named: the best
 * closeness in the NAICS tree of any of its codes to any of theirs, each of
 * its codes weighed by how surely the pages name it. A kind the index does
 * not know fits (0.9) a lead whose pages name it in a sentence or heading
 * (ps, ix and kind may be NULL: not known then). */
static struct fit industry_fit(const struct enrich_context *c, const struct extract_lead *l,
                               const struct enrich_passages *ps, const struct enrich__index *ix,
                               const unsigned char *kind)
{
    struct fit f = {0, 0, 0, NULL};
    if (!c->nkinds && !c->nunknown) {
        f.value = 1; /* no kind named: every trade is welcome */
        return f;
    }
    for (size_t i = 0; i < l->nnaics; i++) {
        /* an alternative counts only when the pages name it nearly as
         * surely as their first (a dentist's article on new year's
         * resolutions is not also a gym), and in the same sector when the
         * first is sure: a business named in another sector is a
         * customer's (the accountants an accounting software serves, the
         * clinics of a health insurer) */
        if (l->naics[i].score < ALTERNATIVE * l->naics[0].score)
            break;
        if (i && l->naics[0].score >= SURE_CODE &&
            strcmp(industry_sector(l->naics[i].code), industry_sector(l->naics[0].code)) != 0)
            continue;
        double sure = l->naics[i].score / SURE_CODE;
        if (sure > 1)
            sure = 1;
        for (size_t k = 0; k < c->nkinds; k++)
            for (size_t t = 0; t < c->kinds[k].ncodes; t++) {
                double v = industry_similarity(l->naics[i].code, c->kinds[k].codes[t].code) * sure;
                if (v > f.value)
                    f = (struct fit){v, i, k, NULL};
            }
    }
    for (size_t u = 0; ps && u < c->nunknown && f.value < 0.9; u++)
        for (size_t k = 0; k < ps->n; k++)
            if (kind[k] != P_CONTACT && enrich__coverage(&ix->terms[k], &c->unknown[u]) >= 0.99) {
                f = (struct fit){0.9, 0, u, &ps->v[k]};
                break;
            }
    /* a trade read weakly (or not at all) that fits nothing is not known
     * to be outside; nor is any lead when the passages were not read */
    bool sure = l->nnaics && l->naics[0].score >= SURE_CODE;
    if (f.value < 0.3 && (!sure || (!ps && c->nunknown)))
        f.value = -1;
    return f;
}

/* The first passage holding needle (case-insensitive), for evidence. */
static const struct enrich_passage *find_passage(const struct enrich_passages *ps,
                                                 const char *needle)
{
    if (!needle || !*needle)
        return NULL;
    for (size_t i = 0; i < ps->n; i++) {
        const struct enrich_passage *p = &ps->v[i];
        char *s = xstrndup(p->text + p->start, p->end - p->start);
        bool hit = strcasestr(s, needle) != NULL;
        free(s);
        if (hit)
            return p;
    }
    return NULL;
}

/* ---- the scores ---- */

struct work {
    const struct enrich_context *c;
    const struct extract_lead *lead;
    struct enrich_passages ps;
    struct enrich__index ix;
    pcre2_match_data *md;
    double *scores;
    struct enrich_result *r;
    unsigned char *kind;  /* per passage: enum passage_kind */
    unsigned char *voice; /* per passage: enum voice */
    bool relevant_hiring, evaluating, rfp, growth, competitor, competitor_tech;
    const char *competitor_name;
    int newest_signal; /* month stamp of the newest dated intent passage */
    const struct enrich_passage *deadline;
};

static void score_pain(struct work *w)
{
    const struct enrich_context *c = w->c;
    double strength = 0;
    size_t met = 0;
    for (size_t i = 0; i < c->npains; i++) {
        const struct pain *p = &c->pains[i];
        enrich__bm25(&w->ix, &p->terms, w->scores);
        if (c->dense) { /* dense similarity joins the lexical score */
            const char **texts = xcalloc(w->ps.n ? w->ps.n : 1, sizeof *texts);
            char **owned = xcalloc(w->ps.n ? w->ps.n : 1, sizeof *owned);
            for (size_t k = 0; k < w->ps.n; k++)
                texts[k] = owned[k] =
                    xstrndup(w->ps.v[k].text + w->ps.v[k].start, w->ps.v[k].end - w->ps.v[k].start);
            double *sims = xcalloc(w->ps.n ? w->ps.n : 1, sizeof *sims);
            if (c->dense(c->dense_data, p->text, texts, w->ps.n, sims) == 0)
                for (size_t k = 0; k < w->ps.n; k++)
                    w->scores[k] += 5.0 * sims[k];
            for (size_t k = 0; k < w->ps.n; k++)
                free(owned[k]);
            free(owned);
            free(texts);
            free(sims);
        }
        /* A pain is met by a sentence that speaks about it: all of its own
         * words, or half of them in a sentence about a problem ("still",
         * "struggle", "manual"...). Contact lines, addresses and menu items
         * never count. */
        double best = 0;
        const struct enrich_passage *best_p = NULL;
        for (size_t k = 0; k < w->ps.n; k++) {
            if (w->scores[k] <= 0 || w->kind[k] != P_SENTENCE || w->voice[k] == V_READER)
                continue;
            double cov = enrich__coverage(&w->ix.terms[k], &p->terms);
            if (cov < 0.5 || (cov < 0.99 && !sig_in(SIG_CHALLENGE, &w->ps.v[k], w->md)))
                continue;
            double expansion = 0;
            for (size_t t = 0; t < p->terms.n; t++)
                if (p->terms.v[t].weight < 1 &&
                    enrich__terms_has(&w->ix.terms[k], p->terms.v[t].stem))
                    expansion += 0.25;
            double m = cov + (expansion > 0.5 ? 0.5 : expansion);
            if (m > 1)
                m = 1;
            if (m > best) { /* the first on ties: pages come home page first */
                best = m;
                best_p = &w->ps.v[k];
            }
        }
        if (best_p) {
            char signal[256];
            snprintf(signal, sizeof signal, "pain:%s", p->text);
            add_ev(&w->r->pain, best_p, signal, NULL, NULL);
            met++;
            strength += best;
        }
    }
    if (c->npains)
        w->r->pain.value =
            0.6 * strength / (double)c->npains + 0.4 * (double)met / (double)c->npains;
}

static void score_intent_urgency(struct work *w)
{
    const struct enrich_context *c = w->c;
    double intent = 0;
    int now = now_stamp(c->now_ms);
    bool pace = false, urgent_words = false;
    const struct enrich_passage *pace_p = NULL, *urgent_p = NULL;
    bool prev_buying = false; /* the passage before (same page) was about buying */
    const char *prev_url = NULL;
    for (size_t k = 0; k < w->ps.n; k++) {
        const struct enrich_passage *p = &w->ps.v[k];
        const struct enrich__terms *t = &w->ix.terms[k];
        if (w->kind[k] != P_SENTENCE) /* a menu's "Careers" or "Request a quote" is no signal */
            continue;
        bool own = w->voice[k] == V_SELF; /* the company speaks of itself */
        bool mentions_product = false;    /* the passage is about what the user sells */
        for (size_t i = 0; i < c->product.n && !mentions_product; i++)
            mentions_product = enrich__terms_has(t, c->product.v[i].stem);
        for (size_t i = 0; i < c->npains && !mentions_product; i++)
            mentions_product = enrich__coverage(t, &c->pains[i].terms) >= 0.5;
        bool dated = false;
        if (sig_in(SIG_HIRING, p, w->md)) {
            add_ev(&w->r->intent, p, mentions_product ? "hiring_relevant_role" : "hiring", NULL,
                   NULL);
            intent = noisy_or(intent, mentions_product ? 0.35 : 0.12);
            w->relevant_hiring |= mentions_product;
            dated = true;
        }
        bool evaluating = own && sig_in(SIG_EVALUATING, p, w->md);
        if (evaluating && mentions_product) {
            add_ev(&w->r->intent, p, "evaluating_or_migrating", NULL, NULL);
            intent = noisy_or(intent, 0.4);
            w->evaluating = true;
            dated = true;
        }
        if (sig_in(SIG_RFP, p, w->md)) {
            add_ev(&w->r->intent, p, "request_for_proposals", NULL, NULL);
            intent = noisy_or(intent, 0.45);
            w->rfp = true;
            dated = true;
        }
        if (own && sig_in(SIG_GROWTH, p, w->md)) {
            add_ev(&w->r->intent, p, "growth_or_funding", NULL, NULL);
            intent = noisy_or(intent, 0.15);
            w->growth = true;
            dated = true;
        }
        for (size_t i = 0; i < c->ncompetitors; i++) {
            char *s = xstrndup(p->text + p->start, p->end - p->start);
            bool named = has_word(s, c->competitors[i]);
            free(s);
            if (named && evaluating) { /* about changing, not a mention */
                add_ev(&w->r->intent, p, "competitor_named", NULL, NULL);
                intent = noisy_or(intent, 0.25);
                w->competitor = true;
                w->competitor_name = c->competitors[i];
            }
        }
        if (dated) {
            int stamp = month_stamp(p->text + p->start, p->end - p->start);
            if (stamp > w->newest_signal && stamp <= now + 1)
                w->newest_signal = stamp;
        }
        /* A deadline counts when it is about buying: in the same sentence as
         * the request or evaluation, or in the one right after it. */
        bool buying = sig_in(SIG_RFP, p, w->md) || evaluating;
        bool follows = prev_buying && prev_url == p->url;
        if (!w->deadline && (buying || follows) && sig_in(SIG_DEADLINE, p, w->md))
            w->deadline = p;
        prev_buying = buying;
        prev_url = p->url;
        if (!pace && own && sig_in(SIG_PACE, p, w->md))
            pace = true, pace_p = p;
        if (!urgent_words && own && sig_in(SIG_URGENT_WORDS, p, w->md))
            urgent_words = true, urgent_p = p;
    }
    /* A competitor's product on the site: a replacement conversation. */
    for (size_t t = 0; t < w->lead->technologies.n; t++) {
        for (size_t i = 0; i < c->ncompetitors; i++) {
            const struct extract_value *v = &w->lead->technologies.v[t];
            if (strcasestr(v->value, c->competitors[i]) ||
                strcasestr(c->competitors[i], v->value)) {
                char signal[160], detail[200];
                snprintf(signal, sizeof signal, "competitor_technology:%s", v->value);
                snprintf(detail, sizeof detail, "the site loads %s", v->value);
                add_ev(&w->r->intent, NULL, signal, detail, v->source);
                intent = noisy_or(intent, 0.3);
                w->competitor_tech = true;
                w->competitor_name = c->competitors[i];
            }
        }
    }
    w->r->intent.value = intent;

    /* Urgency: deadlines, recent dated signals, pace, urgent words. */
    double urgency = 0;
    if (w->deadline) {
        add_ev(&w->r->urgency, w->deadline, "deadline", NULL, NULL);
        urgency = noisy_or(urgency, 0.6);
    }
    if (w->newest_signal) {
        int age = now - w->newest_signal; /* months */
        double recency = age <= 3 ? 1.0 : age <= 6 ? 0.7 : age <= 12 ? 0.4 : 0.1;
        for (size_t i = 0; i < w->r->intent.nev; i++) {
            const char *q = w->r->intent.ev[i].quote;
            if (q && month_stamp(q, strlen(q)) == w->newest_signal) {
                /* the evidence already quotes it; find its passage again */
                for (size_t k = 0; k < w->ps.n; k++)
                    if (w->ps.v[k].end - w->ps.v[k].start == strlen(q) &&
                        strncmp(w->ps.v[k].text + w->ps.v[k].start, q, strlen(q)) == 0) {
                        add_ev(&w->r->urgency, &w->ps.v[k],
                               age <= 6 ? "recent_signal" : "dated_signal", NULL, NULL);
                        break;
                    }
                break;
            }
        }
        urgency = noisy_or(urgency, 0.5 * recency);
    }
    if (pace && (w->growth || w->relevant_hiring)) {
        add_ev(&w->r->urgency, pace_p, "pace_of_growth", NULL, NULL);
        urgency = noisy_or(urgency, 0.25);
    }
    if (urgent_words && (w->r->pain.nev || w->r->intent.nev)) {
        add_ev(&w->r->urgency, urgent_p, "pressing_problem", NULL, NULL);
        urgency = noisy_or(urgency, 0.3);
    }
    w->r->urgency.value = urgency;
}

/* The passage that best names a trade: most of the words of its index
 * phrase, for evidence of industry fit (a contact line never). */
static const struct enrich_passage *trade_passage(struct work *w, const char *phrase)
{
    struct text_stemmer *st = text_stemmer_new();
    struct enrich__terms q = {0};
    enrich__stems(st, phrase, strlen(phrase), &q);
    text_stemmer_free(st);
    const struct enrich_passage *best = NULL;
    double best_cov = 0;
    for (size_t k = 0; k < w->ps.n && q.n; k++) {
        if (w->kind[k] == P_CONTACT)
            continue;
        double cov = enrich__coverage(&w->ix.terms[k], &q);
        if (cov > best_cov) { /* the first, on ties: pages come home page first */
            best_cov = cov;
            best = &w->ps.v[k];
        }
    }
    enrich__terms_release(&q);
    return best;
}

static void score_icp(struct work *w)
{
    const struct enrich_context *c = w->c;
    const struct extract_lead *l = w->lead;
    double total = 0, weights = 0;

    /* industry: the kind of customer named */
    struct fit f = industry_fit(c, l, &w->ps, &w->ix, w->kind);
    double ind_s = f.value < 0 ? ICP_UNKNOWN : f.value;
    w->r->industry_fit = f.value;
    if (f.named) {
        char shows[300];
        snprintf(shows, sizeof shows, "its pages name the kind of customer you named: %s",
                 c->unknown_name[f.kind]);
        struct enrich_evidence *e = add_ev(&w->r->icp, f.named, "kind", NULL, NULL);
        if (e)
            e->shows = xstrdup(shows);
    } else if (c->nkinds && f.value >= FIT_CLOSE) {
        const struct industry_code *code = &l->naics[f.code];
        const struct industry_kind *kind = &c->kinds[f.kind];
        char signal[160], shows[400];
        snprintf(signal, sizeof signal, "industry:%s", code->code);
        snprintf(shows, sizeof shows,
                 "its trade is %s (NAICS %s), %s the kind of customer you named: %s",
                 industry_title(code->code), code->code,
                 f.value >= FIT_SAME ? "which is" : "close to", kind->name);
        /* the quote names the lead's trade, in the index's words */
        const struct enrich_passage *p = trade_passage(w, code->phrase);
        struct enrich_evidence *e =
            p ? add_ev(&w->r->icp, p, signal, NULL, NULL)
              : add_ev(&w->r->icp, NULL, signal, "trade read from the site's pages",
                       l->industry.source);
        if (e)
            e->shows = xstrdup(shows);
    }
    total += ICP_W_INDUSTRY * ind_s;
    weights += ICP_W_INDUSTRY;

    if (c->size_max) {
        double s = ICP_UNKNOWN; /* unknown size */
        int n = l->employees;
        if (n) {
            if (n >= c->size_min && n <= c->size_max)
                s = 1.0;
            else if (n >= c->size_min / 2 && n <= c->size_max * 2)
                s = 0.4;
            else
                s = 0.0;
        }
        if (n && s == 1.0) {
            char num[24], shows[160];
            snprintf(num, sizeof num, "%d", n);
            snprintf(shows, sizeof shows, "it has %s, within the size you named (%d to %d)",
                     l->company_size.value, c->size_min, c->size_max);
            const struct enrich_passage *p = find_passage(&w->ps, num);
            struct enrich_evidence *e = p ? add_ev(&w->r->icp, p, "company_size", NULL, NULL)
                                          : add_ev(&w->r->icp, NULL, "company_size",
                                                   l->company_size.value, l->company_size.source);
            if (e)
                e->shows = xstrdup(shows);
        }
        total += ICP_W_SIZE * s;
        weights += ICP_W_SIZE;
    }

    if (c->ncountries) {
        double s = ICP_UNKNOWN;
        const char *where = l->country;
        if (l->country[0]) {
            s = 0.0;
            for (size_t i = 0; i < c->ncountries; i++)
                if (strcmp(c->countries[i], l->country) == 0)
                    s = 1.0;
            /* a state or province named: in it, or elsewhere in the country */
            const char *region = l->address_parts.region
                                     ? extract_region_code(l->address_parts.region, l->country)
                                     : NULL;
            bool named_here = false, regions_here = false;
            for (size_t i = 0; i < c->nregions; i++) {
                regions_here = regions_here || !strncmp(c->regions[i], l->country, 2);
                named_here = named_here || (region && !strcmp(c->regions[i], region));
            }
            if (s == 1.0 && regions_here && !named_here)
                s = region ? 0.3 : ICP_UNKNOWN;
            if (named_here)
                where = l->address_parts.region;
        }
        if (s == 1.0) {
            char shows[160];
            snprintf(shows, sizeof shows, "it is in %s, where you sell", where);
            const struct enrich_passage *p =
                l->address_parts.postal_code ? find_passage(&w->ps, l->address_parts.postal_code)
                                             : NULL;
            struct enrich_evidence *e =
                p ? add_ev(&w->r->icp, p, "location", NULL, NULL)
                  : add_ev(&w->r->icp, NULL, "location",
                           l->address.value ? l->address.value : l->country,
                           l->address.source ? l->address.source : l->website);
            if (e)
                e->shows = xstrdup(shows);
        }
        total += ICP_W_LOCATION * s;
        weights += ICP_W_LOCATION;
    }
    w->r->icp.value = weights > 0 ? total / weights : 0;
}

/* ---- words: insights, summary, analysis ---- */

static char *shorten(const char *q, size_t max)
{
    size_t n = strlen(q);
    if (n <= max)
        return xstrdup(q);
    size_t cut = max;
    while (cut > max / 2 && q[cut] != ' ')
        cut--;
    return xasprintf("%.*s...", (int)cut, q);
}

static const char *page_name(const char *url)
{
    const char *path = strstr(url, "://");
    path = path ? strchr(path + 3, '/') : NULL;
    if (!path || strcmp(path, "/") == 0)
        return "home page";
    static const char *const names[][2] = {{"about", "about page"},    {"contact", "contact page"},
                                           {"career", "careers page"}, {"job", "careers page"},
                                           {"news", "news page"},      {"blog", "blog"},
                                           {"impressum", "imprint"},   {"team", "team page"}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strstr(path, names[i][0]))
            return names[i][1];
    return "site";
}

static void add_insight(struct enrich_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void add_insight(struct enrich_result *r, const char *fmt, ...)
{
    if (r->ninsights >= 5)
        return;
    va_list ap;
    va_start(ap, fmt);
    r->insights = xrealloc(r->insights, (r->ninsights + 1) * sizeof *r->insights);
    r->insights[r->ninsights++] = xvasprintf(fmt, ap);
    va_end(ap);
}

static void insights(struct work *w)
{
    struct enrich_result *r = w->r;
    for (size_t i = 0; i < r->pain.nev && i < 2; i++) {
        char *q = shorten(r->pain.ev[i].quote, 140);
        add_insight(r, "Names a pain you solve (%s) on its %s: \"%s\"", r->pain.ev[i].signal + 5,
                    page_name(r->pain.ev[i].url), q);
        free(q);
    }
    for (size_t i = 0; i < r->intent.nev && r->ninsights < 4; i++) {
        const struct enrich_evidence *e = &r->intent.ev[i];
        if (!e->quote) {
            add_insight(r, "Uses %s today (%s), so a switch is a concrete conversation.",
                        strchr(e->signal, ':') + 1, e->detail);
            continue;
        }
        char *q = shorten(e->quote, 120);
        const char *what =
            strcmp(e->signal, "hiring_relevant_role") == 0 ? "Hiring for a role your product serves"
            : strcmp(e->signal, "hiring") == 0             ? "Hiring, a sign of growth"
            : strcmp(e->signal, "evaluating_or_migrating") == 0 ? "Evaluating or migrating tools"
            : strcmp(e->signal, "request_for_proposals") == 0   ? "Asking vendors for proposals"
            : strcmp(e->signal, "growth_or_funding") == 0       ? "Growing or newly funded"
                                                                : "Names a competitor";
        add_insight(r, "%s (%s): \"%s\"", what, page_name(e->url), q);
        free(q);
    }
    if (r->urgency.value >= 0.5 && r->urgency.nev) {
        const struct enrich_evidence *e = &r->urgency.ev[0];
        char *q = e->quote ? shorten(e->quote, 100) : xstrdup(e->signal);
        add_insight(r, "Timing looks right (%s): \"%s\"", e->signal, q);
        free(q);
    }
    if (r->icp.value >= 0.7 && r->ninsights < 5) {
        const struct extract_lead *l = w->lead;
        add_insight(r, "Matches the ideal customer: %s%s%s%s%s.",
                    l->industry.value ? l->industry.value : "a company",
                    l->company_size.value ? ", " : "",
                    l->company_size.value ? l->company_size.value : "",
                    l->country[0] ? ", in " : "", l->country[0] ? l->country : "");
    }
    if (r->ninsights < 2) {
        if (!r->pain.nev && !r->intent.nev)
            add_insight(r, "No buying signal or pain point found on the %zu page%s read.",
                        w->lead->pages.n, w->lead->pages.n == 1 ? "" : "s");
        if (r->ninsights < 2)
            add_insight(r, "ICP fit %.0f%%: %s.", r->icp.value * 100,
                        r->icp.value >= 0.7   ? "industry, size and location mostly match"
                        : r->icp.value >= 0.4 ? "a partial match, or too little is known"
                                              : "outside the ideal customer profile");
    }
}

static json_t *analysis(struct work *w)
{
    json_t *services = json_array(), *challenges = json_array();
    for (size_t k = 0; k < w->ps.n; k++) {
        const struct enrich_passage *p = &w->ps.v[k];
        if (json_array_size(services) < 3 && sig_in(SIG_SERVICE, p, w->md))
            json_array_append_new(services, json_stringn(p->text + p->start, p->end - p->start));
    }
    for (size_t i = 0; i < w->r->pain.nev && json_array_size(challenges) < 3; i++)
        json_array_append_new(challenges, json_string(w->r->pain.ev[i].quote));
    for (size_t k = 0; k < w->ps.n && json_array_size(challenges) < 3; k++) {
        const struct enrich_passage *p = &w->ps.v[k];
        if (w->kind[k] != P_SENTENCE || !sig_in(SIG_CHALLENGE, p, w->md))
            continue; /* a menu's "Latest projects" is no challenge */
        json_t *q = json_stringn(p->text + p->start, p->end - p->start);
        bool dup = false;
        size_t i;
        json_t *x;
        json_array_foreach (challenges, i, x)
            dup = dup || json_equal(x, q);
        if (dup)
            json_decref(q);
        else
            json_array_append_new(challenges, q);
    }
    const struct extract_lead *l = w->lead;
    return json_pack("{s:o, s:o, s:o, s:o}", "sector",
                     l->industry.value ? json_string(l->industry.value) : json_null(), "services",
                     services, "challenges", challenges, "description",
                     l->description.value ? json_string(l->description.value) : json_null());
}

char *enrich_summary(const struct enrich_context *c, const struct extract_lead *l)
{
    struct buf b;
    buf_init(&b, 512);
    int rc = buf_puts(&b, l->industry.value ? l->industry.value : "Company");
    if (l->company_size.value)
        rc |= buf_printf(&b, ", %s", l->company_size.value);
    if (l->country[0])
        rc |= buf_printf(&b, ", %s", l->country);
    struct fit f = industry_fit(c, l, NULL, NULL, NULL);
    rc |= buf_printf(&b, "; %s the kinds of customer named",
                     f.value >= FIT_SAME    ? "one of"
                     : f.value >= FIT_CLOSE ? "close to"
                     : f.value >= 0         ? "outside"
                                            : "trade unknown against");
    rc |= buf_printf(&b, "; %zu email%s, %zu phone%s", l->emails.n, l->emails.n == 1 ? "" : "s",
                     l->phones.n, l->phones.n == 1 ? "" : "s");
    (void)rc;
    return buf_detach(&b);
}

void enrich_lead(const struct enrich_context *c, const struct extract_lead *lead,
                 struct enrich_result *out)
{
    pthread_once(&sig_once, compile_signals);
    memset(out, 0, sizeof *out);
    struct work w = {.c = c, .lead = lead, .r = out};
    enrich_split(lead, &w.ps);
    struct text_stemmer *st = text_stemmer_new();
    enrich__index_build(&w.ix, &w.ps, st);
    text_stemmer_free(st);
    w.md = pcre2_match_data_create(4, NULL);
    w.scores = xcalloc(w.ps.n ? w.ps.n : 1, sizeof *w.scores);
    w.kind = xcalloc(w.ps.n ? w.ps.n : 1, sizeof *w.kind);
    w.voice = xcalloc(w.ps.n ? w.ps.n : 1, sizeof *w.voice);
    for (size_t k = 0; k < w.ps.n; k++) {
        w.kind[k] = (unsigned char)passage_kind(&w.ps.v[k]);
        w.voice[k] = (unsigned char)passage_voice(&w.ps.v[k]);
    }

    score_pain(&w);
    score_intent_urgency(&w);
    score_icp(&w);
    out->prospect = c->w.pain * out->pain.value + c->w.intent * out->intent.value +
                    c->w.urgency * out->urgency.value + c->w.icp * out->icp.value;
    out->qualified = out->prospect >= c->w.qualify;
    insights(&w);
    out->analysis = analysis(&w);

    struct buf b;
    buf_init(&b, 512);
    int rc = buf_printf(&b, "%s lead (score %.2f): ",
                        out->prospect >= 0.6 ? "Strong"
                        : out->qualified     ? "Qualified"
                                             : "Weak",
                        out->prospect);
    rc |= buf_printf(&b, "%zu of %zu pain points met", out->pain.nev, c->npains);
    if (w.relevant_hiring || w.evaluating || w.rfp)
        rc |= buf_printf(&b, ", %s",
                         w.rfp          ? "asking for proposals"
                         : w.evaluating ? "evaluating tools"
                                        : "hiring for a relevant role");
    if (w.competitor_tech || w.competitor)
        rc |= buf_printf(&b, ", uses or names %s", w.competitor_name);
    rc |= buf_printf(&b, ", ICP fit %.0f%%", out->icp.value * 100);
    (void)rc;
    out->summary = buf_detach(&b);

    free(w.scores);
    free(w.kind);
    free(w.voice);
    pcre2_match_data_free(w.md);
    enrich__index_release(&w.ix);
    enrich_passages_release(&w.ps);
}

static void score_release(struct enrich_score *s)
{
    for (size_t i = 0; i < s->nev; i++) {
        free(s->ev[i].quote);
        free(s->ev[i].url);
        free(s->ev[i].signal);
        free(s->ev[i].detail);
        free(s->ev[i].shows);
    }
    free(s->ev);
}

void enrich_result_release(struct enrich_result *r)
{
    score_release(&r->pain);
    score_release(&r->intent);
    score_release(&r->urgency);
    score_release(&r->icp);
    for (size_t i = 0; i < r->ninsights; i++)
        free(r->insights[i]);
    free(r->insights);
    free(r->summary);
    json_decref(r->analysis);
    memset(r, 0, sizeof *r);
}

static json_t *evidence_json(const struct enrich_score *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->nev; i++) {
        char *shows = s->ev[i].shows ? xstrdup(s->ev[i].shows) : shows_of(s->ev[i].signal);
        json_t *e = json_pack("{s:o, s:s, s:s, s:s}", "quote",
                              s->ev[i].quote ? json_string(s->ev[i].quote) : json_null(), "url",
                              s->ev[i].url, "signal", s->ev[i].signal, "shows", shows);
        free(shows);
        if (s->ev[i].detail)
            json_object_set_new(e, "detail", json_string(s->ev[i].detail));
        json_array_append_new(a, e);
    }
    return a;
}

static json_t *values(const struct extract_values *v)
{
    json_t *a = json_array();
    for (size_t i = 0; i < v->n; i++)
        json_array_append_new(a, json_string(v->v[i].value));
    return a;
}

void enrich_package(const struct extract_lead *l, const struct enrich_result *r,
                    json_t **lead_extra, json_t **intel_extra)
{
    json_t *lead = json_object();
    json_object_set_new(lead, "website", json_string(l->website ? l->website : ""));
    json_object_set_new(lead, "industry",
                        l->industry.value ? json_string(l->industry.value) : json_null());
    json_object_set_new(lead, "company_size",
                        l->company_size.value ? json_string(l->company_size.value) : json_null());
    json_object_set_new(lead, "location",
                        json_pack("{s:o, s:o}", "address",
                                  l->address.value ? json_string(l->address.value) : json_null(),
                                  "country",
                                  l->country[0] ? json_string(l->country) : json_null()));
    json_t *social = json_object();
    for (size_t i = 0; i < l->social.n; i++) {
        const char *pair = l->social.v[i].value, *sp = strchr(pair, ' ');
        char net[32];
        snprintf(net, sizeof net, "%.*s", (int)(sp - pair), pair);
        json_object_set_new(social, net, json_string(sp + 1));
    }
    json_object_set_new(lead, "contacts",
                        json_pack("{s:o, s:o, s:o}", "emails", values(&l->emails), "phones",
                                  values(&l->phones), "social", social));
    json_object_set_new(lead, "technologies", values(&l->technologies));
    json_object_set_new(lead, "analysis", json_incref(r->analysis));
    json_object_set_new(lead, "qualified", json_boolean(r->qualified));
    *lead_extra = lead;

    json_t *intel = json_object();
    json_object_set_new(intel, "icp_fit_score", json_real(round(r->icp.value * 1000) / 1000));
    json_t *ev = json_object();
    json_object_set_new(ev, "pain_alignment_score", evidence_json(&r->pain));
    json_object_set_new(ev, "buying_intent_score", evidence_json(&r->intent));
    json_object_set_new(ev, "urgency_score", evidence_json(&r->urgency));
    json_object_set_new(ev, "icp_fit_score", evidence_json(&r->icp));
    json_object_set_new(intel, "evidence", ev);
    json_object_set_new(intel, "qualification_summary", json_string(r->summary));
    *intel_extra = intel;
}
