/* robots.c: reading robots.txt (RFC 9309): which paths an agent may
 * fetch (its own group, else '*'; the longest match wins, Allow on a tie;
 * '*' and a final '$' in patterns), and the Crawl-delay it asks. */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fetch/fetch.h"

/* Pattern with '*' (any run) and a final '$' (end), from the path's start. */
static bool robots_match(const char *pat, size_t plen, const char *path)
{
    const char *p = pat, *end = pat + plen, *s = path;
    const char *star = NULL, *resume = NULL;
    while (true) {
        if (p < end && *p == '$' && p + 1 == end)
            return *s == '\0';
        if (p == end)
            return true; /* a prefix match is a match */
        if (p < end && *p == '*') {
            star = ++p;
            resume = s;
            continue;
        }
        if (*s && *p == *s) {
            p++;
            s++;
            continue;
        }
        if (star && *resume) {
            p = star;
            s = ++resume;
            continue;
        }
        return false;
    }
}

/* One "key: value" line of robots.txt, comments and blanks trimmed. */
struct robots_line {
    const char *key, *v;
    size_t klen, vlen;
};

/* Steps *at to the next line that has a key; false at the end. */
static bool robots_next(const char **at, struct robots_line *l)
{
    while (**at) {
        const char *line = *at;
        size_t len = strcspn(line, "\r\n");
        *at = line + len;
        while (**at == '\r' || **at == '\n')
            (*at)++;
        const char *hash = memchr(line, '#', len);
        size_t n = hash ? (size_t)(hash - line) : len;
        const char *colon = memchr(line, ':', n);
        if (!colon)
            continue;
        l->key = line;
        l->klen = (size_t)(colon - line);
        while (l->klen && isspace((unsigned char)line[l->klen - 1]))
            l->klen--;
        l->v = colon + 1;
        while (l->v < line + n && isspace((unsigned char)*l->v))
            l->v++;
        l->vlen = (size_t)(line + n - l->v);
        while (l->vlen && isspace((unsigned char)l->v[l->vlen - 1]))
            l->vlen--;
        return true;
    }
    return false;
}

static bool robots_is(const struct robots_line *l, const char *key)
{
    size_t n = strlen(key);
    return l->klen == n && strncasecmp(l->key, key, n) == 0;
}

/* The groups a robots.txt applies to an agent: those naming it, else '*'.
 * Walks one pass (0: the agent's own groups, 1: '*'), calling rule for
 * each line of an applying group; returns whether any group applied. */
static bool robots_walk(const char *robots, const char *agent, int pass,
                        void (*rule)(void *ctx, const struct robots_line *l), void *ctx)
{
    bool group_applies = false, in_agents = false, any_group = false;
    size_t alen = strlen(agent);
    struct robots_line l;
    for (const char *at = robots; robots_next(&at, &l);) {
        if (robots_is(&l, "user-agent")) {
            if (!in_agents)
                group_applies = false;
            in_agents = true;
            bool star = l.vlen == 1 && *l.v == '*';
            bool ours = !star && l.vlen == alen && strncasecmp(l.v, agent, alen) == 0;
            if (pass == 0 ? ours : star)
                group_applies = any_group = true;
            continue;
        }
        in_agents = false;
        if (group_applies)
            rule(ctx, &l);
    }
    return any_group;
}

struct path_rule {
    const char *path;
    size_t best_len;
    bool best_allow, matched;
};

static void path_rule(void *ctx, const struct robots_line *l)
{
    struct path_rule *r = ctx;
    bool allow = robots_is(l, "allow");
    if ((!allow && !robots_is(l, "disallow")) || l->vlen == 0 ||
        !robots_match(l->v, l->vlen, r->path))
        return;
    if (l->vlen > r->best_len || (l->vlen == r->best_len && allow)) {
        r->best_len = l->vlen;
        r->best_allow = allow;
        r->matched = true;
    }
}

bool fetch_robots_allowed(const char *robots, const char *agent, const char *path)
{
    for (int pass = 0; pass < 2; pass++) {
        struct path_rule r = {path, 0, true, false};
        if (robots_walk(robots, agent, pass, path_rule, &r))
            return r.matched ? r.best_allow : true;
    }
    return true;
}

static void delay_rule(void *ctx, const struct robots_line *l)
{
    int64_t *ms = ctx;
    if (!robots_is(l, "crawl-delay") || l->vlen == 0 || l->vlen > 16)
        return;
    char v[17];
    memcpy(v, l->v, l->vlen);
    v[l->vlen] = '\0';
    char *end;
    double s = strtod(v, &end);
    if (end != v && s > 0)
        *ms = (int64_t)(s * 1000.0);
}

int64_t fetch_robots_delay_ms(const char *robots, const char *agent)
{
    for (int pass = 0; pass < 2; pass++) {
        int64_t ms = 0;
        if (robots_walk(robots, agent, pass, delay_rule, &ms))
            return ms;
    }
    return 0;
}
