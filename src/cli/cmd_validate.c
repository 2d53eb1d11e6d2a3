/* cmd_validate.c: `prospect validate`, the request validator on the command
 * line. It applies the same rules and limits as the HTTP API, so a request
 * that passes here is accepted there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "model/request.h"

/* Files may exceed the body limit; the validator reports that as a problem. */
#define VALIDATE_READ_MAX (256u * 1024 * 1024)

static void print_summary(const char *path, const struct request *r)
{
    const struct business_context *c = &r->ctx;
    printf("%s: valid\n", path);
    /* A generated id is only a placeholder here: the job gets its own. */
    if (r->job_id_generated || !*r->job_id)
        printf("  job_id: (none; generated when the job starts)\n");
    else
        printf("  job_id: %s\n", r->job_id);
    printf("  user_id: %s\n", r->user_id);
    printf("  max_leads_to_generate: %d\n", c->max_leads_to_generate);
    printf("  industry_focus: %zu, pain_points: %zu, competitors: %zu\n", c->industry_focus.n,
           c->pain_points.n, c->competitors.n);
    if (*r->user_search_query)
        printf("  user_search_query: %s\n", r->user_search_query);
    if (r->exclude_domains.n)
        printf("  exclude_domains: %zu\n", r->exclude_domains.n);
}

int cli__cmd_validate(struct cli *cli)
{
    const char *format = "text", *path = NULL;
    for (int i = 1; i < cli->argc; i++) {
        int m = cli__option(cli, &i, "format", &format);
        if (m < 0)
            return CLI_USAGE;
        if (m)
            continue;
        if (cli->argv[i][0] == '-' && strcmp(cli->argv[i], "-") != 0)
            return cli__usage_error("validate", "unknown option %s", cli->argv[i]);
        if (path)
            return cli__usage_error("validate", "expects one file, got '%s' and '%s'", path,
                                    cli->argv[i]);
        path = cli->argv[i];
    }
    bool json = strcmp(format, "json") == 0;
    if (!json && strcmp(format, "text") != 0)
        return cli__usage_error("validate", "--format must be text or json, not '%s'", format);
    if (!path)
        return cli__usage_error("validate", "expects a request file (or - for standard input)");

    struct request req;
    struct problems probs = {0};
    int rc = cli__parse_request(cli, path, &req, &probs);
    if (rc == CLI_FAIL)
        return rc;
    if (rc == CLI_OK) {
        if (json) {
            json_t *out = json_pack("{s:b, s:o}", "valid", 1, "request", request_to_json(&req));
            json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            putchar('\n');
            json_decref(out);
        } else {
            print_summary(path, &req);
        }
        request_release(&req);
        rc = CLI_OK;
    } else {
        if (json) {
            json_t *out = problems_to_json(&probs);
            json_object_set_new(out, "valid", json_false());
            json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            putchar('\n');
            json_decref(out);
        } else {
            problems_print(&probs, stdout);
            fprintf(stderr, "%s: invalid (%zu problem%s)\n", path, probs.n,
                    probs.n == 1 ? "" : "s");
        }
        rc = CLI_USAGE;
    }
    problems_release(&probs);
    return rc;
}

int cli__parse_request(struct cli *cli, const char *path, struct request *req,
                       struct problems *probs)
{
    char *body = NULL;
    size_t len = 0;
    int rc = cli__read_file(path, VALIDATE_READ_MAX, &body, &len);
    if (rc != CLI_OK)
        return CLI_FAIL;
    struct request_limits lim = {
        .max_body_bytes = (size_t)cli->cfg.max_body_bytes,
        .max_string_chars = (size_t)cli->cfg.max_string_chars,
        .max_list_items = (size_t)cli->cfg.max_list_items,
        .max_depth = (int)cli->cfg.max_json_depth,
        .max_leads = (int)cli->cfg.max_leads,
    };
    rc = request_parse(body, len, &lim, REQUEST_ALLOW_BARE, req, probs) == 0 ? CLI_OK : CLI_USAGE;
    free(body);
    return rc;
}
