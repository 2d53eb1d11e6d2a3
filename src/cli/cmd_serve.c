/* cmd_serve.c: `prospect serve`, the HTTP API (and, unless --no-worker,
 * the jobs it is given). */
#include <stdio.h>
#include <string.h>

#include "cli/cli_int.h"
#include "http/server.h"

int cli__cmd_serve(struct cli *cli)
{
    bool no_worker = false;
    for (int i = 1; i < cli->argc; i++) {
        if (strcmp(cli->argv[i], "--no-worker") == 0)
            no_worker = true;
        else
            return cli__usage_error("serve", "unexpected argument '%s'", cli->argv[i]);
    }
    struct err e = {0};
    if (http_serve(&cli->cfg, no_worker, &e)) {
        fprintf(stderr, "prospect serve: %s\n", e.msg);
        return e.code == CORE_EINVAL ? CLI_USAGE : CLI_FAIL;
    }
    return CLI_OK;
}
