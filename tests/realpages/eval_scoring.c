/* eval_scoring.c: the heuristic scoring of real pages against the business
 * contexts of tests/realpages, by the hand fit labels of fit.json.
 *
 *   eval_realpages REALPAGES_DIR [--check] [--show CONTEXT]
 *
 * Each labelled page is read as the one page of its company's lead (with
 * its URL, as a fetched page; directories and marketplaces left out, as the
 * pipeline leaves them), scored against each context, and checked
 * for what must always hold: every score in [0, 1], every quote verbatim
 * in its page's text. Prints per context how many pages fit, how many
 * qualify, the precision and recall of qualifying against fitting, and the
 * ROC AUC of prospect_score. --check fails (exit 1) when a property fails
 * or a context's precision or AUC falls below the floors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <zlib.h>

#include "enrich/enrich.h"
#include "extract/extract.h"
#include "model/request.h"

/* what --check holds every context to (a little under what it scores) */
#define FLOOR_PRECISION 0.30
#define FLOOR_AUC 0.75

/* A file's bytes, gunzipped when it is gzip (zlib reads plain files as they
 * are). */
static char *read_file(const char *path, size_t *len)
{
    gzFile g = gzopen(path, "rb");
    if (!g)
        return NULL;
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap + 1);
    int got;
    while ((got = gzread(g, buf + n, (unsigned)(cap - n))) > 0) {
        n += (size_t)got;
        if (n == cap)
            buf = realloc(buf, (cap *= 2) + 1);
    }
    gzclose(g);
    buf[n] = '\0';
    *len = n;
    return buf;
}

struct scored {
    double score;
    int fit;
};

static int cmp_desc(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    return x->score < y->score ? 1 : x->score > y->score ? -1 : 0;
}

/* Whether every quote of s is verbatim in the text of its page. */
static bool quotes_verbatim(const struct enrich_score *s, const struct extract_lead *l)
{
    for (size_t i = 0; i < s->nev; i++) {
        if (!s->ev[i].quote)
            continue;
        bool found = false;
        for (size_t p = 0; p < l->pages.n && !found; p++)
            found = strcmp(l->pages.v[p], s->ev[i].url) == 0 &&
                    strstr(l->page_texts.v[p], s->ev[i].quote) != NULL;
        if (!found)
            return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: eval_realpages REALPAGES_DIR [--check] [--show CONTEXT]\n");
        return 2;
    }
    const char *dir = argv[1], *show = NULL;
    bool check = false;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--check"))
            check = true;
        else if (!strcmp(argv[i], "--show") && i + 1 < argc)
            show = argv[++i];
    }
    char path[1024];
    json_error_t jerr;
    snprintf(path, sizeof path, "%s/labels.json", dir);
    json_t *labels = json_load_file(path, 0, &jerr);
    snprintf(path, sizeof path, "%s/fit.json", dir);
    json_t *fits = json_load_file(path, 0, &jerr);
    if (!labels || !fits) {
        fprintf(stderr, "%s: %s\n", path, jerr.text);
        return 1;
    }
    extract_init();
    size_t np = json_array_size(labels);
    struct extract_lead *leads = calloc(np, sizeof *leads);
    bool *middle = calloc(np, sizeof *middle); /* intermediaries: the pipeline skips them */
    for (size_t i = 0; i < np; i++) {
        json_t *p = json_array_get(labels, i);
        const char *id = json_string_value(json_object_get(p, "id"));
        const char *url = json_string_value(json_object_get(p, "url"));
        snprintf(path, sizeof path, "%s/pages/%s.html.gz", dir, id);
        size_t len = 0;
        char *html = read_file(path, &len);
        struct extract_doc *d = NULL;
        struct err e = {0};
        if (!html || extract_parse(html, len, NULL, url && *url ? url : NULL, &d, &e)) {
            fprintf(stderr, "%s: %s\n", path, html ? e.msg : "unreadable");
            return 1;
        }
        struct extract_page pg;
        extract_page(d, NULL, &pg);
        extract_lead_init(&leads[i], pg.site ? pg.site : id);
        extract_lead_add(&leads[i], &pg);
        middle[i] = pg.intermediary;
        extract_page_release(&pg);
        extract_doc_free(d);
        free(html);
    }
    int bad = 0;
    printf("%-22s %5s %9s %9s %6s %5s\n", "context", "fit", "qualified", "precision", "recall",
           "AUC");
    const char *name;
    json_t *fit;
    json_object_foreach (fits, name, fit) {
        snprintf(path, sizeof path, "%s/contexts/%s.json", dir, name);
        size_t len = 0;
        char *body = read_file(path, &len);
        struct request req;
        struct request_limits lim;
        request_limits_default(&lim);
        struct problems probs = {0};
        if (!body || request_parse(body, len, &lim, 0, &req, &probs)) {
            fprintf(stderr, "%s: cannot read the context\n", path);
            return 1;
        }
        free(body);
        /* the defaults of configuration: fit first */
        struct enrich_weights w = {15, 10, 5, 70, 0.5};
        struct enrich_context *ec = enrich_context_new(&req.ctx, &w, 1796083200000LL);
        struct scored *s = calloc(np, sizeof *s);
        int nfit = 0, nqual = 0, tp = 0;
        for (size_t i = 0; i < np; i++) {
            const char *id = json_string_value(json_object_get(json_array_get(labels, i), "id"));
            struct enrich_result r;
            enrich_lead(ec, &leads[i], &r);
            const struct enrich_score *all[] = {&r.pain, &r.intent, &r.urgency, &r.icp};
            for (size_t k = 0; k < 4; k++) {
                if (all[k]->value < 0 || all[k]->value > 1 || !quotes_verbatim(all[k], &leads[i])) {
                    fprintf(stderr, "%s/%s: a score out of [0, 1] or a quote not verbatim\n", name,
                            id);
                    bad++;
                }
            }
            bool qualified = r.qualified && !middle[i];
            s[i].score = middle[i] ? 0 : r.prospect;
            s[i].fit = json_integer_value(json_object_get(fit, id)) == 1;
            nfit += s[i].fit;
            nqual += qualified;
            tp += qualified && s[i].fit;
            if (show && !strcmp(show, name) && (qualified || s[i].fit))
                printf("  %s %s %.2f icp %.2f %-30.30s %s\n", s[i].fit ? "fit" : " - ",
                       qualified ? "Q" : " ", r.prospect, r.icp.value,
                       leads[i].company_name.value ? leads[i].company_name.value : "?", id);
            enrich_result_release(&r);
        }
        /* ROC AUC: the chance a fitting page outscores one that does not */
        qsort(s, np, sizeof *s, cmp_desc);
        double pairs = 0, above = 0;
        for (size_t i = 0; i < np; i++)
            for (size_t k = 0; k < np; k++)
                if (s[i].fit && !s[k].fit) {
                    pairs++;
                    above += s[i].score > s[k].score ? 1 : s[i].score == s[k].score ? 0.5 : 0;
                }
        double auc = pairs ? above / pairs : 0, prec = nqual ? (double)tp / nqual : 0,
               rec = nfit ? (double)tp / nfit : 0;
        printf("%-22s %5d %9d %9.3f %6.3f %5.3f\n", name, nfit, nqual, prec, rec, auc);
        if (prec < FLOOR_PRECISION || auc < FLOOR_AUC)
            bad += check;
        free(s);
        enrich_context_free(ec);
        request_release(&req);
    }
    for (size_t i = 0; i < np; i++)
        extract_lead_release(&leads[i]);
    free(leads);
    free(middle);
    json_decref(labels);
    json_decref(fits);
    return bad ? 1 : 0;
}
