/* cmd_serve.c: `prospect serve`, the HTTP API. */
#include <stdio.h>
#include <string.h>

#include "cli/cli_int.h"
#include "core/log.h"
#include "http/server.h"

int cli__cmd_serve(struct cli *cli)
{
    for (int i = 1; i < cli->argc; i++)
        return cli__usage_error("serve", "unexpected argument '%s'", cli->argv[i]);
    if (strcmp(cli->cfg.bind, "127.0.0.1") != 0 && strcmp(cli->cfg.bind, "::1") != 0)
        log_warn("listening beyond loopback with no API keys: anyone who reaches this address "
                 "can start jobs",
                 LOG_S("bind", cli->cfg.bind));
    struct err e = {0};
    if (http_serve(&cli->cfg, &e)) {
        fprintf(stderr, "prospect serve: %s\n", e.msg);
        return CLI_FAIL;
    }
    return CLI_OK;
}
