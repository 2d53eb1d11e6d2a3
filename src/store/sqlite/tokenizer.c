/* sqlite/tokenizer.c: the "prospect" FTS5 tokenizer of the corpus's index.
 *
 * It sees words exactly as src/text does (folded, accent-free,
 * Snowball-stemmed), so that a query and a page agree on what a term is.
 * Registered on each connection as it opens.
 */
#include <stdlib.h>

#include <sqlite3.h>

#include "core/alloc.h"
#include "store/sqlite/sqlite_int.h"
#include "text/text.h"

struct fts_tok {
    struct text_stemmer *stemmer;
};

struct fts_call {
    struct fts_tok *tok;
    void *ctx;
    int (*emit)(void *ctx, int flags, const char *token, int n, int start, int end);
};

static int fts_create(void *unused, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)unused;
    (void)argv;
    (void)argc;
    struct fts_tok *t = xmalloc(sizeof *t);
    t->stemmer = text_stemmer_new();
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void fts_delete(Fts5Tokenizer *p)
{
    struct fts_tok *t = (struct fts_tok *)p;
    text_stemmer_free(t->stemmer);
    free(t);
}

static int fts_on_token(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
    struct fts_call *c = ctx;
    size_t n;
    const char *stem = text_stem(c->tok->stemmer, tok, len, &n);
    return c->emit(c->ctx, 0, stem, (int)n, (int)start, (int)end);
}

static int fts_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n,
                        int (*emit)(void *, int, const char *, int, int, int))
{
    (void)flags;
    struct fts_call c = {(struct fts_tok *)p, ctx, emit};
    return text_tokenize(text, (size_t)(n > 0 ? n : 0), fts_on_token, &c);
}

int store__sq_register_tokenizer(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return SQLITE_ERROR;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    if (!api)
        return SQLITE_ERROR;
    static fts5_tokenizer tok = {fts_create, fts_delete, fts_tokenize};
    return api->xCreateTokenizer(api, "prospect", NULL, &tok, NULL);
}
