/* cmd_enrich.c: `prospect enrich`, the user's own list of companies read,
 * scored against a business context and printed one row per company in
 * the order given (cmd_run.c runs and prints the job). A target is a
 * domain, a URL, host:port, or a CSV or text file of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "cli/cli_int.h"
#include "core/alloc.h"
#include "core/err.h"
#include "model/request.h"

/* Whether arg names a file to read: one that exists, or a name no site
 * has (a .csv or .txt that is not there is a mistyped file, not a site). */
static bool is_file(const char *arg, bool *missing)
{
    struct stat sb;
    *missing = false;
    if (strcmp(arg, "-") == 0 || (stat(arg, &sb) == 0 && S_ISREG(sb.st_mode)))
        return true;
    size_t n = strlen(arg);
    *missing = !strstr(arg, "://") && n > 4 &&
               (strcmp(arg + n - 4, ".csv") == 0 || strcmp(arg + n - 4, ".txt") == 0);
    return *missing;
}

/* Appends arg's companies to out: a file's rows or arg itself. */
static int add_target(const char *arg, struct strlist *out)
{
    bool missing;
    if (is_file(arg, &missing)) {
        if (missing) {
            fprintf(stderr, "prospect enrich: %s: no such file\n", arg);
            return CLI_USAGE;
        }
        return cli__read_domains("enrich", arg, DOMAINS_TARGETS, out);
    }
    char why[160];
    char *url = request_target_url(arg, why, sizeof why);
    if (!url) {
        fprintf(stderr, "prospect enrich: '%s' %s\n", arg, why);
        return CLI_USAGE;
    }
    free(url);
    out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
    out->v[out->n++] = xstrdup(arg);
    return CLI_OK;
}

/* The request: the context file's (or none: the companies' fields alone)
 * with the companies. */
static int make_request(struct cli *cli, const char *context, struct strlist *targets,
                        struct request *req)
{
    if (targets->n > REQUEST_MAX_COMPANIES) {
        fprintf(stderr,
                "prospect enrich: %zu companies; one run enriches at most %d (split the list)\n",
                targets->n, REQUEST_MAX_COMPANIES);
        return CLI_USAGE;
    }
    struct problems probs = {0};
    int rc;
    if (context) {
        rc = cli__parse_request(cli, context, req, &probs);
    } else { /* no context: the smallest valid request, whose companies follow */
        static const char body[] = "{\"companies\":[\"example.com\"]}";
        struct request_limits lim;
        request_limits_default(&lim);
        rc = request_parse(body, sizeof body - 1, &lim, 0, req, &probs) ? CLI_FAIL : CLI_OK;
    }
    if (rc != CLI_OK) {
        problems_print(&probs, stderr);
        problems_release(&probs);
        return rc;
    }
    for (size_t i = 0; i < req->companies.n; i++)
        free(req->companies.v[i]);
    free(req->companies.v);
    req->companies = *targets; /* moved */
    *targets = (struct strlist){0};
    return CLI_OK;
}

int cli__cmd_enrich(struct cli *cli)
{
    const char *context = NULL, *exclude = NULL;
    struct cli_output o = {0};
    struct strlist targets = {0};
    int rc = CLI_OK;
    for (int i = 1; i < cli->argc && rc == CLI_OK; i++) {
        int m = cli__output_option(cli, &i, &o);
        if (!m)
            m = cli__option(cli, &i, "context", &context);
        if (!m)
            m = cli__option(cli, &i, "exclude", &exclude);
        if (m < 0)
            rc = CLI_USAGE;
        else if (m)
            continue;
        else if (cli->argv[i][0] == '-' && strcmp(cli->argv[i], "-") != 0)
            rc = cli__usage_error("enrich", "unknown option %s", cli->argv[i]);
        else
            rc = add_target(cli->argv[i], &targets);
    }
    if (rc == CLI_OK && targets.n == 0)
        rc = cli__usage_error("enrich", "expects the companies to enrich: domains, URLs, "
                                        "host:port, or a CSV or text file of them");
    struct request req = {0};
    bool made = false;
    if (rc == CLI_OK)
        made = (rc = make_request(cli, context, &targets, &req)) == CLI_OK;
    for (size_t i = 0; i < targets.n; i++)
        free(targets.v[i]);
    free(targets.v);
    if (rc == CLI_OK && exclude)
        rc = cli__read_domains("enrich", exclude, DOMAINS_EXCLUDE, &req.exclude_domains);
    if (rc == CLI_OK)
        rc = cli__run_job(cli, "enrich", &o, &req);
    if (made)
        request_release(&req);
    return rc;
}
