/* search_osm.c: OpenStreetMap as a search provider, with no key. The
 * context's place (location, else target market) is geocoded by Nominatim
 * (/search, format=jsonv2); the OSM tags of its kinds of customer are asked
 * of the Overpass API inside that area (a relation's area, else its
 * bounding box), as nodes, ways and relations with their tags. The kinds
 * map to tags through their NAICS codes, those the scoring reads them into,
 * by data/osm/naics-osm.csv. Each element is a candidate: its website is
 * read as usual; one without a website is a lead from its tags alone.
 *
 * The services' policies: a User-Agent that names a contact
 * (PROSPECT_CONTACT, else the provider refuses to start), at most one
 * Nominatim request a second and one Overpass request at a time in the
 * process, answers cached, 429 and 504 retried with backoff. OSM data is
 * ODbL: every result carries its attribution.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/embed.h"
#include "core/log.h"
#include "industry/industry.h"
#include "search/search_int.h"

#define MAX_TAGS 12 /* tags asked of Overpass in one query */

extern const struct embed_file osm__data[]; /* data/osm/, embedded */

struct osm {
    struct web web;           /* Overpass: its upstream and URL */
    struct upstream *geocode; /* Nominatim */
    char *nominatim_url;
};

/* ---- the kinds of customer as OSM tags ---- */

struct tag {
    char key[32], value[48], kind[64];
    char naics[8]; /* the table's code of the tag */
};

/* The tags of the kinds bc names, by NAICS code: a row whose code is the
 * kind's or lies under it (a kind named by its branch takes every trade of
 * the branch). Returns how many (at most max). */
static size_t tags_of(const struct business_context *bc, struct tag *out, size_t max)
{
    struct industry_kind kinds[INDUSTRY_MAX_KINDS];
    bool from_focus[INDUSTRY_MAX_KINDS];
    size_t nk = industry_context_kinds(bc, kinds, from_focus);
    const struct embed_file *f = osm__data;
    while (f->name && strcmp(f->name, "naics-osm.csv") != 0)
        f++;
    size_t n = 0;
    for (size_t k = 0; k < nk && f->name; k++)
        for (size_t c = 0; c < kinds[k].ncodes; c++) {
            const char *code = kinds[k].codes[c].code;
            size_t clen = strlen(code);
            const char *line = (const char *)f->data;
            for (line = strchr(line, '\n'); line && n < max; line = strchr(line, '\n')) {
                line++; /* the header is skipped */
                struct tag t;
                if (sscanf(line, "%7[0-9],%31[^,],%47[^,],%63[^,\r\n]", t.naics, t.key, t.value,
                           t.kind) != 4)
                    continue;
                size_t nlen = strlen(t.naics);
                if (strncmp(t.naics, code, nlen < clen ? nlen : clen) != 0 || nlen < 2)
                    continue;
                bool seen = false;
                for (size_t i = 0; i < n && !seen; i++)
                    seen = !strcmp(out[i].key, t.key) && !strcmp(out[i].value, t.value);
                if (!seen)
                    out[n++] = t;
            }
        }
    return n;
}

/* ---- a context's search: Nominatim, then Overpass ---- */

struct osm_run {
    struct osm *o;
    struct tag tags[MAX_TAGS];
    size_t ntags, limit;
    char place[512];
    struct search_results *out;
    struct err *e;
    struct upstream_response r;
    search_done_fn done;
    void *ctx;
};

static void run_end(struct osm_run *x, int rc)
{
    if (rc)
        search_results_release(x->out);
    x->done(x->ctx, rc);
    free(x);
}

static const char *tag_str(json_t *tags, const char *a, const char *b)
{
    const char *v = json_string_value(json_object_get(tags, a));
    if ((!v || !*v) && b)
        v = json_string_value(json_object_get(tags, b));
    return v && *v ? v : NULL;
}

/* What OSM knows of a place, as lines a lead can be read from: its name,
 * kind, contacts and address. */
static char *describe(json_t *tags, const struct tag *kind)
{
    struct buf b;
    buf_init(&b, 0);
    const char *name = tag_str(tags, "name", NULL);
    int rc = buf_printf(&b, "%s\n", name ? name : "");
    if (kind)
        rc |= buf_printf(&b, "%s (OpenStreetMap %s=%s)\n", kind->kind, kind->key, kind->value);
    /* the address first, on a line of its own (before the numbers), as a postal
     * line: "1900 East 7th Street, Austin, TX 78702" */
    const char *parts[][2] = {{tag_str(tags, "addr:housenumber", NULL), " "},
                              {tag_str(tags, "addr:street", NULL), ", "},
                              {tag_str(tags, "addr:city", NULL), ", "},
                              {tag_str(tags, "addr:state", NULL), " "},
                              {tag_str(tags, "addr:postcode", NULL), ""}};
    if (parts[1][0] || parts[2][0]) {
        const char *sep = "";
        for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
            if (parts[i][0]) {
                rc |= buf_printf(&b, "%s%s", sep, parts[i][0]);
                sep = parts[i][1];
            }
        rc |= buf_putc(&b, '\n');
    }
    static const char *const lines[][3] = {{"Phone", "phone", "contact:phone"},
                                           {"E-mail", "email", "contact:email"},
                                           {"Website", "website", "contact:website"},
                                           {"Opening hours", "opening_hours", NULL}};
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        const char *v = tag_str(tags, lines[i][1], lines[i][2]);
        if (v)
            rc |= buf_printf(&b, "%s: %s\n", lines[i][0], v);
    }
    (void)rc; /* no cap on b */
    return buf_detach(&b);
}

/* The kind an element was found as: the first asked tag it carries. */
static const struct tag *kind_of(const struct osm_run *x, json_t *tags)
{
    for (size_t i = 0; i < x->ntags; i++) {
        const char *v = json_string_value(json_object_get(tags, x->tags[i].key));
        if (v && strcmp(v, x->tags[i].value) == 0)
            return &x->tags[i];
    }
    return NULL;
}

/* Files Overpass's elements: those with a website first (they can be
 * read), then the others, each in the order Overpass gave. */
static void file_elements(struct osm_run *x, json_t *elements)
{
    for (int pass = 0; pass < 2; pass++) {
        size_t i;
        json_t *el;
        json_array_foreach (elements, i, el) {
            json_t *tags = json_object_get(el, "tags");
            const char *name = tag_str(tags, "name", NULL);
            const char *site = tag_str(tags, "website", "contact:website");
            if (!name || (pass == 0) != (site != NULL))
                continue;
            const char *type = json_string_value(json_object_get(el, "type"));
            json_int_t id = json_integer_value(json_object_get(el, "id"));
            const struct tag *kind = kind_of(x, tags);
            char *text = describe(tags, kind);
            size_t before = x->out->n;
            if (site) {
                char *url = strstr(site, "://") ? xstrdup(site) : xasprintf("https://%s", site);
                search__add(x->out, x->limit, url, name, text, text, 1.0);
                free(url);
            } else {
                char key[96], map[128];
                snprintf(key, sizeof key, "osm-%s-%lld", type ? type : "node", (long long)id);
                snprintf(map, sizeof map, "https://www.openstreetmap.org/%s/%lld",
                         type ? type : "node", (long long)id);
                search__add_place(x->out, x->limit, key, map, name, text);
            }
            for (size_t k = before; k < x->out->n; k++) {
                x->out->v[k].attribution = SEARCH_OSM_ATTRIBUTION;
                if (kind && strlen(kind->naics) == 6) /* a trade, not a branch */
                    memcpy(x->out->v[k].naics, kind->naics, 7);
            }
            free(text);
        }
    }
}

void search__osm_results(json_t *answer, size_t limit, struct search_results *out)
{
    struct osm_run x = {.limit = limit, .out = out};
    json_t *elements = json_object_get(answer, "elements");
    if (json_is_array(elements))
        file_elements(&x, elements);
}

static void overpass_answered(void *ctx, int rc)
{
    struct osm_run *x = ctx;
    json_t *j = search__answer(&x->o->web, "overpass", rc, &x->r, x->e);
    if (!j) {
        run_end(x, x->e->code ? x->e->code : CORE_EUPSTREAM);
        return;
    }
    json_t *elements = json_object_get(j, "elements");
    if (!json_is_array(elements)) {
        const char *remark = json_string_value(json_object_get(j, "remark"));
        err_set(x->e, CORE_EPARSE, "overpass: no elements in the answer%s%s", remark ? ": " : "",
                remark ? remark : "");
        json_decref(j);
        run_end(x, CORE_EPARSE);
        return;
    }
    file_elements(x, elements);
    json_decref(j);
    run_end(x, 0);
}

/* The Overpass QL of the run's tags inside area (an "area:ID" or a
 * "south,west,north,east" box). */
static char *overpass_ql(const struct osm_run *x, const char *area)
{
    struct buf b;
    buf_init(&b, 0);
    int rc = buf_puts(&b, "[out:json][timeout:25];\n(\n");
    for (size_t i = 0; i < x->ntags; i++)
        rc |= buf_printf(&b, "  nwr[\"%s\"=\"%s\"](%s);\n", x->tags[i].key, x->tags[i].value, area);
    rc |= buf_printf(&b, ");\nout center tags %zu;\n", x->limit * 2);
    (void)rc;
    return buf_detach(&b);
}

static void nominatim_answered(void *ctx, int rc)
{
    struct osm_run *x = ctx;
    struct osm *o = x->o;
    json_t *j = NULL;
    if (rc == 0) { /* an array, which search__answer does not take */
        json_error_t je;
        j = json_loadb(buf_cstr(&x->r.body), x->r.body.len, 0, &je);
        if (!json_is_array(j))
            rc = err_set(x->e, CORE_EPARSE, "nominatim: malformed answer (%s)",
                         j ? "not a list of places" : je.text);
    }
    upstream_response_release(&x->r);
    json_t *place = json_array_get(j, 0);
    json_t *bb = json_object_get(place, "boundingbox");
    if (!rc && json_array_size(bb) != 4)
        rc = err_set(x->e, CORE_ENOTFOUND, "nominatim knows no place called \"%s\"", x->place);
    if (rc) {
        json_decref(j);
        run_end(x, rc);
        return;
    }
    char area[160];
    const char *type = json_string_value(json_object_get(place, "osm_type"));
    json_int_t id = json_integer_value(json_object_get(place, "osm_id"));
    if (type && strcmp(type, "relation") == 0 && id > 0)
        snprintf(area, sizeof area, "area:%lld", 3600000000LL + (long long)id);
    else /* boundingbox is south, north, west, east; Overpass wants s,w,n,e */
        snprintf(area, sizeof area, "%s,%s,%s,%s", json_string_value(json_array_get(bb, 0)),
                 json_string_value(json_array_get(bb, 2)), json_string_value(json_array_get(bb, 1)),
                 json_string_value(json_array_get(bb, 3)));
    log_info("osm area", LOG_S("place", x->place),
             LOG_S("found", json_string_value(json_object_get(place, "display_name"))),
             LOG_S("area", area));
    json_decref(j);
    char *ql = overpass_ql(x, area);
    char *q = curl_easy_escape(NULL, ql, 0);
    char *url = xasprintf("%s?data=%s", o->web.base_url, q);
    struct upstream_request rq = search__request(&o->web, "GET", url, NULL);
    upstream_call_async(o->web.up, &rq, &x->r, x->e, overpass_answered, x);
    curl_free(q);
    free(url);
    free(ql);
}

static int osm_context_async(struct search_provider *p, const struct business_context *bc,
                             size_t limit, struct search_results *out, struct err *e,
                             search_done_fn done, void *ctx)
{
    struct osm *o = (struct osm *)p;
    const char *place = *bc->location ? bc->location : bc->target_market;
    if (!*place)
        return err_set(e, CORE_EINVAL,
                       "osm searches a place: give the business context a location or a target "
                       "market (a city, region or country)");
    struct tag tags[MAX_TAGS];
    size_t ntags = tags_of(bc, tags, MAX_TAGS);
    if (ntags == 0)
        return err_set(e, CORE_EINVAL,
                       "osm: none of the kinds of customer named (industry focus, ideal customer) "
                       "has an OpenStreetMap tag; name trades or shops, such as plumbers or "
                       "florists");
    struct osm_run *x = xcalloc(1, sizeof *x);
    *x = (struct osm_run){
        .o = o, .ntags = ntags, .limit = limit, .out = out, .e = e, .done = done, .ctx = ctx};
    memcpy(x->tags, tags, ntags * sizeof *tags);
    snprintf(x->place, sizeof x->place, "%s", place);
    char *q = curl_easy_escape(NULL, place, 0);
    char *url = xasprintf("%s/search?q=%s&format=jsonv2&limit=1", o->nominatim_url, q);
    struct upstream_request rq = search__request(&o->web, "GET", url, NULL);
    upstream_call_async(o->geocode, &rq, &x->r, e, nominatim_answered, x);
    curl_free(q);
    free(url);
    return 0;
}

static void osm_free(struct search_provider *p)
{
    struct osm *o = (struct osm *)p;
    free(o->nominatim_url);
    search__web_release(&o->web);
    free(o);
}

static const struct search_ops osm_ops = {
    .name = "osm",
    .context_async = osm_context_async,
    .free = osm_free,
    .usage = search__web_usage,
    .web = true,
};

int search__open_user_agent(const struct config *cfg, const char *provider, char *out, size_t n,
                            struct err *e)
{
    if (!*cfg->contact)
        return err_set(e, CORE_EINVAL,
                       "the %s search provider needs PROSPECT_CONTACT (your e-mail address or "
                       "URL): OpenStreetMap's and Wikidata's services require a User-Agent that "
                       "says who to contact about the traffic",
                       provider);
    snprintf(out, n, "%s contact: %s", cfg->user_agent, cfg->contact);
    return 0;
}

int search_osm_open(const struct config *cfg, const struct upstream_cache *cache,
                    struct search_provider **out, struct err *e)
{
    char ua[512];
    if (search__open_user_agent(cfg, "osm", ua, sizeof ua, e))
        return CORE_EINVAL;
    struct osm *o = xcalloc(1, sizeof *o);
    search__web_init(&o->web, &osm_ops, cfg, cache, cfg->overpass_url);
    o->nominatim_url = search__base_url(cfg->nominatim_url);
    struct upstream_options uo;
    upstream_options_from_config(cfg, "nominatim", 60, &uo); /* one a second */
    uo.burst = 1;
    uo.user_agent = ua;
    o->geocode = upstream_shared(&uo);
    upstream_options_from_config(cfg, "overpass", (int)cfg->search_rpm, &uo);
    uo.user_agent = ua;
    uo.max_in_flight = 1; /* the public instances' rule: one query at a time */
    o->web.up = upstream_shared(&uo);
    *out = &o->web.base;
    return 0;
}
