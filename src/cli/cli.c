/* cli.c: global flags, the commands[] table and dispatch.
 *
 * Configuration flags (--db, --port, --search, ...; see config.c) and
 * --config FILE are accepted anywhere before a "--", so `prospect index
 * corpus/ --db x.db` works as users type it; everything else goes to the
 * command.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/log.h"

#ifndef PROSPECT_VERSION
#define PROSPECT_VERSION "0.0.0"
#endif

static const struct command commands[] = {
    {"run", cli__cmd_run, "find and qualify leads for a business context (the main job)",
     "usage: prospect run [--query Q] [--max-leads N] [--format table|ndjson|json|csv]\n"
     "                    [--csv-profile prospect|hubspot|salesforce] [--output FILE]\n"
     "                    [--exclude FILE] [--search P] [--llm P] REQUEST.json\n"
     "\n"
     "Runs the whole job on the request (the seed's request or a bare business\n"
     "context): queries, search, pages, extraction, leads, evidence-backed scores.\n"
     "On a terminal a progress bar goes to stderr. Formats: table (company,\n"
     "website, industry, size, email, phone, score), ndjson (every event, one per\n"
     "line), json (the leads with their final packages), csv (one row per lead,\n"
     "for CRM import: --csv-profile hubspot or salesforce names the columns as\n"
     "their imports do, prospect (the default) has every field). --query replaces\n"
     "the request's user_search_query,\n"
     "--max-leads its max_leads_to_generate. --exclude FILE leaves out the\n"
     "companies a CRM export lists (its domain, website or e-mail column, found by\n"
     "the header) or a text file names, one a line; they are never fetched or\n"
     "returned. Ctrl-C stops cleanly and prints what\n"
     "was found. With no search provider configured and an empty store, the\n"
     "bundled sample corpus is indexed first.\n"},
    {"enrich", cli__cmd_enrich, "read and score your own list of companies, one row each",
     "usage: prospect enrich [--context REQUEST.json] [--format table|ndjson|json|csv]\n"
     "                       [--csv-profile prospect|hubspot|salesforce] [--output FILE]\n"
     "                       [--exclude FILE] TARGET...\n"
     "\n"
     "Reads each company's site (the corpus first, else the web, politely) and\n"
     "gives one lead per company in the order given, whether it qualifies or not:\n"
     "its fields, and with --context (a request or a bare business context) its\n"
     "scores with quoted evidence. A company that could not be read says why:\n"
     "unreachable, blocked, not_a_company_site, competitor, excluded, duplicate\n"
     "or stopped. A TARGET is a domain (acme.com), a URL, host:port, or a file:\n"
     "a CSV whose domain, website, URL or e-mail column is found by its header\n"
     "(a CRM export), or a text file with one a line. A row that names no\n"
     "company is an error that names it (exit code 2). At most 1000 companies a\n"
     "run. --exclude, the formats and the CSV profiles are those of `run`.\n"},
    {"serve", cli__cmd_serve, "serve the HTTP API, the web page and MCP on MCP_SERVER_PORT",
     "usage: prospect serve [--port N] [--bind ADDRESS] [--db FILE|URL] [--no-worker]\n"
     "\n"
     "Serves POST /api/v2/execute_streaming_prospect (the seed's streaming\n"
     "endpoint), the job API (/api/v2/jobs...), the web page (/), MCP (/mcp),\n"
     "/health, /ready, /metrics and /openapi.json on PROSPECT_BIND:MCP_SERVER_PORT\n"
     "(127.0.0.1:5001). Jobs run on worker threads and outlive their connections;\n"
     "every event is stored before it is sent, so a client resumes with\n"
     "Last-Event-ID. SIGTERM stops cleanly.\n"
     "On a shared PostgreSQL store, --no-worker makes an API-only node: `prospect\n"
     "worker` nodes run the jobs.\n"},
    {"validate", cli__cmd_validate,
     "check a request (or a bare business context) and list its problems",
     "usage: prospect validate [--format text|json] REQUEST.json\n"
     "\n"
     "Checks the seed's request (or a bare business context) against the same\n"
     "rules as the API, and prints every problem with its JSON path. Use - to read\n"
     "standard input. Exit code 0 when valid, 2 when not.\n"},
    {"index", cli__cmd_index,
     "build or update the local search corpus from HTML folders and WARC files",
     "usage: prospect index [--db FILE] [--quiet] PATH...\n"
     "\n"
     "Indexes every PATH into the corpus of the store: a folder (searched for\n"
     "*.html, *.htm, *.warc, *.warc.gz), an HTML file, or a WARC file (plain or\n"
     "gzip). A folder's page URLs come from its manifest.tsv (PATH<TAB>URL), else\n"
     "the address the page gives itself (canonical link, og:url, <base>, its\n"
     "schema.org url), else the path (host/dir/page.html), else a file: URL on\n"
     "the site the page names as its own (its e-mail domain, its copyright\n"
     "line) or on the file's name. Pages whose content is unchanged are skipped. Problems are "
     "reported per file and\n"
     "do not stop the run; exit code 1 when nothing could be indexed.\n"},
    {"search", cli__cmd_search, "search the local corpus (BM25, grouped by site)",
     "usage: prospect search [--db FILE] [--limit N] [--format table|json] QUERY...\n"
     "\n"
     "Ranks the corpus's pages by BM25 over stemmed words (title and headings\n"
     "weigh more than body text) and shows the best page of each site with a\n"
     "snippet. The same code is the pipeline's local search provider. An empty\n"
     "corpus is filled with the bundled sample corpus first.\n"},
    {"queries", cli__cmd_queries, "print the search queries made from a business context",
     "usage: prospect queries [--format text|json] [--max N] [--query Q] [--local] REQUEST.json\n"
     "\n"
     "Prints the queries the keyword strategy makes from the request's business\n"
     "context, one per line with its strategy: user (the user's own), combined\n"
     "(it with the first kind of customer), industry and customer (one per kind\n"
     "of customer named), pain, signal. A web search gets each kind \"in\" the\n"
     "context's location; --local prints them as the local corpus gets them,\n"
     "without it.\n"},
    {"extract", cli__cmd_extract, "extract lead fields (contacts, size, industry, ...) from pages",
     "usage: prospect extract [--format json|text] [--url URL] [--all-text] FILE.html|URL...\n"
     "\n"
     "Prints, for each input (a file, or an http(s) URL fetched with the page\n"
     "fetcher's limits, robots.txt and address guard), one JSON object: url,\n"
     "site, title, company_name, description, main_text, emails, phones (E.164),\n"
     "social, address, industry and naics (the NAICS 2012 code, its title,\n"
     "sector, score and alternatives), country, intermediary (a directory or\n"
     "marketplace that lists other companies), company_size, founded,\n"
     "technologies and provenance. One object per line when there are several inputs. --url gives\n"
     "the address of a single input file. --all-text puts every visible word in\n"
     "main_text (the floor that main-text extraction is measured against).\n"},
    {"worker", cli__cmd_worker, "run jobs from a shared PostgreSQL store (scale-out)",
     "usage: prospect worker --db postgres://...\n"
     "\n"
     "A node that runs jobs and delivers webhooks, with no HTTP API: it claims\n"
     "queued jobs from the shared store (FOR UPDATE SKIP LOCKED) up to\n"
     "PROSPECT_JOB_CONCURRENCY at once, renews a lease on each (PROSPECT_LEASE_MS),\n"
     "and takes over jobs whose worker died, resuming them from their stored\n"
     "events. API nodes run `prospect serve --no-worker`. SIGTERM stops cleanly.\n"},
    {"mcp", cli__cmd_mcp, "serve the MCP tools on stdio, for AI agents",
     "usage: prospect mcp\n"
     "\n"
     "Speaks the Model Context Protocol on standard input and output (one JSON\n"
     "message per line; logs on stderr) until end of input: the prospect_* tools\n"
     "find leads, follow jobs, explain scores, enrich one company, generate\n"
     "queries, search and extract pages, with the configured providers and store.\n"
     "The same tools are served over HTTP at /mcp by `prospect serve`.\n"},
    {"webhooks", cli__cmd_webhooks, "show the webhook outbox; send to a disabled receiver again",
     "usage: prospect webhooks [status]\n"
     "       prospect webhooks enable [URL] [--redeliver-dead]\n"
     "\n"
     "status counts the outbox's deliveries: pending, delivered, dead letters\n"
     "(every attempt of PROSPECT_WEBHOOK_SCHEDULE failed) and disabled (held\n"
     "because the receiver answered 410 Gone). enable sends to URL (default\n"
     "WEBAPP_WEBHOOK_URL) again and queues its held deliveries, and with\n"
     "--redeliver-dead its dead letters too, in order, under their own ids.\n"},
    {"config", cli__cmd_config, "print the effective configuration and where each value came from",
     "usage: prospect config [--format text|json]\n"
     "\n"
     "Prints every setting with its value and its source (default, file, env,\n"
     "flag). Secrets are shown as ********.\n"},
};

#define NCOMMANDS (sizeof commands / sizeof *commands)

static void print_help(FILE *out)
{
    fprintf(out,
            "prospect %s: find and qualify B2B leads\n\n"
            "usage: prospect [--config FILE] [--db FILE] [--log-level L] COMMAND [ARGS]\n\n"
            "commands:\n",
            PROSPECT_VERSION);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "  %-10s %s\n", "help", "show help for a command");
    fprintf(out, "  %-10s %s\n", "version", "print the version");
    fprintf(out, "\nglobal flags:\n"
                 "  --config FILE      read KEY=VALUE settings from FILE\n"
                 "  --db FILE          the store (PROSPECT_DB)\n"
                 "  --log-level L      debug, info, warn, error or off (PROSPECT_LOG_LEVEL)\n"
                 "  --log-format F     logfmt or json (PROSPECT_LOG_FORMAT)\n"
                 "  -h, --help         this help; `prospect help COMMAND` for a command's\n"
                 "  --version          print the version\n"
                 "\nexit codes: 0 success, 1 runtime failure, 2 usage or bad input\n");
}

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int cli__usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "prospect%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see `prospect help%s%s`)\n", cmd ? " " : "", cmd ? cmd : "");
    return CLI_USAGE;
}

int cli__option(struct cli *cli, int *i, const char *name, const char **value)
{
    const char *arg = cli->argv[*i];
    size_t n = strlen(name);
    if (strncmp(arg, "--", 2) != 0 || strncmp(arg + 2, name, n) != 0)
        return 0;
    if (arg[2 + n] == '=') {
        *value = arg + 3 + n;
        return 1;
    }
    if (arg[2 + n] != '\0')
        return 0;
    if (*i + 1 >= cli->argc) {
        cli__usage_error(cli->argv[0], "--%s needs a value", name);
        return -1;
    }
    *value = cli->argv[++*i];
    return 1;
}

int cli__read_file(const char *path, size_t max, char **out, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "prospect: cannot open %s: %m\n", path);
        return CLI_FAIL;
    }
    struct buf b;
    buf_init(&b, max);
    char chunk[65536];
    size_t n;
    int rc = CLI_OK;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (buf_append(&b, chunk, n)) {
            fprintf(stderr, "prospect: %s is larger than %zu bytes\n", path, max);
            rc = CLI_USAGE;
            break;
        }
    }
    if (rc == CLI_OK && ferror(f)) {
        fprintf(stderr, "prospect: cannot read %s\n", path);
        rc = CLI_FAIL;
    }
    if (f != stdin)
        fclose(f);
    if (rc != CLI_OK) {
        buf_release(&b);
        return rc;
    }
    *len = b.len;
    *out = buf_detach(&b);
    return CLI_OK;
}

/* Splits argv into global flags (collected into flags/config_file) and the
 * command's arguments (kept in order in rest). */
static int split_args(int argc, char **argv, struct config_flag *flags, size_t *nflags,
                      const char **config_file, char **rest, int *nrest, bool *want_help,
                      bool *want_version)
{
    bool passthrough = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (passthrough || strncmp(a, "--", 2) != 0) {
            if (strcmp(a, "-h") == 0 && !passthrough)
                *want_help = true;
            else
                rest[(*nrest)++] = argv[i];
            continue;
        }
        if (strcmp(a, "--") == 0) {
            passthrough = true;
            rest[(*nrest)++] = argv[i];
            continue;
        }
        if (strcmp(a, "--help") == 0) {
            *want_help = true;
            continue;
        }
        if (strcmp(a, "--version") == 0) {
            *want_version = true;
            continue;
        }
        char name[64];
        const char *eq = strchr(a + 2, '=');
        size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        if (n >= sizeof name) {
            rest[(*nrest)++] = argv[i];
            continue;
        }
        memcpy(name, a + 2, n);
        name[n] = '\0';
        const char *key = config_key_for_flag(name);
        bool is_config = strcmp(name, "config") == 0;
        if (!key && !is_config) {
            rest[(*nrest)++] = argv[i];
            continue;
        }
        const char *value = eq ? eq + 1 : NULL;
        if (!value) {
            if (i + 1 >= argc)
                return cli__usage_error(NULL, "--%s needs a value", name);
            value = argv[++i];
        }
        if (is_config) {
            *config_file = value;
        } else {
            flags[*nflags].key = key;
            flags[*nflags].value = value;
            (*nflags)++;
        }
    }
    return CLI_OK;
}

int cli_main(int argc, char **argv, char **envp)
{
    struct config_flag *flags = xcalloc((size_t)argc, sizeof *flags);
    char **rest = xcalloc((size_t)argc + 1, sizeof *rest);
    size_t nflags = 0;
    int nrest = 0;
    const char *config_file = NULL;
    bool want_help = false, want_version = false;
    int rc = split_args(argc, argv, flags, &nflags, &config_file, rest, &nrest, &want_help,
                        &want_version);
    if (rc != CLI_OK)
        goto out;

    if (want_version || (nrest > 0 && strcmp(rest[0], "version") == 0)) {
        printf("prospect %s\n", PROSPECT_VERSION);
        goto out;
    }
    if (nrest == 0) {
        print_help(want_help ? stdout : stderr);
        rc = want_help ? CLI_OK : CLI_USAGE;
        goto out;
    }
    if (strcmp(rest[0], "help") == 0) {
        const struct command *c = nrest > 1 ? find_command(rest[1]) : NULL;
        if (nrest > 1 && !c) {
            rc = cli__usage_error(NULL, "no command named '%s'", rest[1]);
            goto out;
        }
        if (c)
            fputs(c->usage, stdout);
        else
            print_help(stdout);
        goto out;
    }
    const struct command *cmd = find_command(rest[0]);
    if (!cmd) {
        rc = cli__usage_error(NULL, "no command named '%s'", rest[0]);
        goto out;
    }
    if (want_help) {
        fputs(cmd->usage, stdout);
        goto out;
    }

    struct cli cli = {.argc = nrest, .argv = rest};
    struct err e = {0};
    if (config_load(&cli.cfg, config_file, envp, flags, nflags, &e)) {
        fprintf(stderr, "prospect: configuration: %s\n", e.msg);
        rc = e.code == CORE_EIO ? CLI_FAIL : CLI_USAGE;
        goto out;
    }
    enum log_level level = LOG_INFO;
    enum log_format format = LOG_FORMAT_LOGFMT;
    if (log_level_parse(cli.cfg.log_level, &level) || log_format_parse(cli.cfg.log_format, &format))
        log_warn("unusable log settings; using defaults"); /* the enum check makes this rare */
    log_setup(level, format, stderr);
    config_log_notes(&cli.cfg);
    rc = cmd->run(&cli);
    config_release(&cli.cfg);
out:
    free(flags);
    free(rest);
    return rc;
}
