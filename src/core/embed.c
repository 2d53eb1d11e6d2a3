/* embed.c: the embedded files read as sorted lists of lines (embed.h). The
 * lines stay where they are, in the binary: a list is an array of pointers
 * to them, sorted only when the file is not (the generated lists are), so
 * that a short-lived process pays little for a long list. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/embed.h"

static bool line_end(char c)
{
    return c == '\n' || c == '\r' || c == '\0';
}

/* Compares two lines, each ended by a newline, a carriage return or NUL. */
static int cmp_lines(const char *a, const char *b)
{
    for (; !line_end(*a) && !line_end(*b); a++, b++)
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
    return (int)!line_end(*a) - (int)!line_end(*b);
}

static int cmp_elts(const void *a, const void *b)
{
    return cmp_lines(*(const char *const *)a, *(const char *const *)b);
}

void embed_lines(const struct embed_file *files, const char *name, struct embed_list *out)
{
    memset(out, 0, sizeof *out);
    const struct embed_file *f = files;
    while (f->name && strcmp(f->name, name) != 0)
        f++;
    if (!f->name)
        return;
    size_t cap = 1;
    for (const char *p = (const char *)f->data; *p; p++)
        cap += *p == '\n';
    out->v = xcalloc(cap, sizeof *out->v);
    bool sorted = true;
    for (const char *p = (const char *)f->data; *p;) {
        size_t k = strcspn(p, "\r\n");
        if (k && *p != '#' && out->n < cap) {
            sorted = sorted && (!out->n || cmp_lines(out->v[out->n - 1], p) < 0);
            out->v[out->n++] = p;
        }
        p += k;
        p += strspn(p, "\r\n");
    }
    if (!sorted)
        qsort(out->v, out->n, sizeof *out->v, cmp_elts);
}

static int cmp_key(const void *key, const void *elt)
{
    return cmp_lines(key, *(const char *const *)elt);
}

bool embed_list_has(const struct embed_list *l, const char *s)
{
    return l->n && bsearch(s, l->v, l->n, sizeof *l->v, cmp_key) != NULL;
}
