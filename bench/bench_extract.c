/* bench_extract.c: extraction throughput on real pages.
 *
 *   bench_extract FILE...
 *
 * Loads the pages into memory, then times (1) a bare libxml2 HTML parse of
 * each, the floor of any libxml2-based extractor, and (2) Prospect's whole
 * extraction (parse, main text, every lead field). One core. Prints pages
 * per second and MB per second for both. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/HTMLparser.h>

#include "extract/extract.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

int main(int argc, char **argv)
{
    size_t n = (size_t)argc - 1, total = 0;
    char **pages = calloc(n ? n : 1, sizeof *pages);
    size_t *lens = calloc(n ? n : 1, sizeof *lens);
    for (size_t i = 0; i < n; i++) {
        FILE *f = fopen(argv[i + 1], "rb");
        if (!f) {
            perror(argv[i + 1]);
            return 1;
        }
        fseek(f, 0, SEEK_END);
        long sz = ftell(f);
        rewind(f);
        pages[i] = malloc((size_t)sz + 1);
        lens[i] = fread(pages[i], 1, (size_t)sz, f);
        pages[i][lens[i]] = '\0';
        total += lens[i];
        fclose(f);
    }
    xmlSetGenericErrorFunc(NULL, quiet);
    double best_parse = 1e9, best_extract = 1e9;
    size_t emails = 0, phones = 0;
    for (int round = 0; round < 3; round++) {
        double t0 = now();
        for (size_t i = 0; i < n; i++) {
            htmlDocPtr d =
                htmlReadMemory(pages[i], (int)lens[i], NULL, "UTF-8",
                               HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                   HTML_PARSE_NONET | HTML_PARSE_COMPACT);
            xmlFreeDoc(d);
        }
        double t1 = now();
        emails = phones = 0;
        for (size_t i = 0; i < n; i++) {
            struct extract_doc *d;
            struct err e;
            if (extract_parse(pages[i], lens[i], NULL, "https://bench.example/", &d, &e))
                continue;
            struct extract_page p;
            extract_page(d, NULL, &p);
            emails += p.nemails;
            phones += p.phones.n;
            extract_page_release(&p);
            extract_doc_free(d);
        }
        double t2 = now();
        if (t1 - t0 < best_parse)
            best_parse = t1 - t0;
        if (t2 - t1 < best_extract)
            best_extract = t2 - t1;
    }
    double mb = (double)total / 1e6;
    printf("pages=%zu mb=%.1f\n", n, mb);
    printf("libxml2_parse pages_per_s=%.1f mb_per_s=%.2f\n", (double)n / best_parse,
           mb / best_parse);
    printf("prospect_extract pages_per_s=%.1f mb_per_s=%.2f emails=%zu phones=%zu\n",
           (double)n / best_extract, mb / best_extract, emails, phones);
    for (size_t i = 0; i < n; i++)
        free(pages[i]);
    free(pages);
    free(lens);
    return 0;
}
