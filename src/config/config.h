/* config.h: Prospect's configuration, loaded once and immutable afterwards.
 *
 * Precedence: built-in defaults < a KEY=VALUE file (--config FILE) < the
 * environment < command-line flags. Every key has a type and a range; an
 * invalid value is an error naming the key and where the value came from.
 * Thread: load on the main thread, then read from any.
 */
#ifndef PROSPECT_CONFIG_H
#define PROSPECT_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"

enum config_source { CONFIG_SRC_DEFAULT, CONFIG_SRC_FILE, CONFIG_SRC_ENV, CONFIG_SRC_FLAG };

/* Must match the key table in config.c (checked at start-up by a test). */
enum config_key {
    CONFIG_DB,
    CONFIG_LOG_LEVEL,
    CONFIG_LOG_FORMAT,
    CONFIG_PORT,
    CONFIG_BIND,
    CONFIG_SEARCH,
    CONFIG_LLM,
    CONFIG_LLM_MODEL,
    CONFIG_LLM_POLICY,
    CONFIG_EMBED_MODEL,
    CONFIG_GOOGLE_API_KEY,
    CONFIG_GEMINI_API_KEY,
    CONFIG_TAVILY_API_KEY,
    CONFIG_OPENAI_API_KEY,
    CONFIG_TAVILY_BASE_URL,
    CONFIG_GEMINI_BASE_URL,
    CONFIG_OPENAI_BASE_URL,
    CONFIG_SEARXNG_URL,
    CONFIG_CONTACT,
    CONFIG_NOMINATIM_URL,
    CONFIG_OVERPASS_URL,
    CONFIG_WIKIDATA_SPARQL_URL,
    CONFIG_WIKIDATA_API_URL,
    CONFIG_DNS_SERVERS,
    CONFIG_DNS_TIMEOUT_MS,
    CONFIG_GUESS_EMAILS,
    CONFIG_WEBHOOK_ENABLED,
    CONFIG_WEBHOOK_URL,
    CONFIG_WEBHOOK_SECRET,
    CONFIG_WEBHOOK_SCHEDULE,
    CONFIG_WEBHOOK_TIMEOUT_MS,
    CONFIG_RECOVERY,
    CONFIG_RETENTION_DAYS,
    CONFIG_API_KEYS,
    CONFIG_METRICS_AUTH,
    CONFIG_RATE_REQUESTS,
    CONFIG_RATE_JOBS,
    CONFIG_MAX_JOBS_PER_KEY,
    CONFIG_CORS_ORIGINS,
    CONFIG_AUDIT_LOG,
    CONFIG_CONNECTION_TIMEOUT_S,
    CONFIG_MAX_CONNECTIONS_PER_IP,
    CONFIG_LEASE_MS,
    CONFIG_HTTP_THREADS,
    CONFIG_MAX_BODY_BYTES,
    CONFIG_MAX_STRING_CHARS,
    CONFIG_MAX_LIST_ITEMS,
    CONFIG_MAX_JSON_DEPTH,
    CONFIG_MAX_LEADS,
    CONFIG_FETCH_CONCURRENCY,
    CONFIG_FETCH_PER_HOST,
    CONFIG_FETCH_CONNECT_TIMEOUT_MS,
    CONFIG_FETCH_TIMEOUT_MS,
    CONFIG_FETCH_MAX_BYTES,
    CONFIG_FETCH_MAX_LINKS,
    CONFIG_FETCH_ROBOTS,
    CONFIG_FETCH_ALLOW_PRIVATE,
    CONFIG_USER_AGENT,
    CONFIG_WEIGHT_PAIN,
    CONFIG_WEIGHT_INTENT,
    CONFIG_WEIGHT_URGENCY,
    CONFIG_WEIGHT_ICP,
    CONFIG_QUALIFY_THRESHOLD,
    CONFIG_BUDGET_SEARCH_CALLS,
    CONFIG_BUDGET_FETCHES,
    CONFIG_BUDGET_SECONDS,
    CONFIG_MAX_CONNECTIONS,
    CONFIG_CONN_MEMORY,
    CONFIG_BUDGET_LLM_TOKENS,
    CONFIG_SITE_CONCURRENCY,
    CONFIG_JOB_CONCURRENCY,
    CONFIG_UPSTREAM_TIMEOUT_MS,
    CONFIG_UPSTREAM_RETRIES,
    CONFIG_UPSTREAM_BACKOFF_MS,
    CONFIG_SEARCH_RPM,
    CONFIG_LLM_RPM,
    CONFIG_CACHE_TTL_S,
    CONFIG_PAGE_TTL_S,
    CONFIG_CALL_THREADS,
    CONFIG_RECORD,
    CONFIG_REPLAY,
    CONFIG_HF_HOME,
    CONFIG_TRANSFORMERS_CACHE,
    CONFIG_SENTENCE_TRANSFORMERS_HOME,
    CONFIG_NKEYS
};

struct config_note {
    bool warning; /* else debug */
    char *text;
};

struct config {
    /* Typed values; strings are never NULL ("" when unset). */
    const char *db;
    const char *log_level;
    const char *log_format;
    int64_t port; /* 0: pick a free port */
    const char *bind;
    const char *search; /* auto | local | a list of tavily, searxng, osm, wikidata */
    const char *llm;    /* auto | heuristic | gemini | openai */
    const char *llm_model;
    const char *llm_policy;  /* all | borderline | none */
    const char *embed_model; /* "": lexical retrieval only */
    const char *google_api_key;
    const char *gemini_api_key;
    const char *tavily_api_key;
    const char *openai_api_key;
    const char *tavily_base_url;
    const char *gemini_base_url;
    const char *openai_base_url;
    const char *searxng_url;
    const char *contact; /* an e-mail address or URL for the open services' User-Agent */
    const char *nominatim_url;
    const char *overpass_url;
    const char *wikidata_sparql_url;
    const char *wikidata_api_url;
    const char *dns_servers; /* "host:port,...": the e-mail checks' DNS ("" the system's) */
    int64_t dns_timeout_ms;  /* one batch of e-mail domain lookups; 0: none */
    bool guess_emails;       /* propose addresses for people from their colleagues' pattern */
    bool webhook_enabled;
    const char *webhook_url;
    const char *webhook_secret;
    const char *webhook_schedule; /* retry delays, e.g. "5s,30s,2m" (config_durations) */
    int64_t webhook_timeout_ms;
    const char *recovery;           /* resume | fail: jobs a restart finds unfinished */
    int64_t retention_days;         /* 0: keep jobs forever */
    const char *api_keys;           /* "name:secret,..." or "@FILE" of "name:sha256hex" lines */
    bool metrics_auth;              /* /metrics needs a key too */
    int64_t rate_requests;          /* per minute per key and per address; 0: off */
    int64_t rate_jobs;              /* job creations per minute per key and per address; 0: off */
    int64_t max_jobs_per_key;       /* queued + running at once; 0: no cap */
    const char *cors_origins;       /* "", "*", or origins separated by commas */
    const char *audit_log;          /* file of one JSON line per job; "": stderr */
    int64_t connection_timeout_s;   /* idle HTTP connections are closed after it */
    int64_t max_connections_per_ip; /* 0: no cap */
    int64_t lease_ms;     /* scale-out: a worker's hold on a job, renewed every third of it */
    int64_t http_threads; /* libmicrohttpd's event threads (epoll each) */
    int64_t max_body_bytes;
    int64_t max_string_chars;
    int64_t max_list_items;
    int64_t max_json_depth;
    int64_t max_leads;
    int64_t fetch_concurrency;
    int64_t fetch_per_host;
    int64_t fetch_connect_timeout_ms;
    int64_t fetch_timeout_ms;
    int64_t fetch_max_bytes;
    int64_t fetch_max_links; /* contact/about/... pages fetched per site */
    bool fetch_robots;
    bool fetch_allow_private; /* tests only: lets the fetcher reach loopback */
    const char *user_agent;
    int64_t weight_pain, weight_intent, weight_urgency, weight_icp; /* prospect_score mix */
    int64_t qualify_threshold; /* percent: a lead at or above it is qualified */
    int64_t budget_search_calls, budget_fetches, budget_seconds; /* per job */
    int64_t max_connections;                                     /* HTTP connections at once */
    int64_t conn_memory;         /* bytes of libmicrohttpd's pool per connection (headers) */
    int64_t budget_llm_tokens;   /* per job, in and out */
    int64_t site_concurrency;    /* sites a job reads and enriches at once */
    int64_t job_concurrency;     /* jobs `prospect serve` runs at once */
    int64_t upstream_timeout_ms; /* one provider call */
    int64_t upstream_retries;    /* after the first attempt, for transient failures */
    int64_t upstream_backoff_ms; /* first retry's delay cap; doubles */
    int64_t search_rpm, llm_rpm; /* token buckets of the providers */
    int64_t cache_ttl_s;         /* providers' answers in the store; 0: no cache */
    int64_t page_ttl_s;          /* fetched pages reused by any job; 0: never kept */
    int64_t call_threads;        /* threads that wait for providers' answers */
    const char *record_dir;      /* PROSPECT_RECORD: write every upstream exchange */
    const char *replay_dir;      /* PROSPECT_REPLAY: answer from recordings only */

    /* Where each value came from, and the raw text (owned). */
    enum config_source src[CONFIG_NKEYS];
    char *raw[CONFIG_NKEYS];
    char *file;                /* the --config file, or NULL */
    struct config_note *notes; /* what loading noticed (unknown keys, ...) */
    size_t nnotes;
};

/* One command-line override: key is a config key name, value its text. */
struct config_flag {
    const char *key;
    const char *value;
};

/* config_load(c, file, envp, flags, nflags, e): fills c from the layers.
 * file may be NULL; envp is an environ-style array (NULL: none); flags are
 * borrowed for the call. Registers secrets with the logger and logs nothing
 * itself (see config_log_notes). On failure c holds
 * nothing to release and e names the key, the source and the problem:
 * CORE_EINVAL for a bad value, CORE_EIO for an unreadable file, CORE_EPARSE for
 * a malformed file line. */
int config_load(struct config *c, const char *file, char *const *envp,
                const struct config_flag *flags, size_t nflags, struct err *e)
    __attribute__((warn_unused_result));

/* config_log_notes(c): logs what loading noticed (unknown keys, ignored seed
 * variables); call once logging is set up from c. */
void config_log_notes(const struct config *c);

/* config_release(c): frees what config_load allocated. */
void config_release(struct config *c);

/* config_key_for_flag(flag): the key a command-line flag ("db" for --db) sets,
 * or NULL when flag is not a configuration flag. Static string. */
const char *config_key_for_flag(const char *flag);

/* config_key_name(k): the variable name of k. Static string. */
const char *config_key_name(enum config_key k);

/* config_is_secret(k): whether k's value must never be shown. */
bool config_is_secret(enum config_key k);

/* config_source_name(s): "default", "file", "env" or "flag". */
const char *config_source_name(enum config_source s);

/* The most delays a duration list may hold. */
#define CONFIG_MAX_DURATIONS 32

/* config_durations(text, out, max): parses a comma-separated list of
 * durations ("500ms", "5s", "2m", "1h", "1d"; a bare number is seconds) into
 * milliseconds. Returns how many, or -1 when the text is not such a list (or
 * holds more than max). */
int config_durations(const char *text, int64_t *out, size_t max);

/* config_print(c, out, json): the effective configuration, one key per line
 * (or one JSON object), with its source; secrets appear as "********". */
void config_print(const struct config *c, FILE *out, bool json);

#include "core/banned.h"
#endif
