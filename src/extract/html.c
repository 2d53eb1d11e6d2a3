/* html.c: parsing a page with libxml2, charset detection, and the tree
 * helpers the extractors share (walk, visibility, block elements). */
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
    *out = d;
    return 0;
}

void extract_doc_free(struct extract_doc *d)
{
    if (!d)
        return;
    xmlFreeDoc(d->doc);
    free(d->url);
    free(d);
}

const char *extract_charset(const struct extract_doc *d)
{
    return d->charset;
}

bool extract__name_is(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name && n->name[0] == (xmlChar)name[0] &&
           strcmp((const char *)n->name, name) == 0;
}

static bool name_in(xmlNodePtr n, const char *const *names)
{
    if (n->type != XML_ELEMENT_NODE || !n->name)
        return false;
    const char *name = (const char *)n->name;
    for (; *names; names++)
        if (**names == *name && strcmp(name, *names) == 0)
            return true;
    return false;
}

const char *extract__attr(xmlNodePtr n, const char *name)
{
    if (n->type != XML_ELEMENT_NODE)
        return NULL;
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        if (a->name && a->name[0] == name[0] && strcmp((const char *)a->name, name) == 0) {
            if (a->children && a->children->type == XML_TEXT_NODE && !a->children->next)
                return a->children->content ? (const char *)a->children->content : "";
            return ""; /* entity-split values are rare; treat as present and empty */
        }
    }
    return NULL;
}

bool extract__is_block(xmlNodePtr n)
{
    static const char *const blocks[] = {
        "address", "article",  "aside",      "blockquote", "br",     "dd",   "details", "div", "dl",
        "dt",      "fieldset", "figcaption", "figure",     "footer", "form", "h1",      "h2",  "h3",
        "h4",      "h5",       "h6",         "header",     "hr",     "li",   "main",    "nav", "ol",
        "p",       "pre",      "section",    "summary",    "table",  "td",   "th",      "tr",  "ul",
        "caption", "option",   "label",      "button",     NULL};
    return name_in(n, blocks);
}

/* A <noscript> usually holds tracking pixels, but some sites (Discourse
 * forums, for one) serve their whole content there for clients without
 * JavaScript: it counts as visible when it holds paragraphs or headings. */
static bool noscript_has_content(xmlNodePtr n)
{
    static const char *const blocks[] = {"p", "article", "h1", "h2", "h3", "li", "main", NULL};
    int seen = 0;
    for (xmlNodePtr x = n->children; x && seen < 5000; x = extract__next(x, n, false), seen++)
        if (name_in(x, blocks))
            return true;
    return false;
}

bool extract__is_invisible(xmlNodePtr n)
{
    static const char *const hidden[] = {"script", "style",  "template", "svg",
                                         "iframe", "object", "embed",    "canvas",
                                         "head",   "select", "math",     NULL};
    if (extract__name_is(n, "noscript"))
        return !noscript_has_content(n);
    if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE || n->type == XML_DTD_NODE)
        return true;
    if (n->type != XML_ELEMENT_NODE)
        return false;
    if (name_in(n, hidden))
        return true;
    if (!n->properties)
        return false;
    if (extract__attr(n, "hidden"))
        return true;
    const char *aria = extract__attr(n, "aria-hidden");
    if (aria && strcmp(aria, "true") == 0)
        return true;
    const char *style = extract__attr(n, "style");
    if (!style)
        return false;
    /* "display:none" or "visibility:hidden", spaces allowed */
    char compact[256];
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)style; *p && k + 1 < sizeof compact; p++)
        if (!isspace(*p))
            compact[k++] = (char)tolower(*p);
    compact[k] = '\0';
    return strstr(compact, "display:none") || strstr(compact, "visibility:hidden");
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
