/* extract_int.h: what the files of src/extract share. */
#ifndef PROSPECT_EXTRACT_INT_H
#define PROSPECT_EXTRACT_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <libxml/HTMLparser.h>
#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include "core/buf.h"
#include "extract/extract.h"

struct extract_doc {
    htmlDocPtr doc;
    char charset[64];
    char *url;
};

/* Collapsing text writer: runs of white space become one space, block
 * boundaries one newline, and nothing leads or trails. */
struct extract_tw {
    struct buf out;
    bool space, newline;
};

void extract__tw_init(struct extract_tw *tw, size_t max);
void extract__tw_text(struct extract_tw *tw, const char *s);
void extract__tw_break(struct extract_tw *tw);
char *extract__tw_finish(struct extract_tw *tw);

/* extract__name_is(node, name): an element with this (lower-case) name. */
bool extract__name_is(xmlNodePtr n, const char *name);

/* extract__attr(node, name): the attribute's value, borrowed from the tree
 * (no copy), or NULL when the element has no such attribute. */
const char *extract__attr(xmlNodePtr n, const char *name);

/* extract__is_block(node): elements that end a line of text. */
bool extract__is_block(xmlNodePtr n);

/* extract__is_invisible(node): script, style, template, hidden, ... */
bool extract__is_invisible(xmlNodePtr n);

/* extract__next(node, root, skip_children): the next node of a depth-first
 * walk of root's subtree (no recursion, so deep trees cannot exhaust the
 * stack), or NULL at the end. */
xmlNodePtr extract__next(xmlNodePtr n, xmlNodePtr root, bool skip_children);

/* What the page's markup says about it (meta.c). Strings owned or NULL. */
struct extract_meta {
    char *name, *url, *description;     /* of an Organization */
    struct extract_list emails, phones; /* of it and its ContactPoints */
    char *og_title, *og_description, *og_site_name, *og_type, *og_url, *og_locale;
    char *generator, *lang, *app_name, *base_href;
    char *ld_page_url, *ld_site_url; /* a WebPage's url, a WebSite's */
    char *address_text;              /* an address given as one string */
    struct extract_address address;
    struct extract_list same_as;
    struct extract_list schema_types; /* every @type / itemtype seen */
    int employees_min, employees_max;
    int founded;
    bool has_org; /* an Organization-like object was found */
};

void extract__meta(const struct extract_doc *d, struct extract_meta *m);
void extract__meta_release(struct extract_meta *m);

/* The extractors of page.c's fields, one file each. */
void extract__emails(const struct extract_doc *d, const struct extract_meta *m,
                     const char *visible_text, const char *site, struct extract_page *pg);
void extract__add_email(struct extract_page *pg, const char *raw, const char *site);
/* extract__phones(..., country, fallback, pg, found): country is where the
 * page says its company is (NULL when it did not say); fallback a weaker
 * clue (language, currency) used when no +CC number on the page names one;
 * found gets the country the numbers themselves told ("" when none). */
void extract__phones(const struct extract_doc *d, const struct extract_meta *m, const char *text,
                     const char *country, const char *fallback, struct extract_page *pg,
                     char found[3]);
void extract__address(const struct extract_doc *d, const struct extract_meta *m, const char *text,
                      struct extract_address *out);
/* extract__company_name(...): the company's name, or NULL; caller frees. */
char *extract__company_name(const struct extract_doc *d, const struct extract_meta *m,
                            const char *title, const char *text, const char *site);
void extract__social(const struct extract_doc *d, const struct extract_meta *m,
                     struct extract_page *pg);
void extract__size(const struct extract_meta *m, const char *text, struct extract_page *pg);
void extract__intermediary(const char *text, struct extract_page *pg);
/* extract__model(text, article, publisher, store): whether a page's own
 * words (its hero, menus, footer) are a publisher's (editors, advertising,
 * affiliate links, newsletters; fewer of them on an article page) or a
 * store's (carts, shipping, returns). */
void extract__model(const char *text, bool article, bool *publisher, bool *store);
/* extract__offering(text): 1 when the site sells a product, -1 a service,
 * 0 when its words do not tell. */
int extract__offering(const char *text);
void extract__technologies(const struct extract_doc *d, const struct extract_meta *m,
                           struct extract_page *pg);
void extract__links(const struct extract_doc *d, const char *site, struct extract_page *pg);
/* extract__site_guess(d, m, text): extract_site_guess with the page's
 * metadata read already. */
char *extract__site_guess(const struct extract_doc *d, const struct extract_meta *m,
                          const char *text);
/* extract__platform(site): a registrable domain every kind of page links to
 * (social networks, maps, review sites, site builders), never a page's own
 * and never a company it lists. */
bool extract__platform(const char *site);

/* Countries (country.c): ISO codes of a host's country-code domain, of a
 * language tag's region ("en-GB"), of the currency of prices in text; NULL
 * when they say none. */
const char *extract__country_of_host(const char *host);
const char *extract__country_of_lang(const char *lang);
const char *extract__country_of_currency(const char *text);

/* extract__naics_json(codes, n): {code, title, sector, score, alternatives}
 * of the best code, or JSON null; new reference. */
json_t *extract__naics_json(const struct industry_code *codes, size_t n);

/* extract__percent_decode(s, n): s[0..n) with %XX decoded; caller frees. */
char *extract__percent_decode(const char *s, size_t n);

/* extract__compile(pattern, flags): a built-in PCRE2 pattern, UTF mode,
 * JIT-compiled when possible; aborts on a bad pattern (a bug the tests
 * catch). */
pcre2_code *extract__compile(const char *pattern, uint32_t flags);

/* extract__chrome(visible, main): the lines of a page's visible text that
 * are not its main text: menus, footers, sidebars, where a site lists its
 * trades and its address; caller frees. */
char *extract__chrome(const char *visible, const char *main);

/* The text of one element (whitespace collapsed, blocks as lines); caller frees. */
char *extract__node_text(xmlNodePtr n, size_t max);

#endif
