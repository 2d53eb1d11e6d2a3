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

/* The element names the extractors ask about; any other is TAG_OTHER. */
enum extract_tag {
    EXTRACT_TAG_OTHER,
    EXTRACT_TAG_A,
    EXTRACT_TAG_ADDRESS,
    EXTRACT_TAG_ARTICLE,
    EXTRACT_TAG_ASIDE,
    EXTRACT_TAG_BASE,
    EXTRACT_TAG_BLOCKQUOTE,
    EXTRACT_TAG_BODY,
    EXTRACT_TAG_BR,
    EXTRACT_TAG_BUTTON,
    EXTRACT_TAG_CANVAS,
    EXTRACT_TAG_CAPTION,
    EXTRACT_TAG_DD,
    EXTRACT_TAG_DETAILS,
    EXTRACT_TAG_DIALOG,
    EXTRACT_TAG_DIV,
    EXTRACT_TAG_DL,
    EXTRACT_TAG_DT,
    EXTRACT_TAG_EMBED,
    EXTRACT_TAG_FIELDSET,
    EXTRACT_TAG_FIGCAPTION,
    EXTRACT_TAG_FIGURE,
    EXTRACT_TAG_FOOTER,
    EXTRACT_TAG_FORM,
    EXTRACT_TAG_H1,
    EXTRACT_TAG_H2,
    EXTRACT_TAG_H3,
    EXTRACT_TAG_H4,
    EXTRACT_TAG_H5,
    EXTRACT_TAG_H6,
    EXTRACT_TAG_HEAD,
    EXTRACT_TAG_HEADER,
    EXTRACT_TAG_HR,
    EXTRACT_TAG_HTML,
    EXTRACT_TAG_IFRAME,
    EXTRACT_TAG_IMG,
    EXTRACT_TAG_INPUT,
    EXTRACT_TAG_LABEL,
    EXTRACT_TAG_LI,
    EXTRACT_TAG_LINK,
    EXTRACT_TAG_MAIN,
    EXTRACT_TAG_MATH,
    EXTRACT_TAG_MENU,
    EXTRACT_TAG_META,
    EXTRACT_TAG_NAV,
    EXTRACT_TAG_NOSCRIPT,
    EXTRACT_TAG_OBJECT,
    EXTRACT_TAG_OL,
    EXTRACT_TAG_OPTION,
    EXTRACT_TAG_P,
    EXTRACT_TAG_PRE,
    EXTRACT_TAG_SCRIPT,
    EXTRACT_TAG_SECTION,
    EXTRACT_TAG_SELECT,
    EXTRACT_TAG_STYLE,
    EXTRACT_TAG_SUMMARY,
    EXTRACT_TAG_SVG,
    EXTRACT_TAG_TABLE,
    EXTRACT_TAG_TD,
    EXTRACT_TAG_TEMPLATE,
    EXTRACT_TAG_TEXTAREA,
    EXTRACT_TAG_TH,
    EXTRACT_TAG_TITLE,
    EXTRACT_TAG_TR,
    EXTRACT_TAG_UL,
    EXTRACT_TAG_COUNT
};

/* What a node of the index is, and what the extractors keep asking of it. */
enum {
    EXTRACT_N_ELEMENT = 1 << 0,   /* an element */
    EXTRACT_N_TEXT = 1 << 1,      /* a text node */
    EXTRACT_N_CDATA = 1 << 2,     /* a CDATA section */
    EXTRACT_N_INVISIBLE = 1 << 3, /* never shown: script, style, head, hidden, comments... */
    EXTRACT_N_BLOCK = 1 << 4,     /* an element that ends a line of text */
    EXTRACT_N_ATTRS = 1 << 5,     /* an element with attributes */
    EXTRACT_N_CFEMAIL = 1 << 6,   /* ... among them data-cfemail */
    EXTRACT_N_ITEMSCOPE = 1 << 7, /* ... itemscope */
    EXTRACT_N_MARKED = 1 << 8,    /* ... role, class or id */
    EXTRACT_N_ADR = 1 << 9,       /* ... a class attribute in which "adr" occurs */
};

/* One node of the root element's subtree, in the order of an extract__next
 * walk. Every extractor used to walk the tree itself, each walk chasing
 * every node's pointers and comparing its name again; the index is that
 * walk done once, at parse time, and a walk of it is a loop over an array.
 * A subtree is the range [i, end): skipping it is i = end. */
struct extract_node {
    xmlNodePtr node;
    const char *text; /* a text or CDATA node's content, else NULL */
    uint32_t end;     /* the index just past this node's subtree */
    uint32_t parent;  /* the parent's index; UINT32_MAX for the root element */
    uint16_t flags;   /* EXTRACT_N_* */
    uint8_t tag;      /* enum extract_tag, for elements */
};

struct extract_doc {
    htmlDocPtr doc;
    char charset[64];
    char *url;
    struct extract_node *nodes; /* nodes[0] is the root element */
    size_t nnodes;
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

/* extract__attr_value(attr): an attribute's value as extract__attr gives it. */
const char *extract__attr_value(xmlAttrPtr a);

/* extract__attrs(node, names, values, k): extract__attr of k names in one
 * pass over the element's attributes (values[i] for names[i]). */
void extract__attrs(xmlNodePtr n, const char *const *names, const char **values, size_t k);

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
    bool has_org;    /* an Organization-like object was found */
    json_t *persons; /* schema.org Person objects outside reviews and comments (array) */
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

/* extract__people(d, m, site, company, publisher, pg): the people of the
 * organisation the page names (people.c), into pg->people; publisher: the
 * page is a publisher's (extract__model). */
void extract__people(const struct extract_doc *d, const struct extract_meta *m, const char *site,
                     const char *company, bool publisher, struct extract_page *pg);

/* extract__title_like(s): whether s reads as a job title (title.c). */
bool extract__title_like(const char *s);

/* extract__title_department(title, publisher): extract_title_department,
 * for a publisher's page when publisher (its writers and editors make its
 * product: "other", not "marketing"). */
const char *extract__title_department(const char *title, bool publisher);

/* extract__common_word(s, n): whether s[0..n) is a common English word
 * that is never a name (words.c); case is ignored. */
bool extract__common_word(const char *s, size_t n);

/* extract__given_name(s, n): whether s[0..n) is a given name of the list
 * (words.c); case is ignored. */
bool extract__given_name(const char *s, size_t n);

/* A person's name in parts (fullname.c), pointing into the name: the
 * given name (its first word), the family name with its particles
 * ("De La O") and the family name's last word alone ("O"). */
struct extract_name_parts {
    const char *first, *last, *core;
    size_t first_len, last_len, core_len;
};

/* extract__name_split(name, out): false when the name is one word (no
 * family name to tell). */
bool extract__name_split(const char *name, struct extract_name_parts *out);

/* extract__name_fold(s, n, hyphens, out, outsz): s[0..n) as lower-case
 * letters and digits without accents, the way mailboxes write a name
 * ("Núñez" is "nunez", "O'Brien" "obrien"); with hyphens, a hyphen between
 * two words stays ("jean-luc"). Cut to fit out. */
void extract__name_fold(const char *s, size_t n, bool hyphens, char *out, size_t outsz);

/* extract__chrome(visible, main): the lines of a page's visible text that
 * are not its main text: menus, footers, sidebars, where a site lists its
 * trades and its address; caller frees. */
char *extract__chrome(const char *visible, const char *main);

/* extract__node_text(d, i, max): the text of d->nodes[i] (whitespace
 * collapsed, blocks as lines, invisible subtrees left out); caller frees. */
char *extract__node_text(const struct extract_doc *d, size_t i, size_t max);

#endif
