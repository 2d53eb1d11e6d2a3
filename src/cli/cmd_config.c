/* cmd_config.c: `prospect config`, the effective configuration with the
 * source of each value and secrets masked. */
#include <string.h>

#include "cli/cli_int.h"

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
    config_print(&cli->cfg, stdout, json);
    return CLI_OK;
}
