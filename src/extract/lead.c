/* lead.c: lead assembly: one lead per registrable domain, merged across its
 * pages, every field remembering the page it came from. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "extract/extract_int.h"
#include "net/url.h"

void extract_lead_init(struct extract_lead *l, const char *site)
{
    memset(l, 0, sizeof *l);
    l->site = xstrdup(site);
}

static void set_value(struct extract_value *v, const char *value, const char *source, bool replace)
{
    if (!value || !*value || (v->value && !replace))
        return;
    free(v->value);
    free(v->source);
    v->value = xstrdup(value);
    v->source = xstrdup(source ? source : "");
}

void extract_lead_set_trade(struct extract_lead *l, const char *code, const char *source)
{
    const char *title = industry_title(code);
    if (!*title)
        return; /* a code the index does not know */
    struct industry_code all[INDUSTRY_MAX_CODES];
    size_t n = 0;
    all[n] = (struct industry_code){.score = 1.0, .phrase = title};
    snprintf(all[n++].code, sizeof all[0].code, "%s", code);
    for (size_t i = 0; i < l->nnaics && n < INDUSTRY_MAX_CODES; i++)
        if (strcmp(l->naics[i].code, code) != 0)
            all[n++] = l->naics[i];
    memcpy(l->naics, all, n * sizeof *all);
    l->nnaics = n;
    set_value(&l->industry, title, source, true);
}

static void add_value(struct extract_values *vs, const char *value, const char *source)
{
    for (size_t i = 0; i < vs->n; i++)
        if (strcmp(vs->v[i].value, value) == 0)
            return;
    vs->v = xrealloc(vs->v, (vs->n + 1) * sizeof *vs->v);
    vs->v[vs->n].value = xstrdup(value);
    vs->v[vs->n].source = xstrdup(source ? source : "");
    vs->n++;
}

static void add_list(struct extract_list *l, const char *s)
{
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = xstrdup(s ? s : "");
}

json_t *extract__naics_json(const struct industry_code *codes, size_t n)
{
    if (!n)
        return json_null();
    json_t *alt = json_array();
    for (size_t i = 1; i < n; i++)
        json_array_append_new(alt, json_string(codes[i].code));
    return json_pack("{s:s, s:s, s:s, s:s, s:f, s:o}", "code", codes[0].code, "title",
                     industry_title(codes[0].code), "matched",
                     *codes[0].phrase ? codes[0].phrase : industry_title(codes[0].code), "sector",
                     industry_sector(codes[0].code), "score",
                     (double)(int)(codes[0].score * 1000 + 0.5) / 1000, "alternatives", alt);
}

/* Merges a page's codes into the lead's: a code keeps its best score over
 * the pages. Returns whether the lead's best code changed. */
static bool merge_naics(struct extract_lead *l, const struct extract_page *p)
{
    char before[7];
    snprintf(before, sizeof before, "%s", l->nnaics ? l->naics[0].code : "");
    struct industry_code all[2 * INDUSTRY_MAX_CODES];
    size_t n = 0;
    for (size_t i = 0; i < l->nnaics; i++)
        all[n++] = l->naics[i];
    for (size_t i = 0; i < p->nnaics; i++) {
        size_t k = 0;
        while (k < n && strcmp(all[k].code, p->naics[i].code) != 0)
            k++;
        if (k == n)
            all[n++] = p->naics[i];
        else if (p->naics[i].score > all[k].score)
            all[k] = p->naics[i];
    }
    for (size_t a = 1; a < n; a++) /* best first, ties by code: stable */
        for (size_t b = a; b > 0 && (all[b].score > all[b - 1].score ||
                                     (all[b].score == all[b - 1].score &&
                                      strcmp(all[b].code, all[b - 1].code) < 0));
             b--) {
            struct industry_code t = all[b];
            all[b] = all[b - 1];
            all[b - 1] = t;
        }
    l->nnaics = n < INDUSTRY_MAX_CODES ? n : INDUSTRY_MAX_CODES;
    memcpy(l->naics, all, l->nnaics * sizeof *all);
    return l->nnaics && strcmp(before, l->naics[0].code) != 0;
}

/* ---- people ---- */

static void fill(char **dst, const char *s)
{
    if (!*dst && s && *s)
        *dst = xstrdup(s);
}

/* An address as the lead's list writes them: the domain in lower case. */
static char *mail_form(const char *s)
{
    char *m = xstrdup(s);
    for (char *c = strchr(m, '@'); c && *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return m;
}

/* A page's people join the lead's, one per person: the same name folded
 * (case, accents, punctuation) is the same person, who keeps the first
 * title found and gains the contacts that earlier pages did not show.
 * Their own addresses join the lead's, so that they are checked too. */
static void merge_people(struct extract_lead *l, const struct extract_page *p, const char *src)
{
    for (size_t i = 0; i < p->npeople; i++) {
        const struct extract_person *q = &p->people[i];
        char key[160], other[160];
        extract__name_fold(q->name ? q->name : "", q->name ? strlen(q->name) : 0, false, key,
                           sizeof key);
        if (!*key)
            continue;
        struct extract_person *have = NULL;
        for (size_t k = 0; k < l->npeople && !have; k++) {
            extract__name_fold(l->people[k].name, strlen(l->people[k].name), false, other,
                               sizeof other);
            if (!strcmp(key, other))
                have = &l->people[k];
        }
        if (!have && l->npeople < EXTRACT_MAX_LEAD_PEOPLE) {
            l->people = xrealloc(l->people, (l->npeople + 1) * sizeof *l->people);
            have = &l->people[l->npeople++];
            memset(have, 0, sizeof *have);
            have->name = xstrdup(q->name);
            have->source_url = xstrdup(q->source_url ? q->source_url : src);
        }
        if (have && !have->title && q->title) {
            have->title = xstrdup(q->title);
            have->seniority = q->seniority;
            have->department = q->department;
        }
        if (q->email && extract_email_valid(q->email)) {
            char *m = mail_form(q->email);
            if (have)
                fill(&have->email, m);
            add_value(&l->emails, m, src);
            const char *at = strchr(m, '@');
            char local[128];
            snprintf(local, sizeof local, "%.*s", (int)(at - m), m);
            if (extract_email_role(local))
                l->has_role_email = true;
            else
                l->has_personal_email = true;
            free(m);
        }
        if (have) {
            fill(&have->phone, q->phone);
            fill(&have->linkedin, q->linkedin);
        }
    }
}

json_t *extract_lead_people_json(const struct extract_lead *l, bool guess)
{
    struct extract_email_guess *g = NULL;
    if (guess && l->npeople) {
        g = xcalloc(l->npeople, sizeof *g);
        extract_lead_guess_emails(l, g);
    }
    json_t *a = json_array();
    for (size_t i = 0; i < l->npeople; i++) {
        json_t *o = extract_person_json(&l->people[i]);
        if (g && g[i].email)
            json_object_set_new(o, "email_guess", extract_email_guess_json(&g[i]));
        json_array_append_new(a, o);
    }
    for (size_t i = 0; g && i < l->npeople; i++)
        extract_email_guess_release(&g[i]);
    free(g);
    return a;
}

static bool is_home(const char *url)
{
    char *path = url ? url_path(url) : NULL;
    bool home = path && (strcmp(path, "/") == 0 || strcmp(path, "/index.html") == 0);
    free(path);
    return home;
}

void extract_lead_add(struct extract_lead *l, const struct extract_page *p)
{
    const char *src = p->url ? p->url : "";
    bool home = is_home(p->url);
    if (!l->website || home) {
        free(l->website);
        /* a saved page's web address is its site's, when the page named
         * one; else it has none (a file's path is no website) */
        bool file = !strncmp(src, "file:", 5);
        l->website = !file                  ? xstrdup(src)
                     : strchr(l->site, '.') ? xasprintf("https://%s/", l->site)
                                            : NULL;
    }
    add_list(&l->pages, src);
    add_list(&l->page_texts, p->main_text);
    set_value(&l->company_name, p->company_name, src, home);
    set_value(&l->description, p->description, src, home);
    if (merge_naics(l, p)) /* the trade, from the page that told it best */
        set_value(&l->industry, industry_title(l->naics[0].code), src, true);
    if (p->company_size && !l->company_size.value) {
        set_value(&l->company_size, p->company_size, src, false);
        l->employees = p->employees;
    }
    if (p->founded && !l->founded.value) {
        char y[16];
        snprintf(y, sizeof y, "%d", p->founded);
        set_value(&l->founded, y, src, false);
    }
    const struct extract_address *a = &p->address;
    if (!l->address.value && (a->street || a->postal_code || a->locality)) {
        char line[512];
        snprintf(line, sizeof line, "%s%s%s%s%s%s%s%s%s", a->street ? a->street : "",
                 a->street ? ", " : "", a->postal_code ? a->postal_code : "",
                 a->postal_code ? " " : "", a->locality ? a->locality : "", a->region ? ", " : "",
                 a->region ? a->region : "", a->country ? ", " : "", a->country ? a->country : "");
        set_value(&l->address, line, src, false);
        l->address_parts.street = a->street ? xstrdup(a->street) : NULL;
        l->address_parts.locality = a->locality ? xstrdup(a->locality) : NULL;
        l->address_parts.region = a->region ? xstrdup(a->region) : NULL;
        l->address_parts.postal_code = a->postal_code ? xstrdup(a->postal_code) : NULL;
        l->address_parts.country = a->country ? xstrdup(a->country) : NULL;
    }
    if (!l->country[0] && p->country[0])
        memcpy(l->country, p->country, sizeof l->country);
    /* Addresses of the site's own domain first: they reach the company. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < p->nemails; i++)
            if (p->emails[i].on_domain == (pass == 0)) {
                add_value(&l->emails, p->emails[i].address, src);
                if (p->emails[i].role)
                    l->has_role_email = true;
                else
                    l->has_personal_email = true;
            }
    merge_people(l, p, src);
    for (size_t i = 0; i < p->phones.n; i++)
        add_value(&l->phones, p->phones.v[i], src);
    for (size_t i = 0; i < p->technologies.n; i++)
        add_value(&l->technologies, p->technologies.v[i], src);
    for (size_t i = 0; i < p->social_network.n; i++) {
        bool have = false;
        size_t n = strlen(p->social_network.v[i]);
        for (size_t k = 0; k < l->social.n && !have; k++)
            have = strncmp(l->social.v[k].value, p->social_network.v[i], n) == 0 &&
                   l->social.v[k].value[n] == ' ';
        if (!have) {
            char pair[1024];
            snprintf(pair, sizeof pair, "%s %s", p->social_network.v[i], p->social_url.v[i]);
            add_value(&l->social, pair, src);
        }
    }
}

static json_t *value_json(const struct extract_value *v, json_t *prov, const char *key)
{
    if (!v->value)
        return json_null();
    json_object_set_new(prov, key, json_string(v->source));
    return json_string(v->value);
}

static json_t *values_json(const struct extract_values *vs, json_t *prov, const char *key)
{
    json_t *a = json_array();
    json_t *srcs = json_object();
    for (size_t i = 0; i < vs->n; i++) {
        json_array_append_new(a, json_string(vs->v[i].value));
        json_object_set_new(srcs, vs->v[i].value, json_string(vs->v[i].source));
    }
    if (vs->n)
        json_object_set_new(prov, key, srcs);
    else
        json_decref(srcs);
    return a;
}

json_t *extract_lead_json(const struct extract_lead *l)
{
    json_t *o = json_object();
    json_t *prov = json_object();
    json_object_set_new(o, "site", json_string(l->site));
    json_object_set_new(o, "website", json_string(l->website ? l->website : ""));
    json_object_set_new(o, "company_name", value_json(&l->company_name, prov, "company_name"));
    json_object_set_new(o, "description", value_json(&l->description, prov, "description"));
    json_object_set_new(o, "industry", value_json(&l->industry, prov, "industry"));
    json_object_set_new(o, "naics", extract__naics_json(l->naics, l->nnaics));
    json_object_set_new(o, "company_size", value_json(&l->company_size, prov, "company_size"));
    json_object_set_new(o, "founded", value_json(&l->founded, prov, "founded"));
    json_object_set_new(o, "address", value_json(&l->address, prov, "address"));
    if (l->address.value) { /* its parts, for a CRM's street, city, region and postcode */
        const struct extract_address *a = &l->address_parts;
        json_t *parts = json_object();
        const char *names[] = {"street", "city", "region", "postal_code", "country"};
        const char *vals[] = {a->street, a->locality, a->region, a->postal_code, a->country};
        for (size_t i = 0; i < 5; i++)
            if (vals[i])
                json_object_set_new(parts, names[i], json_string(vals[i]));
        json_object_set_new(o, "address_parts", parts);
    }
    json_object_set_new(o, "country", l->country[0] ? json_string(l->country) : json_null());
    json_object_set_new(o, "emails", values_json(&l->emails, prov, "emails"));
    json_object_set_new(o, "phones", values_json(&l->phones, prov, "phones"));
    json_t *social = json_object(), *social_src = json_object();
    for (size_t i = 0; i < l->social.n; i++) {
        const char *pair = l->social.v[i].value;
        const char *sp = strchr(pair, ' ');
        char net[32];
        snprintf(net, sizeof net, "%.*s", (int)(sp - pair), pair);
        json_object_set_new(social, net, json_string(sp + 1));
        json_object_set_new(social_src, net, json_string(l->social.v[i].source));
    }
    json_object_set_new(o, "social", social);
    if (l->social.n)
        json_object_set_new(prov, "social", social_src);
    else
        json_decref(social_src);
    json_object_set_new(o, "technologies", values_json(&l->technologies, prov, "technologies"));
    json_t *pages = json_array();
    for (size_t i = 0; i < l->pages.n; i++)
        json_array_append_new(pages, json_string(l->pages.v[i]));
    json_object_set_new(o, "pages", pages);
    json_object_set_new(o, "people", extract_lead_people_json(l, false));
    json_object_set_new(o, "provenance", prov);
    return o;
}

static void value_release(struct extract_value *v)
{
    free(v->value);
    free(v->source);
}

static void values_release(struct extract_values *vs)
{
    for (size_t i = 0; i < vs->n; i++)
        value_release(&vs->v[i]);
    free(vs->v);
}

static void list_release(struct extract_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

void extract_lead_release(struct extract_lead *l)
{
    free(l->site);
    free(l->website);
    value_release(&l->company_name);
    value_release(&l->description);
    value_release(&l->industry);
    value_release(&l->company_size);
    value_release(&l->founded);
    value_release(&l->address);
    free(l->address_parts.street);
    free(l->address_parts.locality);
    free(l->address_parts.region);
    free(l->address_parts.postal_code);
    free(l->address_parts.country);
    values_release(&l->emails);
    values_release(&l->phones);
    values_release(&l->technologies);
    values_release(&l->social);
    list_release(&l->pages);
    list_release(&l->page_texts);
    for (size_t i = 0; i < l->npeople; i++)
        extract_person_release(&l->people[i]);
    free(l->people);
    memset(l, 0, sizeof *l);
}
