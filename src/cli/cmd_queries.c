/* cmd_queries.c: `prospect queries REQUEST.json`, the search queries the
 * keyword strategy makes from a business context, with their strategies:
 * as a web provider gets them (in the context's location), or with
 * --local as the local corpus does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "core/str.h"
#include "model/request.h"
#include "query/query.h"

int cli__cmd_queries(struct cli *cli)
{
    const char *format = "text", *path = NULL, *max_s = NULL, *query = NULL;
    bool local = false;
    for (int i = 1; i < cli->argc; i++) {
        if (strcmp(cli->argv[i], "--local") == 0) { /* as the local corpus gets them */
            local = true;
            continue;
        }
        int m = cli__option(cli, &i, "format", &format);
        if (!m)
            m = cli__option(cli, &i, "max", &max_s);
        if (!m)
            m = cli__option(cli, &i, "query", &query);
        if (m < 0)
            return CLI_USAGE;
        if (m)
            continue;
        if (cli->argv[i][0] == '-' && strcmp(cli->argv[i], "-") != 0)
            return cli__usage_error("queries", "unknown option %s", cli->argv[i]);
        if (path)
            return cli__usage_error("queries", "expects one request file");
        path = cli->argv[i];
    }
    char *end = "";
    long max = max_s ? strtol(max_s, &end, 10) : QUERY_DEFAULT_MAX;
    bool json = strcmp(format, "json") == 0;
    if ((max_s && !*max_s) || *end || max < 1 || max > 32)
        return cli__usage_error("queries", "--max must be an integer from 1 to 32");
    if (!json && strcmp(format, "text") != 0)
        return cli__usage_error("queries", "--format must be text or json, not '%s'", format);
    if (!path)
        return cli__usage_error("queries", "expects a request file (or - for standard input)");

    struct request req;
    struct problems probs = {0};
    int rc = cli__parse_request(cli, path, &req, &probs);
    if (rc != CLI_OK) {
        problems_print(&probs, stderr);
        problems_release(&probs);
        return rc;
    }
    if (query) { /* --query replaces the file's user_search_query */
        free(req.user_search_query);
        req.user_search_query = str_trim_dup(query);
    }
    struct query_list q;
    query_generate(&req, (size_t)max, !local, &q);
    if (json) {
        json_t *out = json_pack("{s:o}", "queries", query_list_to_json(&q));
        json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(out);
    } else {
        for (size_t i = 0; i < q.n; i++)
            printf("%-9s %s\n", query_strategy_name(q.v[i].strategy), q.v[i].text);
    }
    query_list_release(&q);
    request_release(&req);
    return CLI_OK;
}
