/* text.h: words out of UTF-8 text, the way every part of Prospect sees them.
 *
 * One tokenizer (letters and digits; case-folded; accents removed), one
 * English stop-word list and Snowball stemming, shared by the search index,
 * query generation and passage retrieval so that a term means the same thing
 * everywhere. Thread: the functions are reentrant; a text_stemmer belongs to
 * one thread at a time.
 */
#ifndef PROSPECT_TEXT_H
#define PROSPECT_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#define TEXT_MAX_TOKEN 64 /* longer runs are cut into tokens of this many bytes */

/* Called once per token: the normalised token (not NUL-terminated, valid for
 * the call only) and its byte range [start, end) in the input. A non-zero
 * return stops tokenizing and is passed back. */
typedef int (*text_token_fn)(void *ctx, const char *tok, size_t len, size_t start, size_t end);

/* text_tokenize(s, n, fn, ctx): splits s[0..n) into tokens. Invalid UTF-8
 * bytes separate tokens. Returns 0 or the first non-zero return of fn. */
int text_tokenize(const char *s, size_t n, text_token_fn fn, void *ctx);

/* text_is_stopword(tok, len): whether a normalised token is an English stop
 * word ("the", "and", "with", ...). */
bool text_is_stopword(const char *tok, size_t len);

/* text_in_sorted(words, n, tok, len): whether the normalised token is one of
 * n words sorted by strcmp (a binary search). */
bool text_in_sorted(const char *const *words, size_t n, const char *tok, size_t len);

struct text_stemmer;

/* text_stemmer_new(): an English Snowball stemmer; free with
 * text_stemmer_free (NULL is fine). Aborts if libstemmer lacks English. */
struct text_stemmer *text_stemmer_new(void);
void text_stemmer_free(struct text_stemmer *st);

/* text_stem(st, tok, len, outlen): the stem of a normalised token, valid
 * until the next call on st; *outlen is its length. Tokens with digits are
 * returned unchanged. */
const char *text_stem(struct text_stemmer *st, const char *tok, size_t len, size_t *outlen);

#include "core/banned.h"
#endif
