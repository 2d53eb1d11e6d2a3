/* text.c: tokenizer, stop words and stemming of text.h.
 *
 * ASCII (most of the web) takes a fast path; other code points go through
 * utf8proc for category, case folding and accent stripping.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>
#include <utf8proc.h>

#include "core/alloc.h"
#include "text/text.h"

static bool is_word_cp(utf8proc_int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_MN: /* combining marks stay inside a word */
    case UTF8PROC_CATEGORY_MC: return true;
    default: return false;
    }
}

/* Appends the folded, accent-free form of cp to tok; returns the new length. */
static size_t fold_cp(utf8proc_int32_t cp, char *tok, size_t len)
{
    if (cp < 0x80) {
        char c = (char)cp;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (len < TEXT_MAX_TOKEN)
            tok[len++] = c;
        return len;
    }
    utf8proc_int32_t out[8];
    int last = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(
        cp, out, 8, UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_DECOMPOSE, &last);
    for (utf8proc_ssize_t i = 0; i < n && i < 8; i++) {
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t m = utf8proc_encode_char(out[i], enc);
        if (len + (size_t)m > TEXT_MAX_TOKEN)
            break;
        memcpy(tok + len, enc, (size_t)m);
        len += (size_t)m;
    }
    return len;
}

int text_tokenize(const char *s, size_t n, text_token_fn fn, void *ctx)
{
    char tok[TEXT_MAX_TOKEN + 4];
    size_t len = 0, start = 0, i = 0;
    bool in_word = false;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        utf8proc_int32_t cp;
        size_t step;
        bool word;
        if (c < 0x80) {
            cp = c;
            step = 1;
            word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        } else {
            utf8proc_ssize_t m =
                utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
            if (m <= 0) {
                cp = -1;
                step = 1;
                word = false;
            } else {
                step = (size_t)m;
                word = is_word_cp(cp);
            }
        }
        if (word) {
            if (!in_word) {
                in_word = true;
                start = i;
                len = 0;
            }
            size_t before = len;
            len = fold_cp(cp, tok, len);
            if (len == before && len >= TEXT_MAX_TOKEN) { /* full: emit and start over */
                int rc = fn(ctx, tok, len, start, i);
                if (rc)
                    return rc;
                start = i;
                len = fold_cp(cp, tok, 0);
            }
        } else if (in_word) {
            in_word = false;
            if (len) {
                int rc = fn(ctx, tok, len, start, i);
                if (rc)
                    return rc;
            }
        }
        i += step;
    }
    if (in_word && len)
        return fn(ctx, tok, len, start, n);
    return 0;
}

/* Sorted, so lookup is a binary search. */
static const char *const stopwords[] = {
    "a",      "about",  "above",   "after",   "again",   "against", "all",     "also",    "am",
    "an",     "and",    "any",     "are",     "as",      "at",      "be",      "because", "been",
    "before", "being",  "below",   "between", "both",    "but",     "by",      "can",     "could",
    "did",    "do",     "does",    "doing",   "down",    "during",  "each",    "etc",     "few",
    "for",    "from",   "further", "had",     "has",     "have",    "having",  "he",      "her",
    "here",   "hers",   "herself", "him",     "himself", "his",     "how",     "i",       "if",
    "in",     "into",   "is",      "it",      "its",     "itself",  "just",    "like",    "may",
    "me",     "might",  "more",    "most",    "must",    "my",      "myself",  "no",      "nor",
    "not",    "now",    "of",      "off",     "on",      "once",    "only",    "or",      "other",
    "our",    "ours",   "out",     "over",    "own",     "per",     "same",    "she",     "should",
    "so",     "some",   "such",    "than",    "that",    "the",     "their",   "theirs",  "them",
    "then",   "there",  "these",   "they",    "this",    "those",   "through", "to",      "too",
    "under",  "until",  "up",      "us",      "very",    "via",     "was",     "we",      "were",
    "what",   "when",   "where",   "which",   "while",   "who",     "whom",    "why",     "will",
    "with",   "within", "without", "would",   "you",     "your",    "yours",
};

bool text_in_sorted(const char *const *words, size_t n, const char *tok, size_t len)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        size_t wl = strlen(words[mid]);
        int c = memcmp(words[mid], tok, wl < len ? wl : len);
        if (c == 0)
            c = wl < len ? -1 : wl > len ? 1 : 0;
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

bool text_is_stopword(const char *tok, size_t len)
{
    return text_in_sorted(stopwords, sizeof stopwords / sizeof *stopwords, tok, len);
}

struct text_stemmer {
    struct sb_stemmer *sb;
};

struct text_stemmer *text_stemmer_new(void)
{
    struct text_stemmer *st = xmalloc(sizeof *st);
    st->sb = sb_stemmer_new("english", "UTF_8");
    if (!st->sb) {
        fprintf(stderr, "prospect: libstemmer has no English stemmer\n");
        abort();
    }
    return st;
}

void text_stemmer_free(struct text_stemmer *st)
{
    if (!st)
        return;
    sb_stemmer_delete(st->sb);
    free(st);
}

const char *text_stem(struct text_stemmer *st, const char *tok, size_t len, size_t *outlen)
{
    for (size_t i = 0; i < len; i++) {
        if (tok[i] >= '0' && tok[i] <= '9') {
            *outlen = len;
            return tok;
        }
    }
    const sb_symbol *r = sb_stemmer_stem(st->sb, (const sb_symbol *)tok, (int)len);
    if (!r) { /* out of memory inside libstemmer: keep the word */
        *outlen = len;
        return tok;
    }
    *outlen = (size_t)sb_stemmer_length(st->sb);
    return (const char *)r;
}
