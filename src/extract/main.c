/* main.c: the main content of a page, without navigation, footers, cookie
 * banners, sidebars and link lists.
 *
 * Three passes over the libxml2 tree, none recursive (hostile pages nest
 * deeply): (1) per element, bottom-up: visible text length, text inside
 * links, link count, and a readability-style content score that paragraphs
 * pass to their parent and grandparent; (2) the root: the best-scoring
 * container when it holds most of the page's content, else the whole body
 * (service and listing pages spread their content over many sections);
 * (3) the text of that root, leaving out boilerplate subtrees (by element,
 * ARIA role, class or id) and blocks that are mostly links.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "core/alloc.h"
#include "extract/extract_int.h"

struct stats {
    size_t text;  /* visible text bytes (white space excluded) */
    size_t link;  /* of which inside <a> */
    size_t links; /* <a> elements */
    size_t commas;
    double score; /* content score */
    bool boiler;  /* boilerplate by its own markup */
    bool weak;    /* ... by a class or id word only, which layouts misuse */
};

static bool is_heading(xmlNodePtr n)
{
    return n->type == XML_ELEMENT_NODE && n->name[0] == 'h' && n->name[1] >= '1' &&
           n->name[1] <= '6' && !n->name[2];
}

/* Class and id words that mark boilerplate. A class is split into words on
 * space, '-' and '_' so that "site-footer" matches "footer" but "footnote"
 * does not. Sorted for bsearch. */
static const char *const boiler_words[] = {
    "ad",          "ads",        "advert",     "advertisement", "banner",       "breadcrumb",
    "breadcrumbs", "consent",    "cookie",     "cookiebanner",  "cookies",      "footer",
    "gdpr",        "masthead",   "menu",       "menubar",       "modal",        "nav",
    "navbar",      "navigation", "newsletter", "pager",         "pagination",   "popup",
    "promo",       "related",    "share",      "sharing",       "sidebar",      "skip",
    "social",      "sponsor",    "sponsored",  "subscribe",     "subscription", "toolbar",
    "topbar",
};

static int cmp_word(const void *key, const void *elem)
{
    return strcmp((const char *)key, *(const char *const *)elem);
}

static bool attr_has_boiler_word(xmlNodePtr n, const char *attr)
{
    const xmlChar *v = (const xmlChar *)extract__attr(n, attr);
    if (!v)
        return false;
    bool hit = false;
    char word[32];
    size_t k = 0;
    for (const xmlChar *p = v;; p++) {
        bool sep = !*p || *p == ' ' || *p == '-' || *p == '_' || *p == '\t';
        if (!sep) {
            if (k + 1 < sizeof word)
                word[k++] = (char)tolower(*p);
            continue;
        }
        word[k] = '\0';
        if (k && bsearch(word, boiler_words, sizeof boiler_words / sizeof *boiler_words,
                         sizeof *boiler_words, cmp_word)) {
            hit = true;
            break;
        }
        k = 0;
        if (!*p)
            break;
    }
    return hit;
}

static bool has_descendant(xmlNodePtr root, const char *name)
{
    for (xmlNodePtr n = root->children; n; n = extract__next(n, root, false))
        if (extract__name_is(n, name))
            return true;
    return false;
}

/* 0: content; 1: boilerplate by element or role; 2: by class or id word. */
static int is_boilerplate(xmlNodePtr n)
{
    static const char *const tags[] = {"nav",  "footer", "aside",    "form",  "button", "dialog",
                                       "menu", "input",  "textarea", "label", NULL};
    for (const char *const *t = tags; *t; t++)
        if (extract__name_is(n, *t))
            return 1;
    if (extract__name_is(n, "header")) /* a site header holds navigation, not a title */
        return has_descendant(n, "nav") || !has_descendant(n, "h1");
    if (!n->properties)
        return 0;
    const char *role = extract__attr(n, "role");
    if (role) {
        static const char *const roles[] = {"navigation",  "banner", "contentinfo", "complementary",
                                            "search",      "dialog", "menu",        "menubar",
                                            "alertdialog", NULL};
        bool hit = false;
        for (const char *const *r = roles; *r && !hit; r++)
            hit = strcasecmp(role, *r) == 0;
        if (hit)
            return true;
    }
    if (extract__name_is(n, "body") || extract__name_is(n, "html") || extract__name_is(n, "main") ||
        extract__name_is(n, "article"))
        return 0;
    return attr_has_boiler_word(n, "class") || attr_has_boiler_word(n, "id") ? 2 : 0;
}

static size_t visible_len(const char *s, size_t *commas)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (!isspace(*p))
            n++;
        if (*p == ',')
            (*commas)++;
    }
    return n;
}

static struct stats *st_of(xmlNodePtr n)
{
    return (struct stats *)n->_private;
}

/* Pass 1: stats for every element under root, children before parents. */
static struct stats *measure(xmlNodePtr root, size_t *count)
{
    size_t n = 0;
    for (xmlNodePtr x = root; x; x = extract__next(x, root, false))
        if (x->type == XML_ELEMENT_NODE)
            n++;
    struct stats *all = xcalloc(n ? n : 1, sizeof *all);
    size_t i = 0;
    for (xmlNodePtr x = root; x; x = extract__next(x, root, false)) {
        if (x->type == XML_ELEMENT_NODE) {
            x->_private = &all[i++];
            int b = is_boilerplate(x);
            st_of(x)->boiler = b != 0;
            st_of(x)->weak = b == 2;
        }
    }
    *count = n;
    /* Post-order: walk, and when leaving a subtree add it to its parent. */
    xmlNodePtr x = root;
    bool down = true;
    while (x) {
        if (down && x->children && x->type == XML_ELEMENT_NODE && !extract__is_invisible(x)) {
            x = x->children;
            continue;
        }
        /* x is finished */
        if ((x->type == XML_TEXT_NODE || x->type == XML_CDATA_SECTION_NODE) && x->parent &&
            x->parent->_private) {
            struct stats *p = st_of(x->parent);
            size_t commas = 0;
            size_t len = visible_len((const char *)x->content, &commas);
            p->text += len;
            p->commas += commas;
        } else if (x->type == XML_ELEMENT_NODE && x != root && x->parent && x->parent->_private &&
                   !extract__is_invisible(x)) {
            struct stats *s = st_of(x), *p = st_of(x->parent);
            if (extract__name_is(x, "a")) {
                s->link = s->text;
                s->links++;
            }
            p->text += s->text;
            p->link += s->link;
            p->links += s->links;
            p->commas += s->commas;
        }
        if (x == root)
            break;
        if (x->next) {
            x = x->next;
            down = true;
        } else {
            x = x->parent;
            down = false;
        }
    }
    /* A class word like "sticky-footer" on a wrapper of the whole page is
     * layout, not boilerplate: keep such wrappers when they hold the main
     * content or a large share of the text. */
    size_t total = st_of(root)->text;
    for (xmlNodePtr y = root; y; y = extract__next(y, root, false)) {
        if (y->type != XML_ELEMENT_NODE || !y->_private || !st_of(y)->weak)
            continue;
        struct stats *s = st_of(y);
        if ((total && (double)s->text / (double)total > 0.35) || has_descendant(y, "main") ||
            has_descendant(y, "article") || has_descendant(y, "h1"))
            s->boiler = false;
    }
    return all;
}

/* Menus, tag clouds and "related" lists: mostly links, and short ones.
 * Listing cards and product grids are links too, but with longer text. */
static bool link_dense(const struct stats *s)
{
    if (s->links < 2 || s->text == 0)
        return false;
    double ratio = (double)s->link / (double)s->text;
    double per_link = (double)s->link / (double)s->links;
    return ratio > 0.9 || (ratio > 0.55 && per_link < 24);
}

static bool is_paragraphish(xmlNodePtr n)
{
    static const char *const names[] = {"p", "pre", "td", "blockquote", "li", "dd", NULL};
    for (const char *const *t = names; *t; t++)
        if (extract__name_is(n, *t))
            return true;
    return false;
}

/* Pass 2: content scores; returns the best container, or NULL. */
static xmlNodePtr best_container(xmlNodePtr root)
{
    for (xmlNodePtr x = root; x; x = extract__next(x, root, false)) {
        if (x->type != XML_ELEMENT_NODE || !x->_private || !is_paragraphish(x))
            continue;
        struct stats *s = st_of(x);
        size_t own = s->text - s->link;
        if (own < 25 || s->boiler)
            continue;
        double score = 1.0 + (double)s->commas + (own / 100.0 > 3 ? 3 : own / 100.0);
        xmlNodePtr p = x->parent;
        for (int up = 1; p && p->_private && up <= 3; up++, p = p->parent)
            st_of(p)->score += score / up;
    }
    xmlNodePtr best = NULL;
    double top = 0;
    for (xmlNodePtr x = root; x; x = extract__next(x, root, false)) {
        if (x->type != XML_ELEMENT_NODE || !x->_private || extract__is_invisible(x))
            continue;
        struct stats *s = st_of(x);
        if (s->boiler)
            continue;
        double density = s->text ? (double)s->link / (double)s->text : 0;
        double final = s->score * (1.0 - density);
        if (final > top) {
            top = final;
            best = x;
        }
    }
    return best;
}

/* The body's content: its text less boilerplate and link-dense blocks. */
static size_t clean_len(xmlNodePtr root)
{
    size_t n = 0;
    xmlNodePtr x = root;
    while (x) {
        if (x->type == XML_ELEMENT_NODE && x != root &&
            (extract__is_invisible(x) ||
             (x->_private && (st_of(x)->boiler || link_dense(st_of(x)))))) {
            x = extract__next(x, root, true);
            continue;
        }
        if (x->type == XML_TEXT_NODE) {
            size_t commas = 0;
            n += visible_len((const char *)x->content, &commas);
        }
        x = extract__next(x, root, false);
    }
    return n;
}

/* Pass 3: the text of root without boilerplate. */
static char *emit(xmlNodePtr root)
{
    struct extract_tw tw;
    extract__tw_init(&tw, EXTRACT_MAX_TEXT);
    xmlNodePtr x = root;
    while (x) {
        if (x != root && x->type == XML_ELEMENT_NODE &&
            (extract__is_invisible(x) ||
             (x->_private && (st_of(x)->boiler || (!is_heading(x) && link_dense(st_of(x))))))) {
            x = extract__next(x, root, true);
            continue;
        }
        if (extract__is_block(x) || is_heading(x))
            extract__tw_break(&tw);
        if (x->type == XML_TEXT_NODE || x->type == XML_CDATA_SECTION_NODE)
            extract__tw_text(&tw, (const char *)x->content);
        x = extract__next(x, root, false);
    }
    return extract__tw_finish(&tw);
}

static xmlNodePtr find_body(xmlNodePtr root)
{
    for (xmlNodePtr x = root; x; x = extract__next(x, root, false))
        if (extract__name_is(x, "body"))
            return x;
    return root;
}

char *extract_main_text(const struct extract_doc *d)
{
    xmlNodePtr html = xmlDocGetRootElement(d->doc);
    xmlNodePtr body = find_body(html);
    size_t count;
    struct stats *all = measure(body, &count);
    xmlNodePtr root = body;
    xmlNodePtr best = best_container(body);
    if (best && best != body) {
        /* An article-like page: the best container holds most of the
         * content. Otherwise (service, listing, product pages) the content
         * is spread out and the whole cleaned body is kept. */
        size_t total = clean_len(body), in_best = clean_len(best);
        if (total && (double)in_best / (double)total >= 0.6)
            root = best;
    }
    char *text = emit(root);
    if (root != body) {
        /* The article's title often sits just outside its container. */
        for (xmlNodePtr x = body; x; x = extract__next(x, body, false)) {
            if (x == root) {
                x = extract__next(x, body, true);
                if (!x)
                    break;
            }
            if (extract__name_is(x, "h1") && !(x->_private && st_of(x)->boiler)) {
                char *h = emit(x);
                if (*h && !strstr(text, h)) {
                    char *joined = xasprintf("%s\n%s", h, text);
                    free(text);
                    text = joined;
                }
                free(h);
                break;
            }
        }
    }
    for (xmlNodePtr x = body; x; x = extract__next(x, body, false))
        if (x->type == XML_ELEMENT_NODE)
            x->_private = NULL;
    free(all);
    return text;
}
