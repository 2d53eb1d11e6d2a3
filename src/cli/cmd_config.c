/* cmd_config.c: `prospect config`, the effective configuration with the
 * source of each value and secrets masked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli_int.h"
#include "llm/llm.h"
#include "search/search.h"

int cli__cmd_config(struct cli *cli)
{
    const char *format = "text";
    for (int i = 1; i < cli->argc; i++) {
        int m = cli__option(cli, &i, "format", &format);
        if (m < 0)
            return CLI_USAGE;
        if (!m)
            return cli__usage_error("config", "unexpected argument '%s'", cli->argv[i]);
    }
    bool json = strcmp(format, "json") == 0;
    if (!json && strcmp(format, "text") != 0)
        return cli__usage_error("config", "--format must be text or json, not '%s'", format);
    /* The providers a job would use, and why. */
    char swhy[128], lwhy[128];
    const char *search = search_choice(&cli->cfg, swhy, sizeof swhy);
    const char *llm = llm_choice(&cli->cfg, lwhy, sizeof lwhy);
    if (json) {
        json_t *j = json_pack("{s:{s:s, s:s}, s:{s:s, s:s}}", "search", "provider", search, "why",
                              swhy, "llm", "provider", llm, "why", lwhy);
        char *s = json_dumps(j, JSON_COMPACT);
        printf("{\"providers\":%s,\"config\":", s);
        free(s);
        json_decref(j);
        fflush(stdout);
    } else {
        printf("# search provider: %s (%s)\n# LLM: %s (%s)\n", search, swhy, llm, lwhy);
    }
    config_print(&cli->cfg, stdout, json);
    if (json)
        printf("}\n");
    return CLI_OK;
}
