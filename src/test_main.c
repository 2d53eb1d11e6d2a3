/* test_main.c: prospect-test, the test build of prospect: the same command
 * line with the test-only hooks registered first: bench/sse.sh's routes
 * (served with PROSPECT_BENCH_ROUTES=1) and the MCP conformance suite's
 * tools (listed with PROSPECT_MCP_TEST_TOOLS=1). Never shipped: the
 * Dockerfile copies prospect only. */
#include "cli/cli.h"
#include "http/bench_routes.h"
#include "mcp/test_tools.h"

extern char **environ;

int main(int argc, char **argv)
{
    http_bench_routes_register();
    mcp_test_tools_register();
    return cli_main(argc, argv, environ);
}
