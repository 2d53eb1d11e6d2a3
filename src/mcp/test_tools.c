/* test_tools.c: the tools the MCP conformance suite calls (test_simple_text,
 * test_error_handling, progress, logging, image, audio, embedded resource,
 * mixed content), with the results it expects. Linked only into
 * prospect-test (src/CMakeLists.txt: prospect_test_hooks); listed only with
 * PROSPECT_MCP_TEST_TOOLS=1 as well.
 */
#include <time.h>

#include <jansson.h>

#include "mcp/mcp_int.h"
#include "mcp/test_tools.h"

static void nap(int ms)
{
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static json_t *test_simple_text(struct mcp_call *c)
{
    (void)c;
    return json_pack("{s:[{s:s, s:s}]}", "content", "type", "text", "text",
                     "This is a simple text response for testing.");
}

static json_t *test_error(struct mcp_call *c)
{
    (void)c;
    return json_pack("{s:[{s:s, s:s}], s:b}", "content", "type", "text", "text",
                     "This tool intentionally returns an error for testing", "isError", 1);
}

static json_t *test_progress(struct mcp_call *c)
{
    for (int i = 0; i <= 2 && !c->cancel; i++) {
        mcp__progress(c, i * 50, 100, i == 2 ? "done" : "working");
        nap(50);
    }
    return json_pack("{s:[{s:s, s:s}]}", "content", "type", "text", "text",
                     "Progress tool completed");
}

static json_t *test_logging(struct mcp_call *c)
{
    const char *steps[] = {"Tool execution started", "Tool processing data",
                           "Tool execution completed"};
    for (int i = 0; i < 3; i++) {
        mcp__log(c, MCP_INFO, json_string(steps[i]));
        nap(50);
    }
    return json_pack("{s:[{s:s, s:s}]}", "content", "type", "text", "text",
                     "Logging tool completed");
}

/* A 1x1 red PNG and a silent WAV: the smallest valid files of their kinds. */
#define TEST_PNG                                                                                   \
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJg" \
    "gg=="
#define TEST_WAV "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA="

static json_t *test_image(struct mcp_call *c)
{
    (void)c;
    return json_pack("{s:[{s:s, s:s, s:s}]}", "content", "type", "image", "data", TEST_PNG,
                     "mimeType", "image/png");
}

static json_t *test_audio(struct mcp_call *c)
{
    (void)c;
    return json_pack("{s:[{s:s, s:s, s:s}]}", "content", "type", "audio", "data", TEST_WAV,
                     "mimeType", "audio/wav");
}

static json_t *test_resource(struct mcp_call *c)
{
    (void)c;
    return json_pack("{s:[{s:s, s:{s:s, s:s, s:s}}]}", "content", "type", "resource", "resource",
                     "uri", "test://embedded-resource", "mimeType", "text/plain", "text",
                     "This is an embedded resource content.");
}

static json_t *test_mixed(struct mcp_call *c)
{
    (void)c;
    return json_pack("{s:[{s:s, s:s}, {s:s, s:s, s:s}, {s:s, s:{s:s, s:s, s:s}}]}", "content",
                     "type", "text", "text", "Multiple content types test:", "type", "image",
                     "data", TEST_PNG, "mimeType", "image/png", "type", "resource", "resource",
                     "uri", "test://mixed-content-resource", "mimeType", "application/json", "text",
                     "{\"test\":\"data\",\"value\":123}");
}

#define NO_ARGS "{\"type\":\"object\",\"additionalProperties\":false}"

static const struct mcp_tool test_tools[] = {
    {"test_simple_text", "Test: text", "Conformance test tool: returns a text block.", NO_ARGS,
     NULL, true, false, true, false, test_simple_text},
    {"test_error_handling", "Test: error", "Conformance test tool: returns an error result.",
     NO_ARGS, NULL, true, false, true, false, test_error},
    {"test_tool_with_progress", "Test: progress",
     "Conformance test tool: sends three progress notifications.", NO_ARGS, NULL, true, false, true,
     false, test_progress},
    {"test_tool_with_logging", "Test: logging",
     "Conformance test tool: sends three log notifications.", NO_ARGS, NULL, true, false, true,
     false, test_logging},
    {"test_image_content", "Test: image", "Conformance test tool: returns an image.", NO_ARGS, NULL,
     true, false, true, false, test_image},
    {"test_audio_content", "Test: audio", "Conformance test tool: returns audio.", NO_ARGS, NULL,
     true, false, true, false, test_audio},
    {"test_embedded_resource", "Test: resource",
     "Conformance test tool: returns an embedded resource.", NO_ARGS, NULL, true, false, true,
     false, test_resource},
    {"test_multiple_content_types", "Test: mixed content",
     "Conformance test tool: returns text, an image and a resource.", NO_ARGS, NULL, true, false,
     true, false, test_mixed},
};

void mcp_test_tools_register(void)
{
    mcp__set_test_tools(test_tools, sizeof test_tools / sizeof *test_tools);
}
