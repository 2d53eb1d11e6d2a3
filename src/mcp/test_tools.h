/* test_tools.h: the MCP conformance suite's test_* tools, in the test
 * build only: linked into prospect-test (src/CMakeLists.txt:
 * prospect_test_hooks), never into prospect, which lists none of them.
 */
#ifndef PROSPECT_MCP_TEST_TOOLS_H
#define PROSPECT_MCP_TEST_TOOLS_H

/* mcp_test_tools_register(): adds the test tools after the prospect_*
 * tools; an engine lists them only when PROSPECT_MCP_TEST_TOOLS=1 as well.
 * Thread: call from main, before any MCP engine is made. */
void mcp_test_tools_register(void);

#include "core/banned.h"
#endif
