/* main.c: the main content of a page, without navigation, footers, cookie
 * banners, sidebars and link lists.
 *
 * Three passes over the page's node index (extract_int.h), none recursive
 * (hostile pages nest deeply): (1) per element, bottom-up: visible text length, text inside
 * links, link count, and a readability-style content score that paragraphs
 * pass to their parent and grandparent; (2) the root: the best-scoring
 * container when it holds most of the page's content, else the whole body
 * (service and listing pages spread their content over many sections);
 * (3) the text of that root, leaving out boilerplate subtrees (by element,
 * ARIA role, class or id) and blocks that are mostly links.
 */
#include <ctype.h>
#include <pthread.h>
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
    bool seen;    /* reached by the measuring walk (not inside an invisible element) */
};

/* The body's subtree, nodes[base, end) of the page's index, with the stats
 * of each of its nodes in st[i - base]. */
struct body {
    const struct extract_node *nodes;
    struct stats *st;
    size_t base, end;
};

static struct stats *st_of(const struct body *b, size_t i)
{
    return &b->st[i - b->base];
}

static bool is_heading(const struct extract_node *n)
{
    return n->tag >= EXTRACT_TAG_H1 && n->tag <= EXTRACT_TAG_H6;
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

/* The lengths of the boiler words by first letter (bit k: a word of k
 * letters): most class words ("container", "row", "elementor-widget")
 * are told apart from all of them without a search. */
static uint32_t boiler_lengths[26];
static pthread_once_t boiler_once = PTHREAD_ONCE_INIT;

static void boiler_lengths_build(void)
{
    for (size_t i = 0; i < sizeof boiler_words / sizeof *boiler_words; i++)
        boiler_lengths[boiler_words[i][0] - 'a'] |= 1u << strlen(boiler_words[i]);
}

static int cmp_word(const void *key, const void *elem)
{
    return strcmp((const char *)key, *(const char *const *)elem);
}

static bool is_sep(unsigned char c)
{
    return !c || c == ' ' || c == '-' || c == '_' || c == '\t';
}

/* Whether a class or id value holds a boiler word, its words split on
 * space, tab, '-' and '_' and compared in lower case. Most words are told
 * apart by their first letter and length without being copied. */
static bool has_boiler_word(const char *v)
{
    if (!v)
        return false;
    for (const unsigned char *p = (const unsigned char *)v; *p;) {
        if (is_sep(*p)) {
            p++;
            continue;
        }
        const unsigned char *w = p;
        while (!is_sep(*p))
            p++;
        size_t k = (size_t)(p - w);
        int c0 = tolower(w[0]);
        if (k >= 32 || c0 < 'a' || c0 > 'z' || !(boiler_lengths[c0 - 'a'] & (1u << k)))
            continue;
        char word[32];
        for (size_t j = 0; j < k; j++)
            word[j] = (char)tolower(w[j]);
        word[k] = '\0';
        if (bsearch(word, boiler_words, sizeof boiler_words / sizeof *boiler_words,
                    sizeof *boiler_words, cmp_word))
            return true;
    }
    return false;
}

/* Whether nodes[i] has a descendant of one of the tags (a 0-ended list). */
static bool has_descendant(const struct extract_node *nodes, size_t i, const uint8_t *tags)
{
    for (size_t j = i + 1, end = nodes[i].end; j < end; j++)
        for (const uint8_t *t = tags; *t; t++)
            if (nodes[j].tag == *t)
                return true;
    return false;
}

/* 0: content; 1: boilerplate by element or role; 2: by class or id word. */
static int is_boilerplate(const struct extract_node *nodes, size_t i)
{
    const struct extract_node *n = &nodes[i];
    switch (n->tag) {
    case EXTRACT_TAG_NAV:
    case EXTRACT_TAG_FOOTER:
    case EXTRACT_TAG_ASIDE:
    case EXTRACT_TAG_FORM:
    case EXTRACT_TAG_BUTTON:
    case EXTRACT_TAG_DIALOG:
    case EXTRACT_TAG_MENU:
    case EXTRACT_TAG_INPUT:
    case EXTRACT_TAG_TEXTAREA:
    case EXTRACT_TAG_LABEL: return 1;
    case EXTRACT_TAG_HEADER: { /* a site header holds navigation, not a title */
        static const uint8_t nav[] = {EXTRACT_TAG_NAV, 0}, h1[] = {EXTRACT_TAG_H1, 0};
        return has_descendant(nodes, i, nav) || !has_descendant(nodes, i, h1);
    }
    default: break;
    }
    if (!(n->flags & EXTRACT_N_MARKED)) /* no role, class or id */
        return 0;
    static const char *const names[] = {"role", "class", "id"};
    const char *v[3];
    extract__attrs(n->node, names, v, 3);
    const char *role = v[0];
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
    if (n->tag == EXTRACT_TAG_BODY || n->tag == EXTRACT_TAG_HTML || n->tag == EXTRACT_TAG_MAIN ||
        n->tag == EXTRACT_TAG_ARTICLE)
        return 0;
    return has_boiler_word(v[1]) || has_boiler_word(v[2]) ? 2 : 0;
}

/* The bytes of s that are not white space (isspace in the C locale, which
 * Prospect never leaves), and its commas. */
static size_t visible_len(const char *s, size_t *commas)
{
    size_t n = 0, c = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        n += !(*p == ' ' || (*p >= '\t' && *p <= '\r'));
        c += *p == ',';
    }
    *commas += c;
    return n;
}

/* Pass 1: stats for every element of the body, children before parents. */
static void measure(struct body *b)
{
    const struct extract_node *nodes = b->nodes;
    for (size_t i = b->base; i < b->end; i++) {
        if (nodes[i].flags & EXTRACT_N_ELEMENT) {
            int kind = is_boilerplate(nodes, i);
            st_of(b, i)->boiler = kind != 0;
            st_of(b, i)->weak = kind == 2;
        }
    }
    /* The nodes a walk reaches that does not enter invisible elements... */
    for (size_t i = b->base; i < b->end;) {
        st_of(b, i)->seen = true;
        i = nodes[i].flags & EXTRACT_N_INVISIBLE ? nodes[i].end : i + 1;
    }
    /* ... each added to its parent after its own subtree: in reverse
     * document order, every descendant comes before its ancestors. */
    for (size_t i = b->end; i-- > b->base + 1;) {
        const struct extract_node *x = &nodes[i];
        if (!st_of(b, i)->seen)
            continue;
        struct stats *p = st_of(b, x->parent);
        if (x->flags & (EXTRACT_N_TEXT | EXTRACT_N_CDATA)) {
            size_t commas = 0;
            size_t len = visible_len(x->text, &commas);
            p->text += len;
            p->commas += commas;
        } else if ((x->flags & EXTRACT_N_ELEMENT) && !(x->flags & EXTRACT_N_INVISIBLE)) {
            struct stats *s = st_of(b, i);
            if (x->tag == EXTRACT_TAG_A) {
                s->link = s->text;
                s->links++;
            }
            p->text += s->text;
            p->link += s->link;
            p->links += s->links;
            p->commas += s->commas;
        }
    }
    /* A class word like "sticky-footer" on a wrapper of the whole page is
     * layout, not boilerplate: keep such wrappers when they hold the main
     * content or a large share of the text. */
    static const uint8_t content[] = {EXTRACT_TAG_MAIN, EXTRACT_TAG_ARTICLE, EXTRACT_TAG_H1, 0};
    size_t total = st_of(b, b->base)->text;
    for (size_t i = b->base; i < b->end; i++) {
        if (!(nodes[i].flags & EXTRACT_N_ELEMENT) || !st_of(b, i)->weak)
            continue;
        struct stats *s = st_of(b, i);
        if ((total && (double)s->text / (double)total > 0.35) || has_descendant(nodes, i, content))
            s->boiler = false;
    }
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

static bool is_paragraphish(uint8_t tag)
{
    return tag == EXTRACT_TAG_P || tag == EXTRACT_TAG_PRE || tag == EXTRACT_TAG_TD ||
           tag == EXTRACT_TAG_BLOCKQUOTE || tag == EXTRACT_TAG_LI || tag == EXTRACT_TAG_DD;
}

/* Pass 2: content scores; returns the best container's index, or 0 (the
 * root element, never in the body's subtree) when none. */
static size_t best_container(struct body *b)
{
    const struct extract_node *nodes = b->nodes;
    for (size_t i = b->base; i < b->end; i++) {
        if (!(nodes[i].flags & EXTRACT_N_ELEMENT) || !is_paragraphish(nodes[i].tag))
            continue;
        struct stats *s = st_of(b, i);
        size_t own = s->text - s->link;
        if (own < 25 || s->boiler)
            continue;
        double score = 1.0 + (double)s->commas + (own / 100.0 > 3 ? 3 : own / 100.0);
        uint32_t p = nodes[i].parent;
        for (int up = 1; p != UINT32_MAX && p >= b->base && up <= 3; up++, p = nodes[p].parent)
            st_of(b, p)->score += score / up;
    }
    size_t best = 0;
    double top = 0;
    for (size_t i = b->base; i < b->end; i++) {
        if ((nodes[i].flags & (EXTRACT_N_ELEMENT | EXTRACT_N_INVISIBLE)) != EXTRACT_N_ELEMENT)
            continue;
        struct stats *s = st_of(b, i);
        if (s->boiler)
            continue;
        double density = s->text ? (double)s->link / (double)s->text : 0;
        double final = s->score * (1.0 - density);
        if (final > top) {
            top = final;
            best = i;
        }
    }
    return best;
}

/* The content under nodes[root]: its text less boilerplate and link-dense blocks. */
static size_t clean_len(struct body *b, size_t root)
{
    const struct extract_node *nodes = b->nodes;
    size_t n = 0;
    for (size_t i = root, end = nodes[root].end; i < end;) {
        const struct extract_node *x = &nodes[i];
        if ((x->flags & EXTRACT_N_ELEMENT) && i != root &&
            ((x->flags & EXTRACT_N_INVISIBLE) || st_of(b, i)->boiler || link_dense(st_of(b, i)))) {
            i = x->end;
            continue;
        }
        if (x->flags & EXTRACT_N_TEXT) {
            size_t commas = 0;
            n += visible_len(x->text, &commas);
        }
        i++;
    }
    return n;
}

/* Pass 3: the text of nodes[root] without boilerplate. */
static char *emit(struct body *b, size_t root)
{
    const struct extract_node *nodes = b->nodes;
    struct extract_tw tw;
    extract__tw_init(&tw, EXTRACT_MAX_TEXT);
    for (size_t i = root, end = nodes[root].end; i < end;) {
        const struct extract_node *x = &nodes[i];
        if (i != root && (x->flags & EXTRACT_N_ELEMENT) &&
            ((x->flags & EXTRACT_N_INVISIBLE) || st_of(b, i)->boiler ||
             (!is_heading(x) && link_dense(st_of(b, i))))) {
            i = x->end;
            continue;
        }
        if ((x->flags & EXTRACT_N_BLOCK) || is_heading(x))
            extract__tw_break(&tw);
        if (x->flags & (EXTRACT_N_TEXT | EXTRACT_N_CDATA))
            extract__tw_text(&tw, x->text);
        i++;
    }
    return extract__tw_finish(&tw);
}

/* The first <body> of the page, else its root element. */
static size_t find_body(const struct extract_doc *d)
{
    for (size_t i = 0; i < d->nnodes; i++)
        if (d->nodes[i].tag == EXTRACT_TAG_BODY)
            return i;
    return 0;
}

char *extract_main_text(const struct extract_doc *d)
{
    pthread_once(&boiler_once, boiler_lengths_build);
    size_t body = find_body(d);
    struct body b = {.nodes = d->nodes, .base = body, .end = d->nodes[body].end};
    b.st = xcalloc(b.end - b.base, sizeof *b.st);
    measure(&b);
    size_t root = body;
    size_t best = best_container(&b);
    if (best && best != body) {
        /* An article-like page: the best container holds most of the
         * content. Otherwise (service, listing, product pages) the content
         * is spread out and the whole cleaned body is kept. */
        size_t total = clean_len(&b, body), in_best = clean_len(&b, best);
        if (total && (double)in_best / (double)total >= 0.6)
            root = best;
    }
    char *text = emit(&b, root);
    if (root != body) {
        /* The article's title often sits just outside its container. */
        for (size_t i = body; i < b.end; i++) {
            if (i == root) {
                i = d->nodes[root].end;
                if (i >= b.end)
                    break;
            }
            if (d->nodes[i].tag == EXTRACT_TAG_H1 && !st_of(&b, i)->boiler) {
                char *h = emit(&b, i);
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
    free(b.st);
    return text;
}
