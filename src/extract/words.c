/* words.c: the word lists the people extractor tests names with: common
 * English words that are never names ("Meet The Team" against "Monica
 * Frame"), and given names. Both are derived at build time from Debian's
 * wamerican and miscfiles by scripts/gen-common-words.py and compiled into
 * the binary. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/embed.h"
#include "extract/extract_int.h"

extern const struct embed_file extract__words_data[]; /* common-words.txt, given-names.txt */

struct list {
    const char **v; /* the lines, in bytewise order as generated */
    size_t n;
};

static struct list common, given;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load_list(const char *name, struct list *l)
{
    const struct embed_file *f = extract__words_data;
    while (f->name && strcmp(f->name, name) != 0)
        f++;
    if (!f->name)
        return;
    const char *p = (const char *)f->data;
    size_t n = 0;
    for (const char *q = p; *q; q++)
        n += *q == '\n';
    l->v = xcalloc(n + 1, sizeof *l->v);
    while (*p) {
        l->v[l->n++] = p;
        p += strcspn(p, "\n");
        p += *p == '\n';
    }
}

static void load(void)
{
    load_list("common-words.txt", &common);
    load_list("given-names.txt", &given);
}

/* Compares a token (NUL-terminated, lower case) with a line of a list. */
static int cmp_line(const void *key, const void *elt)
{
    const unsigned char *k = key, *w = *(const unsigned char *const *)elt;
    for (; *k && *w != '\n' && *w; k++, w++)
        if (*k != *w)
            return *k - *w;
    if (!*k)
        return (*w == '\n' || !*w) ? 0 : -1;
    return 1;
}

static bool listed(const struct list *l, const char *s, size_t n)
{
    char low[48];
    if (n == 0 || n >= sizeof low)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c < 'a' || c > 'z')
            return false; /* accents, digits, apostrophes: never in the lists */
        low[i] = c;
    }
    low[n] = '\0';
    pthread_once(&once, load);
    return bsearch(low, l->v, l->n, sizeof *l->v, cmp_line) != NULL;
}

bool extract__common_word(const char *s, size_t n)
{
    return listed(&common, s, n);
}

bool extract__given_name(const char *s, size_t n)
{
    return listed(&given, s, n);
}
