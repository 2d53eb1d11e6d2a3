/* pg/corpus.c: the PostgreSQL backend's corpus, the local search engine's
 * pages: the documents with their compressed bytes, searched with
 * PostgreSQL's full-text search (tsvector, ts_rank with store.h's field
 * weights). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <zlib.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "store/pg/pg_int.h"

static int pg_corpus_put(struct store *base, const struct store_doc *d, enum store_put *result,
                         struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_params p = {0};
    store__pg_str(&p, d->url);
    PGresult *r = store__pg_run(s, "SELECT content_hash FROM corpus_docs WHERE url = $1", &p, e,
                                "reading the corpus");
    if (!r)
        return CORE_EIO;
    bool exists = PQntuples(r) > 0;
    bool same = exists && strcmp(store__pg_col_str(r, 0, 0), d->hash) == 0;
    PQclear(r);
    if (same) {
        *result = STORE_UNCHANGED;
        return 0;
    }
    uLongf zlen = compressBound((uLong)d->html_len);
    unsigned char *z = xmalloc(zlen);
    if (compress2(z, &zlen, (const Bytef *)d->html, (uLong)d->html_len, Z_BEST_SPEED) != Z_OK) {
        free(z);
        return err_set(e, CORE_EINTERNAL, "compressing %s failed", d->url);
    }
    p = (struct pg_params){0};
    store__pg_str(&p, d->url);
    store__pg_str(&p, d->site);
    store__pg_str(&p, d->title ? d->title : "");
    store__pg_str(&p, d->headings ? d->headings : "");
    store__pg_str(&p, d->body ? d->body : "");
    store__pg_str(&p, d->hash);
    store__pg_bin(&p, z, zlen);
    store__pg_int(&p, (int64_t)d->html_len);
    if (d->fetched_at)
        store__pg_int(&p, d->fetched_at);
    else
        store__pg_str(&p, NULL);
    store__pg_int(&p, clock_now_ms());
    store__pg_str(&p, d->charset ? d->charset : "UTF-8");
    int rc = store__pg_exec(
        s,
        "INSERT INTO corpus_docs (url, site, title, headings, body, content_hash,"
        " html_z, html_len, fetched_at, indexed_at, charset)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        " ON CONFLICT (url) DO UPDATE SET site = excluded.site, title = excluded.title,"
        " headings = excluded.headings, body = excluded.body,"
        " content_hash = excluded.content_hash, html_z = excluded.html_z,"
        " html_len = excluded.html_len, fetched_at = excluded.fetched_at,"
        " indexed_at = excluded.indexed_at, charset = excluded.charset",
        &p, e, "storing a corpus page");
    free(z);
    if (!rc)
        *result = exists ? STORE_UPDATED : STORE_ADDED;
    return rc;
}

static int pg_corpus_hash(struct store *base, const char *url, char hash[65], struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_params p = {0};
    store__pg_str(&p, url);
    PGresult *r = store__pg_run(s, "SELECT content_hash FROM corpus_docs WHERE url = $1", &p, e,
                                "reading the corpus");
    if (!r)
        return CORE_EIO;
    snprintf(hash, 65, "%s", PQntuples(r) ? store__pg_col_str(r, 0, 0) : "");
    PQclear(r);
    return 0;
}

static int pg_corpus_stats(struct store *base, int64_t *docs, int64_t *sites, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    PGresult *r = store__pg_run(s, "SELECT count(*), count(DISTINCT site) FROM corpus_docs", NULL,
                                e, "counting the corpus");
    if (!r)
        return CORE_EIO;
    *docs = store__pg_col_int(r, 0, 0);
    *sites = store__pg_col_int(r, 0, 1);
    PQclear(r);
    return 0;
}

/* The terms as a PostgreSQL text array literal: {"a","b"} with quotes and
 * backslashes escaped (a parameter, never SQL). */
static int terms_array(const char *const *terms, size_t nterms, struct buf *out)
{
    int rc = buf_putc(out, '{');
    for (size_t i = 0, k = 0; i < nterms; i++) {
        if (!terms[i] || !*terms[i])
            continue;
        rc |= k++ ? buf_puts(out, ",\"") : buf_putc(out, '"');
        for (const char *c = terms[i]; *c; c++) {
            if (*c == '"' || *c == '\\')
                rc |= buf_putc(out, '\\');
            rc |= buf_putc(out, *c);
        }
        rc |= buf_putc(out, '"');
    }
    return rc | buf_putc(out, '}');
}

/* Any of the terms: each a phrase of its stemmed words (adjacent, as FTS5
 * matches a phrase), ORed. */
#define SQL_QUERY                                                                                  \
    "(SELECT string_agg('(' || phraseto_tsquery('english', t)::text || ')', ' | ')::tsquery"       \
    " FROM unnest($1::text[]) t WHERE numnode(phraseto_tsquery('english', t)) > 0)"

static int pg_corpus_search(struct store *base, const char *const *terms, size_t nterms, size_t max,
                            struct store_hits *out, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    out->v = NULL;
    out->n = 0;
    struct buf arr;
    buf_init(&arr, 64 * 1024);
    if (terms_array(terms, nterms, &arr)) {
        buf_release(&arr);
        return err_set(e, CORE_ETOOBIG, "search query too long");
    }
    struct pg_params p = {0};
    store__pg_str(&p, buf_cstr(&arr));
    store__pg_int(&p, (int64_t)max);
    /* Weights D, C, B, A: body 1, headings 3, title 8, as STORE_WEIGHT_*. */
    PGresult *r =
        store__pg_run(s,
                      "SELECT d.id, d.url, d.site, d.title,"
                      " ts_rank('{0.125, 0, 0.375, 1}', d.tsv, q.q) AS r"
                      " FROM corpus_docs d, " SQL_QUERY " AS q (q)"
                      " WHERE q.q IS NOT NULL AND d.tsv @@ q.q ORDER BY r DESC, d.id LIMIT $2",
                      &p, e, "searching the corpus");
    buf_release(&arr);
    if (!r)
        return CORE_EIO;
    int n = PQntuples(r);
    out->v = n ? xcalloc((size_t)n, sizeof *out->v) : NULL;
    for (int i = 0; i < n; i++) {
        struct store_hit *h = &out->v[out->n++];
        h->id = store__pg_col_int(r, i, 0);
        h->url = xstrdup(store__pg_col_str(r, i, 1));
        h->site = xstrdup(store__pg_col_str(r, i, 2));
        h->title = xstrdup(store__pg_col_str(r, i, 3));
        h->score = strtod(store__pg_col_str(r, i, 4), NULL);
    }
    PQclear(r);
    return 0;
}

static int pg_corpus_snippet(struct store *base, const char *const *terms, size_t nterms,
                             int64_t id, char **out, struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct buf arr;
    buf_init(&arr, 64 * 1024);
    *out = NULL;
    if (terms_array(terms, nterms, &arr)) {
        buf_release(&arr);
        *out = xstrdup("");
        return 0;
    }
    struct pg_params p = {0};
    store__pg_str(&p, buf_cstr(&arr));
    store__pg_int(&p, id);
    PGresult *r =
        store__pg_run(s,
                      "SELECT ts_headline('english', d.body, q.q, 'StartSel=\"\", StopSel=\"\","
                      " MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=\" ... \"')"
                      " FROM corpus_docs d, " SQL_QUERY " AS q (q)"
                      " WHERE d.id = $2 AND q.q IS NOT NULL",
                      &p, e, "reading a snippet");
    buf_release(&arr);
    if (!r)
        return CORE_EIO;
    *out = xstrdup(PQntuples(r) ? store__pg_col_str(r, 0, 0) : "");
    PQclear(r);
    for (char *c = *out; *c; c++)
        if (*c == '\n')
            *c = ' ';
    return 0;
}

static int pg_corpus_page(struct store *base, const char *url, char **html, size_t *len,
                          char charset[64], struct err *e)
{
    struct pg_store *s = (struct pg_store *)base;
    struct pg_params p = {0};
    store__pg_str(&p, url);
    /* The bytes come back as the text of a bytea: decode them here. */
    PGresult *r =
        store__pg_run(s, "SELECT html_z, html_len, charset FROM corpus_docs WHERE url = $1", &p, e,
                      "reading a corpus page");
    if (!r)
        return CORE_EIO;
    int rc = 0;
    if (!PQntuples(r)) {
        rc = err_set(e, CORE_ENOTFOUND, "%s is not in the corpus", url);
    } else {
        size_t zlen = 0;
        unsigned char *z =
            PQunescapeBytea((const unsigned char *)store__pg_col_str(r, 0, 0), &zlen);
        uLongf n = (uLongf)store__pg_col_int(r, 0, 1);
        char *page = xmalloc((size_t)n + 1);
        if (!z || uncompress((Bytef *)page, &n, z, (uLong)zlen) != Z_OK) {
            free(page);
            rc = err_set(e, CORE_EIO, "the stored copy of %s is damaged", url);
        } else {
            page[n] = '\0';
            *html = page;
            *len = (size_t)n;
            snprintf(charset, 64, "%s", store__pg_col_str(r, 0, 2));
        }
        PQfreemem(z);
    }
    PQclear(r);
    return rc;
}

const struct store_corpus_ops store__pg_corpus = {
    .corpus_put = pg_corpus_put,
    .corpus_hash = pg_corpus_hash,
    .corpus_stats = pg_corpus_stats,
    .corpus_search = pg_corpus_search,
    .corpus_snippet = pg_corpus_snippet,
    .corpus_page = pg_corpus_page,
};
