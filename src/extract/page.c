/* page.c: all lead fields of one page (extract_page), and their JSON form
 * for `prospect extract`. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/str.h"
#include "extract/extract_int.h"
#include "net/url.h"

/* Country-code top-level domains worth a guess ("co.uk" ends in "uk"). */
static const char *country_of_tld(const char *host)
{
    static const char *const map[][2] = {
        {"uk", "GB"}, {"de", "DE"}, {"fr", "FR"}, {"nl", "NL"}, {"ie", "IE"}, {"es", "ES"},
        {"se", "SE"}, {"au", "AU"}, {"ca", "CA"}, {"us", "US"}, {"it", "IT"}, {"pt", "PT"},
        {"be", "BE"}, {"ch", "CH"}, {"at", "AT"}, {"dk", "DK"}, {"no", "NO"}, {"fi", "FI"},
        {"pl", "PL"}, {"nz", "NZ"}, {"in", "IN"}, {"sg", "SG"}, {"za", "ZA"}, {"mx", "MX"},
        {"br", "BR"}, {"jp", "JP"},
    };
    const char *dot = host ? strrchr(host, '.') : NULL;
    if (!dot)
        return NULL;
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strcasecmp(dot + 1, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

static bool generic_title_part(const char *s)
{
    static const char *const generic[] = {
        "home",       "homepage", "home page", "about",    "about us", "contact",
        "contact us", "welcome",  "careers",   "jobs",     "news",     "blog",
        "impressum",  "imprint",  "team",      "our team", "privacy",  NULL};
    for (const char *const *g = generic; *g; g++)
        if (strcasecmp(s, *g) == 0)
            return true;
    return false;
}

/* Letters and digits only, lower case: "Aster Cloud" and "aster-cloud" agree. */
static void squash(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (; *s && k + 1 < n; s++)
        if (isalnum((unsigned char)*s))
            out[k++] = (char)tolower((unsigned char)*s);
    out[k] = '\0';
}

/* The company's name from the title: split at separators, drop generic
 * parts, prefer the part that matches the domain name. */
static char *name_from_title(const char *title, const char *site)
{
    char *parts[8];
    size_t n = 0;
    char *copy = xstrdup(title);
    char *p = copy;
    static const char *const seps[] = {" | ", " - ", " – ", " — ", " :: ", ": ", " · ", NULL};
    while (*p && n < 8) {
        char *cut = NULL;
        size_t seplen = 0;
        for (const char *const *s = seps; *s; s++) {
            char *hit = strstr(p, *s);
            if (hit && (!cut || hit < cut)) {
                cut = hit;
                seplen = strlen(*s);
            }
        }
        if (cut)
            *cut = '\0';
        char *t = str_trim_dup(p);
        if (*t && !generic_title_part(t))
            parts[n++] = t;
        else
            free(t);
        if (!cut)
            break;
        p = cut + seplen;
    }
    char label[128] = "";
    if (site) {
        char first[128];
        snprintf(first, sizeof first, "%.*s", (int)strcspn(site, "."), site);
        squash(first, label, sizeof label);
    }
    char *best = NULL;
    for (size_t i = 0; i < n && !best; i++) {
        char sq[256];
        squash(parts[i], sq, sizeof sq);
        if (*label && *sq && (strstr(sq, label) || strstr(label, sq)))
            best = parts[i];
    }
    if (!best && n)
        best = parts[0];
    char *out = best && strlen(best) <= 80 ? xstrdup(best) : NULL;
    for (size_t i = 0; i < n; i++)
        free(parts[i]);
    free(copy);
    return out;
}

void extract_page(const struct extract_doc *d, const char *country_hint, struct extract_page *pg)
{
    memset(pg, 0, sizeof *pg);
    pg->url = d->url ? xstrdup(d->url) : NULL;
    char *site = d->url ? url_site(d->url) : NULL;
    char *host = d->url ? url_host(d->url) : NULL;

    struct extract_meta m;
    extract__meta(d, &m);
    struct extract_text t;
    extract_text(d, &t);

    pg->title = *t.title ? xstrdup(t.title) : m.og_title ? xstrdup(m.og_title) : NULL;
    if (m.name)
        pg->company_name = xstrdup(m.name);
    else if (m.og_site_name)
        pg->company_name = xstrdup(m.og_site_name);
    else if (pg->title)
        pg->company_name = name_from_title(pg->title, site);
    pg->description = m.description ? xstrdup(m.description) : NULL;
    pg->main_text = extract_main_text(d);

    /* The page's country: its own structured address, the caller's hint
     * (another page of the site), the top-level domain, the language tag. */
    const char *country = m.address.country ? extract__country_code(m.address.country) : NULL;
    if (!country && country_hint && strlen(country_hint) == 2)
        country = country_hint;
    if (!country)
        country = country_of_tld(host);
    if (!country && m.lang && strlen(m.lang) == 5 && (m.lang[2] == '-' || m.lang[2] == '_')) {
        char cc[3] = {(char)toupper((unsigned char)m.lang[3]),
                      (char)toupper((unsigned char)m.lang[4]), 0};
        country = extract__country_code(cc);
    }
    if (country)
        snprintf(pg->country, sizeof pg->country, "%s", country);

    extract__contacts(d, &m, t.text, site, pg);
    extract__size(&m, t.text, pg);
    extract__industry(&m, pg->title, t.headings, pg->main_text, pg);
    extract__technologies(d, &m, pg);
    extract__links(d, site, pg);
    pg->page_types = m.schema_types;
    m.schema_types.v = NULL;
    m.schema_types.n = 0;
    pg->is_profile = m.og_type && strcasecmp(m.og_type, "profile") == 0;

    extract_text_release(&t);
    extract__meta_release(&m);
    free(site);
    free(host);
}

static void list_release(struct extract_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

void extract_page_release(struct extract_page *p)
{
    free(p->url);
    free(p->title);
    free(p->company_name);
    free(p->description);
    free(p->main_text);
    for (size_t i = 0; i < p->nemails; i++)
        free(p->emails[i].address);
    free(p->emails);
    list_release(&p->phones);
    list_release(&p->social_network);
    list_release(&p->social_url);
    free(p->address.street);
    free(p->address.locality);
    free(p->address.region);
    free(p->address.postal_code);
    free(p->address.country);
    free(p->industry);
    free(p->company_size);
    list_release(&p->technologies);
    list_release(&p->page_types);
    for (size_t i = 0; i < p->nlinks; i++)
        free(p->links[i].url);
    free(p->links);
    memset(p, 0, sizeof *p);
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *extract_page_json(const struct extract_page *p)
{
    json_t *o = json_object();
    json_t *prov = json_object();
    const char *src = p->url;
#define FIELD(key, value)                                                                          \
    do {                                                                                           \
        json_t *v_ = (value);                                                                      \
        bool empty_ = json_is_null(v_) || (json_is_array(v_) && !json_array_size(v_)) ||           \
                      (json_is_object(v_) && !json_object_size(v_));                               \
        if (src && !empty_)                                                                        \
            json_object_set_new(prov, key, json_string(src));                                      \
        json_object_set_new(o, key, v_);                                                           \
    } while (0)
    json_object_set_new(o, "url", str_or_null(p->url));
    FIELD("title", str_or_null(p->title));
    FIELD("company_name", str_or_null(p->company_name));
    FIELD("description", str_or_null(p->description));
    FIELD("main_text", str_or_null(p->main_text));
    json_t *emails = json_array();
    for (size_t i = 0; i < p->nemails; i++)
        json_array_append_new(emails, json_string(p->emails[i].address));
    FIELD("emails", emails);
    json_t *phones = json_array();
    for (size_t i = 0; i < p->phones.n; i++)
        json_array_append_new(phones, json_string(p->phones.v[i]));
    FIELD("phones", phones);
    json_t *social = json_object();
    for (size_t i = 0; i < p->social_network.n; i++)
        json_object_set_new(social, p->social_network.v[i], json_string(p->social_url.v[i]));
    FIELD("social", social);
    const struct extract_address *a = &p->address;
    json_t *addr = json_null();
    if (a->street || a->locality || a->region || a->postal_code || a->country)
        addr = json_pack("{s:o, s:o, s:o, s:o, s:o}", "street", str_or_null(a->street), "locality",
                         str_or_null(a->locality), "region", str_or_null(a->region), "postal_code",
                         str_or_null(a->postal_code), "country", str_or_null(a->country));
    FIELD("address", addr);
    FIELD("industry", str_or_null(p->industry));
    FIELD("company_size", str_or_null(p->company_size));
    FIELD("founded", p->founded ? json_integer(p->founded) : json_null());
    json_t *tech = json_array();
    for (size_t i = 0; i < p->technologies.n; i++)
        json_array_append_new(tech, json_string(p->technologies.v[i]));
    FIELD("technologies", tech);
#undef FIELD
    json_object_set_new(o, "provenance", prov);
    return o;
}
