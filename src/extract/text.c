/* text.c: the visible text, title and headings of a page, and the collapsing
 * text writer the other extractors use. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "core/alloc.h"
#include "extract/extract_int.h"

void extract__tw_init(struct extract_tw *tw, size_t max)
{
    buf_init(&tw->out, max);
    tw->space = false;
    tw->newline = false;
}

static bool is_ws(const unsigned char *p)
{
    return *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r' || *p == '\f' || *p == '\v' ||
           (p[0] == 0xC2 && p[1] == 0xA0); /* U+00A0, no-break space */
}

void extract__tw_text(struct extract_tw *tw, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (is_ws(p)) {
            p += *p == 0xC2 ? 2 : 1;
            tw->space = true;
            continue;
        }
        const unsigned char *run = p;
        while (*p && !is_ws(p))
            p++;
        if (tw->out.len && (tw->newline || tw->space) &&
            buf_putc(&tw->out, tw->newline ? '\n' : ' '))
            return;
        tw->newline = tw->space = false;
        if (buf_append(&tw->out, run, (size_t)(p - run)))
            return;
    }
}

void extract__tw_break(struct extract_tw *tw)
{
    tw->newline = true;
}

char *extract__tw_finish(struct extract_tw *tw)
{
    return buf_detach(&tw->out);
}

char *extract__node_text(const struct extract_doc *d, size_t i, size_t max)
{
    const struct extract_node *nodes = d->nodes;
    struct extract_tw tw;
    extract__tw_init(&tw, max);
    for (size_t j = i + 1, end = nodes[i].end; j < end;) {
        uint16_t f = nodes[j].flags;
        if (f & EXTRACT_N_INVISIBLE) {
            j = nodes[j].end;
            continue;
        }
        if (f & EXTRACT_N_BLOCK)
            extract__tw_break(&tw);
        if (f & (EXTRACT_N_TEXT | EXTRACT_N_CDATA))
            extract__tw_text(&tw, nodes[j].text);
        j++;
    }
    return extract__tw_finish(&tw);
}

static bool is_heading(uint8_t tag)
{
    return tag >= EXTRACT_TAG_H1 && tag <= EXTRACT_TAG_H6;
}

void extract_text(const struct extract_doc *d, struct extract_text *out)
{
    const struct extract_node *nodes = d->nodes;
    struct extract_tw body, heads;
    extract__tw_init(&body, EXTRACT_MAX_TEXT);
    extract__tw_init(&heads, 64 * 1024);
    out->title = NULL;

    for (size_t i = 0; i < d->nnodes;) {
        const struct extract_node *n = &nodes[i];
        if (n->tag == EXTRACT_TAG_TITLE && !out->title) {
            out->title = extract__node_text(d, i, 4096);
            i = n->end;
            continue;
        }
        if (i != 0 && (n->flags & EXTRACT_N_INVISIBLE)) {
            if (n->tag == EXTRACT_TAG_HEAD) { /* the title lives in head */
                for (size_t c = i + 1; c < n->end; c = nodes[c].end)
                    if (nodes[c].tag == EXTRACT_TAG_TITLE && !out->title)
                        out->title = extract__node_text(d, c, 4096);
            }
            i = n->end;
            continue;
        }
        if (is_heading(n->tag)) {
            char *h = extract__node_text(d, i, 4096);
            if (*h) {
                extract__tw_break(&heads);
                extract__tw_text(&heads, h);
            }
            free(h);
        }
        if (n->flags & EXTRACT_N_BLOCK)
            extract__tw_break(&body);
        if (n->flags & (EXTRACT_N_TEXT | EXTRACT_N_CDATA))
            extract__tw_text(&body, n->text);
        i++;
    }
    if (!out->title)
        out->title = xstrdup("");
    out->headings = extract__tw_finish(&heads);
    out->text = extract__tw_finish(&body);
}

void extract_text_release(struct extract_text *t)
{
    free(t->title);
    free(t->headings);
    free(t->text);
    memset(t, 0, sizeof *t);
}

char *extract_canonical(const struct extract_doc *d)
{
    for (size_t i = 0; i < d->nnodes; i++) {
        const struct extract_node *n = &d->nodes[i];
        if (n->tag == EXTRACT_TAG_BODY)
            break; /* canonical links belong in head */
        if (n->tag != EXTRACT_TAG_LINK)
            continue;
        xmlChar *rel = xmlGetProp(n->node, (const xmlChar *)"rel");
        bool canonical = rel && strcasecmp((const char *)rel, "canonical") == 0;
        xmlFree(rel);
        if (!canonical)
            continue;
        xmlChar *href = xmlGetProp(n->node, (const xmlChar *)"href");
        char *out = href && *href ? xstrdup((const char *)href) : NULL;
        xmlFree(href);
        if (out)
            return out;
    }
    return NULL;
}

static uint64_t line_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h | 1; /* never 0: 0 marks an empty slot */
}

char *extract__chrome(const char *visible, const char *main)
{
    /* the main text's lines, hashed */
    size_t lines = 1;
    for (const char *p = main; *p; p++)
        lines += *p == '\n';
    size_t cap = 16;
    while (cap < 2 * lines)
        cap *= 2;
    uint64_t *set = xcalloc(cap, sizeof *set);
    for (const char *p = main; *p;) {
        size_t n = strcspn(p, "\n");
        uint64_t h = line_hash(p, n);
        size_t i = h & (cap - 1);
        while (set[i] && set[i] != h)
            i = (i + 1) & (cap - 1);
        set[i] = h;
        p += n + (p[n] == '\n');
    }
    struct extract_tw tw;
    extract__tw_init(&tw, EXTRACT_MAX_TEXT);
    for (const char *p = visible; *p;) {
        size_t n = strcspn(p, "\n");
        uint64_t h = line_hash(p, n);
        size_t i = h & (cap - 1);
        while (set[i] && set[i] != h)
            i = (i + 1) & (cap - 1);
        if (!set[i] && n) {
            char *line = xstrndup(p, n);
            extract__tw_break(&tw);
            extract__tw_text(&tw, line);
            free(line);
        }
        p += n + (p[n] == '\n');
    }
    free(set);
    return extract__tw_finish(&tw);
}
