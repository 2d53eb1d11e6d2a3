/* eval_scoring.c: the heuristic intelligence over the whole sample corpus.
 *
 *   eval_scoring CORPUS_DIR EXAMPLES_DIR
 *
 * Builds every company's lead from its pages (extraction and lead
 * assembly, as the pipeline does), scores it against each example business
 * context, and checks the properties that must always hold: every score in
 * [0, 1], every evidence quote a verbatim substring of its page's text.
 * Then prints ranking quality against labels.json: precision of the top 10
 * and ROC AUC of prospect_score against the fit labels, per context.
 * Exit 1 when a property fails or a context ranks no better than chance. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/clock.h"
#include "enrich/enrich.h"
#include "extract/extract.h"

struct company {
    char site[128];
    struct extract_lead lead;
};

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    *len = fread(s, 1, (size_t)n, f);
    s[*len] = '\0';
    fclose(f);
    return s;
}

static int cmp_score(const void *a, const void *b)
{
    const double *x = a, *y = b;
    return x[0] < y[0] ? 1 : x[0] > y[0] ? -1 : 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: eval_scoring CORPUS_DIR EXAMPLES_DIR\n");
        return 2;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/labels.json", argv[1]);
    json_error_t jerr;
    json_t *labels = json_load_file(path, 0, &jerr);
    if (!labels) {
        fprintf(stderr, "%s: %s\n", path, jerr.text);
        return 1;
    }
    json_t *companies = json_object_get(labels, "companies");
    size_t n = json_array_size(companies);
    struct company *cs = calloc(n, sizeof *cs);
    for (size_t i = 0; i < n; i++) {
        json_t *c = json_array_get(companies, i);
        snprintf(cs[i].site, sizeof cs[i].site, "%s",
                 json_string_value(json_object_get(c, "site")));
        extract_lead_init(&cs[i].lead, cs[i].site);
        json_t *pages = json_object_get(c, "pages");
        size_t k;
        json_t *pg;
        char hint[3] = "";
        json_array_foreach (pages, k, pg) { /* "index" first: the home page */
            const char *name = json_string_value(pg);
            snprintf(path, sizeof path, "%s/%s/%s.html", argv[1], cs[i].site, name);
            size_t len;
            char *html = slurp(path, &len);
            if (!html)
                continue;
            char url[512];
            snprintf(url, sizeof url, "https://%s%s%s", cs[i].site,
                     strcmp(name, "index") == 0 ? "/" : "/",
                     strcmp(name, "index") == 0 ? "" : name);
            struct extract_doc *d;
            struct err e;
            if (extract_parse(html, len, NULL, url, &d, &e) == 0) {
                struct extract_page p;
                extract_page(d, hint[0] ? hint : NULL, &p);
                if (p.country[0])
                    memcpy(hint, p.country, 3);
                extract_lead_add(&cs[i].lead, &p);
                extract_page_release(&p);
                extract_doc_free(d);
            }
            free(html);
        }
    }

    int failures = 0;
    json_t *contexts = json_object_get(labels, "contexts");
    const char *key;
    json_t *ctxj;
    /* "now" of the corpus, so that recency is the same every run */
    int64_t now = 1795478400000; /* 2026-11-24T00:00:00Z */
    printf("%-16s %8s %8s %8s %8s\n", "context", "fits", "P@10", "ROC AUC", "leads");
    json_object_foreach (contexts, key, ctxj) {
        snprintf(path, sizeof path, "%s/%s", argv[2],
                 json_string_value(json_object_get(ctxj, "request")) + strlen("examples/"));
        size_t len;
        char *body = slurp(path, &len);
        struct request_limits lim;
        request_limits_default(&lim);
        struct request req;
        struct problems probs = {0};
        if (!body || request_parse(body, len, &lim, 0, &req, &probs) != 0) {
            fprintf(stderr, "%s: not a valid request\n", path);
            return 1;
        }
        free(body);
        struct enrich_weights w = {0.30, 0.25, 0.15, 0.30, 0.50};
        struct enrich_context *ec = enrich_context_new(&req.ctx, &w, now);
        json_t *fit = json_object_get(ctxj, "fit");
        double(*scores)[2] = calloc(n, sizeof *scores);
        size_t npos = 0;
        for (size_t i = 0; i < n; i++) {
            struct enrich_result r;
            enrich_lead(ec, &cs[i].lead, &r);
            struct enrich_score *all[] = {&r.pain, &r.intent, &r.urgency, &r.icp};
            double vals[] = {r.pain.value, r.intent.value, r.urgency.value, r.icp.value,
                             r.prospect};
            for (size_t v = 0; v < 5; v++)
                if (!(vals[v] >= 0 && vals[v] <= 1)) {
                    fprintf(stderr, "%s: score %f out of [0, 1]\n", cs[i].site, vals[v]);
                    failures++;
                }
            for (size_t s = 0; s < 4; s++) {
                for (size_t e = 0; e < all[s]->nev; e++) {
                    const struct enrich_evidence *ev = &all[s]->ev[e];
                    if (!ev->quote)
                        continue;
                    bool found = false;
                    for (size_t p = 0; p < cs[i].lead.pages.n && !found; p++)
                        found = strcmp(cs[i].lead.pages.v[p], ev->url) == 0 &&
                                strstr(cs[i].lead.page_texts.v[p], ev->quote) != NULL;
                    if (!found) {
                        fprintf(stderr, "%s: quote not verbatim in %s: %s\n", cs[i].site, ev->url,
                                ev->quote);
                        failures++;
                    }
                }
            }
            if (r.ninsights < 2 || r.ninsights > 5) {
                fprintf(stderr, "%s: %zu insights\n", cs[i].site, r.ninsights);
                failures++;
            }
            bool positive = false;
            size_t k;
            json_t *f;
            json_array_foreach (fit, k, f)
                positive = positive || strcmp(json_string_value(f), cs[i].site) == 0;
            scores[i][0] = r.prospect;
            scores[i][1] = positive;
            npos += positive;
            enrich_result_release(&r);
        }
        qsort(scores, n, sizeof *scores, cmp_score);
        double top = 0;
        for (size_t i = 0; i < 10 && i < n; i++)
            top += scores[i][1];
        /* AUC: the chance that a fit outranks a non-fit (ties count half). */
        double wins = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                if (scores[i][1] && !scores[j][1])
                    wins += scores[i][0] > scores[j][0]    ? 1
                            : scores[i][0] == scores[j][0] ? 0.5
                                                           : 0;
        double auc = npos && npos < n ? wins / ((double)npos * (double)(n - npos)) : 0;
        printf("%-16s %8zu %8.2f %8.3f %8zu\n", key, npos, top / 10, auc, n);
        if (auc <= 0.5)
            failures++;
        free(scores);
        enrich_context_free(ec);
        request_release(&req);
    }
    for (size_t i = 0; i < n; i++)
        extract_lead_release(&cs[i].lead);
    free(cs);
    json_decref(labels);
    if (failures)
        printf("%d failures\n", failures);
    return failures ? 1 : 0;
}
