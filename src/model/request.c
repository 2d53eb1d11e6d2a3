/* request.c: parsing and validation of the prospecting request (request.h).
 *
 * Order of checks: size, UTF-8, nesting depth (scanned before jansson sees
 * the bytes, so a hostile body cannot make the parser recurse deeply), JSON
 * syntax, then each field. Field checks never stop early: every problem is
 * reported.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "model/request.h"
#include "net/url.h"

void request_limits_default(struct request_limits *lim)
{
    lim->max_body_bytes = 64 * 1024;
    lim->max_string_chars = 2000;
    lim->max_list_items = 50;
    lim->max_depth = 16;
    lim->max_leads = 100;
}

void problems_add(struct problems *p, const char *path, const char *fmt, ...)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 8;
        p->v = xrealloc(p->v, p->cap * sizeof *p->v);
    }
    va_list ap;
    va_start(ap, fmt);
    struct buf msg;
    buf_init(&msg, 4096);
    if (buf_vprintf(&msg, fmt, ap))
        buf_reset(&msg);
    va_end(ap);
    p->v[p->n].path = xstrdup(path);
    p->v[p->n].message = buf_detach(&msg);
    p->n++;
}

void problems_release(struct problems *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].path);
        free(p->v[i].message);
    }
    free(p->v);
    memset(p, 0, sizeof *p);
}

json_t *problems_to_json(const struct problems *p)
{
    json_t *list = json_array();
    for (size_t i = 0; i < p->n; i++)
        json_array_append_new(
            list, json_pack("{s:s, s:s}", "path", p->v[i].path, "message", p->v[i].message));
    char summary[160];
    snprintf(summary, sizeof summary, "the request has %zu problem%s", p->n, p->n == 1 ? "" : "s");
    return json_pack("{s:s, s:s, s:o}", "error", "invalid_request", "message", summary, "problems",
                     list);
}

void problems_print(const struct problems *p, FILE *out)
{
    for (size_t i = 0; i < p->n; i++)
        fprintf(out, "%s: %s\n", p->v[i].path, p->v[i].message);
}

/* Depth of the deepest array/object, scanning past strings; stops counting
 * once past max (the caller only needs to know it is too deep). */
static int scan_depth(const char *p, size_t n, int max)
{
    int depth = 0, deepest = 0;
    bool in_str = false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (++depth > deepest)
                deepest = depth;
            if (deepest > max)
                return deepest;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return deepest;
}

struct ctx {
    const struct request_limits *lim;
    struct problems *probs;
    const char *prefix; /* "business_context." or "" */
};

static bool has_control_chars(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t' && *s != '\r')
            return true;
    return false;
}

/* Checks one string value; on success returns a trimmed copy, else NULL. */
static char *check_string(struct ctx *c, const char *path, json_t *v, size_t max_chars)
{
    if (!json_is_string(v)) {
        problems_add(c->probs, path, "must be a string");
        return NULL;
    }
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v)) {
        problems_add(c->probs, path, "must not contain NUL characters");
        return NULL;
    }
    if (str_utf8_len(s) > max_chars) {
        problems_add(c->probs, path, "must be at most %zu characters (got %zu)", max_chars,
                     str_utf8_len(s));
        return NULL;
    }
    if (has_control_chars(s)) {
        problems_add(c->probs, path, "must not contain control characters");
        return NULL;
    }
    return str_trim_dup(s);
}

static void read_string(struct ctx *c, json_t *obj, const char *name, const char *prefix,
                        char **out)
{
    char path[160];
    snprintf(path, sizeof path, "%s%s", prefix, name);
    json_t *v = json_object_get(obj, name);
    char *s = NULL;
    if (v && !json_is_null(v))
        s = check_string(c, path, v, c->lim->max_string_chars);
    *out = s ? s : xstrdup("");
}

static void read_list(struct ctx *c, json_t *obj, const char *name, struct strlist *out)
{
    char path[160];
    snprintf(path, sizeof path, "%s%s", c->prefix, name);
    out->v = NULL;
    out->n = 0;
    json_t *v = json_object_get(obj, name);
    if (!v || json_is_null(v))
        return;
    if (!json_is_array(v)) {
        problems_add(c->probs, path, "must be an array of strings");
        return;
    }
    size_t n = json_array_size(v);
    if (n > c->lim->max_list_items) {
        problems_add(c->probs, path, "must have at most %zu items (got %zu)",
                     c->lim->max_list_items, n);
        return;
    }
    out->v = xcalloc(n ? n : 1, sizeof *out->v);
    for (size_t i = 0; i < n; i++) {
        char ipath[192];
        snprintf(ipath, sizeof ipath, "%s[%zu]", path, i);
        char *s = check_string(c, ipath, json_array_get(v, i), c->lim->max_string_chars);
        if (s && *s == '\0') /* a blank entry asks for nothing; skip it */
            free(s);
        else if (s)
            out->v[out->n++] = s;
    }
}

/* Whether s can name a company's domain: "acme.com", a URL or an e-mail
 * address: a dot after the last '@' or "//", and no space. */
bool request_names_domain(const char *s)
{
    if (strpbrk(s, " \t\r\n"))
        return false;
    const char *at = strrchr(s, '@'), *sl = strstr(s, "//");
    const char *host = at ? at + 1 : sl ? sl + 2 : s;
    size_t n = strcspn(host, "/?#:");
    const char *dot = memchr(host, '.', n);
    return dot && dot > host && dot + 1 < host + n;
}

char *request_target_url(const char *s, char *why, size_t n)
{
    if (!*s || strpbrk(s, " \t\r\n")) {
        snprintf(why, n, "is not a domain, URL or host:port (it is empty or has a space)");
        return NULL;
    }
    const char *sep = strstr(s, "://");
    if (!sep && strchr(s, '@')) {
        snprintf(why, n, "is an e-mail address; give its company's domain (%s)",
                 strrchr(s, '@') + 1);
        return NULL;
    }
    if (sep && !(sep - s == 4 && strncasecmp(s, "http", 4) == 0) &&
        !(sep - s == 5 && strncasecmp(s, "https", 5) == 0)) {
        snprintf(why, n, "is a %.*s URL; only http and https sites can be read", (int)(sep - s), s);
        return NULL;
    }
    const char *host = sep ? sep + 3 : s;
    size_t hn = strcspn(host, "/?#");
    const char *colon = host[0] == '[' ? NULL : memchr(host, ':', hn);
    size_t namelen = colon ? (size_t)(colon - host) : hn;
    const char *dot = memchr(host, '.', namelen);
    if (host[0] != '[' && (!dot || dot == host || dot + 1 >= host + namelen)) {
        snprintf(why, n, "is not a domain, URL or host:port (no domain name in it)");
        return NULL;
    }
    int port = 0;
    if (colon) {
        size_t digits = hn - namelen - 1;
        for (size_t i = 1; i <= digits; i++)
            port = isdigit((unsigned char)colon[i]) && port < 100000 ? port * 10 + colon[i] - '0'
                                                                     : 1 << 20;
        if (!digits || port < 1 || port > 65535) {
            snprintf(why, n, "has a bad port (from 1 to 65535)");
            return NULL;
        }
    }
    char *raw = sep ? xstrdup(s)
                    : xasprintf("%s://%s%s", port && port != 443 ? "http" : "https", s,
                                host[hn] == '/' ? "" : "/");
    char *url = url_normalize(raw);
    free(raw);
    char *h = url ? url_host(url) : NULL;
    if (!h) {
        free(url);
        snprintf(why, n, "is not a URL that can be read");
        return NULL;
    }
    free(h);
    return url;
}

/* The top-level companies: each must stand for a site; duplicates are
 * the pipeline's to answer row by row. */
static void read_companies(struct ctx *c, json_t *root, struct strlist *out)
{
    json_t *v = json_object_get(root, "companies");
    if (!v || json_is_null(v))
        return;
    if (!json_is_array(v)) {
        problems_add(c->probs, "companies", "must be an array of strings");
        return;
    }
    size_t n = json_array_size(v);
    if (n == 0 || n > REQUEST_MAX_COMPANIES) {
        problems_add(c->probs, "companies", "must have from 1 to %d items (got %zu)",
                     REQUEST_MAX_COMPANIES, n);
        return;
    }
    out->v = xcalloc(n, sizeof *out->v);
    for (size_t i = 0; i < n; i++) {
        char path[64], why[160];
        snprintf(path, sizeof path, "companies[%zu]", i);
        char *s = check_string(c, path, json_array_get(v, i), c->lim->max_string_chars);
        if (!s)
            continue;
        char *url = request_target_url(s, why, sizeof why);
        if (!url)
            problems_add(c->probs, path, "'%.80s' %s", s, why);
        free(url);
        out->v[out->n++] = s;
    }
}

static void read_max_leads(struct ctx *c, json_t *obj, int *out)
{
    char path[160];
    snprintf(path, sizeof path, "%smax_leads_to_generate", c->prefix);
    *out = REQUEST_DEFAULT_MAX_LEADS;
    json_t *v = json_object_get(obj, "max_leads_to_generate");
    if (!v || json_is_null(v))
        return;
    json_int_t n = json_is_integer(v) ? json_integer_value(v) : 0;
    if (!json_is_integer(v) || n < 1 || n > c->lim->max_leads) {
        problems_add(c->probs, path, "must be an integer from 1 to %d", c->lim->max_leads);
        return;
    }
    *out = (int)n;
}

static bool id_char_ok(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '.' || ch == '_' || ch == ':' || ch == '-';
}

static void read_job_id(struct ctx *c, json_t *root, struct request *r)
{
    json_t *v = json_object_get(root, "job_id");
    if (v && !json_is_null(v)) {
        if (!json_is_string(v)) {
            problems_add(c->probs, "job_id", "must be a string");
            return;
        }
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);
        bool ok = n >= 1 && n <= REQUEST_MAX_ID_CHARS && strlen(s) == n;
        for (size_t i = 0; ok && i < n; i++)
            ok = id_char_ok(s[i]);
        if (!ok) {
            problems_add(c->probs, "job_id", "must be 1 to %d characters from A-Z a-z 0-9 . _ : -",
                         REQUEST_MAX_ID_CHARS);
            return;
        }
        r->job_id = xstrdup(s);
        return;
    }
    char hex[25];
    str_random_hex(hex, 12);
    r->job_id = xasprintf("job_%s", hex);
    r->job_id_generated = true;
}

static void read_context(struct ctx *c, json_t *obj, struct business_context *bc)
{
    read_string(c, obj, "business_description", c->prefix, &bc->business_description);
    read_string(c, obj, "product_service_description", c->prefix, &bc->product_service_description);
    read_string(c, obj, "value_proposition", c->prefix, &bc->value_proposition);
    read_string(c, obj, "ideal_customer", c->prefix, &bc->ideal_customer);
    read_list(c, obj, "industry_focus", &bc->industry_focus);
    read_list(c, obj, "pain_points", &bc->pain_points);
    read_list(c, obj, "competitors", &bc->competitors);
    read_string(c, obj, "target_market", c->prefix, &bc->target_market);
    read_string(c, obj, "location", c->prefix, &bc->location);
    read_max_leads(c, obj, &bc->max_leads_to_generate);
}

static const char *context_fields[] = {"business_description",
                                       "product_service_description",
                                       "value_proposition",
                                       "ideal_customer",
                                       "industry_focus",
                                       "pain_points",
                                       "competitors",
                                       "target_market",
                                       "location",
                                       "max_leads_to_generate"};

static bool looks_like_bare_context(json_t *root)
{
    for (size_t i = 0; i < sizeof context_fields / sizeof *context_fields; i++)
        if (json_object_get(root, context_fields[i]))
            return true;
    return false;
}

/* Every field is set (possibly to "") so that release is uniform. */
static void fill_missing(struct request *r)
{
    char **strs[] = {&r->ctx.business_description, &r->ctx.product_service_description,
                     &r->ctx.value_proposition,    &r->ctx.ideal_customer,
                     &r->ctx.target_market,        &r->ctx.location,
                     &r->user_search_query,        &r->job_id};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        if (!*strs[i])
            *strs[i] = xstrdup("");
    if (!r->user_id)
        r->user_id = xstrdup("anonymous");
}

int request_parse(const char *body, size_t len, const struct request_limits *lim, unsigned flags,
                  struct request *out, struct problems *probs)
{
    memset(out, 0, sizeof *out);
    size_t before = probs->n;
    json_t *root = NULL;

    if (len > lim->max_body_bytes) {
        problems_add(probs, "body", "is %zu bytes; the limit is %zu bytes", len,
                     lim->max_body_bytes);
        goto fail;
    }
    size_t bad = 0;
    if (!str_utf8_check(body, len, &bad)) {
        problems_add(probs, "body", "is not valid UTF-8 (at byte offset %zu)", bad);
        goto fail;
    }
    size_t i = 0;
    while (i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t'))
        i++;
    if (i == len) {
        problems_add(probs, "body", "is empty; expected a JSON object");
        goto fail;
    }
    if (scan_depth(body, len, lim->max_depth) > lim->max_depth) {
        problems_add(probs, "body", "nests deeper than %d levels", lim->max_depth);
        goto fail;
    }
    json_error_t jerr;
    root = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!root) {
        const char *why = jerr.text;
        if (json_error_code(&jerr) == json_error_null_character)
            why = "a string contains \\u0000 (NUL), which is not allowed";
        problems_add(probs, "body", "is not valid JSON (line %d, column %d): %s", jerr.line,
                     jerr.column, why);
        goto fail;
    }
    if (!json_is_object(root)) {
        problems_add(probs, "body", "must be a JSON object");
        goto fail;
    }

    struct ctx c = {lim, probs, "business_context."};
    json_t *bc = json_object_get(root, "business_context");
    bool bare = !bc && (flags & REQUEST_ALLOW_BARE) && looks_like_bare_context(root);
    if (bare) {
        c.prefix = "";
        read_context(&c, root, &out->ctx);
    } else {
        if (bc && !json_is_object(bc) && !json_is_null(bc)) {
            problems_add(probs, "business_context", "must be an object");
            bc = NULL;
        }
        json_t *empty = json_object();
        read_context(&c, json_is_object(bc) ? bc : empty, &out->ctx);
        json_decref(empty);

        json_t *uid = json_object_get(root, "user_id");
        if (uid && !json_is_null(uid)) {
            char *s = check_string(&c, "user_id", uid, REQUEST_MAX_ID_CHARS);
            if (s && *s)
                out->user_id = s;
            else
                free(s);
        }
        read_job_id(&c, root, out);
        read_string(&c, root, "user_search_query", "", &out->user_search_query);
        /* a CRM's export is long: its own cap, the body's size the other */
        struct request_limits xl = *lim;
        xl.max_list_items = REQUEST_MAX_EXCLUDE;
        struct ctx top = {&xl, probs, ""};
        read_list(&top, root, "exclude_domains", &out->exclude_domains);
        for (size_t k = 0; k < out->exclude_domains.n; k++)
            if (!request_names_domain(out->exclude_domains.v[k]))
                problems_add(probs, "exclude_domains",
                             "item %zu, '%.60s', is not a domain, URL or e-mail address", k,
                             out->exclude_domains.v[k]);
        read_companies(&top, root, &out->companies);
    }

    if (probs->n == before && !out->companies.n && !*out->ctx.business_description &&
        !*out->ctx.ideal_customer && !(out->user_search_query && *out->user_search_query)) {
        problems_add(probs, bare ? "(context)" : "business_context",
                     "needs at least one of business_description, ideal_customer or "
                     "user_search_query");
    }
    fill_missing(out);
    if (probs->n != before)
        goto fail;
    json_decref(root);
    return 0;
fail:
    json_decref(root);
    fill_missing(out);
    request_release(out);
    return CORE_EINVAL;
}

static void strlist_release(struct strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

void request_release(struct request *r)
{
    struct business_context *bc = &r->ctx;
    free(bc->business_description);
    free(bc->product_service_description);
    free(bc->value_proposition);
    free(bc->ideal_customer);
    strlist_release(&bc->industry_focus);
    strlist_release(&bc->pain_points);
    strlist_release(&bc->competitors);
    free(bc->target_market);
    free(bc->location);
    free(r->user_id);
    free(r->job_id);
    free(r->user_search_query);
    strlist_release(&r->exclude_domains);
    strlist_release(&r->companies);
    memset(r, 0, sizeof *r);
}

static json_t *strlist_json(const struct strlist *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, json_string(l->v[i]));
    return a;
}

json_t *request_to_json(const struct request *r)
{
    const struct business_context *bc = &r->ctx;
    json_t *ctx =
        json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:i}", "business_description",
                  bc->business_description, "product_service_description",
                  bc->product_service_description, "value_proposition", bc->value_proposition,
                  "ideal_customer", bc->ideal_customer, "industry_focus",
                  strlist_json(&bc->industry_focus), "pain_points", strlist_json(&bc->pain_points),
                  "competitors", strlist_json(&bc->competitors), "target_market", bc->target_market,
                  "location", bc->location, "max_leads_to_generate", bc->max_leads_to_generate);
    json_t *j = json_pack("{s:o, s:s, s:s, s:s}", "business_context", ctx, "user_id", r->user_id,
                          "job_id", r->job_id, "user_search_query", r->user_search_query);
    if (r->exclude_domains.n) /* the seed's shape when there is none */
        json_object_set_new(j, "exclude_domains", strlist_json(&r->exclude_domains));
    if (r->companies.n)
        json_object_set_new(j, "companies", strlist_json(&r->companies));
    return j;
}
