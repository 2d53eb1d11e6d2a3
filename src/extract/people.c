/* people.c: the people of the organisation a page names, with their titles
 * and their own contacts (extract_person in extract.h), in the order the
 * page names them.
 *
 * Sources:
 *   - schema.org Person in JSON-LD (meta.c collects them) and microdata,
 *     outside reviews and comments;
 *   - one line: "Name, Title", "Name – Title", <b>Name</b> Title,
 *     "Title: Name", "Label: Name, Title", "Name – name@company";
 *   - cards: a line that is a name, its job title on the line after it (or
 *     before it, the same side for a whole list of cards), a bio that gives
 *     it ("Maria is a growth analyst"), and the card's own mailto:, tel:
 *     and LinkedIn links;
 *   - running text: "Name, Title at Org", "Name is Org's Title", "I'm Name,
 *     founder of Org", "founding CEO Name".
 * What is not a person of the organisation is left out: testimonials and
 * reviews (elements classed so, names signing a quotation), people whose
 * title ties them to another organisation ("CTO, ScraperAPI", "Microsoft
 * CEO"; three chief executives on a page are other companies'), past roles,
 * and names that are words ("Meet The Team", "Celebrity Edge"), acronyms
 * and initials ("Abbie Y."). Names are tested against Debian's word lists
 * (words.c), titles by their head noun (title.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "extract/extract_int.h"
#include "text/text.h"

#define MAX_PEOPLE 64
#define MAX_CUTS 16
#define CARD_LINES 4 /* lines after a name that may hold its title and contacts */

/* ---- the page as lines, each knowing where its elements begin ---- */

struct line {
    char *text;
    size_t cuts[MAX_CUTS]; /* offsets in text where a new element's text begins */
    size_t ncuts;
    bool quote;                    /* a testimonial's, review's or comment's */
    char *mailto, *tel, *linkedin; /* the first of each linked from the line */
};

struct lines {
    struct line *v;
    size_t n, cap;
};

/* Whether an element is marked as a testimonial, review or comment. */
static bool marked_quote(xmlNodePtr n)
{
    static const char *const names[] = {"class", "id"};
    const char *vals[2];
    extract__attrs(n, names, vals, 2);
    /* not "quote": companies quote their own people too, and a quoted
     * outsider's title names their organisation (other_org) */
    static const char *const words[] = {"testimonial", "review",     "comment", "feedback",
                                        "rating",      "client-say", NULL};
    for (size_t k = 0; k < 2; k++)
        for (const char *const *w = words; vals[k] && *w; w++)
            if (strcasestr(vals[k], *w))
                return true;
    return false;
}

static void set_once(char **dst, const char *s, size_t n)
{
    if (!*dst)
        *dst = extract__percent_decode(s, n);
}

static void take_link(struct line *l, const char *href)
{
    if (!strncasecmp(href, "mailto:", 7)) {
        size_t n = strcspn(href + 7, "?");
        set_once(&l->mailto, href + 7, n);
    } else if (!strncasecmp(href, "tel:", 4)) {
        set_once(&l->tel, href + 4, strlen(href + 4));
    } else if (strstr(href, "linkedin.com/in/")) {
        set_once(&l->linkedin, href, strcspn(href, "?#"));
    }
}

static void end_line(struct lines *ls, struct extract_tw *tw, struct line *cur)
{
    char *t = extract__tw_finish(tw);
    if (*t || cur->mailto || cur->tel || cur->linkedin) {
        if (ls->n == ls->cap) {
            ls->cap = ls->cap ? 2 * ls->cap : 256;
            ls->v = xrealloc(ls->v, ls->cap * sizeof *ls->v);
        }
        cur->text = t;
        ls->v[ls->n++] = *cur;
    } else {
        free(t);
    }
    memset(cur, 0, sizeof *cur);
    extract__tw_init(tw, 4096);
}

static void page_lines(const struct extract_doc *d, struct lines *ls)
{
    const struct extract_node *nodes = d->nodes;
    bool *quote = xcalloc(d->nnodes ? d->nnodes : 1, sizeof *quote);
    struct extract_tw tw;
    extract__tw_init(&tw, 4096);
    struct line cur = {0};
    uint32_t last_parent = UINT32_MAX;
    for (size_t i = 0; i < d->nnodes;) {
        const struct extract_node *n = &nodes[i];
        if (i && (n->flags & EXTRACT_N_INVISIBLE)) {
            i = n->end;
            continue;
        }
        bool q = n->parent != UINT32_MAX && quote[n->parent];
        if (n->flags & EXTRACT_N_ELEMENT) {
            q = q || ((n->flags & EXTRACT_N_MARKED) && marked_quote(n->node));
            if (n->flags & EXTRACT_N_BLOCK)
                end_line(ls, &tw, &cur);
            if (n->tag == EXTRACT_TAG_A) {
                const char *href = extract__attr(n->node, "href");
                if (href)
                    take_link(&cur, href);
            }
        }
        quote[i] = q;
        if (n->flags & (EXTRACT_N_TEXT | EXTRACT_N_CDATA)) {
            if (n->parent != last_parent && tw.out.len && cur.ncuts < MAX_CUTS)
                cur.cuts[cur.ncuts++] = tw.out.len;
            last_parent = n->parent;
            extract__tw_text(&tw, n->text);
            cur.quote = cur.quote || q;
        }
        i++;
    }
    end_line(ls, &tw, &cur);
    free(extract__tw_finish(&tw));
    free(quote);
}

static void lines_release(struct lines *ls)
{
    for (size_t i = 0; i < ls->n; i++) {
        free(ls->v[i].text);
        free(ls->v[i].mailto);
        free(ls->v[i].tel);
        free(ls->v[i].linkedin);
    }
    free(ls->v);
}

/* ---- names ---- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

/* The code point at s (UTF-8), and its length in *len (1 for a byte that
 * starts no valid sequence). */
static unsigned cp_at(const char *s, size_t *len)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &c);
    if (k <= 0) {
        *len = 1;
        return 0xFFFD;
    }
    *len = (size_t)k;
    return (unsigned)c;
}

/* Letters in upper and lower case, in any script a name is written in. */
static bool cp_upper(unsigned c)
{
    return utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_LU;
}

static bool cp_lower(unsigned c)
{
    return utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_LL;
}

static bool particle(const char *s, size_t n)
{
    static const char *const words[] = {"van", "der", "den", "de", "da",  "del", "della",
                                        "di",  "du",  "la",  "le", "von", "bin", "dos",
                                        "das", "ten", "ter", "y",  NULL};
    for (const char *const *w = words; *w; w++)
        if (strlen(*w) == n && !strncmp(s, *w, n))
            return true;
    return false;
}

enum tok { TOK_BAD, TOK_WORD, TOK_INITIAL, TOK_PARTICLE };

/* What one token of a name is: a capitalised word ("O'Sullivan",
 * "Bourget-Vennin", "McKowen"), an initial ("D."), a particle ("van"). */
static enum tok name_token(const char *s, size_t n)
{
    if (particle(s, n))
        return TOK_PARTICLE;
    size_t k;
    unsigned c = cp_at(s, &k);
    if (!cp_upper(c))
        return TOK_BAD;
    if (k == n || (k + 1 == n && s[k] == '.'))
        return TOK_INITIAL;
    /* "I'm", "President's": a sentence's words, not a name's */
    if ((s[0] == 'I' && n > 1 && n <= 6 && (s[1] == '\'' || !strncmp(s + 1, "\xE2\x80\x99", 3))) ||
        (n > 2 && s[n - 1] == 's' && s[n - 2] == '\'') ||
        (n > 4 && !strncmp(s + n - 4, "\xE2\x80\x99s", 4)))
        return TOK_BAD;
    bool lower = false;
    unsigned prev = c;
    int inner = 0; /* capitals inside the word */
    for (size_t i = k; i < n; i += k) {
        c = cp_at(s + i, &k);
        if (cp_lower(c)) {
            lower = true;
        } else if (cp_upper(c)) {
            /* a capital inside: McKowen, SanSone, O'Sullivan; not two words
             * "OverviewFor" or "DevOps" */
            bool ok = prev == '\'' || prev == 0x2019 || prev == '-' ||
                      (i == 2 && !strncmp(s, "Mc", 2)) || (i == 3 && !strncmp(s, "Mac", 3)) ||
                      (i >= 2 && cp_lower(prev) && n - i >= 2 &&
                       !(extract__common_word(s, i) && extract__common_word(s + i, n - i)));
            if (!ok || ++inner > 1)
                return TOK_BAD;
        } else if (!(c == '\'' || c == 0x2019 || c == '-')) {
            return TOK_BAD;
        }
        prev = c;
    }
    return lower ? TOK_WORD : TOK_BAD; /* "IBM", "MASV": acronyms, not names */
}

static bool prefix_ci(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && !strncasecmp(s, p, k);
}

/* Byline and label words before a name: "Written by", "Author:". */
static size_t lead_in(const char *s, size_t n)
{
    static const char *const p[] = {"medically reviewed by",
                                    "fact checked by",
                                    "fact-checked by",
                                    "written by",
                                    "reviewed by",
                                    "authored by",
                                    "edited by",
                                    "posted by",
                                    "published by",
                                    "contact:",
                                    "author:",
                                    "by:",
                                    "by",
                                    "instructor:",
                                    "contact",
                                    "from",
                                    "i'm",
                                    "i\xE2\x80\x99m",
                                    "i am",
                                    "meet",
                                    NULL};
    for (const char *const *w = p; *w; w++)
        if (prefix_ci(s, n, *w) &&
            (n == strlen(*w) || is_space(s[strlen(*w)]) || s[strlen(*w) - 1] == ':'))
            return strlen(*w);
    return 0;
}

static size_t honorific(const char *s, size_t n)
{
    static const char *const p[] = {"dr. ", "dr ", "mr. ",   "mr ",        "mrs. ", "mrs ",
                                    "ms. ", "ms ", "prof. ", "professor ", NULL};
    for (const char *const *w = p; *w; w++)
        if (prefix_ci(s, n, *w) && cp_upper((unsigned char)s[0]))
            return strlen(*w);
    return 0;
}

/* Words of a sentence that are capitalised at its start and never a
 * given name: English stop words ("At Yoast", "As Matt Burns"), and the
 * words that open a greeting or a call to act ("Meet Our Team"). */
static bool function_word(const char *w)
{
    char low[16];
    size_t n = strlen(w);
    if (!n || n >= sizeof low)
        return false;
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)((w[i] >= 'A' && w[i] <= 'Z') ? w[i] - 'A' + 'a' : w[i]);
    if (text_is_stopword(low, n))
        return true;
    static const char *const words[] = {"dear", "hi",   "hello", "thanks",  "beyond", "via",  "per",
                                        "ask",  "call", "email", "contact", "follow", "meet", NULL};
    for (const char *const *x = words; *x; x++)
        if (!strcmp(low, *x))
            return true;
    return false;
}

static bool function_word_n(const char *s, size_t n)
{
    char w[16];
    if (n >= sizeof w)
        return false;
    memcpy(w, s, n);
    w[n] = '\0';
    return function_word(w);
}

/* Whether a word ends as abstract nouns do: "Management", "Description". */
static bool abstract_noun(const char *w, size_t n)
{
    static const char *const ends[] = {"ment", "tion", "sion", "ity", "ance",
                                       "ence", "ship", "ics",  NULL};
    for (const char *const *e = ends; *e; e++) {
        size_t k = strlen(*e);
        if (n > k + 2 && !strncmp(w + n - k, *e, k))
            return true;
    }
    return false;
}

/* Whether s[0..n) is a person's name; the name, without lead-in words,
 * honorifics and post-nominals after a comma, goes to out. */
static bool person_name(const char *s, size_t n, char *out, size_t outsz)
{
    while (n && (is_space(*s) || *s == '|' || *s == '-' || *s == ':'))
        s++, n--;
    size_t k = lead_in(s, n);
    s += k, n -= k;
    while (n && (is_space(*s) || *s == ':'))
        s++, n--;
    k = honorific(s, n);
    s += k, n -= k;
    while (n && (is_space(s[n - 1]) || strchr(",:|-", s[n - 1])))
        n--;
    const char *comma = memchr(s, ',', n); /* "Carrie Menke, Ph.D", "Jane Roe, MD" */
    if (comma) {
        bool post = (size_t)(s + n - comma) <= 16;
        for (const char *p = comma + 1; post && p < s + n; p++)
            post = !cp_lower((unsigned char)*p) || *p == 'h'; /* Ph.D */
        if (!post)
            return false;
        n = (size_t)(comma - s);
    }
    if (n < 4 || n + 1 > outsz || n > 60)
        return false;
    size_t words = 0, toks = 0, common = 0;
    bool first_common = false, last_common = false, last_initial = false, first_given = false;
    const char *last = s;
    size_t last_len = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && s[i] == ' ')
            i++;
        size_t j = i;
        while (j < n && s[j] != ' ')
            j++;
        if (j == i)
            break;
        enum tok t = name_token(s + i, j - i);
        if (t == TOK_BAD || (t == TOK_PARTICLE && toks == 0))
            return false;
        char w[32];
        if (j - i < sizeof w) { /* "Head Winemaker", "At Yoast", "As Matt Burns" */
            memcpy(w, s + i, j - i);
            w[j - i] = '\0';
            if (extract__title_like(w) || (toks == 0 && function_word(w)))
                return false;
        }
        toks++;
        last_initial = t == TOK_INITIAL;
        if (t == TOK_WORD) {
            bool c = extract__common_word(s + i, j - i);
            common += c;
            if (!words) {
                first_common = c;
                first_given = extract__given_name(s + i, j - i);
            }
            last_common = c;
            last = s + i, last_len = j - i;
            words++;
        }
        i = j;
    }
    /* a first name and a surname at least; an initial last is a
     * testimonial's "Lizzie W." */
    if (words < 2 || toks > 5 || last_initial)
        return false;
    /* "Meet Our Team", "Celebrity Edge", "Todd Thomas Home" */
    if (first_common || common == words || (last_common && words > 2))
        return false;
    /* "Monica Frame" but not "Google Ads", nor "Case Management" (a
     * surname is rarely an abstract noun) */
    if (last_common && (!first_given || abstract_noun(last, last_len)))
        return false;
    memcpy(out, s, n);
    out[n] = '\0';
    return true;
}

/* ---- titles ---- */

static void trim(const char **s, size_t *n)
{
    while (*n && (is_space(**s) || strchr(",|:–—-(", **s) || !strncmp(*s, "\xE2\x80\x93", 3) ||
                  !strncmp(*s, "\xE2\x80\x94", 3))) {
        size_t k = (unsigned char)**s >= 0x80 ? 3 : 1;
        *s += k;
        *n = *n > k ? *n - k : 0;
    }
    while (*n && (is_space((*s)[*n - 1]) || strchr(",|:;)", (*s)[*n - 1])))
        (*n)--;
}

/* Folds a name for comparing, as mailboxes write it ("Núñez" is "nunez",
 * "HR.University" "hruniversity"). */
static void fold(const char *s, size_t n, char *out, size_t outsz)
{
    extract__name_fold(s, n, false, out, outsz);
}

struct org {
    char label[64]; /* the site's registrable domain without its suffix: "edweek" */
    char name[96];  /* the company's name, folded */
};

/* Whether the words of s[0..n) name the organisation: its folded name, or
 * its domain's label spelt by the words' beginnings ("Education Week" for
 * edweek, "Reading Corps and Math Corps" for readingandmath). */
static bool names_org(const struct org *o, const char *s, size_t n)
{
    char f[160];
    fold(s, n, f, sizeof f);
    if (!*f)
        return false;
    if ((*o->label && (strstr(f, o->label) || strstr(o->label, f))) ||
        (*o->name && (strstr(f, o->name) || strstr(o->name, f))))
        return true;
    const char *want = o->label; /* greedy: each word gives a prefix, or is skipped */
    for (size_t i = 0; i < n && *want;) {
        while (i < n && !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                          (s[i] >= '0' && s[i] <= '9')))
            i++;
        size_t j = i;
        while (j < n && s[j] != ' ' && s[j] != '-' && s[j] != '.')
            j++;
        char w[64];
        fold(s + i, j - i, w, sizeof w);
        size_t m = 0;
        while (w[m] && want[m] == w[m])
            m++;
        if (m >= 2 || (m == 1 && want == o->label))
            want += m;
        i = j;
    }
    return *o->label && !*want;
}

/* Whether a word is capitalised as a name is (an organisation's, here). */
static bool capitalised(const char *s)
{
    size_t k;
    return cp_upper(cp_at(s, &k)) || (*s >= '0' && *s <= '9');
}

/* Whether a title ties its holder to another organisation: "CTO,
 * ScraperAPI", "CEO of IBM", "Head of Growth at Acme", "Microsoft's CEO".
 * "Director of Engineering" and "Partner, Advisory – HR Consulting" name a
 * function, not an organisation. */
static bool other_org(const struct org *o, const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *rest = NULL;
        if (!strncmp(t + i, " at ", 4))
            rest = t + i + 4;
        else if (!strncmp(t + i, " of ", 4) || !strncmp(t + i, " for ", 5))
            rest = t + i + (t[i + 1] == 'o' ? 4 : 5);
        else if (t[i] == ',' && i + 2 < n && t[i + 1] == ' ')
            rest = t + i + 2;
        else if ((!strncmp(t + i, "'s ", 3) || !strncmp(t + i, "\xE2\x80\x99s ", 5)) && i) {
            size_t b = i;
            while (b && t[b - 1] != ' ')
                b--;
            if (b == 0 && capitalised(t) && !names_org(o, t, i) && !extract__common_word(t, i))
                return true; /* "Microsoft's CEO" */
            continue;
        }
        if (!rest)
            continue;
        if (!strncmp(rest, "the ", 4) && rest + 4 < t + n) /* "at the University of Oregon" */
            rest += 4;
        /* after a chief's title, what follows the comma is their company,
         * whatever its words: "CEO, Servd Hosting", "CTO, fal" */
        bool chief = false;
        if (t[i] == ',') {
            char head[160];
            size_t hn = i < sizeof head - 1 ? i : sizeof head - 1;
            memcpy(head, t, hn);
            head[hn] = '\0';
            const char *sen = extract_title_seniority(head);
            chief =
                sen && !strstr(head, " of ") && !strstr(head, " at ") && !strstr(head, " with ") &&
                extract__title_like(head) &&
                (!strcmp(sen, "c_level") || (!strcmp(sen, "owner") && strcasestr(head, "founder")));
        }
        if (!capitalised(rest) && !chief)
            continue;
        size_t m = (size_t)(t + n - rest);
        size_t k = strcspn(rest, ",;(|");
        if (k < m)
            m = k;
        if (!m)
            continue;
        char part[160];
        size_t pm = m < sizeof part - 1 ? m : sizeof part - 1;
        memcpy(part, rest, pm);
        part[pm] = '\0';
        if (extract__title_like(part))
            continue; /* "Editor, Senior Writer" */
        /* "at X" names a place of work; "of Engineering", ", Cybersecurity
         * Services" a function or a practice, by their common words */
        bool at = rest - t >= 4 && !strncmp(rest - 4, " at ", 4);
        bool comma = rest[-2] == ',';
        bool common = false;
        for (size_t w = 0; w < pm && !(common && !comma);) {
            size_t e = w + strcspn(part + w, " ");
            if (comma ? extract__common_word(part + w, e - w)
                      : (w == 0 && extract__common_word(part, e)))
                common = true;
            w = e + (part[e] == ' ');
        }
        if ((at || chief || !common) && !names_org(o, rest, m))
            return true;
    }
    return false;
}

/* Whether s[0..n) is a job title to keep; trimmed into *ts, *tn. */
static bool title_of(const char *s, size_t n, const char **ts, size_t *tn)
{
    trim(&s, &n);
    static const char *const articles[] = {"a ", "an ", "the ", "our ", "As ", "as ", NULL};
    for (const char *const *a = articles; *a; a++)
        if (n > strlen(*a) && !strncmp(s, *a, strlen(*a))) {
            s += strlen(*a), n -= strlen(*a);
            break;
        }
    /* "Sr. Director - 10+ Years in the Industry": what follows is no title */
    for (size_t i = 0; i + 3 < n; i++)
        if ((!strncmp(s + i, " - ", 3) || !strncmp(s + i, " | ", 3)) && s[i + 3] >= '0' &&
            s[i + 3] <= '9') {
            n = i;
            break;
        }
    if (memmem(s, n, "former", 6) || memmem(s, n, "Former", 6))
        return false; /* a past role: they work elsewhere now */
    /* "CEO of Infuy, Highlights the Convergence of AI and Blockchain": a
     * long clause with no role in it is the sentence going on */
    for (const char *c = memmem(s, n, ", ", 2); c;
         c = memmem(c + 2, n - (size_t)(c + 2 - s), ", ", 2)) {
        const char *e = memmem(c + 2, n - (size_t)(c + 2 - s), ", ", 2);
        size_t pn = (size_t)((e ? e : s + n) - (c + 2)), words = 1;
        for (size_t k = 0; k < pn; k++)
            words += c[2 + k] == ' ';
        char part[160];
        if (words < 6 || pn >= sizeof part)
            continue;
        memcpy(part, c + 2, pn);
        part[pn] = '\0';
        if (!extract__title_like(part)) {
            n = (size_t)(c - s);
            break;
        }
    }
    if (n < 2 || n > 150)
        return false;
    char buf[160];
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (!extract__title_like(buf))
        return false;
    /* a sentence's full stop, not "Sr." or "Inc." */
    if (n > 4 && s[n - 1] == '.' && s[n - 2] >= 'a' && s[n - 2] <= 'z' && s[n - 3] >= 'a' &&
        s[n - 3] <= 'z' && s[n - 4] >= 'a' && s[n - 4] <= 'z')
        n--;
    *ts = s;
    *tn = n;
    return true;
}

/* The title in a line from offset a on: the longest run of its elements
 * that reads as one, never past an element glued on without a space
 * ("HR ConsultingBPM Board of Directors"). */
static bool title_in(const struct line *l, size_t a, const struct org *o, const char **ts,
                     size_t *tn)
{
    size_t len = strlen(l->text), end = len;
    for (size_t c = 0; c < l->ncuts; c++) {
        size_t k = l->cuts[c];
        if (k > a && k < end && l->text[k] != ' ' && l->text[k - 1] != ' ')
            end = k;
    }
    bool found = title_of(l->text + a, end - a, ts, tn);
    for (size_t c = l->ncuts; !found && c-- > 0;)
        if (l->cuts[c] > a && l->cuts[c] < end)
            found = title_of(l->text + a, l->cuts[c] - a, ts, tn);
    if (!found)
        return false;
    /* the organisation's own name in an element of its own after the
     * title ("CEO and Co-Founder, <a>Conductor</a>") is not part of it */
    size_t te = (size_t)(*ts - l->text) + *tn;
    for (size_t c = l->ncuts; c-- > 0;) {
        size_t k = l->cuts[c];
        if (k <= (size_t)(*ts - l->text) || k >= te)
            continue;
        const char *r = l->text + k;
        size_t rn = te - k;
        trim(&r, &rn);
        if (rn && names_org(o, r, rn)) {
            const char *s = *ts;
            size_t n = k - (size_t)(s - l->text);
            trim(&s, &n);
            return title_of(s, n, ts, tn) || true;
        }
        break;
    }
    return true;
}

/* ---- people found ---- */

struct found {
    struct extract_person *v;
    size_t n;
    const char *url;
    struct org org;
    bool publisher;          /* the page is a publisher's: its writers make its product */
    const char *country;     /* the page's, for national numbers ("" when unknown) */
    const struct line *base; /* the page's first line */
    size_t *at;              /* where each person is first named: line + 1, 0 for metadata */
};

/* Whether a mailbox or profile slug names the person: it holds their first
 * or last name, or their initial and surname ("rhauser"). */
static bool slug_names(const char *slug, size_t n, const char *name)
{
    char s[96], first[48] = "", last[48] = "";
    fold(slug, n, s, sizeof s);
    const char *sp = strchr(name, ' '), *lsp = strrchr(name, ' ');
    if (!sp || !*s)
        return false;
    fold(name, (size_t)(sp - name), first, sizeof first);
    fold(lsp + 1, strlen(lsp + 1), last, sizeof last);
    return (strlen(first) >= 3 && strstr(s, first)) || (strlen(last) >= 3 && strstr(s, last));
}

static void first_number(void *ctx, const char *e164, size_t start, size_t end)
{
    (void)start, (void)end;
    char **out = ctx;
    if (!*out)
        *out = xstrdup(e164);
}

/* A tel: link's number in E.164, read as the page's other numbers are;
 * NULL when it holds none. */
static char *e164(const char *tel, const char *country)
{
    char *out = NULL;
    extract_phones_text(tel, country && *country ? country : NULL, first_number, &out);
    return out;
}

/* Whether two names are one person's: the same first and last names
 * ("Nicole Johnsey Burke", "Nicole Burke"), case and accents aside. */
static bool same_person(const char *a, const char *b)
{
    char fa[48], fb[48], la[48], lb[48];
    const char *sa = strchr(a, ' '), *sb = strchr(b, ' ');
    if (!sa || !sb)
        return false;
    fold(a, (size_t)(sa - a), fa, sizeof fa);
    fold(b, (size_t)(sb - b), fb, sizeof fb);
    const char *ea = strrchr(a, ' ') + 1, *eb = strrchr(b, ' ') + 1;
    fold(ea, strlen(ea), la, sizeof la);
    fold(eb, strlen(eb), lb, sizeof lb);
    return !strcmp(fa, fb) && !strcmp(la, lb);
}

static struct extract_person *add_person(struct found *f, const char *name, const char *title,
                                         size_t tn, const struct line *card, size_t ncard)
{
    if (title && other_org(&f->org, title, tn))
        return NULL;
    if (title && memmem(title, tn, name, strlen(name)))
        return NULL; /* the title line was the name's own ("By Jane Roe, CEO") */
    struct extract_person *p = NULL;
    size_t first = card ? (size_t)(card - f->base) + 1 : 0;
    for (size_t i = 0; i < f->n && !p; i++)
        if (same_person(f->v[i].name, name)) {
            p = &f->v[i];
            if (first < f->at[i])
                f->at[i] = first;
        }
    if (!p) {
        if (f->n == MAX_PEOPLE)
            return NULL;
        f->at[f->n] = first;
        p = &f->v[f->n++];
        memset(p, 0, sizeof *p);
        p->name = xstrdup(name);
        p->source_url = f->url ? xstrdup(f->url) : NULL;
    }
    if (title && !p->title) {
        p->title = xstrndup(title, tn);
        p->seniority = extract_title_seniority(p->title);
        p->department = extract__title_department(p->title, f->publisher);
    }
    for (size_t i = 0; i < ncard; i++) {
        const struct line *l = &card[i];
        if (l->mailto && !p->email && extract_email_valid(l->mailto)) {
            const char *at = strchr(l->mailto, '@');
            if (slug_names(l->mailto, (size_t)(at - l->mailto), p->name))
                p->email = xstrdup(l->mailto);
        }
        if (l->linkedin && !p->linkedin) {
            const char *slug = strstr(l->linkedin, "/in/") + 4;
            if (slug_names(slug, strcspn(slug, "/"), p->name))
                p->linkedin = xstrdup(l->linkedin);
        }
        if (l->tel && !p->phone && (p->email || p->linkedin || ncard <= CARD_LINES + 1))
            p->phone = e164(l->tel, f->country);
    }
    return p;
}

/* Whether a line is a name on its own; the name goes to out. */
static bool name_line(const struct line *l, char *out, size_t outsz)
{
    if (l->quote)
        return false;
    if (person_name(l->text, strlen(l->text), out, outsz))
        return true;
    /* "Vineet Asthana<a>[email]</a><a>+1 212…</a>": a name with its
     * contacts glued on, and no title among them */
    size_t k = l->ncuts ? l->cuts[0] : 0;
    if (!k || l->text[k] == ' ' || l->text[k - 1] == ' ')
        return false;
    const char *ts;
    size_t tn;
    return !title_of(l->text + k, strlen(l->text + k), &ts, &tn) &&
           person_name(l->text, k, out, outsz);
}

/* What each line of a card is: a name (whole, or a first name with its
 * surname on the next line, as Kroll sets them), a title, or neither. */
struct card_line {
    char name[128]; /* "" when the line is no name */
    const char *ts; /* its title, NULL when none */
    size_t tn;
    bool tail; /* the surname of the line before */
};

static void classify(const struct lines *ls, const struct org *o, struct card_line *c)
{
    for (size_t i = 0; i < ls->n; i++) {
        const struct line *l = &ls->v[i];
        if (l->quote || c[i].tail)
            continue;
        if (name_line(l, c[i].name, sizeof c[i].name))
            continue;
        size_t n = strlen(l->text);
        if (i + 1 < ls->n && n < 24 && !strchr(l->text, ' ') && !ls->v[i + 1].quote &&
            strlen(ls->v[i + 1].text) < 40 && extract__given_name(l->text, n)) {
            char both[96];
            snprintf(both, sizeof both, "%s %s", l->text, ls->v[i + 1].text);
            if (person_name(both, strlen(both), c[i].name, sizeof c[i].name)) {
                c[i + 1].tail = true;
                continue;
            }
        }
        title_in(l, 0, o, &c[i].ts, &c[i].tn);
    }
}

/* The next line after i that is not a surname of i's. */
static size_t after(const struct card_line *c, size_t n, size_t i)
{
    i++;
    while (i < n && c[i].tail)
        i++;
    return i;
}

static void presented(struct found *f, const struct line *l, const char *name, const char *s,
                      bool comma);

/* Where a bio that follows a person's name goes on to their title: "Maria
 * is a growth analyst…", "Jane Roe is…", "I'm the founder of…", "She is…";
 * NULL when it does not start so. */
static const char *bio_title(const char *text, const char *name)
{
    size_t first = strcspn(name, " ");
    static const char *const self[] = {"I'm ",   "I\xE2\x80\x99m ", "I am ",
                                       "He is ", "She is ",         NULL};
    for (const char *const *w = self; *w; w++)
        if (!strncmp(text, *w, strlen(*w)))
            return text + strlen(*w);
    if (!strncmp(text, name, strlen(name)) && !strncmp(text + strlen(name), " is ", 4))
        return text + strlen(name) + 4;
    if (!strncmp(text, name, first) && !strncmp(text + first, " is ", 4))
        return text + first + 4;
    return NULL;
}

/* Whether a line is a quotation ("“We have dozens of projects…”"): the
 * name that follows signs a testimonial. */
static bool quoted(const struct line *l)
{
    static const char *const open[] = {"\xE2\x80\x9C", "\"", "\xC2\xAB", "\xE2\x80\x9E", NULL};
    static const char *const close[] = {"\xE2\x80\x9D", "\"", "\xC2\xBB", NULL};
    size_t n = strlen(l->text);
    for (const char *const *q = open; *q; q++)
        if (!strncmp(l->text, *q, strlen(*q)))
            return true;
    for (const char *const *q = close; *q; q++) {
        size_t k = strlen(*q);
        if (n > k &&
            (!strcmp(l->text + n - k, *q) || (n > k + 1 && !strncmp(l->text + n - k - 1, *q, k))))
            return true;
    }
    return false;
}

/* Cards: a line that is a name, with its title on the line after it, or
 * the line before it. In a list of cards (name, title, name, title...) the
 * title is on the same side for all: before the names when the first name
 * follows a title and the last is followed by none (IBM's experts). */
static void cards(const struct lines *ls, struct found *f)
{
    struct card_line *c = xcalloc(ls->n + 1, sizeof *c);
    classify(ls, &f->org, c);
    for (size_t i = 0; i < ls->n;) {
        if (!c[i].name[0]) {
            i++;
            continue;
        }
        /* the chain of cards from i: name, title, name, title... */
        size_t last = i, k = i;
        for (;;) {
            size_t t = after(c, ls->n, k);
            size_t nx = t + 1;
            if (t >= ls->n || !c[t].ts || nx >= ls->n || !c[nx].name[0])
                break;
            last = k = nx;
        }
        size_t ta = after(c, ls->n, last);
        bool before = last > i && i && c[i - 1].ts && !(ta < ls->n && c[ta].ts);
        for (k = i; k <= last; k = after(c, ls->n, k)) {
            if (!c[k].name[0])
                continue;
            /* the card's lines: up to the next name, a few at most */
            size_t end = after(c, ls->n, k);
            const char *ts = NULL;
            size_t tn = 0;
            if (before && k) {
                ts = c[k - 1].ts, tn = c[k - 1].tn;
            } else {
                for (; end < ls->n && end <= k + CARD_LINES && !c[end].name[0]; end++) {
                    if (!ts && c[end].ts) {
                        ts = c[end].ts, tn = c[end].tn;
                    } else if (!ts && strlen(ls->v[end].text) > 40) {
                        /* prose: the card has ended, perhaps with a bio
                         * that gives the title ("Maria is a growth analyst") */
                        const char *bio = bio_title(ls->v[end].text, c[k].name);
                        if (bio)
                            presented(f, &ls->v[end], c[k].name, bio, false);
                        break;
                    }
                }
                if (!ts && k && c[k - 1].ts && !(k >= 2 && c[k - 2].name[0]))
                    ts = c[k - 1].ts, tn = c[k - 1].tn;
            }
            bool contact = false;
            for (size_t j = k; j < end; j++) {
                const struct line *l = &ls->v[j];
                if (l->mailto) {
                    const char *at = strchr(l->mailto, '@');
                    contact = contact ||
                              (at && slug_names(l->mailto, (size_t)(at - l->mailto), c[k].name));
                }
                if (l->linkedin) {
                    const char *slug = strstr(l->linkedin, "/in/") + 4;
                    contact = contact || slug_names(slug, strcspn(slug, "/"), c[k].name);
                }
            }
            size_t first = before && k ? k - 1 : k; /* the card's first line */
            if ((ts || contact) && !(first && quoted(&ls->v[first - 1])))
                add_person(f, c[k].name, ts, tn, &ls->v[k], end - k);
            if (k == last)
                break;
        }
        i = after(c, ls->n, last);
    }
    free(c);
}

/* One line: an element that is a name, and the rest of the line a title
 * ("<b>Name</b> Title", "LinkedIn Name, Title, Org"); or text that is
 * "Name, Title", "Name – Title", "Name | Title". */
static void one_line(const struct lines *ls, struct found *f)
{
    char name[128];
    static const char *const seps[] = {", ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " - ", " | ", " (",
                                       NULL};
    for (size_t i = 0; i < ls->n; i++) {
        const struct line *l = &ls->v[i];
        size_t len = strlen(l->text);
        if (l->quote || len > 240)
            continue;
        bool done = false;
        /* elements: the name is one of the first three, the title follows */
        for (size_t c = 0; c <= l->ncuts && c < 3 && !done; c++) {
            size_t a = c ? l->cuts[c - 1] : 0, b = c < l->ncuts ? l->cuts[c] : len;
            if (b >= len || !person_name(l->text + a, b - a, name, sizeof name))
                continue;
            const char *ts;
            size_t tn;
            if (title_in(l, b, &f->org, &ts, &tn)) {
                add_person(f, name, ts, tn, l, 1);
                done = true;
            }
        }
        /* "Instructor: Carrie Menke": a title, a colon, a name */
        const char *colon = strstr(l->text, ": ");
        const char *ts;
        size_t tn;
        if (colon && colon - l->text < 60 &&
            person_name(colon + 2, strlen(colon + 2), name, sizeof name) &&
            title_of(l->text, (size_t)(colon - l->text), &ts, &tn)) {
            add_person(f, name, ts, tn, l, 1);
            continue;
        }
        /* text: the first separator splits the name from the title, after
         * a label ("Employee Spotlight: Name, Title") */
        const char *from = colon && colon - l->text < 40 ? colon + 2 : l->text;
        for (const char *const *sep = seps; *sep && !done; sep++) {
            const char *at = strstr(from, *sep);
            if (!at || !person_name(from, (size_t)(at - from), name, sizeof name))
                continue;
            const char *rest = at + strlen(*sep);
            if (title_in(l, (size_t)(rest - l->text), &f->org, &ts, &tn)) {
                add_person(f, name, ts, tn, l, 1);
                done = true;
            } else if (extract_email_valid(rest)) { /* "Nihar Parikh – nparikh@acme.com" */
                const char *atsign = strchr(rest, '@');
                if (slug_names(rest, (size_t)(atsign - rest), name)) {
                    struct extract_person *p = add_person(f, name, NULL, 0, l, 1);
                    if (p && !p->email)
                        p->email = xstrdup(rest);
                    done = true;
                }
            }
        }
    }
}

/* ---- sentences ---- */

static bool word_is(const char *s, const char *w)
{
    size_t n = strlen(w);
    return !strncmp(s, w, n) && (s[n] == ' ' || s[n] == '\0');
}

/* The title that starts at s in running text: words up to a stop
 * (punctuation, "who", "with", "and has"...), cut after its last role
 * word, with an "of Org" that follows it (and "at Org" when at_org). */
static bool sentence_title(const char *s, bool at_org, const char **ts, size_t *tn)
{
    static const char *const articles[] = {"a ", "an ", "the ", "our ", NULL};
    for (const char *const *a = articles; *a; a++)
        if (!strncmp(s, *a, strlen(*a))) {
            s += strlen(*a);
            break;
        }
    static const char *const stops[] = {"who",  "with", "where", "since", "and", "whose", "for",
                                        "from", "in",   "on",    "based", "has", "is",    NULL};
    size_t end = 0, role_end = 0, words = 0;
    bool of_tail = false; /* "head of economics research" */
    for (size_t i = 0; s[i] && words < 12;) {
        if (s[i] == '(' && role_end && role_end == end) { /* "Director (Operations)" */
            const char *close = strchr(s + i, ')');
            if (close && close - (s + i) < 32)
                role_end = (size_t)(close + 1 - s);
            break;
        }
        if (strchr(",.;:!?()\"", s[i]) && !(s[i] == '.' && i && s[i - 1] == 'r'))
            break; /* "Sr." goes on */
        size_t j = i;
        while (s[j] && s[j] != ' ' && !strchr(",;:!?()\"", s[j]) &&
               !(s[j] == '.' && (s[j + 1] == ' ' || !s[j + 1])))
            j++;
        if (s[j] == '.' && j && s[j - 1] == 'r')
            j++;
        bool stop = false;
        for (const char *const *w = stops; *w; w++)
            stop = stop || word_is(s + i, *w);
        if (stop && !(word_is(s + i, "and") && role_end == end && words))
            break;
        if (word_is(s + i, "at") || word_is(s + i, "of")) {
            bool of = s[i] == 'o';
            const char *o = s + i + 3;
            if (role_end && capitalised(o)) {
                size_t k = 0, last = 0; /* "Reading Corps and Math Corps", not what follows */
                while (o[k] && !strchr(",.;:!?()\"", o[k])) {
                    size_t w = k;
                    while (o[w] && o[w] != ' ' && !strchr(",;:!?()\"", o[w]) &&
                           !(o[w] == '.' && (o[w + 1] == ' ' || !o[w + 1])))
                        w++;
                    if (capitalised(o + k))
                        last = w;
                    else if (!word_is(o + k, "and") && !word_is(o + k, "of") &&
                             !word_is(o + k, "&") && !word_is(o + k, "the"))
                        break;
                    k = w;
                    while (o[k] == ' ')
                        k++;
                }
                if ((of || at_org) && last)
                    role_end = (size_t)(o + last - s);
                break;
            }
            if (of && role_end && role_end == end)
                of_tail = true;
            else if (of_tail)
                break;
        }
        char w[64];
        size_t m = j - i < sizeof w - 1 ? j - i : sizeof w - 1;
        memcpy(w, s + i, m);
        w[m] = '\0';
        words++;
        end = j;
        if (extract__title_like(w) || (of_tail && strcmp(w, "of")))
            role_end = j;
        i = j;
        while (s[i] == ' ')
            i++;
    }
    if (!role_end)
        return false;
    *ts = s;
    *tn = role_end;
    return true;
}

/* The person a sentence presents after their name: s is what follows it,
 * from ", " or " is " on ("…, product manager at Acme", "… is MASV's Head
 * of Editorial"). */
static void presented(struct found *f, const struct line *l, const char *name, const char *s,
                      bool comma)
{
    const char *ts;
    size_t tn;
    if (!comma) { /* "is MASV's Head of Editorial" */
        const char *poss = strstr(s, "'s ");
        const char *poss2 = strstr(s, "\xE2\x80\x99s ");
        const char *q = poss && (!poss2 || poss < poss2) ? poss : poss2;
        if (q && q - s < 40 && !memchr(s, ' ', (size_t)(q - s))) {
            if (!names_org(&f->org, s, (size_t)(q - s)))
                return;
            s = q + (*q == '\'' ? 3 : 5);
        }
    }
    if (!sentence_title(s, comma, &ts, &tn) || !strncmp(ts, "and ", 4))
        return;
    /* the title's clause, and the one after it: "…, product manager,
     * Google Cloud" */
    size_t clause = tn, commas = 0;
    while (ts[clause] && clause < tn + 100 && !strchr(".;:!?", ts[clause]) &&
           !(ts[clause] == ',' && ++commas == 2))
        clause++;
    if (!other_org(&f->org, ts, clause))
        add_person(f, name, ts, tn, l, 1);
}

/* Whether the words before t[at] are a title that names the person who
 * follows ("founding CEO Dave Rosevelt", "Quanta staff writer Joe
 * Howlett", "Actuarial Recruiter, Rory Hauser"): the title goes to *ts. An
 * organisation named just before it must be this one ("Google CEO Sundar
 * Pichai" is not). */
static bool title_before(const struct org *o, const char *t, size_t at, const char **ts, size_t *tn)
{
    /* the words of a rank that may stand before the role in lower case */
    static const char *const ranks[] = {
        "senior",    "junior",       "staff",     "chief",     "lead",   "founding",
        "managing",  "executive",    "associate", "assistant", "deputy", "general",
        "principal", "contributing", "vice",      "co",        NULL};
    size_t e = at;
    while (e && t[e - 1] == ' ')
        e--;
    if (e && t[e - 1] == ',')
        e--;
    size_t b = e, words = 0;
    bool upper = false; /* the role written in capitals: "Actuarial Recruiter" */
    while (b && words < 4) {
        size_t w = b;
        while (w && t[w - 1] != ' ')
            w--;
        char word[32];
        size_t n = b - w < sizeof word - 1 ? b - w : sizeof word - 1;
        memcpy(word, t + w, n);
        word[n] = '\0';
        if (!words) {
            if (!extract__title_like(word))
                return false; /* the word next to the name is a role */
            upper = capitalised(word);
        } else {
            bool rank = false;
            for (const char *const *r = ranks; *r; r++)
                rank = rank || !strcasecmp(word, *r);
            /* "Actuarial Recruiter", but not "Microsoft CEO" */
            bool titled = upper && capitalised(word) && !function_word(word) &&
                          !strpbrk(word, ",.;:()\"'") && !strstr(word, "\xE2\x80\x99") &&
                          (extract__common_word(word, n) || extract__title_like(word));
            if (!rank && !titled && !extract__title_like(word))
                break;
        }
        b = w;
        words++;
        while (b && t[b - 1] == ' ')
            b--;
    }
    /* what stands before the title: nothing, punctuation, a small word
     * ("from", "our"), or this organisation's name ("Quanta staff writer") */
    size_t ob = b, ow = 0; /* up to four capitalised words: "Smith Hanley Associates’" */
    while (ob && ow < 4) {
        size_t w = ob;
        while (w && t[w - 1] != ' ')
            w--;
        if (w == ob || !capitalised(t + w))
            break;
        ob = w, ow++;
        while (ob && t[ob - 1] == ' ')
            ob--;
    }
    while (t[ob] == ' ')
        ob++;
    size_t pw = b; /* the word just before the title */
    while (pw && t[pw - 1] != ' ')
        pw--;
    if (pw < b && !strchr(",.;:(\"", t[b - 1]) && !function_word_n(t + pw, b - pw) &&
        !(ob < b && names_org(o, t + ob, b - ob)))
        return false;
    while (t[b] == ' ')
        b++;
    char title[160];
    size_t n = e - b < sizeof title - 1 ? e - b : sizeof title - 1;
    memcpy(title, t + b, n);
    title[n] = '\0';
    if (!n || strstr(title, "former") || strstr(title, "Former"))
        return false;
    *ts = t + b;
    *tn = e - b;
    return true;
}

/* Whether the word before p (after a space, perhaps a comma) is a role:
 * the cheap test before a name is looked for at p. */
static bool role_before(const char *t, const char *p)
{
    const char *e = p - 1;
    if (e > t && e[-1] == ',')
        e--;
    const char *b = e;
    while (b > t && b[-1] != ' ')
        b--;
    char w[32];
    if (e <= b || (size_t)(e - b) >= sizeof w)
        return false;
    memcpy(w, b, (size_t)(e - b));
    w[e - b] = '\0';
    return extract__title_like(w);
}

/* Sentences: "Name, Title at Org", "Name is Org's Title", "I'm Name,
 * founder of Org", "our CEO Name". */
static void sentences(const struct lines *ls, struct found *f)
{
    char name[128];
    for (size_t i = 0; i < ls->n; i++) {
        const struct line *l = &ls->v[i];
        const char *t = l->text;
        if (l->quote)
            continue;
        for (const char *p = t; *p; p++) {
            /* "Title Name": a capitalised word starts a name */
            size_t k;
            if (p > t && p[-1] == ' ' && cp_upper(cp_at(p, &k)) && role_before(t, p)) {
                const char *e = p;
                for (int w = 0; w < 3 && *e; w++) {
                    const char *sp = e + strcspn(e, " ,.;:()");
                    if (w >= 1 && person_name(p, (size_t)(sp - p), name, sizeof name)) {
                        const char *ts;
                        size_t tn;
                        if ((!*sp || strchr(" ,.:;)", *sp)) &&
                            (*sp != ' ' || !cp_upper(cp_at(sp + 1, &k))) &&
                            title_before(&f->org, t, (size_t)(p - t), &ts, &tn)) {
                            add_person(f, name, ts, tn, l, 1);
                            break;
                        }
                    }
                    if (*sp != ' ')
                        break;
                    e = sp + 1;
                }
            }
            bool comma = !strncmp(p, ", ", 2), is = !strncmp(p, " is ", 4);
            if (!comma && !is)
                continue;
            /* the name: up to five capitalised words before p */
            const char *b = p;
            int words = 0;
            while (b > t && words < 5) {
                const char *w = b;
                while (w > t && w[-1] != ' ')
                    w--;
                if (!cp_upper(cp_at(w, &k)) && !particle(w, (size_t)(b - w)))
                    break;
                b = w > t ? w - 1 : w;
                words++;
            }
            if (b > t || (b == t && *b == ' '))
                b++;
            for (; b < p && !person_name(b, (size_t)(p - b), name, sizeof name);) {
                const char *sp = memchr(b, ' ', (size_t)(p - b));
                if (!sp)
                    break;
                b = sp + 1;
            }
            if (b >= p || !person_name(b, (size_t)(p - b), name, sizeof name))
                continue;
            presented(f, l, name, p + (comma ? 2 : 4), comma);
        }
    }
}

/* ---- schema.org ---- */

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s && *s ? s : NULL;
}

static void structured(const struct extract_meta *m, struct found *f)
{
    size_t i;
    json_t *o;
    json_array_foreach (m->persons, i, o) {
        const char *name = jstr(o, "name"), *title = jstr(o, "jobTitle");
        char clean[128];
        if (!name || !person_name(name, strlen(name), clean, sizeof clean))
            continue;
        const char *email = jstr(o, "email");
        if (!title && !email)
            continue; /* a bare byline: the page does not tie them to it */
        size_t before = f->n;
        add_person(f, clean, title, title ? strlen(title) : 0, NULL, 0);
        if (f->n == before)
            continue;
        struct extract_person *p = &f->v[f->n - 1];
        if (email) {
            if (!strncasecmp(email, "mailto:", 7))
                email += 7;
            if (extract_email_valid(email))
                p->email = xstrdup(email);
        }
        const char *tel = jstr(o, "telephone");
        if (tel)
            p->phone = e164(tel, f->country);
        json_t *same = json_object_get(o, "sameAs");
        size_t k;
        json_t *v;
        if (json_is_string(same) && strstr(json_string_value(same), "linkedin.com/in/"))
            p->linkedin = xstrdup(json_string_value(same));
        json_array_foreach (same, k, v)
            if (!p->linkedin && json_is_string(v) &&
                strstr(json_string_value(v), "linkedin.com/in/"))
                p->linkedin = xstrdup(json_string_value(v));
    }
}

/* An organisation has one chief executive: a page that names three is
 * about other organisations ("the top 10 CEOs in cloud"), and its chief
 * executives are theirs. */
static void drop_chiefs(struct found *f)
{
    size_t chiefs = 0;
    for (size_t i = 0; i < f->n; i++)
        chiefs += f->v[i].title &&
                  (strstr(f->v[i].title, "CEO") || strcasestr(f->v[i].title, "chief executive"));
    if (chiefs < 3)
        return;
    size_t k = 0;
    for (size_t i = 0; i < f->n; i++) {
        struct extract_person *p = &f->v[i];
        if (p->title && (strstr(p->title, "CEO") || strcasestr(p->title, "chief executive")))
            extract_person_release(p);
        else
            f->at[k] = f->at[i], f->v[k++] = *p;
    }
    f->n = k;
}

/* The people in the order the page names them (an insertion sort: a page
 * names a few dozen at most). */
static void in_page_order(struct found *f)
{
    for (size_t i = 1; i < f->n; i++)
        for (size_t j = i; j > 0 && f->at[j - 1] > f->at[j]; j--) {
            struct extract_person tp = f->v[j];
            f->v[j] = f->v[j - 1];
            f->v[j - 1] = tp;
            size_t ta = f->at[j];
            f->at[j] = f->at[j - 1];
            f->at[j - 1] = ta;
        }
}

/* ---- the page ---- */

void extract__people(const struct extract_doc *d, const struct extract_meta *m, const char *site,
                     const char *company, bool publisher, struct extract_page *pg)
{
    struct found f = {
        .v = xcalloc(MAX_PEOPLE, sizeof *f.v), .url = pg->url, .publisher = publisher};
    if (site) {
        const char *dot = strchr(site, '.');
        fold(site, dot ? (size_t)(dot - site) : strlen(site), f.org.label, sizeof f.org.label);
    }
    if (company)
        fold(company, strlen(company), f.org.name, sizeof f.org.name);
    struct lines ls = {0};
    page_lines(d, &ls);
    f.base = ls.v;
    f.country = pg->country;
    f.at = xcalloc(MAX_PEOPLE, sizeof *f.at);
    structured(m, &f);
    one_line(&ls, &f);
    cards(&ls, &f);
    sentences(&ls, &f);
    lines_release(&ls);
    drop_chiefs(&f);
    in_page_order(&f);
    free(f.at);
    if (!f.n) {
        free(f.v);
        return;
    }
    pg->people = f.v;
    pg->npeople = f.n;
}

/* ---- JSON ---- */

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *extract_person_json(const struct extract_person *p)
{
    /* the family name with its particles, as a CRM files it ("De La O") */
    struct extract_name_parts parts;
    bool split = extract__name_split(p->name, &parts);
    json_t *o = json_pack(
        "{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "name", p->name, "first_name",
        split ? json_stringn(parts.first, parts.first_len) : json_string(p->name), "last_name",
        split ? json_stringn(parts.last, parts.last_len) : json_null(), "title",
        str_or_null(p->title), "seniority", str_or_null(p->seniority), "department",
        str_or_null(p->department), "email", str_or_null(p->email), "phone", str_or_null(p->phone),
        "linkedin", str_or_null(p->linkedin), "source_url", str_or_null(p->source_url));
    return o;
}

void extract_person_release(struct extract_person *p)
{
    free(p->name);
    free(p->title);
    free(p->email);
    free(p->phone);
    free(p->linkedin);
    free(p->source_url);
    memset(p, 0, sizeof *p);
}
