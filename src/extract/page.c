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

static bool is_article(const struct extract_meta *m)
{
    if (m->og_type && strcasecmp(m->og_type, "article") == 0)
        return true;
    for (size_t i = 0; i < m->schema_types.n; i++) {
        const char *t = m->schema_types.v[i];
        if (!strcmp(t, "Article") || !strcmp(t, "BlogPosting") || !strcmp(t, "NewsArticle"))
            return true;
    }
    return false;
}

/* The page's country, as far as the page itself tells (the phones may tell
 * more, below): its address, its domain, another page of its site. */
static const char *country_told(const struct extract_meta *m, const struct extract_address *a,
                                const char *host, const char *hint)
{
    const char *c = m->address.country ? extract_country_code(m->address.country) : NULL;
    if (!c && a->country)
        c = extract_country_code(a->country);
    if (!c)
        c = extract__country_of_host(host);
    if (!c && hint && strlen(hint) == 2)
        c = hint;
    return c;
}

#define CUE_HEAD 8192 /* bytes of the visible text's start read for cues */
#define CUE_TAIL 4096 /* and of its end */

/* The start and the end of a page's visible text (all of a short one),
 * where it says what it is and sells. Caller frees. */
static char *cue_window(const char *text)
{
    size_t n = strlen(text);
    if (n <= CUE_HEAD + CUE_TAIL)
        return xstrdup(text);
    size_t head = CUE_HEAD, tail = n - CUE_TAIL;
    while (head > 0 && ((unsigned char)text[head] & 0xC0) == 0x80) /* whole characters */
        head--;
    while (tail < n && ((unsigned char)text[tail] & 0xC0) == 0x80)
        tail++;
    return xasprintf("%.*s\n%s", (int)head, text, text + tail);
}

void extract_page(const struct extract_doc *d, const char *country_hint, struct extract_page *pg)
{
    memset(pg, 0, sizeof *pg);
    pg->url = d->url ? xstrdup(d->url) : NULL;
    char *host = d->url ? url_host(d->url) : NULL;

    struct extract_meta m;
    extract__meta(d, &m);
    struct extract_text t;
    extract_text(d, &t);
    pg->site = d->url ? url_site(d->url) : NULL; /* a file: URL has no host */
    if (!pg->site)
        pg->site = extract__site_guess(d, &m, t.text);

    pg->title = *t.title ? xstrdup(t.title) : m.og_title ? xstrdup(m.og_title) : NULL;
    pg->company_name = extract__company_name(d, &m, pg->title, t.text, pg->site);
    pg->description = m.description ? xstrdup(m.description) : NULL;
    pg->main_text = extract_main_text(d);

    extract__emails(d, &m, t.text, pg->site, pg);
    extract__address(d, &m, t.text, &pg->address);
    /* The country: what the page says (address, domain, the site's other
     * pages), else the numbers written with +CC, else its language tag or
     * its prices' currency, else a North American number's own area. */
    const char *told = country_told(&m, &pg->address, host, country_hint);
    const char *weak = extract__country_of_lang(m.lang);
    if (!weak && m.og_locale)
        weak = extract__country_of_lang(m.og_locale);
    if (!weak)
        weak = extract__country_of_currency(t.text);
    char found[3];
    extract__phones(d, &m, t.text, told, weak, pg, found);
    const char *country = told ? told : found[0] ? found : weak;
    if (country)
        snprintf(pg->country, sizeof pg->country, "%s", country);

    extract__social(d, &m, pg);
    extract__size(&m, t.text, pg);
    /* what a page says of itself, in its hero, menus and footer: a long
     * page's middle is its articles, listings and reviews */
    char *said = cue_window(t.text);
    extract__intermediary(said, pg);
    char *chrome = extract__chrome(t.text, pg->main_text ? pg->main_text : "");
    bool publisher, store, article = is_article(&m);
    extract__model(said, article, &publisher, &store);
    struct industry_doc id = {
        .types = (const char *const *)m.schema_types.v,
        .ntypes = m.schema_types.n,
        .site = pg->site,
        .name = pg->company_name,
        .title = pg->title,
        .description = pg->description,
        .headings = t.headings,
        .text = pg->main_text,
        .chrome = chrome,
        .article = article,
        .offering = extract__offering(said),
        .publisher = publisher,
        .store = store,
    };
    pg->nnaics = industry_classify(&id, pg->naics, INDUSTRY_MAX_CODES);
    free(chrome);
    free(said);
    if (pg->nnaics && *industry_title(pg->naics[0].code)) /* one name per code */
        pg->industry = xstrdup(industry_title(pg->naics[0].code));
    extract__technologies(d, &m, pg);
    extract__links(d, pg->site, pg);
    extract__people(d, &m, pg->site, pg->company_name, publisher, pg);
    for (size_t i = 0; i < pg->npeople; i++) /* a person's own address is the page's too */
        if (pg->people[i].email)
            extract__add_email(pg, pg->people[i].email, pg->site);
    pg->page_types = m.schema_types;
    m.schema_types.v = NULL;
    m.schema_types.n = 0;
    pg->is_profile = m.og_type && strcasecmp(m.og_type, "profile") == 0;

    extract_text_release(&t);
    extract__meta_release(&m);
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

void extract_address_release(struct extract_address *a)
{
    free(a->street);
    free(a->locality);
    free(a->region);
    free(a->postal_code);
    free(a->country);
    memset(a, 0, sizeof *a);
}

void extract_page_release(struct extract_page *p)
{
    free(p->url);
    free(p->site);
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
    extract_address_release(&p->address);
    free(p->industry);
    free(p->company_size);
    list_release(&p->technologies);
    list_release(&p->page_types);
    for (size_t i = 0; i < p->nlinks; i++)
        free(p->links[i].url);
    free(p->links);
    for (size_t i = 0; i < p->npeople; i++)
        extract_person_release(&p->people[i]);
    free(p->people);
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
    json_object_set_new(o, "site", str_or_null(p->site));
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
    FIELD("naics", extract__naics_json(p->naics, p->nnaics));
    FIELD("country", p->country[0] ? json_string(p->country) : json_null());
    json_object_set_new(o, "intermediary", json_boolean(p->intermediary));
    FIELD("company_size", str_or_null(p->company_size));
    FIELD("founded", p->founded ? json_integer(p->founded) : json_null());
    json_t *tech = json_array();
    for (size_t i = 0; i < p->technologies.n; i++)
        json_array_append_new(tech, json_string(p->technologies.v[i]));
    FIELD("technologies", tech);
    json_t *people = json_array();
    for (size_t i = 0; i < p->npeople; i++)
        json_array_append_new(people, extract_person_json(&p->people[i]));
    FIELD("people", people);
#undef FIELD
    json_object_set_new(o, "provenance", prov);
    return o;
}
