/* config.c: the key table and the layered loader of config.h.
 *
 * Each key is one row: its variable name, type, default, range or choices,
 * optional command-line flag and a one-line description (used by `prospect
 * config` and the README). Adding a setting is adding a row and a field.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "config/config.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/str.h"

enum type { T_STR, T_SECRET, T_INT, T_BOOL, T_ENUM, T_ENUMS, T_URL, T_DURATIONS, T_IGNORED };

struct key {
    const char *name;
    enum type type;
    size_t off;          /* offset of the typed field in struct config */
    const char *def;     /* default text */
    int64_t min, max;    /* T_INT range */
    const char *choices; /* T_ENUM, T_ENUMS (a comma-separated list of them): '|'-separated */
    const char *flag;    /* command-line flag without "--", or NULL */
    const char *help;
};

#define F(field) offsetof(struct config, field)
#define MiB (1024 * 1024)

static const struct key keys[CONFIG_NKEYS] = {
    [CONFIG_DB] = {"PROSPECT_DB", T_STR, F(db), "./prospect.db", 0, 0, NULL, "db",
                   "store: a SQLite file path"},
    [CONFIG_LOG_LEVEL] = {"PROSPECT_LOG_LEVEL", T_ENUM, F(log_level), "info", 0, 0,
                          "debug|info|warn|error|off", "log-level", "lowest level logged"},
    [CONFIG_LOG_FORMAT] = {"PROSPECT_LOG_FORMAT", T_ENUM, F(log_format), "logfmt", 0, 0,
                           "logfmt|json", "log-format", "log line format on stderr"},
    [CONFIG_PORT] = {"MCP_SERVER_PORT", T_INT, F(port), "5001", 0, 65535, NULL, "port",
                     "HTTP port of `prospect serve` (0: any free port)"},
    [CONFIG_BIND] = {"PROSPECT_BIND", T_STR, F(bind), "127.0.0.1", 0, 0, NULL, "bind",
                     "address `prospect serve` listens on"},
    [CONFIG_SEARCH] = {"PROSPECT_SEARCH", T_ENUMS, F(search), "auto", 0, 0,
                       "auto|local|tavily|searxng|osm|wikidata", "search",
                       "search provider, or web providers run at once (tavily,osm)"},
    [CONFIG_LLM] = {"PROSPECT_LLM", T_ENUM, F(llm), "auto", 0, 0, "auto|heuristic|gemini|openai",
                    "llm", "LLM provider"},
    [CONFIG_LLM_MODEL] = {"PROSPECT_LLM_MODEL", T_STR, F(llm_model), "", 0, 0, NULL, "llm-model",
                          "model name (empty: the provider's default)"},
    [CONFIG_LLM_POLICY] = {"PROSPECT_LLM_POLICY", T_ENUM, F(llm_policy), "borderline", 0, 0,
                           "all|borderline|none", NULL, "which leads the LLM analyses"},
    [CONFIG_EMBED_MODEL] = {"PROSPECT_EMBED_MODEL", T_STR, F(embed_model), "", 0, 0, NULL, NULL,
                            "embedding model of the LLM provider, e.g. gemini-embedding-001 "
                            "(empty: lexical retrieval only)"},
    [CONFIG_GOOGLE_API_KEY] = {"GOOGLE_API_KEY", T_SECRET, F(google_api_key), "", 0, 0, NULL, NULL,
                               "Gemini API key"},
    [CONFIG_GEMINI_API_KEY] = {"GEMINI_API_KEY", T_SECRET, F(gemini_api_key), "", 0, 0, NULL, NULL,
                               "Gemini API key (alternative name)"},
    [CONFIG_TAVILY_API_KEY] = {"TAVILY_API_KEY", T_SECRET, F(tavily_api_key), "", 0, 0, NULL, NULL,
                               "Tavily API key"},
    [CONFIG_OPENAI_API_KEY] = {"OPENAI_API_KEY", T_SECRET, F(openai_api_key), "", 0, 0, NULL, NULL,
                               "key for the OpenAI-compatible server"},
    [CONFIG_TAVILY_BASE_URL] = {"TAVILY_BASE_URL", T_URL, F(tavily_base_url),
                                "https://api.tavily.com", 0, 0, NULL, NULL, "Tavily API base URL"},
    [CONFIG_GEMINI_BASE_URL] = {"GEMINI_BASE_URL", T_URL, F(gemini_base_url),
                                "https://generativelanguage.googleapis.com", 0, 0, NULL, NULL,
                                "Gemini API base URL"},
    [CONFIG_OPENAI_BASE_URL] = {"OPENAI_BASE_URL", T_URL, F(openai_base_url), "", 0, 0, NULL, NULL,
                                "OpenAI-compatible base URL, e.g. http://localhost:11434/v1"},
    [CONFIG_SEARXNG_URL] = {"SEARXNG_URL", T_URL, F(searxng_url), "", 0, 0, NULL, NULL,
                            "SearXNG base URL"},
    [CONFIG_CONTACT] = {"PROSPECT_CONTACT", T_STR, F(contact), "", 0, 0, NULL, NULL,
                        "your e-mail address or URL, sent in the User-Agent to OpenStreetMap's and "
                        "Wikidata's services (required by their policies for osm and wikidata)"},
    [CONFIG_NOMINATIM_URL] = {"PROSPECT_NOMINATIM_URL", T_URL, F(nominatim_url),
                              "https://nominatim.openstreetmap.org", 0, 0, NULL, NULL,
                              "Nominatim base URL (/search is appended)"},
    [CONFIG_OVERPASS_URL] = {"PROSPECT_OVERPASS_URL", T_URL, F(overpass_url),
                             "https://overpass-api.de/api/interpreter", 0, 0, NULL, NULL,
                             "Overpass API interpreter endpoint"},
    [CONFIG_WIKIDATA_SPARQL_URL] = {"PROSPECT_WIKIDATA_SPARQL_URL", T_URL, F(wikidata_sparql_url),
                                    "https://query.wikidata.org/sparql", 0, 0, NULL, NULL,
                                    "Wikidata SPARQL endpoint"},
    [CONFIG_WIKIDATA_API_URL] = {"PROSPECT_WIKIDATA_API_URL", T_URL, F(wikidata_api_url),
                                 "https://www.wikidata.org/w/api.php", 0, 0, NULL, NULL,
                                 "Wikidata api.php endpoint (entity search)"},
    [CONFIG_DNS_SERVERS] = {"PROSPECT_DNS_SERVERS", T_STR, F(dns_servers), "", 0, 0, NULL, NULL,
                            "DNS servers for the e-mail checks, host:port comma-separated "
                            "(empty: the system's)"},
    [CONFIG_DNS_TIMEOUT_MS] = {"PROSPECT_DNS_TIMEOUT_MS", T_INT, F(dns_timeout_ms), "3000", 0,
                               60000, NULL, NULL,
                               "time for one batch of e-mail domain lookups (0: no lookups; "
                               "every domain unknown)"},
    [CONFIG_GUESS_EMAILS] = {"PROSPECT_GUESS_EMAILS", T_BOOL, F(guess_emails), "false", 0, 0, NULL,
                             NULL,
                             "propose an address for a person the site shows none for, from the "
                             "pattern of the others' addresses (marked guessed; never a found "
                             "address, never in the CSV's e-mail columns)"},
    [CONFIG_WEBHOOK_ENABLED] = {"WEBAPP_WEBHOOK_ENABLED", T_BOOL, F(webhook_enabled), "false", 0, 0,
                                NULL, NULL, "POST every event to WEBAPP_WEBHOOK_URL"},
    [CONFIG_WEBHOOK_URL] = {"WEBAPP_WEBHOOK_URL", T_URL, F(webhook_url), "", 0, 0, NULL, NULL,
                            "webhook receiver"},
    [CONFIG_WEBHOOK_SECRET] = {"WEBHOOK_SECRET", T_SECRET, F(webhook_secret), "", 0, 0, NULL, NULL,
                               "Standard Webhooks signing secret (whsec_...)"},
    [CONFIG_WEBHOOK_SCHEDULE] = {"PROSPECT_WEBHOOK_SCHEDULE", T_DURATIONS, F(webhook_schedule),
                                 "5s,30s,2m,10m,30m,1h,2h,6h,12h,24h", 0, 0, NULL, NULL,
                                 "delays between a webhook's attempts; after the last, a dead "
                                 "letter"},
    [CONFIG_WEBHOOK_TIMEOUT_MS] = {"PROSPECT_WEBHOOK_TIMEOUT_MS", T_INT, F(webhook_timeout_ms),
                                   "15000", 100, 120000, NULL, NULL,
                                   "time one webhook attempt may take"},
    [CONFIG_RECOVERY] = {"PROSPECT_RECOVERY", T_ENUM, F(recovery), "resume", 0, 0, "resume|fail",
                         NULL,
                         "jobs a restart finds unfinished: resume them, or end them with "
                         "pipeline_error keeping their leads"},
    [CONFIG_API_KEYS] = {"PROSPECT_API_KEYS", T_SECRET, F(api_keys), "", 0, 0, NULL, NULL,
                         "API keys: name:secret,... or @FILE of name:sha256-hex lines (empty: "
                         "no keys; the API is open to whoever reaches it)"},
    [CONFIG_METRICS_AUTH] = {"PROSPECT_METRICS_AUTH", T_BOOL, F(metrics_auth), "false", 0, 0, NULL,
                             NULL, "with API keys set, /metrics needs a key too"},
    [CONFIG_RATE_REQUESTS] = {"PROSPECT_RATE_REQUESTS", T_INT, F(rate_requests), "1200", 0,
                              10000000, NULL, NULL,
                              "requests a minute per key and per client address (0: no limit)"},
    [CONFIG_RATE_JOBS] = {"PROSPECT_RATE_JOBS", T_INT, F(rate_jobs), "60", 0, 1000000, NULL, NULL,
                          "jobs started a minute per key and per client address (0: no limit)"},
    [CONFIG_MAX_JOBS_PER_KEY] = {"PROSPECT_MAX_JOBS_PER_KEY", T_INT, F(max_jobs_per_key), "16", 0,
                                 100000, NULL, NULL,
                                 "jobs queued or running at once per key, or per address without "
                                 "keys (0: no cap)"},
    [CONFIG_CORS_ORIGINS] = {"PROSPECT_CORS_ORIGINS", T_STR, F(cors_origins), "", 0, 0, NULL, NULL,
                             "origins allowed to call the API from a browser, comma-separated "
                             "(* for any; empty: none)"},
    [CONFIG_AUDIT_LOG] = {"PROSPECT_AUDIT_LOG", T_STR, F(audit_log), "", 0, 0, NULL, NULL,
                          "file that gets one JSON line per job (empty: stderr)"},
    [CONFIG_CONNECTION_TIMEOUT_S] = {"PROSPECT_CONNECTION_TIMEOUT_S", T_INT,
                                     F(connection_timeout_s), "60", 5, 3600, NULL, NULL,
                                     "an HTTP connection idle this long is closed (slow clients)"},
    [CONFIG_MAX_CONNECTIONS_PER_IP] = {"PROSPECT_MAX_CONNECTIONS_PER_IP", T_INT,
                                       F(max_connections_per_ip), "1000", 0, 1000000, NULL, NULL,
                                       "HTTP connections at once from one address (0: no cap)"},
    [CONFIG_LEASE_MS] = {"PROSPECT_LEASE_MS", T_INT, F(lease_ms), "15000", 1000, 3600000, NULL,
                         NULL,
                         "scale-out: how long a worker holds a job without renewing (renewed "
                         "every third of it); past it another worker takes the job over"},
    [CONFIG_HTTP_THREADS] = {"PROSPECT_HTTP_THREADS", T_INT, F(http_threads), "2", 1, 64, NULL,
                             NULL,
                             "HTTP event threads, each with its own epoll set of connections"},
    [CONFIG_RETENTION_DAYS] = {"PROSPECT_RETENTION_DAYS", T_INT, F(retention_days), "0", 0, 36500,
                               NULL, NULL, "days a finished job's data is kept (0: forever)"},
    [CONFIG_MAX_BODY_BYTES] = {"PROSPECT_MAX_BODY_BYTES", T_INT, F(max_body_bytes), "65536", 1024,
                               16 * MiB, NULL, NULL, "largest request body"},
    [CONFIG_MAX_STRING_CHARS] = {"PROSPECT_MAX_STRING_CHARS", T_INT, F(max_string_chars), "2000",
                                 16, 100000, NULL, NULL, "longest string field, in characters"},
    [CONFIG_MAX_LIST_ITEMS] = {"PROSPECT_MAX_LIST_ITEMS", T_INT, F(max_list_items), "50", 1, 1000,
                               NULL, NULL, "most items in a list field"},
    [CONFIG_MAX_JSON_DEPTH] = {"PROSPECT_MAX_JSON_DEPTH", T_INT, F(max_json_depth), "16", 4, 256,
                               NULL, NULL, "deepest JSON nesting in a request"},
    [CONFIG_MAX_LEADS] = {"PROSPECT_MAX_LEADS", T_INT, F(max_leads), "100", 1, 10000, NULL, NULL,
                          "highest max_leads_to_generate accepted"},
    [CONFIG_FETCH_CONCURRENCY] = {"PROSPECT_FETCH_CONCURRENCY", T_INT, F(fetch_concurrency), "32",
                                  1, 1024, NULL, NULL, "page fetches at once"},
    [CONFIG_FETCH_PER_HOST] = {"PROSPECT_FETCH_PER_HOST", T_INT, F(fetch_per_host), "2", 1, 64,
                               NULL, NULL, "page fetches at once to one host"},
    [CONFIG_FETCH_CONNECT_TIMEOUT_MS] = {"PROSPECT_FETCH_CONNECT_TIMEOUT_MS", T_INT,
                                         F(fetch_connect_timeout_ms), "5000", 100, 120000, NULL,
                                         NULL, "connect timeout of a page fetch"},
    [CONFIG_FETCH_TIMEOUT_MS] = {"PROSPECT_FETCH_TIMEOUT_MS", T_INT, F(fetch_timeout_ms), "15000",
                                 100, 600000, NULL, NULL, "total time a page fetch may take"},
    [CONFIG_FETCH_MAX_BYTES] = {"PROSPECT_FETCH_MAX_BYTES", T_INT, F(fetch_max_bytes), "2097152",
                                1024, 64 * MiB, NULL, NULL, "largest page body"},
    [CONFIG_FETCH_MAX_LINKS] = {"PROSPECT_FETCH_MAX_LINKS", T_INT, F(fetch_max_links), "3", 0, 20,
                                NULL, NULL, "contact/about/imprint pages fetched per site"},
    [CONFIG_FETCH_ROBOTS] = {"PROSPECT_FETCH_ROBOTS", T_BOOL, F(fetch_robots), "true", 0, 0, NULL,
                             NULL, "obey robots.txt"},
    [CONFIG_FETCH_ALLOW_PRIVATE] = {"PROSPECT_FETCH_ALLOW_PRIVATE", T_BOOL, F(fetch_allow_private),
                                    "false", 0, 0, NULL, NULL,
                                    "tests only: let the fetcher reach loopback addresses"},
    [CONFIG_USER_AGENT] = {"PROSPECT_USER_AGENT", T_STR, F(user_agent),
                           "Prospect/0.1 (B2B lead research)", 0, 0, NULL, NULL,
                           "User-Agent of page fetches; its first word is the robots.txt token"},
    [CONFIG_WEIGHT_PAIN] = {"PROSPECT_WEIGHT_PAIN", T_INT, F(weight_pain), "15", 0, 100, NULL, NULL,
                            "weight of pain alignment in prospect_score"},
    [CONFIG_WEIGHT_INTENT] = {"PROSPECT_WEIGHT_INTENT", T_INT, F(weight_intent), "10", 0, 100, NULL,
                              NULL, "weight of buying intent in prospect_score"},
    [CONFIG_WEIGHT_URGENCY] = {"PROSPECT_WEIGHT_URGENCY", T_INT, F(weight_urgency), "5", 0, 100,
                               NULL, NULL, "weight of urgency in prospect_score"},
    [CONFIG_WEIGHT_ICP] = {"PROSPECT_WEIGHT_ICP", T_INT, F(weight_icp), "70", 0, 100, NULL, NULL,
                           "weight of ICP fit in prospect_score"},
    [CONFIG_QUALIFY_THRESHOLD] = {"PROSPECT_QUALIFY_THRESHOLD", T_INT, F(qualify_threshold), "50",
                                  0, 100, NULL, NULL,
                                  "prospect_score (percent) from which a lead counts as qualified"},
    [CONFIG_BUDGET_SEARCH_CALLS] = {"PROSPECT_BUDGET_SEARCH_CALLS", T_INT, F(budget_search_calls),
                                    "40", 1, 10000, NULL, NULL, "search calls one job may make"},
    [CONFIG_BUDGET_FETCHES] = {"PROSPECT_BUDGET_FETCHES", T_INT, F(budget_fetches), "400", 1,
                               100000, NULL, NULL, "pages one job may fetch"},
    [CONFIG_BUDGET_SECONDS] = {"PROSPECT_BUDGET_SECONDS", T_INT, F(budget_seconds), "300", 1, 86400,
                               NULL, NULL, "wall time one job may take"},
    [CONFIG_MAX_CONNECTIONS] = {"PROSPECT_MAX_CONNECTIONS", T_INT, F(max_connections), "16000", 16,
                                1000000, NULL, NULL, "HTTP connections at once"},
    [CONFIG_CONN_MEMORY] = {"PROSPECT_CONNECTION_MEMORY", T_INT, F(conn_memory), "6144", 4096,
                            1048576, NULL, NULL,
                            "memory per HTTP connection for headers and buffers (bytes)"},
    [CONFIG_BUDGET_LLM_TOKENS] = {"PROSPECT_BUDGET_LLM_TOKENS", T_INT, F(budget_llm_tokens),
                                  "200000", 0, 100000000, NULL, NULL,
                                  "LLM tokens (in and out) one job may spend"},
    [CONFIG_SITE_CONCURRENCY] = {"PROSPECT_SITE_CONCURRENCY", T_INT, F(site_concurrency), "32", 1,
                                 256, NULL, NULL, "sites one job reads and enriches at once"},
    [CONFIG_JOB_CONCURRENCY] = {"PROSPECT_JOB_CONCURRENCY", T_INT, F(job_concurrency), "16", 1, 64,
                                NULL, NULL,
                                "jobs `prospect serve` runs at once (more wait queued)"},
    [CONFIG_UPSTREAM_TIMEOUT_MS] = {"PROSPECT_UPSTREAM_TIMEOUT_MS", T_INT, F(upstream_timeout_ms),
                                    "60000", 100, 600000, NULL, NULL,
                                    "time one provider call may take"},
    [CONFIG_UPSTREAM_RETRIES] = {"PROSPECT_UPSTREAM_RETRIES", T_INT, F(upstream_retries), "3", 0,
                                 10, NULL, NULL, "retries of a transient provider failure"},
    [CONFIG_UPSTREAM_BACKOFF_MS] = {"PROSPECT_UPSTREAM_BACKOFF_MS", T_INT, F(upstream_backoff_ms),
                                    "1000", 1, 600000, NULL, NULL,
                                    "first retry's delay cap (doubles per retry, jittered)"},
    [CONFIG_SEARCH_RPM] = {"PROSPECT_SEARCH_RPM", T_INT, F(search_rpm), "100", 0, 100000, NULL,
                           NULL, "search provider calls a minute (0: unlimited)"},
    [CONFIG_LLM_RPM] = {"PROSPECT_LLM_RPM", T_INT, F(llm_rpm), "600", 0, 100000, NULL, NULL,
                        "LLM calls a minute (0: unlimited)"},
    [CONFIG_CACHE_TTL_S] = {"PROSPECT_CACHE_TTL_S", T_INT, F(cache_ttl_s), "86400", 0, 31536000,
                            NULL, NULL, "how long providers' answers are cached (0: off)"},
    [CONFIG_PAGE_TTL_S] = {"PROSPECT_PAGE_TTL_S", T_INT, F(page_ttl_s), "86400", 0, 31536000, NULL,
                           NULL,
                           "how long a fetched page serves every job before it is revalidated "
                           "(0: pages are not kept)"},
    [CONFIG_CALL_THREADS] = {"PROSPECT_CALL_THREADS", T_INT, F(call_threads), "8", 1, 64, NULL,
                             NULL, "threads that wait for search and LLM answers, for all jobs"},
    [CONFIG_RECORD] = {"PROSPECT_RECORD", T_STR, F(record_dir), "", 0, 0, NULL, "record",
                       "directory to record every provider exchange in (secrets redacted)"},
    [CONFIG_REPLAY] = {"PROSPECT_REPLAY", T_STR, F(replay_dir), "", 0, 0, NULL, "replay",
                       "directory of recordings to answer provider calls from (no network)"},
    [CONFIG_HF_HOME] = {"HF_HOME", T_IGNORED, 0, "", 0, 0, NULL, NULL, "seed variable, ignored"},
    [CONFIG_TRANSFORMERS_CACHE] = {"TRANSFORMERS_CACHE", T_IGNORED, 0, "", 0, 0, NULL, NULL,
                                   "seed variable, ignored"},
    [CONFIG_SENTENCE_TRANSFORMERS_HOME] = {"SENTENCE_TRANSFORMERS_HOME", T_IGNORED, 0, "", 0, 0,
                                           NULL, NULL, "seed variable, ignored"},
};

static const char *source_names[] = {"default", "file", "env", "flag"};

const char *config_source_name(enum config_source s)
{
    return source_names[s];
}

const char *config_key_name(enum config_key k)
{
    return keys[k].name;
}

bool config_is_secret(enum config_key k)
{
    return keys[k].type == T_SECRET;
}

static int find_key(const char *name)
{
    for (int i = 0; i < CONFIG_NKEYS; i++)
        if (strcmp(keys[i].name, name) == 0)
            return i;
    return -1;
}

const char *config_key_for_flag(const char *flag)
{
    for (int i = 0; i < CONFIG_NKEYS; i++)
        if (keys[i].flag && strcmp(keys[i].flag, flag) == 0)
            return keys[i].name;
    return NULL;
}

static void add_note(struct config *c, bool warning, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_note(struct config *c, bool warning, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    c->notes = xrealloc(c->notes, (c->nnotes + 1) * sizeof *c->notes);
    c->notes[c->nnotes].warning = warning;
    c->notes[c->nnotes++].text = xvasprintf(fmt, ap);
    va_end(ap);
}

void config_log_notes(const struct config *c)
{
    for (size_t i = 0; i < c->nnotes; i++) {
        if (c->notes[i].warning)
            log_warn(c->notes[i].text);
        else
            log_debug(c->notes[i].text);
    }
}

static void set_raw(struct config *c, int k, const char *value, enum config_source src)
{
    free(c->raw[k]);
    c->raw[k] = xstrdup(value);
    c->src[k] = src;
}

/* Parses one value of a KEY=VALUE file line: quotes, escapes, inline comments. */
static int parse_file_value(const char *v, struct buf *out)
{
    int rc = 0;
    if (*v == '"' || *v == '\'') {
        char q = *v++;
        for (; *v && *v != q; v++) {
            if (q == '"' && *v == '\\' && v[1]) {
                v++;
                rc |= buf_putc(out, *v == 'n' ? '\n' : *v == 't' ? '\t' : *v);
            } else {
                rc |= buf_putc(out, *v);
            }
        }
        if (*v != q)
            return CORE_EPARSE;
        for (v++; *v == ' ' || *v == '\t'; v++)
            ;
        if (*v && *v != '#')
            return CORE_EPARSE;
        return rc;
    }
    const char *end = v + strlen(v);
    for (const char *p = v; *p; p++) {
        if (*p == '#' && (p == v || p[-1] == ' ' || p[-1] == '\t')) {
            end = p;
            break;
        }
    }
    while (end > v && isspace((unsigned char)end[-1]))
        end--;
    return rc | buf_append(out, v, (size_t)(end - v));
}

static int load_file(struct config *c, const char *path, struct err *e)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return err_set(e, CORE_EIO, "config file %s: %s", path, strerror(errno));
    char line[8192];
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t n = strlen(line);
        if (n == sizeof line - 1 && line[n - 1] != '\n') {
            rc = err_set(e, CORE_EPARSE, "config file %s line %d: line too long", path, lineno);
            goto out;
        }
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        if (str_has_prefix(p, "export "))
            p += 7;
        char *eq = strchr(p, '=');
        if (!eq) {
            rc =
                err_set(e, CORE_EPARSE, "config file %s line %d: expected KEY=VALUE", path, lineno);
            goto out;
        }
        char *kend = eq;
        while (kend > p && isspace((unsigned char)kend[-1]))
            kend--;
        *kend = '\0';
        char *v = eq + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        int k = find_key(p);
        if (k < 0) {
            add_note(c, true, "config file %s line %d: unknown setting %s", path, lineno, p);
            continue;
        }
        struct buf val;
        buf_init(&val, sizeof line);
        if (parse_file_value(v, &val)) {
            buf_release(&val);
            rc = err_set(e, CORE_EPARSE,
                         "config file %s line %d: %s: unterminated or misquoted value", path,
                         lineno, p);
            goto out;
        }
        set_raw(c, k, buf_cstr(&val), CONFIG_SRC_FILE);
        buf_release(&val);
    }
    if (ferror(f))
        rc = err_set(e, CORE_EIO, "config file %s: read error", path);
out:
    fclose(f);
    return rc;
}

static bool url_ok(const char *v)
{
    if (!*v)
        return true;
    if (!str_has_prefix(v, "http://") && !str_has_prefix(v, "https://"))
        return false;
    const char *host = strstr(v, "://") + 3;
    if (!*host || *host == '/')
        return false;
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p <= ' ')
            return false;
    return true;
}

static bool enum_ok(const char *choices, const char *v)
{
    size_t n = strlen(v);
    for (const char *p = choices; *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, v, n) == 0)
            return true;
        p += len + (bar ? 1 : 0);
    }
    return false;
}

int config_durations(const char *text, int64_t *out, size_t max)
{
    size_t n = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        char *end;
        errno = 0;
        double v = strtod(p, &end);
        if (end == p || errno || v < 0 || !isdigit((unsigned char)*p))
            return -1;
        double unit = 1000;
        if (strncmp(end, "ms", 2) == 0)
            unit = 1, end += 2;
        else if (*end == 's')
            end++;
        else if (*end == 'm')
            unit = 60e3, end++;
        else if (*end == 'h')
            unit = 3600e3, end++;
        else if (*end == 'd')
            unit = 86400e3, end++;
        while (*end == ' ')
            end++;
        if ((*end && *end != ',') || n >= max || v * unit > 366 * 86400e3)
            return -1;
        out[n++] = (int64_t)(v * unit);
        p = *end ? end + 1 : end;
        if (*end && !*p)
            return -1; /* a trailing comma */
    }
    return (int)n;
}

static int convert(struct config *c, int k, struct err *e)
{
    const struct key *key = &keys[k];
    const char *v = c->raw[k];
    const char *from = source_names[c->src[k]];
    char *field = (char *)c + key->off;
    switch (key->type) {
    case T_STR:
    case T_SECRET:
        *(const char **)field = v;
        if (key->type == T_SECRET)
            log_add_secret(v);
        return 0;
    case T_URL:
        if (!url_ok(v))
            return err_set(e, CORE_EINVAL, "%s (from %s): '%s' is not an http:// or https:// URL",
                           key->name, from, v);
        *(const char **)field = v;
        return 0;
    case T_DURATIONS: {
        int64_t ms[CONFIG_MAX_DURATIONS];
        if (config_durations(v, ms, CONFIG_MAX_DURATIONS) < 0)
            return err_set(e, CORE_EINVAL,
                           "%s (from %s): '%s' is not a comma-separated list of at most %d "
                           "durations such as 5s,2m,1h",
                           key->name, from, v, CONFIG_MAX_DURATIONS);
        *(const char **)field = v;
        return 0;
    }
    case T_ENUMS:
        for (const char *p = v;; p++) { /* each item of the list a choice */
            size_t n = strcspn(p, ",");
            char item[64];
            snprintf(item, sizeof item, "%.*s", (int)(n < sizeof item ? n : sizeof item - 1), p);
            if (!enum_ok(key->choices, item))
                return err_set(e, CORE_EINVAL, "%s (from %s): '%s' is not one of %s", key->name,
                               from, item, key->choices);
            if (!p[n])
                break;
            p += n;
        }
        *(const char **)field = v;
        return 0;
    case T_ENUM:
        if (!enum_ok(key->choices, v))
            return err_set(e, CORE_EINVAL, "%s (from %s): '%s' is not one of %s", key->name, from,
                           v, key->choices);
        *(const char **)field = v;
        return 0;
    case T_INT: {
        int64_t n;
        if (str_to_i64(v, &n) || n < key->min || n > key->max)
            return err_set(e, CORE_EINVAL, "%s (from %s): '%s' is not an integer from %lld to %lld",
                           key->name, from, v, (long long)key->min, (long long)key->max);
        *(int64_t *)field = n;
        return 0;
    }
    case T_BOOL:
        if (str_to_bool(v, (bool *)field))
            return err_set(e, CORE_EINVAL,
                           "%s (from %s): '%s' is not a boolean (true/false, 1/0, yes/no, on/off)",
                           key->name, from, v);
        return 0;
    case T_IGNORED:
        if (c->src[k] != CONFIG_SRC_DEFAULT)
            add_note(c, false, "%s is a seed setting Prospect does not use; ignored", key->name);
        return 0;
    }
    return err_set(e, CORE_EINTERNAL, "%s: unknown type", key->name);
}

static const char *env_get(char *const *envp, const char *name)
{
    size_t n = strlen(name);
    for (char *const *p = envp; p && *p; p++)
        if (strncmp(*p, name, n) == 0 && (*p)[n] == '=')
            return *p + n + 1;
    return NULL;
}

static void warn_unknown_env(struct config *c, char *const *envp)
{
    for (char *const *p = envp; p && *p; p++) {
        if (!str_has_prefix(*p, "PROSPECT_"))
            continue;
        const char *eq = strchr(*p, '=');
        size_t n = eq ? (size_t)(eq - *p) : strlen(*p);
        char name[128];
        if (n >= sizeof name)
            continue;
        memcpy(name, *p, n);
        name[n] = '\0';
        /* PROSPECT_SAMPLE_CORPUS is read where the sample corpus is found. */
        if (find_key(name) < 0 && strcmp(name, "PROSPECT_SAMPLE_CORPUS") != 0)
            add_note(c, true, "unknown variable %s in the environment", name);
    }
}

int config_load(struct config *c, const char *file, char *const *envp,
                const struct config_flag *flags, size_t nflags, struct err *e)
{
    memset(c, 0, sizeof *c);
    int rc = 0;
    for (int k = 0; k < CONFIG_NKEYS; k++)
        set_raw(c, k, keys[k].def, CONFIG_SRC_DEFAULT);
    if (file) {
        c->file = xstrdup(file);
        if ((rc = load_file(c, file, e)))
            goto fail;
    }
    for (int k = 0; k < CONFIG_NKEYS; k++) {
        const char *v = env_get(envp, keys[k].name);
        if (v)
            set_raw(c, k, v, CONFIG_SRC_ENV);
    }
    for (size_t i = 0; i < nflags; i++) {
        int k = find_key(flags[i].key);
        if (k < 0) {
            rc = err_set(e, CORE_EINVAL, "unknown setting %s", flags[i].key);
            goto fail;
        }
        set_raw(c, k, flags[i].value, CONFIG_SRC_FLAG);
    }
    for (int k = 0; k < CONFIG_NKEYS; k++)
        if ((rc = convert(c, k, e)))
            goto fail;
    if (c->webhook_enabled && !*c->webhook_url) {
        rc = err_set(e, CORE_EINVAL,
                     "WEBAPP_WEBHOOK_ENABLED is true but WEBAPP_WEBHOOK_URL is empty: set the "
                     "receiver's URL, or disable webhooks");
        goto fail;
    }
    warn_unknown_env(c, envp);
    return 0;
fail:
    config_release(c);
    return rc;
}

void config_release(struct config *c)
{
    for (int k = 0; k < CONFIG_NKEYS; k++)
        free(c->raw[k]);
    free(c->file);
    for (size_t i = 0; i < c->nnotes; i++)
        free(c->notes[i].text);
    free(c->notes);
    memset(c, 0, sizeof *c);
}

static const char *shown_value(const struct config *c, int k)
{
    if (keys[k].type == T_SECRET && c->raw[k][0])
        return "********";
    /* A database URL's password: user:********@host. */
    static __thread char masked[512];
    const char *v = c->raw[k], *scheme = strstr(v, "://"), *at = strrchr(v, '@');
    const char *colon = scheme && at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
    if (colon && colon < at) {
        snprintf(masked, sizeof masked, "%.*s:********%s", (int)(colon - v), v, at);
        return masked;
    }
    return c->raw[k];
}

void config_print(const struct config *c, FILE *out, bool json)
{
    if (json) {
        json_t *root = json_object();
        json_t *settings = json_array();
        for (int k = 0; k < CONFIG_NKEYS; k++) {
            json_array_append_new(
                settings, json_pack("{s:s, s:s, s:s, s:b, s:s}", "key", keys[k].name, "value",
                                    shown_value(c, k), "source", source_names[c->src[k]], "secret",
                                    keys[k].type == T_SECRET, "help", keys[k].help));
        }
        json_object_set_new(root, "config_file", c->file ? json_string(c->file) : json_null());
        json_object_set_new(root, "settings", settings);
        char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fprintf(out, "%s\n", s);
        free(s);
        json_decref(root);
        return;
    }
    fprintf(out, "%-28s %-44s %s\n", "KEY", "VALUE", "SOURCE");
    for (int k = 0; k < CONFIG_NKEYS; k++) {
        const char *src = source_names[c->src[k]];
        fprintf(out, "%-28s %-44s %s%s%s\n", keys[k].name, shown_value(c, k), src,
                c->src[k] == CONFIG_SRC_FILE ? " " : "",
                c->src[k] == CONFIG_SRC_FILE ? c->file : "");
    }
}
