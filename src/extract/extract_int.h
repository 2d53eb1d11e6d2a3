/* extract_int.h: what the files of src/extract share. */
#ifndef PROSPECT_EXTRACT_INT_H
#define PROSPECT_EXTRACT_INT_H

#include <stdbool.h>

#include <libxml/HTMLparser.h>

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
    char *name, *url, *description, *email, *telephone;
    char *og_title, *og_description, *og_site_name, *og_type, *generator, *lang;
    char *address_text; /* an address given as one string */
    struct extract_address address;
    struct extract_list same_as;
    struct extract_list schema_types; /* every @type / itemtype seen */
    int employees_min, employees_max;
    int founded;
    bool has_org; /* an Organization-like object was found */
};

void extract__meta(const struct extract_doc *d, struct extract_meta *m);
void extract__meta_release(struct extract_meta *m);

/* The other extractors (contacts.c, classify.c, links.c). */
void extract__contacts(const struct extract_doc *d, const struct extract_meta *m,
                       const char *visible_text, const char *site, struct extract_page *pg);
void extract__size(const struct extract_meta *m, const char *text, struct extract_page *pg);
void extract__industry(const struct extract_meta *m, const char *title, const char *headings,
                       const char *text, struct extract_page *pg);
void extract__technologies(const struct extract_doc *d, const struct extract_meta *m,
                           struct extract_page *pg);
void extract__links(const struct extract_doc *d, const char *site, struct extract_page *pg);

/* extract__country_code(s): the ISO code of a country name or code, or NULL. */
const char *extract__country_code(const char *s);

/* The text of one element (whitespace collapsed, blocks as lines); caller frees. */
char *extract__node_text(xmlNodePtr n, size_t max);

#endif
