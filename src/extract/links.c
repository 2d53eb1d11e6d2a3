#define PCRE2_CODE_UNIT_WIDTH 8
/* links.c: link discovery: the pages of a site where contacts live
 * (contact, about, imprint, team, careers), recognised by their address and
 * their link text in several languages. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>
#include <pcre2.h>
#include <pthread.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "extract/extract_int.h"
#include "net/url.h"

#define MAX_LINKS 12

struct kind_words {
    enum extract_link_kind kind;
    const char *words; /* '|'-separated, matched in the path and the link text */
};

/* In order of value for finding contacts. */
static const struct kind_words kinds[] = {
    {EXTRACT_LINK_CONTACT, "contact|kontakt|contacto|contatti|contactez|contato|neem-contact|"
                           "get in touch|get-in-touch|reach us|yhteystiedot"},
    {EXTRACT_LINK_IMPRINT, "impressum|imprint|mentions-legales|mentions légales|aviso-legal|"
                           "legal-notice|legal notice|colofon|note-legali"},
    {EXTRACT_LINK_ABOUT, "about|uber-uns|über uns|ueber-uns|a-propos|à propos|qui-sommes-nous|"
                         "quienes-somos|chi-siamo|over-ons|om-oss|company|unternehmen|who-we-are|"
                         "who we are"},
    {EXTRACT_LINK_TEAM, "team|our-people|people|leadership|management|equipe|équipe|equipo"},
    {EXTRACT_LINK_CAREERS, "careers|career|jobs|karriere|emplois|empleo|vacatures|lavora-con-noi|"
                           "join-us|join us|work-with-us|stellenangebote"},
};

static const char *const names[EXTRACT_LINK_NKINDS] = {"contact", "about", "imprint", "team",
                                                       "careers"};

const char *extract_link_kind_name(enum extract_link_kind k)
{
    return (unsigned)k < EXTRACT_LINK_NKINDS ? names[k] : "other";
}

/* Whether hay holds one of the '|'-separated words (ASCII case-insensitive). */
static bool contains_word(const char *hay, const char *words)
{
    if (!hay)
        return false;
    size_t hn = strlen(hay);
    while (*words) {
        size_t k = strcspn(words, "|");
        for (size_t i = 0; k && i + k <= hn; i++)
            if (tolower((unsigned char)hay[i]) == (unsigned char)words[0] &&
                strncasecmp(hay + i, words, k) == 0)
                return true;
        words += k + (words[k] == '|');
    }
    return false;
}

/* One caseless pattern of every kind's words: most links name none, and
 * one JIT-compiled scan tells so quickly. */
static pcre2_code *any_re;
static pthread_once_t any_once = PTHREAD_ONCE_INIT;

/* The same words, those in ASCII only, by their lower-cased first byte:
 * most hrefs and link texts are ASCII, and there the pattern's caseless
 * match is plain ASCII case folding (the Unicode case variants of k and s,
 * U+212A and U+017F, are not ASCII, nor are the other words' letters),
 * which a scan of the few words of each first letter does without the
 * regex engine's trial at nearly every letter. */
#define ANY_MAX_WORDS 96
static struct {
    const char *word;
    size_t len;
} any_words[128][ANY_MAX_WORDS];
static size_t any_nwords[128];
/* The lower-cased second bytes of each first byte's words (bit b of
 * any_second[c][b / 64]): most letters of a link start none of them. */
static uint64_t any_second[128][2];

static void any_words_add(const char *w, size_t len)
{
    if (!len)
        abort(); /* an empty word would match every link; a bug in the table */
    bool ascii = true;
    for (size_t i = 0; i < len && ascii; i++)
        ascii = (unsigned char)w[i] < 0x80;
    if (!ascii)
        return; /* no ASCII text holds it: only the pattern can match it */
    int c = tolower((unsigned char)w[0]);
    if (any_nwords[c] >= ANY_MAX_WORDS)
        abort(); /* the kinds table outgrew this one; the tests catch it */
    any_words[c][any_nwords[c]].word = w;
    any_words[c][any_nwords[c]++].len = len;
    int c1 = len > 1 ? tolower((unsigned char)w[1]) : 0; /* a one-letter word: any second byte */
    if (c1)
        any_second[c][c1 / 64] |= 1ull << (c1 % 64);
    else
        any_second[c][0] = any_second[c][1] = ~0ull;
}

static void compile_any(void)
{
    struct buf pat;
    buf_init(&pat, 0);
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        if (pat.len && buf_putc(&pat, '|'))
            abort();
        for (const char *w = kinds[k].words; *w; w++) { /* words are letters, '-', ' ', '|' */
            int rc = strchr("-", *w) ? buf_puts(&pat, "\\-") : buf_putc(&pat, *w);
            if (rc)
                abort();
        }
    }
    int code;
    PCRE2_SIZE off;
    any_re =
        pcre2_compile((PCRE2_SPTR)pat.data, pat.len, PCRE2_CASELESS | PCRE2_UTF, &code, &off, NULL);
    if (!any_re)
        abort(); /* built from the table above; covered by the tests */
    pcre2_jit_compile(any_re, PCRE2_JIT_COMPLETE);
    buf_release(&pat);
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        for (const char *w = kinds[k].words; *w;) {
            size_t n = strcspn(w, "|");
            any_words_add(w, n);
            w += n + (w[n] == '|');
        }
}

static bool any_kind(const char *s, pcre2_match_data *md)
{
    if (!s)
        return false;
    size_t n = 0;
    while (s[n] && (unsigned char)s[n] < 0x80)
        n++;
    if (s[n]) /* not ASCII: the pattern's Unicode case folding decides */
        return pcre2_match(any_re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL) >= 0;
    for (size_t i = 0; i < n; i++) {
        int c = tolower((unsigned char)s[i]), c1 = tolower((unsigned char)s[i + 1]);
        if (!(any_second[c][c1 / 64] & (1ull << (c1 % 64))))
            continue;
        for (size_t k = 0; k < any_nwords[c]; k++) {
            const char *w = any_words[c][k].word;
            size_t wl = any_words[c][k].len, j = 1;
            if (wl > n - i)
                continue;
            while (j < wl && tolower((unsigned char)s[i + j]) == tolower((unsigned char)w[j]))
                j++;
            if (j == wl)
                return true;
        }
    }
    return false;
}

void extract__links(const struct extract_doc *d, const char *site, struct extract_page *pg)
{
    if (!d->url || !site)
        return;
    pthread_once(&any_once, compile_any);
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    char hosts[64][64]; /* distinct other sites (registrable domains) linked to */
    int nhosts = 0;
    char seen[64][96]; /* hosts looked up already: a page links to a few, many times */
    int nseen = 0;
    for (size_t x = 0; x < d->nnodes; x++) {
        if (d->nodes[x].tag != EXTRACT_TAG_A)
            continue;
        const char *href = extract__attr(d->nodes[x].node, "href");
        if (!href || !*href)
            continue;
        if (strncasecmp(href, "http://", 7) == 0 || strncasecmp(href, "https://", 8) == 0) {
            /* another registrable domain than the page's own, and not a
             * platform every company links to */
            const char *h = strstr(href, "://") + 3;
            size_t hl = strcspn(h, "/?#:");
            bool looked = hl == 0 || hl >= sizeof seen[0] || memchr(h, '@', hl);
            for (int i = 0; i < nseen && !looked; i++)
                looked = strlen(seen[i]) == hl && strncasecmp(seen[i], h, hl) == 0;
            if (!looked && nseen < 64) {
                memcpy(seen[nseen], h, hl);
                seen[nseen++][hl] = '\0';
                char *other = url_site_of_host(seen[nseen - 1]);
                bool known = !other || extract__platform(other) || strcmp(other, site) == 0;
                for (int i = 0; i < nhosts && !known; i++)
                    known = strcmp(hosts[i], other) == 0;
                if (!known && nhosts < 64 && strlen(other) < sizeof hosts[0])
                    memcpy(hosts[nhosts++], other, strlen(other) + 1);
                free(other);
            }
        }
        if (pg->nlinks >= MAX_LINKS)
            continue;
        /* Cheap test first: only links that name a kind are resolved. */
        char *label = extract__node_text(d, x, 256);
        if (!any_kind(href, md) && !any_kind(label, md)) {
            free(label);
            continue;
        }
        char *abs = url_resolve(d->url, href);
        char *lsite = abs ? url_site(abs) : NULL;
        char *path = abs ? url_path(abs) : NULL;
        bool same = lsite && strcmp(lsite, site) == 0 && path && strcmp(path, "/") != 0 &&
                    strcmp(abs, d->url) != 0;
        for (size_t k = 0; same && k < sizeof kinds / sizeof *kinds; k++) {
            if (!contains_word(path, kinds[k].words) && !contains_word(label, kinds[k].words))
                continue;
            bool dup = false;
            for (size_t i = 0; i < pg->nlinks && !dup; i++)
                dup = strcmp(pg->links[i].url, abs) == 0;
            if (!dup) {
                pg->links = xrealloc(pg->links, (pg->nlinks + 1) * sizeof *pg->links);
                pg->links[pg->nlinks].kind = kinds[k].kind;
                pg->links[pg->nlinks].url = abs;
                pg->nlinks++;
                abs = NULL;
            }
            break;
        }
        free(label);
        free(path);
        free(lsite);
        free(abs);
    }
    pcre2_match_data_free(md);
    pg->outbound_hosts = nhosts;
    /* contact first, then imprint, about, team, careers */
    for (size_t i = 1; i < pg->nlinks; i++) {
        struct extract_link l = pg->links[i];
        size_t j = i;
        int rank_l = 0, rank_j = 0;
        for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
            if (kinds[k].kind == l.kind)
                rank_l = (int)k;
        while (j > 0) {
            for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
                if (kinds[k].kind == pg->links[j - 1].kind)
                    rank_j = (int)k;
            if (rank_j <= rank_l)
                break;
            pg->links[j] = pg->links[j - 1];
            j--;
        }
        pg->links[j] = l;
    }
}
