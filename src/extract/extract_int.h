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

/* extract__is_block(node): elements that end a line of text. */
bool extract__is_block(xmlNodePtr n);

/* extract__is_invisible(node): script, style, template, hidden, ... */
bool extract__is_invisible(xmlNodePtr n);

/* extract__next(node, root, skip_children): the next node of a depth-first
 * walk of root's subtree (no recursion, so deep trees cannot exhaust the
 * stack), or NULL at the end. */
xmlNodePtr extract__next(xmlNodePtr n, xmlNodePtr root, bool skip_children);

#endif
