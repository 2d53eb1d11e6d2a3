/* passages.c: sentence passages of a lead's pages, and BM25 retrieval over
 * them (the lexical half of enrich_retrieve; dense similarity plugs in
 * beside it). */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "enrich/enrich_int.h"
#include "text/text.h"

#define MIN_PASSAGE 12    /* bytes; shorter lines are labels, not sentences */
#define MAX_PASSAGE 400   /* longer sentences are cut at a word boundary */
#define MAX_PASSAGES 2000 /* per lead */

static void add(struct enrich_passages *out, size_t *cap, const char *url, const char *text,
                size_t start, size_t end)
{
    while (start < end && isspace((unsigned char)text[start]))
        start++;
    while (end > start && isspace((unsigned char)text[end - 1]))
        end--;
    if (end - start < MIN_PASSAGE || out->n >= MAX_PASSAGES)
        return;
    if (out->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        out->v = xrealloc(out->v, *cap * sizeof *out->v);
    }
    out->v[out->n++] = (struct enrich_passage){url, text, start, end};
}

/* A sentence ends at . ! ? followed by white space and a capital or digit,
 * or at a line break (one block of the page per line). */
void enrich_split(const struct extract_lead *lead, struct enrich_passages *out)
{
    out->v = NULL;
    out->n = 0;
    size_t cap = 0;
    for (size_t p = 0; p < lead->page_texts.n; p++) {
        const char *t = lead->page_texts.v[p];
        const char *url = lead->pages.v[p];
        size_t n = strlen(t), start = 0;
        for (size_t i = 0; i < n; i++) {
            bool cut = t[i] == '\n';
            size_t end = i;
            if (!cut && (t[i] == '.' || t[i] == '!' || t[i] == '?') && i + 2 < n &&
                t[i + 1] == ' ' &&
                (isupper((unsigned char)t[i + 2]) || isdigit((unsigned char)t[i + 2]))) {
                /* not after a one-letter abbreviation ("J. Smith", "e.g.") */
                bool abbrev = i >= 1 && isalpha((unsigned char)t[i - 1]) &&
                              (i < 2 || !isalnum((unsigned char)t[i - 2]));
                cut = !abbrev;
                end = i + 1;
            }
            if (!cut && i - start >= MAX_PASSAGE && t[i] == ' ')
                cut = true, end = i;
            if (cut) {
                add(out, &cap, url, t, start, end);
                start = end;
            }
        }
        add(out, &cap, url, t, start, n);
    }
}

void enrich_passages_release(struct enrich_passages *p)
{
    free(p->v);
    p->v = NULL;
    p->n = 0;
}

/* ---- BM25 over the passages ---- */

struct tok_ctx {
    struct text_stemmer *st;
    struct enrich__terms *out;
};

static int on_tok(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
    (void)start;
    (void)end;
    struct tok_ctx *c = ctx;
    if (len < 2 || text_is_stopword(tok, len))
        return 0;
    size_t sl;
    const char *s = text_stem(c->st, tok, len, &sl);
    enrich__terms_add(c->out, s, sl, 1.0);
    return 0;
}

void enrich__stems(struct text_stemmer *st, const char *s, size_t n, struct enrich__terms *out)
{
    struct tok_ctx c = {st, out};
    text_tokenize(s, n, on_tok, &c);
}

void enrich__terms_add(struct enrich__terms *t, const char *s, size_t n, double w)
{
    for (size_t i = 0; i < t->n; i++)
        if (strlen(t->v[i].stem) == n && memcmp(t->v[i].stem, s, n) == 0) {
            t->v[i].count++;
            if (w > t->v[i].weight)
                t->v[i].weight = w;
            return;
        }
    t->v = xrealloc(t->v, (t->n + 1) * sizeof *t->v);
    t->v[t->n].stem = xstrndup(s, n);
    t->v[t->n].weight = w;
    t->v[t->n].count = 1;
    t->n++;
}

void enrich__terms_release(struct enrich__terms *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i].stem);
    free(t->v);
    t->v = NULL;
    t->n = 0;
}

bool enrich__terms_has(const struct enrich__terms *t, const char *stem)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i].stem, stem) == 0)
            return true;
    return false;
}

void enrich__index_build(struct enrich__index *ix, const struct enrich_passages *p,
                         struct text_stemmer *st)
{
    ix->n = p->n;
    ix->terms = xcalloc(p->n ? p->n : 1, sizeof *ix->terms);
    double total = 0;
    for (size_t i = 0; i < p->n; i++) {
        enrich__stems(st, p->v[i].text + p->v[i].start, p->v[i].end - p->v[i].start, &ix->terms[i]);
        for (size_t k = 0; k < ix->terms[i].n; k++)
            total += ix->terms[i].v[k].count;
    }
    ix->avgdl = p->n ? total / (double)p->n : 1;
}

void enrich__index_release(struct enrich__index *ix)
{
    for (size_t i = 0; i < ix->n; i++)
        enrich__terms_release(&ix->terms[i]);
    free(ix->terms);
}

static double doc_len(const struct enrich__terms *t)
{
    double n = 0;
    for (size_t k = 0; k < t->n; k++)
        n += t->v[k].count;
    return n;
}

void enrich__bm25(const struct enrich__index *ix, const struct enrich__terms *q, double *scores)
{
    const double k1 = 1.2, b = 0.75;
    for (size_t i = 0; i < ix->n; i++)
        scores[i] = 0;
    for (size_t qi = 0; qi < q->n; qi++) {
        size_t df = 0;
        for (size_t i = 0; i < ix->n; i++)
            df += enrich__terms_has(&ix->terms[i], q->v[qi].stem);
        if (!df)
            continue;
        double idf = log(1.0 + ((double)ix->n - (double)df + 0.5) / ((double)df + 0.5));
        for (size_t i = 0; i < ix->n; i++) {
            const struct enrich__terms *d = &ix->terms[i];
            for (size_t k = 0; k < d->n; k++) {
                if (strcmp(d->v[k].stem, q->v[qi].stem) != 0)
                    continue;
                double tf = d->v[k].count, dl = doc_len(d);
                scores[i] += q->v[qi].weight * idf * tf * (k1 + 1) /
                             (tf + k1 * (1 - b + b * dl / ix->avgdl));
                break;
            }
        }
    }
}

double enrich__coverage(const struct enrich__terms *doc, const struct enrich__terms *q)
{
    double have = 0, all = 0;
    for (size_t i = 0; i < q->n; i++) {
        if (q->v[i].weight < 1.0) /* expansions help ranking, not coverage */
            continue;
        all += 1;
        have += enrich__terms_has(doc, q->v[i].stem);
    }
    return all > 0 ? have / all : 0;
}
