/* html.c: parsing a page with libxml2, charset detection, the page's node
 * index (one walk of the tree: order, subtrees, tags, visibility, the
 * attributes the extractors ask about) and the tree helpers they share. */
#include <pthread.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

#include "core/alloc.h"
#include "core/str.h"
#include "extract/extract_int.h"

/* Looks for charset=NAME at p (after "charset"), copying NAME into out. */
static bool read_charset_value(const char *p, const char *end, char *out, size_t outlen)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p >= end || *p != '=')
        return false;
    p++;
    while (p < end && (*p == ' ' || *p == '"' || *p == '\''))
        p++;
    size_t n = 0;
    while (p < end && n + 1 < outlen && (isalnum((unsigned char)*p) || strchr("-_.:", *p)))
        out[n++] = *p++;
    out[n] = '\0';
    return n > 0;
}

void extract_sniff_charset(const char *html, size_t len, char *out, size_t outlen)
{
    out[0] = '\0';
    const unsigned char *u = (const unsigned char *)html;
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        snprintf(out, outlen, "UTF-8");
        return;
    }
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        snprintf(out, outlen, "%s", u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE");
        return;
    }
    size_t n = len < 4096 ? len : 4096;
    const char *end = html + n;
    for (const char *p = html; p + 5 < end; p++) {
        if (*p != '<' || strncasecmp(p + 1, "meta", 4) != 0)
            continue;
        const char *close = memchr(p, '>', (size_t)(end - p));
        if (!close)
            break;
        for (const char *q = p; q + 7 < close; q++)
            if (strncasecmp(q, "charset", 7) == 0 && read_charset_value(q + 7, close, out, outlen))
                return;
        p = close;
    }
}

/* Element names, in the order of enum extract_tag. */
static const char *const tag_names[EXTRACT_TAG_COUNT] = {
    "",       "a",      "address", "article",  "aside",      "base",     "blockquote", "body",
    "br",     "button", "canvas",  "caption",  "dd",         "details",  "dialog",     "div",
    "dl",     "dt",     "embed",   "fieldset", "figcaption", "figure",   "footer",     "form",
    "h1",     "h2",     "h3",      "h4",       "h5",         "h6",       "head",       "header",
    "hr",     "html",   "iframe",  "img",      "input",      "label",    "li",         "link",
    "main",   "math",   "menu",    "meta",     "nav",        "noscript", "object",     "ol",
    "option", "p",      "pre",     "script",   "section",    "select",   "style",      "summary",
    "svg",    "table",  "td",      "template", "textarea",   "th",       "title",      "tr",
    "ul",
};

/* The tags by first letter, so that a name is compared with a handful. */
static uint8_t tags_by_letter[26][12];
static pthread_once_t tags_once = PTHREAD_ONCE_INIT;

static void tags_build(void)
{
    for (int t = 1; t < EXTRACT_TAG_COUNT; t++) {
        uint8_t *row = tags_by_letter[tag_names[t][0] - 'a'];
        int k = 0;
        while (row[k])
            k++;
        if (k + 1 >= (int)sizeof tags_by_letter[0])
            abort(); /* the table above outgrew the row; a test catches it */
        row[k] = (uint8_t)t;
    }
}

static uint8_t tag_of(const xmlChar *name)
{
    if (!name || name[0] < 'a' || name[0] > 'z')
        return EXTRACT_TAG_OTHER;
    for (const uint8_t *t = tags_by_letter[name[0] - 'a']; *t; t++)
        if (strcmp((const char *)name, tag_names[*t]) == 0)
            return *t;
    return EXTRACT_TAG_OTHER;
}

enum {
    TAG_BLOCK = 1,      /* ends a line of text */
    TAG_HIDDEN = 2,     /* never shown */
    TAG_NOSCRIPT_C = 4, /* a <noscript> holding one is content */
};

static const uint8_t tag_props[EXTRACT_TAG_COUNT] = {
    [EXTRACT_TAG_ADDRESS] = TAG_BLOCK,
    [EXTRACT_TAG_ARTICLE] = TAG_BLOCK | TAG_NOSCRIPT_C,
    [EXTRACT_TAG_ASIDE] = TAG_BLOCK,
    [EXTRACT_TAG_BLOCKQUOTE] = TAG_BLOCK,
    [EXTRACT_TAG_BR] = TAG_BLOCK,
    [EXTRACT_TAG_BUTTON] = TAG_BLOCK,
    [EXTRACT_TAG_CANVAS] = TAG_HIDDEN,
    [EXTRACT_TAG_CAPTION] = TAG_BLOCK,
    [EXTRACT_TAG_DD] = TAG_BLOCK,
    [EXTRACT_TAG_DETAILS] = TAG_BLOCK,
    [EXTRACT_TAG_DIV] = TAG_BLOCK,
    [EXTRACT_TAG_DL] = TAG_BLOCK,
    [EXTRACT_TAG_DT] = TAG_BLOCK,
    [EXTRACT_TAG_EMBED] = TAG_HIDDEN,
    [EXTRACT_TAG_FIELDSET] = TAG_BLOCK,
    [EXTRACT_TAG_FIGCAPTION] = TAG_BLOCK,
    [EXTRACT_TAG_FIGURE] = TAG_BLOCK,
    [EXTRACT_TAG_FOOTER] = TAG_BLOCK,
    [EXTRACT_TAG_FORM] = TAG_BLOCK,
    [EXTRACT_TAG_H1] = TAG_BLOCK | TAG_NOSCRIPT_C,
    [EXTRACT_TAG_H2] = TAG_BLOCK | TAG_NOSCRIPT_C,
    [EXTRACT_TAG_H3] = TAG_BLOCK | TAG_NOSCRIPT_C,
    [EXTRACT_TAG_H4] = TAG_BLOCK,
    [EXTRACT_TAG_H5] = TAG_BLOCK,
    [EXTRACT_TAG_H6] = TAG_BLOCK,
    [EXTRACT_TAG_HEAD] = TAG_HIDDEN,
    [EXTRACT_TAG_HEADER] = TAG_BLOCK,
    [EXTRACT_TAG_HR] = TAG_BLOCK,
    [EXTRACT_TAG_IFRAME] = TAG_HIDDEN,
    [EXTRACT_TAG_LABEL] = TAG_BLOCK,
    [EXTRACT_TAG_LI] = TAG_BLOCK | TAG_NOSCRIPT_C,
    [EXTRACT_TAG_MAIN] = TAG_BLOCK | TAG_NOSCRIPT_C,
    [EXTRACT_TAG_MATH] = TAG_HIDDEN,
    [EXTRACT_TAG_NAV] = TAG_BLOCK,
    [EXTRACT_TAG_OBJECT] = TAG_HIDDEN,
    [EXTRACT_TAG_OL] = TAG_BLOCK,
    [EXTRACT_TAG_OPTION] = TAG_BLOCK,
    [EXTRACT_TAG_P] = TAG_BLOCK | TAG_NOSCRIPT_C,
    [EXTRACT_TAG_PRE] = TAG_BLOCK,
    [EXTRACT_TAG_SCRIPT] = TAG_HIDDEN,
    [EXTRACT_TAG_SECTION] = TAG_BLOCK,
    [EXTRACT_TAG_SELECT] = TAG_HIDDEN,
    [EXTRACT_TAG_STYLE] = TAG_HIDDEN,
    [EXTRACT_TAG_SUMMARY] = TAG_BLOCK,
    [EXTRACT_TAG_SVG] = TAG_HIDDEN,
    [EXTRACT_TAG_TABLE] = TAG_BLOCK,
    [EXTRACT_TAG_TD] = TAG_BLOCK,
    [EXTRACT_TAG_TEMPLATE] = TAG_HIDDEN,
    [EXTRACT_TAG_TH] = TAG_BLOCK,
    [EXTRACT_TAG_TR] = TAG_BLOCK,
    [EXTRACT_TAG_UL] = TAG_BLOCK,
};

bool extract__name_is(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name && n->name[0] == (xmlChar)name[0] &&
           strcmp((const char *)n->name, name) == 0;
}

const char *extract__attr(xmlNodePtr n, const char *name)
{
    if (n->type != XML_ELEMENT_NODE)
        return NULL;
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        if (a->name && a->name[0] == name[0] && strcmp((const char *)a->name, name) == 0)
            return extract__attr_value(a);
    }
    return NULL;
}

void extract__attrs(xmlNodePtr n, const char *const *names, const char **values, size_t k)
{
    for (size_t i = 0; i < k; i++)
        values[i] = NULL;
    if (n->type != XML_ELEMENT_NODE)
        return;
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        if (!a->name)
            continue;
        for (size_t i = 0; i < k; i++)
            if (!values[i] && a->name[0] == names[i][0] &&
                strcmp((const char *)a->name, names[i]) == 0) {
                values[i] = extract__attr_value(a);
                break;
            }
    }
}

const char *extract__attr_value(xmlAttrPtr a)
{
    /* entity-split values are rare; treat as present and empty */
    if (a->children && a->children->type == XML_TEXT_NODE && !a->children->next)
        return a->children->content ? (const char *)a->children->content : "";
    return "";
}

/* What an element's attributes say, read in one pass over them: the
 * EXTRACT_N_* flags of those the extractors look for, and whether they hide
 * it: hidden (but React's streamed content), aria-hidden="true", or a style of "display:none" or
 * "visibility:hidden" (spaces allowed). The first of a name counts, as with
 * extract__attr. */
static uint16_t attr_flags(xmlNodePtr n, bool *hidden)
{
    uint16_t flags = 0;
    const char *aria = NULL, *style = NULL, *cls = NULL, *id = NULL;
    bool hidden_attr = false;
    *hidden = false;
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        const char *name = (const char *)a->name;
        if (!name)
            continue;
        switch (name[0]) {
        case 'a':
            if (!aria && strcmp(name, "aria-hidden") == 0)
                aria = extract__attr_value(a);
            break;
        case 'c':
            if (!cls && strcmp(name, "class") == 0) {
                cls = extract__attr_value(a);
                flags |= EXTRACT_N_MARKED;
            }
            break;
        case 'd':
            if (strcmp(name, "data-cfemail") == 0)
                flags |= EXTRACT_N_CFEMAIL;
            break;
        case 'h':
            if (strcmp(name, "hidden") == 0)
                hidden_attr = true;
            break;
        case 'i':
            if (strcmp(name, "id") == 0) {
                id = extract__attr_value(a);
                flags |= EXTRACT_N_MARKED;
            } else if (strcmp(name, "itemscope") == 0)
                flags |= EXTRACT_N_ITEMSCOPE;
            break;
        case 'r':
            if (strcmp(name, "role") == 0)
                flags |= EXTRACT_N_MARKED;
            break;
        case 's':
            if (!style && strcmp(name, "style") == 0)
                style = extract__attr_value(a);
            break;
        default: break;
        }
    }
    if (cls && strstr(cls, "adr"))
        flags |= EXTRACT_N_ADR;
    /* React streams a page's content in <div hidden id="S:0">, which its
     * script moves into place as the page loads: what the reader sees */
    if (hidden_attr && !(id && id[0] == 'S' && id[1] == ':' && isdigit((unsigned char)id[2])))
        *hidden = true;
    if (aria && strcmp(aria, "true") == 0)
        *hidden = true;
    if (style && !*hidden) {
        char compact[256];
        size_t k = 0;
        for (const unsigned char *p = (const unsigned char *)style; *p && k + 1 < sizeof compact;
             p++)
            if (!isspace(*p))
                compact[k++] = (char)tolower(*p);
        compact[k] = '\0';
        *hidden = strstr(compact, "display:none") || strstr(compact, "visibility:hidden");
    }
    return flags;
}

/* A <noscript> usually holds tracking pixels, but some sites (Discourse
 * forums, for one) serve their whole content there for clients without
 * JavaScript: it counts as visible when it holds paragraphs or headings
 * among its first 5000 nodes. nodes[i] is the <noscript>. */
static bool noscript_has_content(const struct extract_node *nodes, size_t i)
{
    size_t end = nodes[i].end, last = i + 1 + 5000 < end ? i + 1 + 5000 : end;
    for (size_t j = i + 1; j < last; j++)
        if ((nodes[j].flags & EXTRACT_N_ELEMENT) && (tag_props[nodes[j].tag] & TAG_NOSCRIPT_C))
            return true;
    return false;
}

static void index_push(struct extract_doc *d, size_t *cap, xmlNodePtr x, uint32_t parent)
{
    if (d->nnodes == *cap) {
        *cap = *cap ? 2 * *cap : 1024;
        d->nodes = xrealloc(d->nodes, *cap * sizeof *d->nodes);
    }
    struct extract_node *e = &d->nodes[d->nnodes++];
    memset(e, 0, sizeof *e);
    e->node = x;
    e->parent = parent;
    switch (x->type) {
    case XML_ELEMENT_NODE:
        e->tag = tag_of(x->name);
        e->flags = EXTRACT_N_ELEMENT | (tag_props[e->tag] & TAG_BLOCK ? EXTRACT_N_BLOCK : 0);
        bool hidden = false;
        if (x->properties)
            e->flags |= EXTRACT_N_ATTRS | attr_flags(x, &hidden);
        /* a <noscript> is judged by its content, once its subtree is in */
        if (e->tag != EXTRACT_TAG_NOSCRIPT && ((tag_props[e->tag] & TAG_HIDDEN) || hidden))
            e->flags |= EXTRACT_N_INVISIBLE;
        break;
    case XML_TEXT_NODE:
        e->flags = EXTRACT_N_TEXT;
        e->text = (const char *)x->content;
        break;
    case XML_CDATA_SECTION_NODE:
        e->flags = EXTRACT_N_CDATA;
        e->text = (const char *)x->content;
        break;
    case XML_COMMENT_NODE:
    case XML_PI_NODE:
    case XML_DTD_NODE: e->flags = EXTRACT_N_INVISIBLE; break;
    default: break;
    }
}

/* The index of root's subtree: the order and the subtrees of extract__next. */
static void index_build(struct extract_doc *d, xmlNodePtr root)
{
    size_t cap = 0;
    index_push(d, &cap, root, UINT32_MAX);
    xmlNodePtr x = root;
    uint32_t cur = 0;
    for (;;) {
        if (x->children && (x->type == XML_ELEMENT_NODE || x->type == XML_HTML_DOCUMENT_NODE ||
                            x->type == XML_DOCUMENT_NODE)) {
            x = x->children;
            index_push(d, &cap, x, cur);
            cur = (uint32_t)(d->nnodes - 1);
            continue;
        }
        /* x's subtree is done, and so are those of the ancestors it ends */
        d->nodes[cur].end = (uint32_t)d->nnodes;
        while (x != root && !x->next) {
            x = x->parent;
            cur = d->nodes[cur].parent;
            d->nodes[cur].end = (uint32_t)d->nnodes;
        }
        if (x == root)
            break;
        x = x->next;
        index_push(d, &cap, x, d->nodes[cur].parent);
        cur = (uint32_t)(d->nnodes - 1);
    }
    for (size_t i = 0; i < d->nnodes; i++)
        if (d->nodes[i].tag == EXTRACT_TAG_NOSCRIPT && !noscript_has_content(d->nodes, i))
            d->nodes[i].flags |= EXTRACT_N_INVISIBLE;
}

/* libxml2 reports encoding trouble through its generic error handler even
 * with HTML_PARSE_NOERROR; hostile pages are expected here, so say nothing. */
static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

void extract_init(void)
{
    pthread_once(&xml_once, xmlInitParser);
}

int extract_parse(const char *html, size_t len, const char *charset, const char *url,
                  struct extract_doc **out, struct err *e)
{
    xmlSetGenericErrorFunc(NULL, quiet);
    struct extract_doc *d = xcalloc(1, sizeof *d);
    if (charset && *charset)
        snprintf(d->charset, sizeof d->charset, "%s", charset);
    else
        extract_sniff_charset(html, len, d->charset, sizeof d->charset);
    if (!d->charset[0]) /* undeclared: UTF-8 if it is, else the web's usual legacy */
        snprintf(d->charset, sizeof d->charset, "%s",
                 str_utf8_check(html, len, NULL) ? "UTF-8" : "windows-1252");
    if (len > (size_t)INT32_MAX) {
        free(d);
        return err_set(e, CORE_ETOOBIG, "page too large to parse");
    }
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
               HTML_PARSE_COMPACT | HTML_PARSE_NODEFDTD;
    d->doc = htmlReadMemory(html, (int)len, url, d->charset, opts);
    if (!d->doc) /* an unknown charset name: fall back to the bytes' own guess */
        d->doc = htmlReadMemory(html, (int)len, url,
                                str_utf8_check(html, len, NULL) ? "UTF-8" : "windows-1252", opts);
    if (!d->doc || !xmlDocGetRootElement(d->doc)) {
        if (d->doc)
            xmlFreeDoc(d->doc);
        free(d);
        return err_set(e, CORE_EPARSE, "no HTML could be parsed");
    }
    d->url = url ? xstrdup(url) : NULL;
    pthread_once(&tags_once, tags_build);
    index_build(d, xmlDocGetRootElement(d->doc));
    *out = d;
    return 0;
}

void extract_doc_free(struct extract_doc *d)
{
    if (!d)
        return;
    xmlFreeDoc(d->doc);
    free(d->nodes);
    free(d->url);
    free(d);
}

const char *extract_charset(const struct extract_doc *d)
{
    return d->charset;
}

xmlNodePtr extract__next(xmlNodePtr n, xmlNodePtr root, bool skip_children)
{
    if (!skip_children && n->children &&
        (n->type == XML_ELEMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE ||
         n->type == XML_DOCUMENT_NODE))
        return n->children;
    while (n && n != root) {
        if (n->next)
            return n->next;
        n = n->parent;
    }
    return NULL;
}

pcre2_code *extract__compile(const char *pattern, uint32_t flags)
{
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, flags | PCRE2_UTF,
                                   &code, &off, NULL);
    if (!re) {
        fprintf(stderr, "prospect: bad built-in pattern at %zu: %s\n", (size_t)off, pattern);
        abort();
    }
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* optional: falls back to the interpreter */
    return re;
}
