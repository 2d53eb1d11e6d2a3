/* bench_search.c: query latency of the local search provider.
 *
 *   bench_search DB QUERIES.txt [LIMIT]
 *
 * Runs each line of QUERIES.txt as a search (grouped by site, LIMIT sites,
 * default 10) against the corpus in DB, once to warm up and once measured,
 * and prints the count, p50, p99 and mean latency in milliseconds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "search/search.h"
#include "store/store.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_search DB QUERIES.txt [LIMIT]\n");
        return 2;
    }
    size_t limit = argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 10;
    struct store *st;
    struct err e = {0};
    if (store_open(argv[1], &st, &e)) {
        fprintf(stderr, "bench_search: %s\n", e.msg);
        return 1;
    }
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    char **q = NULL;
    size_t n = 0, cap = 0;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (!*line)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            q = realloc(q, cap * sizeof *q);
        }
        q[n++] = strdup(line);
    }
    fclose(f);
    struct search_provider *p;
    search_local_open(st, &p);
    double *lat = calloc(n ? n : 1, sizeof *lat);
    size_t results = 0;
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < n; i++) {
            struct search_results r;
            double t0 = now_ms();
            if (search_run(p, q[i], limit, &r, &e) == 0) {
                results += r.n;
                search_results_release(&r);
            }
            lat[i] = now_ms() - t0;
        }
    }
    qsort(lat, n, sizeof *lat, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += lat[i];
    printf("queries=%zu p50_ms=%.3f p99_ms=%.3f mean_ms=%.3f results=%zu\n", n,
           n ? lat[n / 2] : 0.0, n ? lat[(n * 99) / 100] : 0.0, n ? sum / (double)n : 0.0,
           results / 2);
    for (size_t i = 0; i < n; i++)
        free(q[i]);
    free(q);
    free(lat);
    search_provider_free(p);
    store_close(st);
    return 0;
}
