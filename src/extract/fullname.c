/* fullname.c: a person's name taken apart: a key that says two spellings
 * are the same person ("José O'Brien", "JOSE OBRIEN"), and the given and
 * family names a CRM's contact columns and an address pattern need.
 *
 * The given name is the first word; the family name is the last word with
 * the particles before it ("Matt De La O", "Ludwig van Beethoven"), since
 * a CRM files "De La O" under D and mailboxes write "matt.delao"; the words
 * between are middle names and initials, which neither uses. A generational
 * suffix ("Jr.", "III") is no family name. */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "extract/extract_int.h"
#include "text/text.h"

#define MAX_WORDS 16

struct key_out {
    char *out;
    size_t n, len;
    const char *s;   /* the name, to see what lies between two tokens */
    size_t prev_end; /* where the last token ended; SIZE_MAX before the first */
    bool hyphens;
};

static int key_token(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
    struct key_out *k = ctx;
    /* "Jean-Luc": a hyphen between the tokens stays when asked to */
    bool hyphen = k->hyphens && k->prev_end != SIZE_MAX && start == k->prev_end + 1 &&
                  k->s[k->prev_end] == '-';
    if (hyphen && k->len + 1 < k->n)
        k->out[k->len++] = '-';
    for (size_t i = 0; i < len && k->len + 1 < k->n; i++)
        k->out[k->len++] = tok[i];
    k->out[k->len] = '\0';
    k->prev_end = end;
    return 0;
}

void extract__name_fold(const char *s, size_t n, bool hyphens, char *out, size_t outsz)
{
    struct key_out k = {.out = out, .n = outsz, .s = s, .prev_end = SIZE_MAX, .hyphens = hyphens};
    if (!outsz)
        return;
    out[0] = '\0';
    (void)text_tokenize(s, n, key_token, &k);
}

static bool word_in(const char *w, size_t n, const char *const *list)
{
    for (const char *const *p = list; *p; p++)
        if (strlen(*p) == n && !strncasecmp(w, *p, n))
            return true;
    return false;
}

static bool particle(const char *w, size_t n)
{
    static const char *const words[] = {"van", "von", "der", "den", "de",  "da",  "del", "della",
                                        "di",  "du",  "la",  "le",  "dos", "das", "ten", "ter",
                                        "bin", "ibn", "al",  "st",  "st.", "zu",  NULL};
    return word_in(w, n, words);
}

static bool suffix(const char *w, size_t n)
{
    static const char *const words[] = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", NULL};
    return word_in(w, n, words);
}

bool extract__name_split(const char *name, struct extract_name_parts *out)
{
    memset(out, 0, sizeof *out);
    const char *w[MAX_WORDS];
    size_t len[MAX_WORDS], n = 0;
    for (const char *p = name; *p && n < MAX_WORDS;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        w[n] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        len[n] = (size_t)(p - w[n]);
        n++;
    }
    while (n > 2 && suffix(w[n - 1], len[n - 1]))
        n--;
    if (n < 2)
        return false;
    size_t from = n - 1;
    while (from > 1 && particle(w[from - 1], len[from - 1]))
        from--;
    out->first = w[0];
    out->first_len = len[0];
    out->last = w[from];
    out->last_len = (size_t)(w[n - 1] + len[n - 1] - w[from]);
    out->core = w[n - 1];
    out->core_len = len[n - 1];
    return true;
}
