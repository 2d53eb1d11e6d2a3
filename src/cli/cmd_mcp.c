/* cmd_mcp.c: `prospect mcp`, the MCP server on stdio (src/mcp). */
#include "mcp/mcp.h"

#include "cli/cli_int.h"

int cli__cmd_mcp(struct cli *cli)
{
    if (cli->argc > 1)
        return cli__usage_error("mcp", "unexpected argument '%s'", cli->argv[1]);
    return mcp_stdio(&cli->cfg) ? CLI_FAIL : CLI_OK;
}
