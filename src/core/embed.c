/* embed.c: the embedded files read as sorted lists of lines (embed.h). */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/embed.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void embed_lines(const struct embed_file *files, const char *name, struct embed_list *out)
{
    memset(out, 0, sizeof *out);
    const struct embed_file *f = files;
    while (f->name && strcmp(f->name, name) != 0)
        f++;
    if (!f->name)
        return;
    for (const char *p = (const char *)f->data; *p;) {
        size_t k = strcspn(p, "\r\n");
        if (k && *p != '#') {
            out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
            out->v[out->n++] = xstrndup(p, k);
        }
        p += k;
        p += strspn(p, "\r\n");
    }
    qsort(out->v, out->n, sizeof *out->v, cmp_str);
}

bool embed_list_has(const struct embed_list *l, const char *s)
{
    return l->n && bsearch(&s, l->v, l->n, sizeof *l->v, cmp_str) != NULL;
}
