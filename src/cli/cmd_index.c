/* cmd_index.c: `prospect index PATH...`, building the local search corpus
 * from HTML folders and WARC files, and `prospect search QUERY`, asking it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli_int.h"
#include "core/buf.h"
#include "corpus/corpus.h"
#include "search/search.h"
#include "store/store.h"

static int open_store(struct cli *cli, const char *cmd, struct store **st)
{
    struct err e = {0};
    if (store_open(cli->cfg.db, st, &e)) {
        fprintf(stderr, "prospect %s: store %s: %s\n", cmd, cli->cfg.db, e.msg);
        return CLI_FAIL;
    }
    return CLI_OK;
}

int cli__cmd_index(struct cli *cli)
{
    const char **paths = calloc((size_t)cli->argc, sizeof *paths);
    size_t n = 0;
    bool quiet = false;
    for (int i = 1; i < cli->argc; i++) {
        if (strcmp(cli->argv[i], "--quiet") == 0 || strcmp(cli->argv[i], "-q") == 0)
            quiet = true;
        else if (cli->argv[i][0] == '-' && cli->argv[i][1]) {
            free(paths);
            return cli__usage_error("index", "unknown option %s", cli->argv[i]);
        } else
            paths[n++] = cli->argv[i];
    }
    if (n == 0) {
        free(paths);
        return cli__usage_error("index", "expects at least one folder or WARC file");
    }
    struct store *st = NULL;
    int rc = open_store(cli, "index", &st);
    if (rc != CLI_OK) {
        free(paths);
        return rc;
    }
    struct corpus_options opt = {
        .report = stderr,
        .progress = !quiet && isatty(STDERR_FILENO),
    };
    struct corpus_stats s;
    struct err e = {0};
    if (corpus_index(st, paths, n, &opt, &s, &e)) {
        fprintf(stderr, "prospect index: %s\n", e.msg);
        rc = CLI_FAIL;
    }
    int64_t docs = 0, sites = 0;
    if (store_corpus_stats(st, &docs, &sites, &e) == 0 && !quiet) {
        printf("indexed %lld files in %.2f s (%.1f MB of HTML, %.1f MB/s): %lld added, %lld "
               "updated, %lld unchanged, %lld skipped, %lld truncated, %lld problems\n",
               (long long)s.files, s.seconds, (double)s.bytes / 1e6,
               s.seconds > 0 ? (double)s.bytes / 1e6 / s.seconds : 0.0, (long long)s.added,
               (long long)s.updated, (long long)s.unchanged, (long long)s.skipped,
               (long long)s.truncated, (long long)s.errors);
        if (s.inferred)
            printf("%lld URLs inferred (no manifest entry): %lld from the pages or their paths, "
                   "%lld as file: URLs of pages that give no address\n",
                   (long long)s.inferred, (long long)(s.inferred - s.file_urls),
                   (long long)s.file_urls);
        printf("corpus %s: %lld pages from %lld sites\n", cli->cfg.db, (long long)docs,
               (long long)sites);
    }
    store_close(st);
    free(paths);
    /* Problems with some inputs do not fail the run; finding no page does. */
    if (rc == CLI_OK && s.added + s.updated + s.unchanged == 0) {
        fprintf(stderr, "prospect index: no page could be indexed\n");
        rc = CLI_FAIL;
    }
    return rc;
}

int cli__cmd_search(struct cli *cli)
{
    const char *format = "table", *limit_s = "10";
    struct buf query;
    buf_init(&query, 4096);
    for (int i = 1; i < cli->argc; i++) {
        int m = cli__option(cli, &i, "format", &format);
        if (!m)
            m = cli__option(cli, &i, "limit", &limit_s);
        if (m < 0) {
            buf_release(&query);
            return CLI_USAGE;
        }
        if (m)
            continue;
        if ((query.len && buf_putc(&query, ' ')) || buf_puts(&query, cli->argv[i])) {
            buf_release(&query);
            return cli__usage_error("search", "the query is longer than 4096 bytes");
        }
    }
    char *end = NULL;
    long limit = strtol(limit_s, &end, 10);
    bool json = strcmp(format, "json") == 0;
    int rc = CLI_OK;
    if (!*limit_s || *end || limit < 1 || limit > 1000)
        rc = cli__usage_error("search", "--limit must be an integer from 1 to 1000");
    else if (!json && strcmp(format, "table") != 0)
        rc = cli__usage_error("search", "--format must be table or json, not '%s'", format);
    else if (query.len == 0)
        rc = cli__usage_error("search", "expects a query");
    if (rc != CLI_OK) {
        buf_release(&query);
        return rc;
    }

    struct store *st = NULL;
    if ((rc = open_store(cli, "search", &st)) != CLI_OK) {
        buf_release(&query);
        return rc;
    }
    struct err e = {0};
    bool indexed = false;
    if (corpus_ensure_sample(st, stderr, &indexed, &e)) {
        fprintf(stderr, "prospect search: %s\n", e.msg);
        store_close(st);
        buf_release(&query);
        return CLI_FAIL;
    }
    struct search_provider *p = NULL;
    search_local_open(st, &p);
    struct search_results res;
    int src = search_run(p, buf_cstr(&query), (size_t)limit, &res, &e);
    if (src) {
        fprintf(stderr, "prospect search: %s\n", e.msg);
        rc = src == CORE_EINVAL ? CLI_USAGE : CLI_FAIL;
    } else if (json) {
        json_t *a = json_array();
        for (size_t i = 0; i < res.n; i++) {
            json_t *more = json_array();
            for (size_t k = 0; k < res.v[i].nmore; k++)
                json_array_append_new(more, json_string(res.v[i].more[k]));
            json_array_append_new(
                a, json_pack("{s:i, s:s, s:s, s:s, s:s, s:f, s:o}", "rank", (int)i + 1, "site",
                             res.v[i].site, "url", res.v[i].url, "title", res.v[i].title, "snippet",
                             res.v[i].snippet, "score", res.v[i].score, "more_pages", more));
        }
        json_t *out = json_pack("{s:s, s:s, s:o}", "query", buf_cstr(&query), "provider",
                                search_provider_name(p), "results", a);
        json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(out);
    } else {
        if (res.n == 0)
            printf("no results for: %s\n", buf_cstr(&query));
        for (size_t i = 0; i < res.n; i++) {
            printf("%2zu. %-28s %7.3g  %s\n", i + 1, res.v[i].site, res.v[i].score, res.v[i].title);
            printf("    %s\n", res.v[i].url);
            if (res.v[i].nmore)
                printf("    (+%zu more page%s on this site)\n", res.v[i].nmore,
                       res.v[i].nmore == 1 ? "" : "s");
            printf("    %s\n\n", res.v[i].snippet);
        }
    }
    search_results_release(&res);
    search_provider_free(p);
    store_close(st);
    buf_release(&query);
    return rc;
}
