/* enrich_int.h: what the files of src/enrich share. */
#ifndef PROSPECT_ENRICH_INT_H
#define PROSPECT_ENRICH_INT_H

#include "enrich/enrich.h"
#include "text/text.h"

/* A bag of stems with weights (query) or counts (passage). */
struct enrich__term {
    char *stem;
    double weight; /* query side: 1 for the query's own words, less for expansions */
    int count;     /* passage side */
};

struct enrich__terms {
    struct enrich__term *v;
    size_t n;
};

void enrich__terms_add(struct enrich__terms *t, const char *s, size_t n, double w);
bool enrich__terms_has(const struct enrich__terms *t, const char *stem);
void enrich__terms_release(struct enrich__terms *t);

/* enrich__stems(st, s, n, out): the stems of s (stop words dropped). */
void enrich__stems(struct text_stemmer *st, const char *s, size_t n, struct enrich__terms *out);

/* BM25 over one lead's passages. */
struct enrich__index {
    struct enrich__terms *terms; /* per passage */
    size_t n;
    double avgdl;
};

void enrich__index_build(struct enrich__index *ix, const struct enrich_passages *p,
                         struct text_stemmer *st);
void enrich__index_release(struct enrich__index *ix);

/* enrich__bm25(ix, q, scores): scores[i] for passage i (n of them). */
void enrich__bm25(const struct enrich__index *ix, const struct enrich__terms *q, double *scores);

/* enrich__coverage(doc, q): the share of q's own words (weight 1) in doc. */
double enrich__coverage(const struct enrich__terms *doc, const struct enrich__terms *q);

#endif
