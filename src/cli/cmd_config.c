/* cmd_config.c: `prospect config`, the effective configuration with the
 * source of each value and secrets masked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli_int.h"
#include "llm/llm.h"
#include "search/search.h"
#include "store/store.h"

/* The page cache of the store: pages kept and their hits; false when the
 * store does not exist yet (it is not made for this) or cannot be read. */
static bool page_cache(const struct config *cfg, int64_t *pages, int64_t *hits)
{
    if (!store_is_shared(cfg->db) && access(cfg->db, F_OK) != 0)
        return false;
    struct store *st = NULL;
    struct err e = {0};
    bool ok = store_open(cfg->db, &st, &e) == 0 && store_page_stats(st, pages, hits, &e) == 0;
    store_close(st);
    return ok;
}

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
    int64_t pages = 0, hits = 0;
    bool cached = page_cache(&cli->cfg, &pages, &hits);
    if (json) {
        json_t *j = json_pack("{s:{s:s, s:s}, s:{s:s, s:s}, s:{s:I, s:I, s:I}}", "search",
                              "provider", search, "why", swhy, "llm", "provider", llm, "why", lwhy,
                              "page_cache", "pages", (json_int_t)pages, "hits", (json_int_t)hits,
                              "ttl_s", (json_int_t)cli->cfg.page_ttl_s);
        char *s = json_dumps(j, JSON_COMPACT);
        printf("{\"providers\":%s,\"config\":", s);
        free(s);
        json_decref(j);
        fflush(stdout);
    } else {
        printf("# search provider: %s (%s)\n# LLM: %s (%s)\n", search, swhy, llm, lwhy);
        if (cached)
            printf("# page cache: %lld pages kept in the store, %lld hits "
                   "(PROSPECT_PAGE_TTL_S=%lld)\n",
                   (long long)pages, (long long)hits, (long long)cli->cfg.page_ttl_s);
        else
            printf("# page cache: empty (the store does not exist yet)\n");
    }
    config_print(&cli->cfg, stdout, json);
    if (json)
        printf("}\n");
    return CLI_OK;
}
