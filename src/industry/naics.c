/* naics.c: the index of activity phrases and classification (industry.h).
 *
 * Every phrase of the official indexes becomes a small bag of stems
 * (parenthesised qualifiers such as "(except agricultural)" and "(e.g.,
 * centers, clinics)" dropped), each stem weighted by its IDF over the
 * phrases, plus the pairs of stems that stand together in it. A page's
 * words get a strength per stem (title, description and headings weigh
 * more than the body; repeats saturate). A phrase scores the IDF-weighted
 * share of its stems the page holds, times how many of its pairs stand
 * together on the page too; a code scores its best phrase plus a little of
 * its second. The project's supplement (data/industry/supplement.csv) adds
 * phrases for trades the 2012 index predates ("SaaS platform").
 */
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/embed.h"
#include "industry/industry_int.h"
#include "text/text.h"

extern const struct embed_file industry__data[]; /* data/industry/, embedded */

#define NONE UINT32_MAX
#define TEXT_PREFIX 3000 /* bytes of a page's main text read: the start says what it is */
#define NAME_ALONE 0.6   /* the score of a trade only the company's name names */
#define CHROME_PART 1500 /* bytes of the visible text's start and end (menus, footer) */

struct phrase {
    uint32_t code;       /* NAICS, as a number */
    uint32_t ci;         /* its index in ix.codes */
    uint32_t first, n;   /* stems: terms[first .. first + n) */
    uint32_t pfirst, np; /* pairs: pairs[pfirst .. pfirst + np) */
    float norm;          /* sum of its stems' IDF */
    const char *text;    /* as written, trimmed */
};

struct stem {
    uint32_t off, len; /* in the stem pool */
    uint32_t df;
    float idf;
    uint32_t pfirst, np; /* postings: the phrases holding it */
    bool kind;           /* names a kind of establishment ("manufacturing") */
};

struct index {
    char *pool; /* stems, back to back */
    size_t pool_len, pool_cap;
    struct stem *stems;
    uint32_t nstems, stems_cap;
    uint32_t *slots; /* open addressing over stems, power of two */
    uint32_t nslots;
    struct phrase *phrases;
    uint32_t nphrases, phrases_cap;
    uint32_t *terms, nterms, terms_cap;
    uint64_t *pairs; /* (lower stem << 32) | higher stem */
    uint32_t npairs, pairs_cap;
    uint32_t *postings;
    char *texts; /* the phrases' text, one allocation */
    /* per code: a title, from its most typical phrase */
    uint32_t *codes, ncodes;
    char **code_title; /* parallel to codes */
};

static struct index ix;
static pthread_once_t ix_once = PTHREAD_ONCE_INIT;

static uint32_t hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static uint32_t stem_find(const char *s, size_t n)
{
    if (!ix.nslots)
        return NONE;
    for (uint32_t i = hash(s, n) & (ix.nslots - 1);; i = (i + 1) & (ix.nslots - 1)) {
        uint32_t id = ix.slots[i];
        if (id == NONE)
            return NONE;
        if (ix.stems[id].len == n && memcmp(ix.pool + ix.stems[id].off, s, n) == 0)
            return id;
    }
}

static void slots_grow(void)
{
    uint32_t n = ix.nslots ? ix.nslots * 2 : 1u << 14;
    free(ix.slots);
    ix.slots = xmalloc(n * sizeof *ix.slots);
    memset(ix.slots, 0xFF, n * sizeof *ix.slots);
    ix.nslots = n;
    for (uint32_t id = 0; id < ix.nstems; id++) {
        uint32_t i = hash(ix.pool + ix.stems[id].off, ix.stems[id].len) & (n - 1);
        while (ix.slots[i] != NONE)
            i = (i + 1) & (n - 1);
        ix.slots[i] = id;
    }
}

static uint32_t stem_add(const char *s, size_t n)
{
    uint32_t id = stem_find(s, n);
    if (id != NONE)
        return id;
    if (ix.pool_len + n > ix.pool_cap) {
        ix.pool_cap = ix.pool_cap ? ix.pool_cap * 2 : 1 << 16;
        ix.pool = xrealloc(ix.pool, ix.pool_cap);
    }
    memcpy(ix.pool + ix.pool_len, s, n);
    if (ix.nstems == ix.stems_cap) {
        ix.stems_cap = ix.stems_cap ? ix.stems_cap * 2 : 4096;
        ix.stems = xrealloc(ix.stems, ix.stems_cap * sizeof *ix.stems);
    }
    id = ix.nstems++;
    ix.stems[id] = (struct stem){.off = (uint32_t)ix.pool_len, .len = (uint32_t)n};
    ix.pool_len += n;
    if (ix.nstems * 2 > ix.nslots)
        slots_grow();
    else {
        uint32_t i = hash(s, n) & (ix.nslots - 1);
        while (ix.slots[i] != NONE)
            i = (i + 1) & (ix.nslots - 1);
        ix.slots[i] = id;
    }
    return id;
}

/* Words of the index that say how a phrase is written, not what is done. */
static bool noise(const char *tok, size_t len)
{
    static const char *const words[] = {"e", "eg", "etc", "g", "i", "ie", "nec", "non", "other"};
    return text_in_sorted(words, sizeof words / sizeof *words, tok, len);
}

struct phrase_build {
    struct text_stemmer *st;
    const char *text; /* the part being read, for "IT" */
    size_t len;
    uint32_t ids[32];
    uint32_t n;
    bool add; /* add new stems to the vocabulary (else skip unknown ones) */
};

/* "IT" in capitals is information technology, not the pronoun; it is read
 * as the word "infotech", which index, pages and users' phrases share. In
 * a line set in capitals ("WHY IT MATTERS", "IT'S EASY") it is the pronoun:
 * a neighbouring word in capitals or an apostrophe after rules it out. */
static bool it_acronym(const char *s, size_t n, size_t start, size_t end)
{
    if (end - start != 2 || strncmp(s + start, "IT", 2) != 0)
        return false;
    size_t i = end;
    if (i < n && (s[i] == '\'' || !strncmp(s + i, "\xe2\x80\x99", n - i < 3 ? n - i : 3)))
        return false;
    while (i < n && !isalpha((unsigned char)s[i]))
        i++;
    if (i + 1 < n && isupper((unsigned char)s[i]) && isupper((unsigned char)s[i + 1]))
        return false;
    size_t j = start;
    while (j > 0 && !isalpha((unsigned char)s[j - 1]))
        j--;
    return !(j >= 2 && isupper((unsigned char)s[j - 1]) && isupper((unsigned char)s[j - 2]));
}

#define IT_WORD "infotech"

static int phrase_token(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
    struct phrase_build *b = ctx;
    if (it_acronym(b->text, b->len, start, end)) {
        tok = IT_WORD;
        len = strlen(IT_WORD);
    }
    if (text_is_stopword(tok, len) || noise(tok, len) || (tok[0] >= '0' && tok[0] <= '9'))
        return 0;
    size_t sl;
    const char *s = text_stem(b->st, tok, len, &sl);
    uint32_t id = b->add ? stem_add(s, sl) : stem_find(s, sl);
    if (id == NONE || b->n == 32)
        return 0;
    for (uint32_t i = 0; i < b->n; i++)
        if (b->ids[i] == id)
            return 0;
    b->ids[b->n++] = id;
    return 0;
}

static uint64_t pair_key(uint32_t a, uint32_t b)
{
    return a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
}

/* Adds one phrase: its stems, and the pairs of stems next to each other
 * within a comma-separated part ("Hair stylist salons, unisex"). */
static void phrase_add(struct text_stemmer *st, uint32_t code, char *text)
{
    /* Qualifiers in parentheses are not the activity. */
    char clean[512];
    size_t k = 0;
    int depth = 0;
    for (const char *p = text; *p && k + 1 < sizeof clean; p++) {
        if (*p == '(')
            depth++;
        else if (*p == ')' && depth)
            depth--;
        else if (!depth)
            clean[k++] = *p;
    }
    clean[k] = '\0';
    struct phrase_build b = {.st = st, .n = 0, .add = true};
    uint32_t pfirst = ix.npairs;
    for (char *part = clean; *part;) {
        size_t len = strcspn(part, ",;");
        uint32_t before = b.n;
        b.text = part;
        b.len = len;
        text_tokenize(part, len, phrase_token, &b);
        for (uint32_t i = before + 1; i < b.n; i++) {
            if (ix.npairs == ix.pairs_cap) {
                ix.pairs_cap = ix.pairs_cap ? ix.pairs_cap * 2 : 16384;
                ix.pairs = xrealloc(ix.pairs, ix.pairs_cap * sizeof *ix.pairs);
            }
            ix.pairs[ix.npairs++] = pair_key(b.ids[i - 1], b.ids[i]);
        }
        part += len + (part[len] != '\0');
    }
    if (!b.n) {
        ix.npairs = pfirst;
        return;
    }
    if (ix.nterms + b.n > ix.terms_cap) {
        ix.terms_cap = ix.terms_cap ? ix.terms_cap * 2 : 65536;
        ix.terms = xrealloc(ix.terms, ix.terms_cap * sizeof *ix.terms);
    }
    if (ix.nphrases == ix.phrases_cap) {
        ix.phrases_cap = ix.phrases_cap ? ix.phrases_cap * 2 : 16384;
        ix.phrases = xrealloc(ix.phrases, ix.phrases_cap * sizeof *ix.phrases);
    }
    memcpy(ix.terms + ix.nterms, b.ids, b.n * sizeof *b.ids);
    /* shown without its qualifiers: "Dentists' offices", not "... (e.g., ...)" */
    size_t out = 0;
    for (size_t i = 0; clean[i]; i++)
        if (!(clean[i] == ' ' &&
              (out == 0 || text[out - 1] == ' ' || clean[i + 1] == ',' || !clean[i + 1])))
            text[out++] = clean[i];
    while (out && (text[out - 1] == ',' || text[out - 1] == ' '))
        out--;
    text[out] = '\0';
    ix.phrases[ix.nphrases++] = (struct phrase){.code = code,
                                                .first = ix.nterms,
                                                .n = b.n,
                                                .pfirst = pfirst,
                                                .np = ix.npairs - pfirst,
                                                .text = text};
    ix.nterms += b.n;
}

/* One CSV record: the code (first field) and the description (the rest,
 * quoted or not). Returns the start of the next line. */
static char *csv_record(char *line, char **code, char **desc)
{
    char *end = strchr(line, '\n');
    char *next = end ? end + 1 : line + strlen(line);
    if (end)
        *end = '\0';
    if (end && end > line && end[-1] == '\r')
        end[-1] = '\0';
    char *comma = strchr(line, ',');
    *code = line;
    *desc = NULL;
    if (!comma)
        return next;
    *comma = '\0';
    char *d = comma + 1;
    if (*d == '"') { /* "a, b ",SIC: up to the closing quote */
        d++;
        char *q = strchr(d, '"');
        if (q)
            *q = '\0';
    } else if (strchr(d, ',') && strlen(*code) == 6) {
        *strrchr(d, ',') = '\0'; /* NAICS: the trailing SIC column */
    }
    while (*d == ' ')
        d++;
    size_t n = strlen(d);
    while (n && (d[n - 1] == ' ' || d[n - 1] == ','))
        d[--n] = '\0';
    *desc = d;
    return next;
}

static const struct embed_file *data_file(const char *name)
{
    for (const struct embed_file *f = industry__data; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

static bool all_digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int cmp_by_code(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    uint32_t cx = ix.phrases[x].code, cy = ix.phrases[y].code;
    if (cx != cy)
        return cx < cy ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* How typical of its code phrase p is: the mean over its stems of the
 * share of the code's phrases that hold the stem, times the stem's IDF. */
static double typicality(const uint32_t *group, uint32_t n, uint32_t p)
{
    const struct phrase *a = &ix.phrases[p];
    double sum = 0;
    for (uint32_t x = 0; x < a->n; x++) {
        uint32_t t = ix.terms[a->first + x], holding = 0;
        for (uint32_t j = 0; j < n; j++) {
            const struct phrase *q = &ix.phrases[group[j]];
            for (uint32_t y = 0; y < q->n; y++)
                holding += ix.terms[q->first + y] == t;
        }
        sum += (double)holding / n * ix.stems[t].idf;
    }
    return sum / a->n;
}

/* Whether a phrase names an establishment ("Heating contractors",
 * "Dentists' offices"), as a title should, rather than one of its tasks. */
static bool names_establishment(const struct phrase *p)
{
    static const char *const stems[] = {"agenc", "clinic", "compani", "contractor", "dealer",
                                        "firm",  "offic",  "practic", "publish",    "servic",
                                        "shop",  "store",  "studio",  "school",     "center"};
    for (uint32_t i = 0; i < p->n; i++) {
        const struct stem *s = &ix.stems[ix.terms[p->first + i]];
        for (size_t k = 0; k < sizeof stems / sizeof *stems; k++)
            if (strlen(stems[k]) == s->len && !memcmp(ix.pool + s->off, stems[k], s->len))
                return true;
    }
    return false;
}

/* Each code's title: a phrase that names an establishment, typical of the
 * code, written in natural order (no inverted ", qualifier"), short. */
static void code_titles(void)
{
    uint32_t *order = xmalloc((ix.nphrases ? ix.nphrases : 1) * sizeof *order);
    for (uint32_t i = 0; i < ix.nphrases; i++)
        order[i] = i;
    qsort(order, ix.nphrases, sizeof *order, cmp_by_code);
    ix.codes = xmalloc((ix.nphrases ? ix.nphrases : 1) * sizeof *ix.codes);
    ix.code_title = xmalloc((ix.nphrases ? ix.nphrases : 1) * sizeof *ix.code_title);
    ix.ncodes = 0;
    for (uint32_t i = 0; i < ix.nphrases;) {
        uint32_t code = ix.phrases[order[i]].code, j = i;
        while (j < ix.nphrases && ix.phrases[order[j]].code == code)
            j++;
        double best = -1e9;
        uint32_t title = order[i];
        for (uint32_t k = i; k < j; k++) {
            const struct phrase *p = &ix.phrases[order[k]];
            double s = typicality(order + i, j - i, order[k]) + (names_establishment(p) ? 1.0 : 0) -
                       (strpbrk(p->text, ",(") ? 1.5 : 0) - 0.01 * (double)strlen(p->text);
            if (s > best) {
                best = s;
                title = order[k];
            }
        }
        /* a long phrase is cut at its first qualifier for a title */
        const char *t = ix.phrases[title].text;
        size_t len = strlen(t), comma = strcspn(t, ",");
        for (uint32_t k = i; k < j; k++)
            ix.phrases[order[k]].ci = ix.ncodes;
        ix.codes[ix.ncodes] = code;
        ix.code_title[ix.ncodes++] = xstrndup(t, len > 40 && comma < len ? comma : len);
        i = j;
    }
    free(order);
}

/* Stems that say what kind of establishment a phrase means: a page must
 * say so too ("Thermostats manufacturing" is not an HVAC contractor that
 * mentions thermostats). The most frequent such stems of the index. */
static void mark_kinds(struct text_stemmer *st)
{
    static const char *const kinds[] = {
        "manufacturing", "wholesalers", "merchant",   "made",         "purchased",    "mills",
        "mining",        "farming",     "publishers", "construction", "installation", "rental",
        "leasing",       "stores",      "shops",      "dealers",      "repair"};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        size_t sl;
        const char *s = text_stem(st, kinds[i], strlen(kinds[i]), &sl);
        uint32_t id = stem_find(s, sl);
        if (id != NONE)
            ix.stems[id].kind = true;
    }
}

static void build(void)
{
    struct text_stemmer *st = text_stemmer_new();
    /* the official index, then the project's supplement (data/industry/) */
    const struct embed_file *files[] = {data_file("naics-2012-index.csv"),
                                        data_file("supplement.csv")};
    size_t total = 1;
    for (size_t f = 0; f < 2; f++)
        total += files[f] ? files[f]->len + 1 : 0;
    ix.texts = xmalloc(total);
    char *w = ix.texts;
    for (size_t f = 0; f < 2; f++)
        if (files[f]) {
            memcpy(w, files[f]->data, files[f]->len);
            w += files[f]->len;
            *w++ = '\n';
        }
    *w = '\0';
    for (char *line = ix.texts; *line;) {
        char *code, *desc;
        bool comment = *line == '#';
        line = csv_record(line, &code, &desc);
        if (!comment && desc && *desc && all_digits(code, 6))
            phrase_add(st, (uint32_t)strtoul(code, NULL, 10), desc);
    }
    /* IDF, then postings. */
    for (uint32_t i = 0; i < ix.nterms; i++)
        ix.stems[ix.terms[i]].df++;
    for (uint32_t s = 0; s < ix.nstems; s++)
        ix.stems[s].idf = (float)log(1.0 + (double)ix.nphrases / (double)(ix.stems[s].df + 1));
    uint32_t off = 0;
    for (uint32_t s = 0; s < ix.nstems; s++) {
        ix.stems[s].pfirst = off;
        off += ix.stems[s].df;
        ix.stems[s].np = 0;
    }
    ix.postings = xmalloc((off ? off : 1) * sizeof *ix.postings);
    for (uint32_t p = 0; p < ix.nphrases; p++) {
        float norm = 0;
        for (uint32_t t = 0; t < ix.phrases[p].n; t++) {
            struct stem *s = &ix.stems[ix.terms[ix.phrases[p].first + t]];
            ix.postings[s->pfirst + s->np++] = p;
            norm += s->idf;
        }
        ix.phrases[p].norm = norm;
    }
    mark_kinds(st);
    code_titles();
    text_stemmer_free(st);
}

/* ---- a page's words ---- */

struct weight {
    uint64_t key; /* a stem id, or a pair key with the top bit set */
    float w;
};

struct bag {
    struct weight *v; /* open addressing, power of two */
    uint32_t cap, n;
};

static float *bag_slot(struct bag *b, uint64_t key)
{
    if ((b->n + 1) * 2 > b->cap) {
        struct weight *old = b->v;
        uint32_t oldcap = b->cap;
        b->cap = b->cap ? b->cap * 2 : 1024;
        b->v = xmalloc(b->cap * sizeof *b->v);
        for (uint32_t i = 0; i < b->cap; i++)
            b->v[i].key = UINT64_MAX;
        b->n = 0;
        for (uint32_t i = 0; i < oldcap; i++)
            if (old[i].key != UINT64_MAX)
                *bag_slot(b, old[i].key) = old[i].w;
        free(old);
    }
    uint32_t i = (uint32_t)(key * 0x9E3779B97F4A7C15ull >> 40) & (b->cap - 1);
    while (b->v[i].key != UINT64_MAX && b->v[i].key != key)
        i = (i + 1) & (b->cap - 1);
    if (b->v[i].key == UINT64_MAX) {
        b->v[i].key = key;
        b->v[i].w = 0;
        b->n++;
    }
    return &b->v[i].w;
}

static float bag_get(const struct bag *b, uint64_t key)
{
    if (!b->cap)
        return 0;
    uint32_t i = (uint32_t)(key * 0x9E3779B97F4A7C15ull >> 40) & (b->cap - 1);
    while (b->v[i].key != UINT64_MAX) {
        if (b->v[i].key == key)
            return b->v[i].w;
        i = (i + 1) & (b->cap - 1);
    }
    return 0;
}

#define PAIR_BIT (1ull << 63)

/* The index stem of a word; an agent noun the index lacks is read as its
 * activity ("roofers": "roofing", "movers": "moving"). */
static uint32_t lookup(struct text_stemmer *st, const char *tok, size_t len)
{
    size_t sl;
    const char *s = text_stem(st, tok, len, &sl);
    uint32_t id = stem_find(s, sl);
    if (id == NONE && sl > 4 && s[sl - 2] == 'e' && s[sl - 1] == 'r') {
        char base[TEXT_MAX_TOKEN + 2];
        memcpy(base, s, sl - 2);
        id = stem_find(base, sl - 2);
        if (id == NONE) {
            base[sl - 2] = 'e';
            id = stem_find(base, sl - 1);
        }
    }
    return id;
}

/* The words a page's reading met already, with their stems: a page says
 * the same words many times, and stemming is the reading's main cost. */
#define SEEN_SLOTS 2048
struct seen {
    uint32_t id; /* the word's stem, NONE when the index lacks it */
    uint8_t len; /* 0: an empty slot */
    bool skip;   /* a stop word or a word of the site's machinery */
    char word[22];
};

struct reader {
    struct text_stemmer *st;
    struct seen *seen; /* SEEN_SLOTS, open addressing; NULL: none kept */
    struct bag *bag;   /* the field being read; read_field adds it to the page's */
    const char *text;
    size_t n;
    float w;
    uint32_t prev;   /* the stem before, for pairs */
    size_t prev_end; /* where it ended */
};

/* The words of a website's own machinery (menus, banners, buttons), which
 * the index happens to use for trades ("cookies", "make-up", "login"). */
static bool site_chrome(const char *tok, size_t len)
{
    static const char *const words[] = {
        "about",   "accept",  "account",   "blog",     "browser",    "cart",  "click",    "contact",
        "cookie",  "cookies", "copyright", "download", "email",      "faq",   "features", "follow",
        "free",    "get",     "help",      "home",     "learn",      "log",   "login",    "make",
        "menu",    "more",    "new",       "news",     "newsletter", "page",  "policy",   "pricing",
        "privacy", "read",    "reserved",  "rights",   "search",     "see",   "share",    "sign",
        "site",    "skip",    "start",     "started",  "subscribe",  "terms", "today",    "top",
        "try",     "view",    "watch",     "website",  "welcome",
    };
    return text_in_sorted(words, sizeof words / sizeof *words, tok, len);
}

/* What the reader knows of tok: its slot in r->seen, filled on first
 * sight (NULL when tok is too long to keep). */
static const struct seen *seen_word(struct reader *r, const char *tok, size_t len)
{
    if (!r->seen || len >= sizeof r->seen->word)
        return NULL;
    for (uint32_t i = hash(tok, len) & (SEEN_SLOTS - 1), probes = 0; probes < 16;
         i = (i + 1) & (SEEN_SLOTS - 1), probes++) {
        struct seen *s = &r->seen[i];
        if (s->len == len && memcmp(s->word, tok, len) == 0)
            return s;
        if (!s->len) {
            s->len = (uint8_t)len;
            memcpy(s->word, tok, len);
            s->skip = text_is_stopword(tok, len) || site_chrome(tok, len);
            s->id = s->skip ? NONE : lookup(r->st, tok, len);
            return s;
        }
    }
    return NULL; /* a crowded neighbourhood: read it afresh */
}

static int page_token(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
    struct reader *r = ctx;
    if (it_acronym(r->text, r->n, start, end)) {
        tok = IT_WORD;
        len = strlen(IT_WORD);
    }
    const struct seen *known = seen_word(r, tok, len);
    if (known ? known->skip : text_is_stopword(tok, len) || site_chrome(tok, len))
        return 0;
    uint32_t id = known ? known->id : lookup(r->st, tok, len);
    /* a line break or an unknown word between two stems parts them */
    bool joined = r->prev != NONE && !memchr(r->text + r->prev_end, '\n', start - r->prev_end);
    if (id != NONE) {
        *bag_slot(r->bag, id) += r->w;
        if (joined && r->prev != id)
            *bag_slot(r->bag, PAIR_BIT | pair_key(r->prev, id)) += r->w;
    }
    r->prev = id;
    r->prev_end = end;
    return 0;
}

/* Reads a field into page: each stem and pair counts w per mention, up to
 * cap mentions, so that a long body repeating a word does not outweigh
 * the title that names the trade once. */
static void read_field(struct reader *r, struct bag *page, const char *s, size_t n, float w,
                       float cap)
{
    if (!s)
        return;
    struct bag field = {0};
    r->bag = &field;
    r->text = s;
    r->n = n;
    r->w = 1;
    r->prev = NONE;
    r->prev_end = 0;
    text_tokenize(s, n, page_token, r);
    for (uint32_t i = 0; i < field.cap; i++)
        if (field.v[i].key != UINT64_MAX)
            *bag_slot(page, field.v[i].key) += w * (field.v[i].w < cap ? field.v[i].w : cap);
    free(field.v);
}

/* Saturating strength of a weight: one title mention is strong, a body
 * mention weak, many body mentions strong. */
static double strength(float w)
{
    return 1.0 - exp(-(double)w / 2.5);
}

/* How far a phrase's words stand together on the page: of its pairs whose
 * two stems both occur, the share seen side by side (1 when none occur). */
static double together(const struct phrase *p, const struct bag *b)
{
    double sum = 0;
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->np; i++) {
        uint64_t k = ix.pairs[p->pfirst + i];
        if (bag_get(b, (uint32_t)(k >> 32)) == 0 || bag_get(b, (uint32_t)k) == 0)
            continue;
        sum += strength(bag_get(b, PAIR_BIT | k));
        n++;
    }
    return n ? sum / n : 1.0;
}

/* A phrase's score: the IDF-weighted share of its stems the bag holds
 * (acc / norm), discounted when its words occur apart. With a query norm
 * (a user's phrase), the share of the query the phrase covers counts too,
 * so that "hair salons" meets "Hair stylist salons or shops". */
static double score_phrase(const struct phrase *p, const struct bag *b, double acc, double qnorm,
                           double qacc)
{
    double uni = p->norm > 0 ? acc / p->norm : 0;
    /* the kind of establishment it names must be the page's too */
    double kind = 0;
    uint32_t kinds = 0;
    for (uint32_t i = 0; i < p->n; i++) {
        uint32_t t = ix.terms[p->first + i];
        if (ix.stems[t].kind) {
            kind += strength(bag_get(b, t));
            kinds++;
        }
    }
    if (kinds)
        uni *= 0.25 + 0.75 * kind / kinds;
    if (qnorm > 0) /* every word the user wrote must be there; then the most specific */
        return pow(qacc / qnorm, 2) * sqrt(uni) * (0.5 + 0.5 * together(p, b));
    /* on a page, words of a phrase found apart ("saving" here, "banks"
     * there) are another matter than the phrase ("savings banks"); a lone
     * word is less sure than a phrase found whole */
    return uni * (p->n == 1 ? 0.85 : 0.5 + 0.5 * together(p, b));
}

struct code_score {
    uint32_t code;
    double best, second, third;
    const char *phrase; /* of the best */
};

static int cmp_codes(const void *a, const void *b)
{
    const struct industry_code *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return strcmp(x->code, y->code);
}

/* Scores every phrase that shares a stem with the bag; fills out with the
 * best codes. */
/* rank's working arrays, as large as the index: one set per thread, made
 * once and kept zeroed (a call clears only what it touched), as pages are
 * classified by the thousand. */
struct scratch {
    double *acc, *qacc;
    uint32_t *touched, *slot;
};
static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void scratch_free(void *p)
{
    struct scratch *w = p;
    free(w->acc);
    free(w->qacc);
    free(w->touched);
    free(w->slot);
    free(w);
}

static void scratch_key_make(void)
{
    if (pthread_key_create(&scratch_key, scratch_free))
        abort();
}

static struct scratch *scratch_get(void)
{
    pthread_once(&scratch_once, scratch_key_make);
    struct scratch *w = pthread_getspecific(scratch_key);
    if (!w) {
        size_t np = ix.nphrases ? ix.nphrases : 1, nc = ix.ncodes ? ix.ncodes : 1;
        w = xcalloc(1, sizeof *w);
        w->acc = xcalloc(np, sizeof *w->acc);
        w->qacc = xcalloc(np, sizeof *w->qacc);
        w->touched = xmalloc(np * sizeof *w->touched);
        w->slot = xcalloc(nc, sizeof *w->slot);
        if (pthread_setspecific(scratch_key, w))
            abort();
    }
    return w;
}

static size_t rank(const struct bag *b, struct industry_code *out, size_t max, double floor,
                   double qnorm)
{
    struct scratch *w = scratch_get();
    double *acc = w->acc, *qacc = qnorm > 0 ? w->qacc : NULL;
    uint32_t *touched = w->touched, *slot = w->slot; /* slot: 1 + index in cs */
    uint32_t ntouched = 0;
    for (uint32_t i = 0; i < b->cap; i++) {
        const struct weight *bw = &b->v[i];
        if (bw->key == UINT64_MAX || (bw->key & PAIR_BIT))
            continue;
        const struct stem *s = &ix.stems[bw->key];
        double add = s->idf * strength(bw->w);
        for (uint32_t k = 0; k < s->np; k++) {
            uint32_t p = ix.postings[s->pfirst + k];
            if (acc[p] == 0)
                touched[ntouched++] = p;
            acc[p] += add;
            if (qacc)
                qacc[p] += s->idf;
        }
    }
    struct code_score *cs = NULL;
    size_t ncs = 0, cap = 0;
    for (uint32_t t = 0; t < ntouched; t++) {
        const struct phrase *p = &ix.phrases[touched[t]];
        /* what score_phrase can give at most, cheaply: most phrases a page
         * touches hold one of its common words and no more */
        double share = p->norm > 0 ? acc[touched[t]] / p->norm : 0;
        double bound = qacc ? pow(qacc[touched[t]] / qnorm, 2) * sqrt(share) : share;
        if (bound < floor * 0.5)
            continue;
        double sc = score_phrase(p, b, acc[touched[t]], qnorm, qacc ? qacc[touched[t]] : 0);
        if (sc < floor * 0.5)
            continue;
        if (!slot[p->ci]) {
            if (ncs == cap) {
                cap = cap ? cap * 2 : 64;
                cs = xrealloc(cs, cap * sizeof *cs);
            }
            cs[ncs++] = (struct code_score){p->code, 0, 0, 0, p->text};
            slot[p->ci] = (uint32_t)ncs;
        }
        struct code_score *c = &cs[slot[p->ci] - 1];
        if (sc > c->best) {
            c->third = c->second;
            c->second = c->best;
            c->best = sc;
            c->phrase = p->text;
        } else if (sc > c->second) {
            c->third = c->second;
            c->second = sc;
        } else if (sc > c->third) {
            c->third = sc;
        }
    }
    size_t n = 0;
    struct industry_code *all = xcalloc(ncs ? ncs : 1, sizeof *all);
    for (size_t i = 0; i < ncs; i++) {
        /* a trade the page names in several ways is surer than a lone phrase */
        double s = cs[i].best + 0.3 * cs[i].second + 0.15 * cs[i].third;
        if (s < floor)
            continue;
        snprintf(all[n].code, sizeof all[n].code, "%06u", cs[i].code);
        all[n].score = s > 1 ? 1 : s;
        all[n].phrase = cs[i].phrase;
        n++;
    }
    qsort(all, n, sizeof *all, cmp_codes);
    if (n > max)
        n = max;
    memcpy(out, all, n * sizeof *out);
    free(all);
    for (uint32_t t = 0; t < ntouched; t++) { /* zeroed for the next call */
        uint32_t p = touched[t];
        acc[p] = 0;
        if (qacc)
            qacc[p] = 0;
        slot[ix.phrases[p].ci] = 0;
    }
    free(cs);
    return n;
}

static size_t codes_of(const char *phrase, bool name, struct industry_code *out, size_t max);

/* The code of an institution a registrable domain names: .edu (and
 * .edu.au, .ac.uk...) a college, .gov and .mil a public body. */
static const char *institution(const char *site)
{
    if (!site)
        return NULL;
    const char *p = site;
    for (const char *dot = strchr(site, '.'); dot; dot = strchr(dot + 1, '.')) {
        p = dot + 1;
        if (!strncmp(p, "edu", 3) && (!p[3] || p[3] == '.'))
            return "611310";
        if (!strncmp(p, "ac.", 3) && strlen(p) == 5)
            return "611310";
        if ((!strncmp(p, "gov", 3) && (!p[3] || p[3] == '.')) || !strcmp(p, "mil"))
            return "921190";
    }
    return NULL;
}

/* The trade a company's name names: its longest tail that names one
 * ("Howell-Chase Heating and Air Conditioning": "Heating and Air
 * Conditioning"), if it names few ("Ambient Air": "air" names too many). */
static size_t name_codes(const char *name, struct industry_code *out, size_t max)
{
    if (!name)
        return 0;
    for (const char *p = name; *p;) {
        size_t n = codes_of(p, true, out, max);
        if (n)
            return n <= 3 ? n : 0;
        while (*p && isalnum((unsigned char)*p)) /* the next word */
            p++;
        while (*p && !isalnum((unsigned char)*p))
            p++;
    }
    return 0;
}

#define PUBLISHING "519130"   /* Internet publishing */
#define ONLINE_STORE "454111" /* Electronic shopping */

/* Puts code among c[0..n) (room for max) with at least score; returns the
 * new count. When c is full, the code takes the weakest place (the last of
 * equals: in a sorted list, the last place). */
static size_t put_code(struct industry_code *c, size_t n, size_t max, const char *code,
                       double score)
{
    size_t at = n;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(c[i].code, code))
            at = i;
    if (at == n) {
        if (n == max) /* the weakest goes */
            for (size_t i = at = 0; i < n; i++)
                at = c[i].score <= c[at].score ? i : at;
        else
            n++;
        snprintf(c[at].code, sizeof c[at].code, "%s", code);
        c[at].phrase = industry_title(code);
        c[at].score = 0;
    }
    if (c[at].score < score)
        c[at].score = score;
    return n;
}

size_t industry_classify(const struct industry_doc *d, struct industry_code *out, size_t max)
{
    pthread_once(&ix_once, build);
    struct bag b = {0};
    struct reader r = {.st = text_stemmer_new(), .seen = xcalloc(SEEN_SLOTS, sizeof(struct seen))};
    /* an article's title, headings and text are its topic, not its
     * publisher's trade: its menus and footer say that */
    float topic = d->article ? 0.3f : 1.0f;
    read_field(&r, &b, d->title, d->title ? strlen(d->title) : 0, 3 * topic, 1);
    read_field(&r, &b, d->description, d->description ? strlen(d->description) : 0, 3 * topic, 1);
    if (d->headings) {
        size_t n = strlen(d->headings);
        read_field(&r, &b, d->headings, n > 2000 ? 2000 : n, 1.5 * topic, 2);
    }
    if (d->text) {
        size_t n = strlen(d->text);
        read_field(&r, &b, d->text, n > TEXT_PREFIX ? TEXT_PREFIX : n, 0.4 * topic, 4);
    }
    if (d->chrome) { /* the menus at the top, the footer at the bottom */
        size_t n = strlen(d->chrome), head = n > CHROME_PART ? CHROME_PART : n;
        float w = d->article ? 0.6f : 0.4f;
        read_field(&r, &b, d->chrome, head, w, 3);
        if (n > 2 * CHROME_PART)
            read_field(&r, &b, d->chrome + n - CHROME_PART, CHROME_PART, w, 3);
    }
    text_stemmer_free(r.st);
    free(r.seen);
    struct industry_code cand[12];
    size_t n = rank(&b, cand, 12, 0.3, 0);
    free(b.v);
    /* What the site sells settles software publishers and hosts against
     * the firms that build software, market or consult for clients. */
    for (size_t i = 0; i < n && d->offering; i++) {
        bool product = !strncmp(cand[i].code, "5112", 4) || !strncmp(cand[i].code, "5182", 4);
        bool service = !strncmp(cand[i].code, "5415", 4) || !strncmp(cand[i].code, "5416", 4) ||
                       !strncmp(cand[i].code, "5418", 4) || !strncmp(cand[i].code, "5419", 4);
        if (product || service)
            cand[i].score += (product == (d->offering > 0)) ? 0.2 : -0.2;
        else if (d->offering > 0) /* plans and free trials: software about a trade, not the trade */
            cand[i].score *= 0.8;
    }
    /* A trade in the company's name ("Lakecrest Dental", "Howell-Chase
     * Heating and Air Conditioning") settles between the page's candidates;
     * it never adds one the page does not support ("Apple"). */
    struct industry_code named[8];
    size_t nn = name_codes(d->name, named, 8);
    bool supported = false, *named_it = xcalloc(n ? n : 1, sizeof *named_it);
    double best = 0;
    for (size_t i = 0; i < n; i++) {
        best = cand[i].score > best ? cand[i].score : best;
        for (size_t k = 0; k < nn && !named_it[i]; k++)
            if (industry_similarity(cand[i].code, named[k].code) == 1.0) {
                cand[i].score += 0.35;
                supported = named_it[i] = true;
            }
    }
    /* ...and a trade of another sector is what the name settled against
     * ("Capital Electric Education" teaches electrical work) */
    for (size_t i = 0; i < n && supported; i++) {
        bool near = named_it[i];
        for (size_t k = 0; k < nn && !near; k++)
            near = strcmp(industry_sector(cand[i].code), industry_sector(named[k].code)) == 0;
        if (!near)
            cand[i].score *= 0.7;
    }
    free(named_it);
    /* ...but where the page names no trade surely, as an article on
     * toddlers' sleep does, the name's trade is the best word there is
     * ("Frontier Pediatric Partners") */
    for (size_t k = 0; k < nn && !supported && best < NAME_ALONE && n < 12; k++) {
        cand[n] = named[k];
        cand[n++].score = NAME_ALONE;
    }
    /* A publisher's trade is publishing: what it writes about stays, less
     * sure, as alternatives. A store's is retail, unless the page names a
     * trade more surely than retail (a florist or a restaurant taking
     * orders online). */
    if (d->publisher) {
        for (size_t i = 0; i < n; i++)
            cand[i].score *= 0.6;
        n = put_code(cand, n, 12, PUBLISHING, 0.9);
    }
    if (d->store && !d->publisher) {
        bool retail = false;
        for (size_t i = 0; i < n; i++)
            if (cand[i].code[0] == '4' && (cand[i].code[1] == '4' || cand[i].code[1] == '5')) {
                cand[i].score += 0.2;
                retail = true;
            }
        if (!retail)
            n = put_code(cand, n, 12, ONLINE_STORE, 0.65);
    }
    qsort(cand, n, sizeof *cand, cmp_codes);
    /* the name may lift its trade above 1: the others are scaled down
     * with it, so that the order stays */
    for (size_t i = 1; n && cand[0].score > 1 && i < n; i++)
        cand[i].score /= cand[0].score;
    if (n && cand[0].score > 1)
        cand[0].score = 1;
    while (n && cand[n - 1].score < 0.35)
        n--;
    if (n > max)
        n = max;
    memcpy(out, cand, n * sizeof *out);
    /* A schema.org trade type is the page's own statement, and so is a
     * domain only schools or governments may hold: it leads. */
    const char *by_site = institution(d->site);
    for (size_t t = 0; t < d->ntypes + (by_site != NULL) && max; t++) {
        const char *code = t < d->ntypes ? industry__schema_code(d->types[t]) : by_site;
        if (!code)
            continue;
        n = put_code(out, n, max, code, 1.0);
        qsort(out, n, sizeof *out, cmp_codes);
    }
    if (by_site) { /* a school is a school: its accounting course is no firm's */
        size_t kept = 0;
        for (size_t i = 0; i < n; i++)
            if (!strncmp(out[i].code, by_site, 2))
                out[kept++] = out[i];
        n = kept;
    }
    return n;
}

/* Words of a user's phrase that say how big or how run a business is, not
 * its trade. Sorted. */
static const char *const filler[] = {
    "b2b",         "business",    "businesses", "companies", "company",       "enterprise",
    "enterprises", "independent", "industries", "industry",  "large",         "local",
    "medium",      "mid",         "midsize",    "operated",  "organisations", "organizations",
    "owned",       "owner",       "owners",     "provider",  "providers",     "sector",
    "size",        "sized",       "small",      "smb",       "smbs",          "sme",
    "smes",        "startup",     "startups",
};

/* Words that say what form a trade takes ("dental practices", "marketing
 * agencies"): a broad term before them still covers the phrase. Sorted. */
static const char *const neutral[] = {
    "agencies",  "agency",        "experts",     "firm",   "firms",   "practice",
    "practices", "professionals", "specialists", "studio", "studios",
};

struct query {
    struct text_stemmer *st;
    struct bag *bag;
    double norm;       /* sum of its stems' IDF */
    char content[512]; /* its content words, lower case, space-separated */
    size_t len;
    uint32_t prev;      /* the stem before, for pairs */
    bool name;          /* a company's name: its proper nouns are not trades */
    const char *phrase; /* as written */
};

/* Words of company names that name no trade. Sorted. */
static bool name_word(const char *tok, size_t len)
{
    static const char *const words[] = {
        "and",  "associates", "co",  "corp",     "corporation", "group", "holdings", "inc",
        "intl", "llc",        "llp", "lp",       "ltd",         "one",   "partners", "pc",
        "plc",  "pllc",       "pty", "services", "solutions",   "the",   "usa"};
    return text_in_sorted(words, sizeof words / sizeof *words, tok, len);
}

static int query_token(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
    struct query *q = ctx;
    bool it = it_acronym(q->phrase, strlen(q->phrase), start, end);
    if ((text_is_stopword(tok, len) && !it) ||
        text_in_sorted(filler, sizeof filler / sizeof *filler, tok, len))
        return 0;
    uint32_t id = it ? lookup(q->st, IT_WORD, strlen(IT_WORD)) : lookup(q->st, tok, len);
    if (q->name && (name_word(tok, len) || id == NONE)) {
        struct industry_code tmp[4];
        char one[TEXT_MAX_TOKEN + 1];
        memcpy(one, tok, len);
        one[len] = '\0';
        if (!industry__broad(one, tmp, 4, NULL))
            return 0; /* "Lakecrest", "Inc": not a trade */
    }
    bool form = text_in_sorted(neutral, sizeof neutral / sizeof *neutral, tok, len);
    if (!form && q->len + len + 2 < sizeof q->content) {
        if (q->len)
            q->content[q->len++] = ' ';
        memcpy(q->content + q->len, tok, len);
        q->len += len;
        q->content[q->len] = '\0';
    }
    /* a word the index lacks still counts: nothing there covers it */
    q->norm += id == NONE ? log(1.0 + (double)ix.nphrases) : ix.stems[id].idf;
    if (id != NONE) {
        *bag_slot(q->bag, id) += 10; /* every word of it is meant */
        if (q->prev != NONE && q->prev != id)
            *bag_slot(q->bag, PAIR_BIT | pair_key(q->prev, id)) += 10;
    }
    q->prev = id;
    return 0;
}

static size_t codes_of(const char *phrase, bool name, struct industry_code *out, size_t max)
{
    if (!phrase || !*phrase || !max)
        return 0;
    struct bag b = {0};
    struct query q = {
        .st = text_stemmer_new(), .bag = &b, .prev = NONE, .name = name, .phrase = phrase};
    text_tokenize(phrase, strlen(phrase), query_token, &q);
    bool whole = false;
    size_t n = industry__broad(q.content, out, max, &whole);
    if (!whole) /* not only broad terms ("SaaS", "IT consulting", "Retail") */
        n = 0;
    if (!n && q.len) {
        struct industry_code got[16];
        size_t k = rank(&b, got, 16, 0.5, q.norm);
        /* the codes close to the best: "restaurants" is full and limited service */
        for (size_t i = 0; i < k && n < max; i++)
            if (got[i].score >= 0.85 * got[0].score)
                out[n++] = got[i];
    }
    if (!n) { /* "healthcare startups in Ohio": what a broad word says, less surely */
        n = industry__broad(q.content, out, max, NULL);
        for (size_t i = 0; i < n; i++)
            out[i].score = 0.6;
    }
    text_stemmer_free(q.st);
    free(b.v);
    return n;
}

size_t industry_codes_of(const char *phrase, struct industry_code *out, size_t max)
{
    pthread_once(&ix_once, build);
    return codes_of(phrase, false, out, max);
}

double industry_similarity(const char *code, const char *target)
{
    size_t cl = code ? strlen(code) : 0, tl = target ? strlen(target) : 0;
    if (cl < 2 || cl > 6 || tl < 2 || tl > 6) /* NAICS codes have 2 to 6 digits */
        return 0;
    char a[3], b[3];
    industry__sector_of(code, a);
    industry__sector_of(target, b);
    if (strcmp(a, b) != 0)
        return 0;
    size_t common = 2;
    while (common < tl && code[common] && code[common] == target[common])
        common++;
    if (common >= tl)
        return 1.0;
    /* a sector (2 digits) or subsector (3) shared says little: law firms,
     * accountants and designers share 541 */
    static const double by_common[] = {0, 0, 0.1, 0.3, 0.75, 0.9};
    return by_common[common];
}

const char *industry_title(const char *code)
{
    if (!code)
        return "";
    size_t n = strlen(code);
    if (n == 2)
        return industry_sector(code);
    if (n != 6)
        return "";
    pthread_once(&ix_once, build);
    uint32_t c = (uint32_t)strtoul(code, NULL, 10);
    size_t lo = 0, hi = ix.ncodes;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ix.codes[mid] == c)
            return ix.code_title[mid];
        if (ix.codes[mid] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return "";
}
