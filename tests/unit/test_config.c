/* test_config.c: the configuration layers (default < file < env < flag),
 * value checks naming the key and source, file syntax, and secret masking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/config.h"
#include "core/log.h"

static char *write_temp(const char *text)
{
    char *path = strdup("/tmp/prospect-config-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void defaults_apply(void **state)
{
    (void)state;
    struct config c;
    struct err e = {0};
    assert_int_equal(config_load(&c, NULL, NULL, NULL, 0, &e), 0);
    assert_int_equal(c.port, 5001);
    assert_string_equal(c.db, "./prospect.db");
    assert_string_equal(c.bind, "127.0.0.1");
    assert_string_equal(c.search, "auto");
    assert_false(c.webhook_enabled);
    assert_false(c.guess_emails); /* guessed addresses are asked for, never a default */
    assert_int_equal(c.src[CONFIG_PORT], CONFIG_SRC_DEFAULT);
    config_release(&c);
}

static void layers_override_in_order(void **state)
{
    (void)state;
    char *file = write_temp("# comment\n"
                            "MCP_SERVER_PORT=6000\n"
                            "export PROSPECT_DB = \"from file.db\"  # trailing comment\n"
                            "PROSPECT_SEARCH=local\n"
                            "WEBAPP_WEBHOOK_URL='http://hooks.example/x#frag'\n"
                            "SOMETHING_ELSE=ignored\n");
    char *env[] = {"MCP_SERVER_PORT=7000", "PROSPECT_LLM=heuristic", "PROSPECT_GUESS_EMAILS=yes",
                   "PATH=/bin", NULL};
    struct config_flag flags[] = {{"PROSPECT_LLM", "openai"}};
    struct config c;
    struct err e = {0};
    assert_int_equal(config_load(&c, file, env, flags, 1, &e), 0);
    assert_int_equal(c.port, 7000); /* env beats file */
    assert_int_equal(c.src[CONFIG_PORT], CONFIG_SRC_ENV);
    assert_true(c.guess_emails);
    assert_string_equal(c.db, "from file.db");
    assert_int_equal(c.src[CONFIG_DB], CONFIG_SRC_FILE);
    assert_string_equal(c.search, "local");
    assert_string_equal(c.webhook_url, "http://hooks.example/x#frag");
    assert_string_equal(c.llm, "openai"); /* flag beats env */
    assert_int_equal(c.src[CONFIG_LLM], CONFIG_SRC_FLAG);
    config_release(&c);
    unlink(file);
    free(file);
}

static void expect_error(char **env, const struct config_flag *flags, size_t nflags,
                         const char *want)
{
    struct config c;
    struct err e = {0};
    assert_int_equal(config_load(&c, NULL, env, flags, nflags, &e), CORE_EINVAL);
    if (!strstr(e.msg, want))
        fail_msg("error '%s' lacks '%s'", e.msg, want);
}

static void bad_values_name_the_key(void **state)
{
    (void)state;
    char *port[] = {"MCP_SERVER_PORT=abc", NULL};
    expect_error(port, NULL, 0,
                 "MCP_SERVER_PORT (from env): 'abc' is not an integer from 0 to 65535");
    char *bigport[] = {"MCP_SERVER_PORT=70000", NULL};
    expect_error(bigport, NULL, 0, "MCP_SERVER_PORT");
    char *boolean[] = {"WEBAPP_WEBHOOK_ENABLED=maybe", NULL};
    expect_error(boolean, NULL, 0, "WEBAPP_WEBHOOK_ENABLED (from env): 'maybe' is not a boolean");
    char *negative[] = {"PROSPECT_MAX_LEADS=-5", NULL};
    expect_error(negative, NULL, 0, "PROSPECT_MAX_LEADS (from env): '-5'");
    char *url[] = {"TAVILY_BASE_URL=ftp://x", NULL};
    expect_error(url, NULL, 0, "TAVILY_BASE_URL (from env): 'ftp://x' is not an http");
    struct config_flag search[] = {{"PROSPECT_SEARCH", "bing"}};
    expect_error(NULL, search, 1, "PROSPECT_SEARCH (from flag): 'bing' is not one of auto|local");
}

static void file_errors(void **state)
{
    (void)state;
    struct config c;
    struct err e = {0};
    assert_int_equal(config_load(&c, "/nonexistent/prospect.env", NULL, NULL, 0, &e), CORE_EIO);
    assert_non_null(strstr(e.msg, "/nonexistent/prospect.env"));
    char *file = write_temp("PROSPECT_DB=x\nthis line has no equals sign\n");
    assert_int_equal(config_load(&c, file, NULL, NULL, 0, &e), CORE_EPARSE);
    assert_non_null(strstr(e.msg, "line 2: expected KEY=VALUE"));
    unlink(file);
    free(file);
    file = write_temp("PROSPECT_DB=\"unterminated\n");
    assert_int_equal(config_load(&c, file, NULL, NULL, 0, &e), CORE_EPARSE);
    assert_non_null(strstr(e.msg, "line 1"));
    unlink(file);
    free(file);
}

static void print_masks_secrets(void **state)
{
    (void)state;
    char *env[] = {"TAVILY_API_KEY=tvly-supersecret-value", "GEMINI_API_KEY=AIzaXYZ123456", NULL};
    struct config c;
    struct err e = {0};
    assert_int_equal(config_load(&c, NULL, env, NULL, 0, &e), 0);
    assert_string_equal(c.tavily_api_key, "tvly-supersecret-value");
    for (int json = 0; json < 2; json++) {
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        config_print(&c, f, json);
        fclose(f);
        assert_null(strstr(out, "supersecret"));
        assert_null(strstr(out, "AIzaXYZ"));
        assert_non_null(strstr(out, "********"));
        assert_non_null(strstr(out, "TAVILY_API_KEY"));
        free(out);
    }
    assert_true(config_is_secret(CONFIG_TAVILY_API_KEY));
    assert_false(config_is_secret(CONFIG_PORT));
    config_release(&c);
    log_clear_secrets();
}

static void flags_map_to_keys(void **state)
{
    (void)state;
    assert_string_equal(config_key_for_flag("db"), "PROSPECT_DB");
    assert_string_equal(config_key_for_flag("port"), "MCP_SERVER_PORT");
    assert_string_equal(config_key_for_flag("search"), "PROSPECT_SEARCH");
    assert_null(config_key_for_flag("max-leads"));
    for (int k = 0; k < CONFIG_NKEYS; k++)
        assert_non_null(config_key_name((enum config_key)k));
}

static void seed_cache_variables_are_accepted(void **state)
{
    (void)state;
    char *env[] = {"HF_HOME=/app/.cache/huggingface_cache",
                   "SENTENCE_TRANSFORMERS_HOME=/app/.cache", NULL};
    struct config c;
    struct err e = {0};
    assert_int_equal(config_load(&c, NULL, env, NULL, 0, &e), 0);
    assert_int_equal(c.src[CONFIG_HF_HOME], CONFIG_SRC_ENV);
    config_release(&c);
}

int main(void)
{
    log_setup(LOG_ERROR, LOG_FORMAT_LOGFMT, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_apply),
        cmocka_unit_test(layers_override_in_order),
        cmocka_unit_test(bad_values_name_the_key),
        cmocka_unit_test(file_errors),
        cmocka_unit_test(print_masks_secrets),
        cmocka_unit_test(flags_map_to_keys),
        cmocka_unit_test(seed_cache_variables_are_accepted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
