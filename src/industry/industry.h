/* industry.h: what a company does, as NAICS 2012 codes, read from its own
 * words with the official index.
 *
 * The US Census Bureau's NAICS 2012 index (19,278 activity phrases such as
 * "238220 Plumbers") and a small supplement of phrases for newer trades are
 * compiled into the binary from data/industry/. A page is
 * classified by how well its words cover each phrase (IDF-weighted, words
 * that stand together counting more), its title, description and headings
 * weighing more than its body, and by its schema.org types. A user's
 * phrase ("car washes", "Home services", "Technology") maps into the same
 * codes, so fit is a distance in the code tree.
 *
 * The index is built once, on first use (about 50 ms), and is read-only
 * after: every function is thread-safe.
 */
#ifndef PROSPECT_INDUSTRY_H
#define PROSPECT_INDUSTRY_H

#include <stdbool.h>
#include <stddef.h>

/* A NAICS code: 6 digits, or a prefix of 2 to 5 (a sector, subsector,
 * industry group) when a user's phrase names a whole branch. */
struct industry_code {
    char code[7];
    double score;       /* how sure, in [0, 1] */
    const char *phrase; /* the index phrase that matched best, for a name
                           ("Florists"); static, "" for a branch */
};

/* What a page says about its company, each field may be NULL. */
struct industry_doc {
    const char *const *types; /* schema.org types (LocalBusiness subtypes settle it) */
    const char *site;         /* registrable domain: .edu and .gov ones are schools and
                                 public bodies, whatever a page's topic */
    size_t ntypes;
    const char *name;        /* the company's name: a trade in it settles between candidates */
    const char *title;       /* <title> */
    const char *description; /* meta description */
    const char *headings;    /* h1..h6, one per line */
    const char *text;        /* the main text (its start counts) */
    const char *chrome;      /* the text around the main text: menus and footers list a
                                site's trades */
    bool article;            /* the page is an article: its title and headings are its topic */
    int offering;            /* what the site sells: 1 a product (pricing, sign up, free
                                trial), -1 a service (case studies, portfolio, get a
                                quote), 0 unknown */
    bool publisher;          /* it publishes for readers (editors, advertising, affiliate
                                links): its topics are not its trade */
    bool store;              /* it sells goods online (carts, shipping, returns) */
};

#define INDUSTRY_MAX_CODES 4

/* industry_classify(doc, out, max): the likeliest 6-digit codes of doc's
 * company, best first (ties by code), with their scores; returns how many
 * (0 when nothing in the page names an activity clearly enough). */
size_t industry_classify(const struct industry_doc *doc, struct industry_code *out, size_t max);

/* industry_codes_of(phrase, out, max): the codes a user's phrase names: a
 * kind of business ("florists": 453110), a branch ("restaurants": the
 * 7225 codes), a sector ("Construction": 23) or a common broad term ("SaaS",
 * "Home services"); returns how many (0 when the phrase names none). */
size_t industry_codes_of(const char *phrase, struct industry_code *out, size_t max);

#define INDUSTRY_KIND_NAME 96
#define INDUSTRY_MAX_KINDS 16     /* kinds of customer one context is read for */
#define INDUSTRY_KIND_MAX_WORDS 5 /* longer, it is a description, not a kind's name */

/* A kind of customer a user named, and its codes. */
struct industry_kind {
    char name[INDUSTRY_KIND_NAME]; /* as written, without its qualifier ("dentists") */
    struct industry_code codes[INDUSTRY_MAX_CODES];
    size_t ncodes;
};

/* industry_kinds(text, out, max): the kinds of customer text lists
 * ("Plumbers, car washes, florists and hair salons": four; "Dental
 * practices in Ohio": one, without "in Ohio"), in order, each with the
 * codes it names (none for a kind the index does not know); returns how
 * many (at most max). */
size_t industry_kinds(const char *text, struct industry_kind *out, size_t max);

/* industry_customer_kinds(focus, nfocus, ideal, fallbacks, nfallbacks, out,
 * max, from_focus): the kinds of customer a business context names: each
 * industry focus item's (from_focus[i] true), then the ideal customer's;
 * when those name none, the first fallback text that does (a target
 * market, or what follows "for" in a description: "Payroll software for
 * restaurants and cafes"). Returns how many (at most max). */
size_t industry_customer_kinds(const char *const *focus, size_t nfocus, const char *ideal,
                               const char *const *fallbacks, size_t nfallbacks,
                               struct industry_kind *out, size_t max, bool *from_focus);

struct business_context;

/* industry_context_kinds(bc, out, from_focus): the kinds of customer of a
 * business context, as the queries, the scoring and the providers of a
 * context all read them: industry_customer_kinds of its industry focus and
 * ideal customer, its target market, description and product as
 * fallbacks. Returns how many (at most INDUSTRY_MAX_KINDS). */
size_t industry_context_kinds(const struct business_context *bc, struct industry_kind *out,
                              bool *from_focus);

/* industry_similarity(code, target): closeness in the code tree, in [0, 1]:
 * 1 when code lies under target (a prefix or the same code), then less for
 * each level only the parents share (same industry group, subsector,
 * sector), 0 for different sectors. */
double industry_similarity(const char *code, const char *target);

/* industry_title(code): a name for a 6-digit code (its most typical index
 * phrase, "Plumbing contractors") or a prefix (the sector's official title
 * for 2 digits); static string, "" for an unknown code. */
const char *industry_title(const char *code);

/* industry_sector(code): the official title of the code's sector
 * ("Construction"); static string, "" when unknown. */
const char *industry_sector(const char *code);

#include "core/banned.h"
#endif
