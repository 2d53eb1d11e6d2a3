/* domains_file.c: a list of companies from a file the user gives: a CRM's
 * export (CSV, read with libcsv) whose domain, website or e-mail column is
 * found by its header, or a text file with one domain, URL or e-mail
 * address a line. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "cli/cli_int.h"
#include "core/alloc.h"

#define FILE_MAX (64u << 20)

/* Header names that hold a company's domain, best first: a domain column
 * beats a website one, which beats an e-mail one (a person's address may
 * be at a free-mail provider). */
static const char *const headers[] = {"domain",
                                      "company domain name",
                                      "company domain",
                                      "domains",
                                      "email domain",
                                      "website",
                                      "website url",
                                      "company website",
                                      "url",
                                      "account website",
                                      "email",
                                      "e-mail",
                                      "email address",
                                      "e-mail address",
                                      NULL};

struct rows {
    char ***v; /* rows of fields */
    size_t *nf, n, cap;
    char **cur;
    size_t ncur;
};

static void on_field(void *data, size_t len, void *ctx)
{
    struct rows *r = ctx;
    r->cur = xrealloc(r->cur, (r->ncur + 1) * sizeof *r->cur);
    r->cur[r->ncur++] = xstrndup(data ? data : "", len);
}

static void on_row(int c, void *ctx)
{
    (void)c;
    struct rows *r = ctx;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 256;
        r->v = xrealloc(r->v, r->cap * sizeof *r->v);
        r->nf = xrealloc(r->nf, r->cap * sizeof *r->nf);
    }
    r->v[r->n] = r->cur;
    r->nf[r->n++] = r->ncur;
    r->cur = NULL;
    r->ncur = 0;
}

static void rows_release(struct rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        for (size_t k = 0; k < r->nf[i]; k++)
            free(r->v[i][k]);
        free(r->v[i]);
    }
    for (size_t k = 0; k < r->ncur; k++)
        free(r->cur[k]);
    free(r->cur);
    free(r->v);
    free(r->nf);
}

/* The rank of header name h in headers (lower is better), or -1. */
static int header_rank(const char *h)
{
    char low[64];
    size_t n = 0;
    while (isspace((unsigned char)*h) || (unsigned char)*h == 0xEF || (unsigned char)*h == 0xBB ||
           (unsigned char)*h == 0xBF) /* a spreadsheet's byte-order mark */
        h++;
    for (; *h && n + 1 < sizeof low; h++)
        low[n++] = (char)tolower((unsigned char)*h);
    while (n && isspace((unsigned char)low[n - 1]))
        n--;
    low[n] = '\0';
    for (int i = 0; headers[i]; i++)
        if (strcmp(low, headers[i]) == 0)
            return i;
    return -1;
}

/* Whether s (trimmed, owned) is a row of its use; as a target an e-mail
 * address becomes its domain. why says what is wrong with a bad one. */
static bool row_ok(enum domains_use use, char **s, char *why, size_t n)
{
    if (use == DOMAINS_EXCLUDE) {
        snprintf(why, n, "names no domain");
        return request_names_domain(*s);
    }
    const char *at = strchr(*s, '@');
    if (at && !strstr(*s, "://")) {
        char *d = xstrdup(strrchr(*s, '@') + 1);
        free(*s);
        *s = d;
    }
    char *url = request_target_url(*s, why, n);
    free(url);
    return url != NULL;
}

int cli__read_domains(const char *cmd, const char *path, enum domains_use use, struct strlist *out)
{
    char *text = NULL;
    size_t len = 0;
    int rc = cli__read_file(path, FILE_MAX, &text, &len);
    if (rc != CLI_OK)
        return rc;
    struct csv_parser p;
    struct rows r = {0};
    csv_init(&p, CSV_APPEND_NULL);
    if (csv_parse(&p, text, len, on_field, on_row, &r) != len ||
        csv_fini(&p, on_field, on_row, &r)) {
        fprintf(stderr, "prospect %s: %s: not a CSV file (%s)\n", cmd, path,
                csv_strerror(csv_error(&p)));
        csv_free(&p);
        rows_release(&r);
        free(text);
        return CLI_USAGE;
    }
    csv_free(&p);
    free(text);
    /* The column: by its header; a file of one column and no header is a
     * list of its own. */
    long col = -1;
    int best = 1 << 30;
    for (size_t k = 0; r.n && k < r.nf[0]; k++) {
        int rank = header_rank(r.v[0][k]);
        if (rank >= 0 && rank < best) {
            best = rank;
            col = (long)k;
        }
    }
    size_t first = 1;
    bool one_column = true;
    for (size_t i = 0; i < r.n; i++)
        one_column = one_column && r.nf[i] <= 1;
    if (col < 0 && one_column) {
        col = 0;
        first = r.n && r.nf[0] && !request_names_domain(r.v[0][0]) ? 1 : 0; /* a header line */
    }
    if (col < 0) {
        fprintf(stderr,
                "prospect %s: %s: no column of domains, websites or e-mail addresses (name one "
                "\"Domain\", \"Website\" or \"Email\")\n",
                cmd, path);
        rows_release(&r);
        return CLI_USAGE;
    }
    size_t taken = 0, blank = 0, bad = 0;
    char why[160];
    for (size_t i = first; i < r.n; i++) {
        const char *v = (size_t)col < r.nf[i] ? r.v[i][col] : "";
        while (isspace((unsigned char)*v))
            v++;
        char *s = xstrdup(v);
        for (size_t n = strlen(s); n && isspace((unsigned char)s[n - 1]); n--)
            s[n - 1] = '\0';
        if (!*s) {
            blank++;
            free(s);
        } else if (!row_ok(use, &s, why, sizeof why)) {
            if (bad++ < 10)
                fprintf(stderr, "prospect %s: %s: row %zu: '%.60s' %s%s\n", cmd, path, i + 1, s,
                        why, use == DOMAINS_EXCLUDE ? "; skipped" : "");
            free(s);
        } else {
            out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
            out->v[out->n++] = s;
            taken++;
        }
    }
    if (use == DOMAINS_TARGETS && bad) {
        fprintf(stderr, "prospect %s: %s: %zu row%s name%s no company to enrich; correct %s\n", cmd,
                path, bad, bad == 1 ? "" : "s", bad == 1 ? "s" : "", bad == 1 ? "it" : "them");
        rows_release(&r);
        return CLI_USAGE;
    }
    fprintf(stderr, "prospect %s: %s: %zu compan%s to %s", cmd, path, taken,
            taken == 1 ? "y" : "ies", use == DOMAINS_EXCLUDE ? "leave out" : "enrich");
    if (first && r.n)
        fprintf(stderr, " from column \"%s\"", r.v[0][col]);
    if (blank || bad)
        fprintf(stderr, " (%zu row%s without a domain, %zu unreadable)", blank,
                blank == 1 ? "" : "s", bad);
    fputc('\n', stderr);
    rows_release(&r);
    return CLI_OK;
}
