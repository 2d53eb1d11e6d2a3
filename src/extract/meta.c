/* meta.c: what a page says about itself in markup: <title>, meta
 * description, OpenGraph, JSON-LD and microdata (schema.org Organization,
 * LocalBusiness, Corporation and their kin), and the schema.org types it
 * declares (NewsArticle, JobPosting, ProfilePage... tell a lead from a
 * page that only mentions one). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "core/alloc.h"
#include "core/str.h"
#include "extract/extract_int.h"

#define JSONLD_MAX (512 * 1024)

static char *prop(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = str_trim_dup((const char *)v);
    xmlFree(v);
    if (!*s) {
        free(s);
        return NULL;
    }
    return s;
}

/* Whether an element carries the attribute: xmlHasProp would also look for
 * a DTD default, which HTML pages never declare, at a cost on every element. */
static bool has_attr(xmlNodePtr n, const char *name)
{
    for (xmlAttrPtr a = n->properties; a; a = a->next)
        if (a->name && strcmp((const char *)a->name, name) == 0)
            return true;
    return false;
}

static void set_once(char **dst, char *value)
{
    if (!*dst && value && *value)
        *dst = value;
    else
        free(value);
}

/* Organisation-like schema.org types (a lead's own markup). */
static bool org_type(const char *t)
{
    static const char *const types[] = {"Organization",
                                        "LocalBusiness",
                                        "Corporation",
                                        "ProfessionalService",
                                        "MedicalBusiness",
                                        "MedicalClinic",
                                        "Dentist",
                                        "MedicalOrganization",
                                        "Physician",
                                        "LegalService",
                                        "Attorney",
                                        "AccountingService",
                                        "FinancialService",
                                        "Store",
                                        "OnlineStore",
                                        "Restaurant",
                                        "FoodEstablishment",
                                        "HomeAndConstructionBusiness",
                                        "GeneralContractor",
                                        "AutomotiveBusiness",
                                        "EducationalOrganization",
                                        "NGO",
                                        "Hotel",
                                        "LodgingBusiness",
                                        "RealEstateAgent",
                                        "TravelAgency",
                                        "EmploymentAgency",
                                        "Brewery",
                                        "Bakery",
                                        "HealthAndBeautyBusiness",
                                        "SoftwareCompany",
                                        "ITService",
                                        "MovingCompany",
                                        NULL};
    const char *base = strrchr(t, '/');
    base = base ? base + 1 : t;
    for (const char *const *p = types; *p; p++)
        if (strcmp(*p, base) == 0)
            return true;
    return false;
}

static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_array(v) && json_is_string(json_array_get(v, 0)))
        return json_string_value(json_array_get(v, 0));
    if (json_is_object(v)) { /* {"@id"/"url": ...} or {"name": ...} */
        json_t *inner = json_object_get(v, "url");
        if (!json_is_string(inner))
            inner = json_object_get(v, "name");
        return json_is_string(inner) ? json_string_value(inner) : NULL;
    }
    return NULL;
}

static void dup_once(char **dst, const char *v)
{
    if (v && *v)
        set_once(dst, str_trim_dup(v));
}

static int year_of(const char *s)
{
    for (const char *p = s; p && *p; p++) {
        if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
            isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
            (p == s || !isdigit((unsigned char)p[-1])) && !isdigit((unsigned char)p[4])) {
            int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
            if (y >= 1700 && y <= 2100)
                return y;
        }
    }
    return 0;
}

static void take_employees(struct extract_meta *m, json_t *v)
{
    if (json_is_integer(v) && json_integer_value(v) > 0)
        m->employees_min = m->employees_max = (int)json_integer_value(v);
    else if (json_is_string(v))
        m->employees_min = m->employees_max = (int)strtol(json_string_value(v), NULL, 10);
    else if (json_is_object(v)) {
        json_t *val = json_object_get(v, "value");
        if (val) {
            take_employees(m, val);
            return;
        }
        json_t *lo = json_object_get(v, "minValue"), *hi = json_object_get(v, "maxValue");
        m->employees_min = json_is_integer(lo) ? (int)json_integer_value(lo) : 0;
        m->employees_max = json_is_integer(hi) ? (int)json_integer_value(hi) : 0;
    }
    if (m->employees_min < 0 || m->employees_min > 10000000)
        m->employees_min = m->employees_max = 0;
}

static void take_address(struct extract_meta *m, json_t *a)
{
    if (json_is_array(a))
        a = json_array_get(a, 0);
    if (json_is_string(a)) {
        dup_once(&m->address_text, json_string_value(a));
        return;
    }
    if (!json_is_object(a))
        return;
    dup_once(&m->address.street, jstr(a, "streetAddress"));
    dup_once(&m->address.locality, jstr(a, "addressLocality"));
    dup_once(&m->address.region, jstr(a, "addressRegion"));
    dup_once(&m->address.postal_code, jstr(a, "postalCode"));
    dup_once(&m->address.country, jstr(a, "addressCountry"));
}

static void add_list(struct extract_list *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return;
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = xstrdup(s);
}

/* Every e-mail and telephone of an object (strings or arrays of them). */
static void take_contacts(struct extract_meta *m, json_t *o)
{
    static const char *const keys[] = {"email", "telephone"};
    struct extract_list *lists[] = {&m->emails, &m->phones};
    for (size_t k = 0; k < 2; k++) {
        json_t *v = json_object_get(o, keys[k]);
        if (json_is_string(v) && *json_string_value(v))
            add_list(lists[k], json_string_value(v));
        size_t i;
        json_t *x;
        json_array_foreach (v, i, x)
            if (json_is_string(x) && *json_string_value(x))
                add_list(lists[k], json_string_value(x));
    }
}

static void take_org(struct extract_meta *m, json_t *o)
{
    m->has_org = true;
    dup_once(&m->name, jstr(o, "name"));
    dup_once(&m->url, jstr(o, "url"));
    dup_once(&m->description, jstr(o, "description"));
    take_contacts(m, o);
    take_address(m, json_object_get(o, "address"));
    json_t *same = json_object_get(o, "sameAs");
    if (json_is_string(same))
        add_list(&m->same_as, json_string_value(same));
    size_t i;
    json_t *v;
    json_array_foreach (same, i, v)
        if (json_is_string(v))
            add_list(&m->same_as, json_string_value(v));
    if (!m->employees_min)
        take_employees(m, json_object_get(o, "numberOfEmployees"));
    if (!m->founded) {
        const char *fd = jstr(o, "foundingDate");
        m->founded = year_of(fd);
    }
}

/* Notes the types of a JSON-LD node: what the page is when the node is one
 * of its top-level ones (not an event's location, a review's item, an
 * article's publisher); whether it is an organisation, wherever it is. */
static void note_types(struct extract_meta *m, json_t *t, bool top, bool *is_org)
{
    if (json_is_string(t)) {
        const char *s = json_string_value(t);
        if (top)
            add_list(&m->schema_types, s);
        *is_org = *is_org || org_type(s);
    }
    size_t i;
    json_t *v;
    json_array_foreach (t, i, v)
        note_types(m, v, top, is_org);
}

static bool type_is(json_t *t, const char *name)
{
    if (json_is_string(t))
        return !strcmp(json_string_value(t), name);
    size_t i;
    json_t *v;
    json_array_foreach (t, i, v)
        if (json_is_string(v) && !strcmp(json_string_value(v), name))
            return true;
    return false;
}

/* Keys under which a Person is someone else than the site's people: a
 * review's author, a commenter, an answer's, a subject written about. */
static bool foreign_key(const char *k)
{
    static const char *const keys[] = {
        "review",         "reviews",  "comment", "comments",  "itemReviewed", "suggestedAnswer",
        "acceptedAnswer", "mentions", "about",   "subjectOf", "citation",     NULL};
    for (const char *const *w = keys; *w; w++)
        if (!strcmp(k, *w))
            return true;
    return false;
}

/* Walks a JSON-LD value (object, array, @graph) breadth first, without
 * recursion, looking at every object's @type. The root, the items of a
 * root array, of @graph and of mainEntity are the page's top-level nodes. */
static void walk_jsonld(struct extract_meta *m, json_t *root)
{
    struct {
        json_t *v;
        bool top, foreign; /* foreign: inside a review, comment or answer */
    } queue[256];
    size_t head = 0, tail = 0;
    queue[tail].v = root;
    queue[tail].foreign = false;
    queue[tail++].top = true;
    while (head < tail) {
        json_t *v = queue[head].v;
        bool foreign = queue[head].foreign;
        bool top = queue[head++].top;
        if (json_is_array(v)) {
            size_t i;
            json_t *x;
            json_array_foreach (v, i, x)
                if (tail < 256) {
                    queue[tail].v = x;
                    queue[tail].foreign = foreign;
                    queue[tail++].top = top;
                }
            continue;
        }
        if (!json_is_object(v))
            continue;
        bool is_org = false;
        json_t *type = json_object_get(v, "@type");
        note_types(m, type, top, &is_org);
        if (is_org)
            take_org(m, v);
        else if (!foreign && type_is(type, "Person"))
            json_array_append(m->persons, v);
        else if (json_is_string(type) && !strcmp(json_string_value(type), "ContactPoint"))
            take_contacts(m, v); /* an Organization's contactPoint */
        /* the page's own address, and its site's */
        const char *t = json_is_string(type) ? json_string_value(type) : "";
        const char *u = json_string_value(json_object_get(v, "url"));
        if (u && (!strcmp(t, "WebPage") || !strcmp(t, "AboutPage") || !strcmp(t, "ContactPage") ||
                  !strcmp(t, "CollectionPage") || !strcmp(t, "ItemPage") || !strcmp(t, "FAQPage")))
            dup_once(&m->ld_page_url, u);
        else if (u && !strcmp(t, "WebSite"))
            dup_once(&m->ld_site_url, u);
        const char *key;
        json_t *x;
        json_object_foreach (v, key, x)
            if ((json_is_object(x) || json_is_array(x)) && tail < 256) {
                queue[tail].v = x; /* @graph, publisher, hiringOrganization, ... */
                queue[tail].foreign = foreign || foreign_key(key) || type_is(type, "Review") ||
                                      type_is(type, "Comment");
                /* a page's mainEntity is what it is about, as its
                 * top-level nodes are */
                queue[tail++].top = top && (!strcmp(key, "@graph") || !strcmp(key, "mainEntity"));
            }
    }
}

static void jsonld(struct extract_meta *m, xmlNodePtr script)
{
    struct extract_tw tw;
    buf_init(&tw.out, JSONLD_MAX);
    for (xmlNodePtr c = script->children; c; c = c->next)
        if (c->content && buf_puts(&tw.out, (const char *)c->content))
            break;
    json_error_t jerr;
    json_t *root = json_loadb(tw.out.data ? tw.out.data : "", tw.out.len, 0, &jerr);
    buf_release(&tw.out);
    if (!root)
        return; /* broken JSON-LD is common; the rest of the page still counts */
    walk_jsonld(m, root);
    json_decref(root);
}

/* Microdata: the nearest itemprop values under an itemscope, not crossing
 * into nested scopes except the address. An itemprop's text is one line, or
 * with lines, a line per <br> ("Partner<br>Board of Directors"). */
static char *itemprop_value(xmlNodePtr n, bool lines)
{
    static const char *const attrs[] = {"content", "href", "src", "datetime", NULL};
    for (const char *const *a = attrs; *a; a++) {
        char *v = prop(n, *a);
        if (v)
            return v;
    }
    struct extract_tw tw;
    extract__tw_init(&tw, 4096);
    for (xmlNodePtr x = n->children; x; x = extract__next(x, n, false)) {
        if (x->type == XML_TEXT_NODE)
            extract__tw_text(&tw, (const char *)x->content);
        else if (lines && extract__name_is(x, "br"))
            extract__tw_break(&tw);
    }
    return extract__tw_finish(&tw);
}

static void microdata_scope(struct extract_meta *m, xmlNodePtr scope, bool address)
{
    xmlNodePtr x = scope->children;
    while (x) {
        if (x->type != XML_ELEMENT_NODE) {
            x = extract__next(x, scope, false);
            continue;
        }
        char *name = prop(x, "itemprop");
        bool nested = has_attr(x, "itemscope");
        if (name && nested && strcmp(name, "address") == 0) {
            microdata_scope(m, x, true);
        } else if (name && !nested) {
            char *v = itemprop_value(x, false);
            if (address) {
                if (!strcmp(name, "streetAddress"))
                    set_once(&m->address.street, v), v = NULL;
                else if (!strcmp(name, "addressLocality"))
                    set_once(&m->address.locality, v), v = NULL;
                else if (!strcmp(name, "addressRegion"))
                    set_once(&m->address.region, v), v = NULL;
                else if (!strcmp(name, "postalCode"))
                    set_once(&m->address.postal_code, v), v = NULL;
                else if (!strcmp(name, "addressCountry"))
                    set_once(&m->address.country, v), v = NULL;
            } else if (!strcmp(name, "name")) {
                set_once(&m->name, v), v = NULL;
            } else if (!strcmp(name, "telephone")) {
                add_list(&m->phones, v);
            } else if (!strcmp(name, "email")) {
                add_list(&m->emails, v);
            } else if (!strcmp(name, "description")) {
                set_once(&m->description, v), v = NULL;
            } else if (!strcmp(name, "url")) {
                set_once(&m->url, v), v = NULL;
            } else if (!strcmp(name, "sameAs")) {
                add_list(&m->same_as, v);
            } else if (!strcmp(name, "numberOfEmployees") && !m->employees_min) {
                m->employees_min = m->employees_max = (int)strtol(v, NULL, 10);
            } else if (!strcmp(name, "foundingDate") && !m->founded) {
                m->founded = year_of(v);
            }
            free(v);
        }
        free(name);
        x = extract__next(x, scope, nested); /* nested scopes are their own */
    }
}

/* The <meta> fields kept, by their property or name (caselessly). */
static char **og_slot(struct extract_meta *m, const char *key)
{
    struct {
        const char *key;
        char **slot;
    } const slots[] = {
        {"description", &m->description},
        {"og:description", &m->og_description},
        {"og:title", &m->og_title},
        {"og:site_name", &m->og_site_name},
        {"og:type", &m->og_type},
        {"generator", &m->generator},
        {"og:url", &m->og_url},
        {"og:locale", &m->og_locale},
        {"application-name", &m->app_name},
    };
    for (size_t i = 0; i < sizeof slots / sizeof *slots; i++)
        if (strcasecmp(key, slots[i].key) == 0)
            return slots[i].slot;
    return NULL;
}

/* A <meta property|name=KEY content=VALUE>: its key is read once, and its
 * content only when the key is one kept and not yet set. */
static void og(struct extract_meta *m, xmlNodePtr meta)
{
    char *key = prop(meta, "property");
    if (!key)
        key = prop(meta, "name");
    char **slot = key ? og_slot(m, key) : NULL;
    free(key);
    if (slot && !*slot)
        set_once(slot, prop(meta, "content"));
}

/* A microdata Person as JSON-LD would give it: its own itemprops. */
static json_t *person_scope(xmlNodePtr scope)
{
    json_t *o = json_object();
    for (xmlNodePtr x = scope->children; x;) {
        bool nested = x->type == XML_ELEMENT_NODE && has_attr(x, "itemscope");
        char *name = x->type == XML_ELEMENT_NODE && !nested ? prop(x, "itemprop") : NULL;
        if (name &&
            (!strcmp(name, "name") || !strcmp(name, "jobTitle") || !strcmp(name, "email") ||
             !strcmp(name, "telephone") || !strcmp(name, "sameAs")) &&
            !json_object_get(o, name)) {
            char *v = itemprop_value(x, true);
            if (!strcmp(name, "jobTitle")) /* "Partner<br>Board of Directors": the first line */
                v[strcspn(v, "\n")] = '\0';
            json_object_set_new(o, name, json_string(v));
            free(v);
        }
        free(name);
        x = extract__next(x, scope, nested);
    }
    return o;
}

void extract__meta(const struct extract_doc *d, struct extract_meta *m)
{
    memset(m, 0, sizeof *m);
    m->persons = json_array();
    for (size_t i = 0; i < d->nnodes; i++) {
        /* everything read here is an attribute */
        if (!(d->nodes[i].flags & EXTRACT_N_ATTRS))
            continue;
        xmlNodePtr x = d->nodes[i].node;
        uint8_t tag = d->nodes[i].tag;
        if (tag == EXTRACT_TAG_META) {
            og(m, x);
        } else if (tag == EXTRACT_TAG_HTML) {
            set_once(&m->lang, prop(x, "lang"));
        } else if (tag == EXTRACT_TAG_BASE) {
            set_once(&m->base_href, prop(x, "href"));
        } else if (tag == EXTRACT_TAG_SCRIPT) {
            char *type = prop(x, "type");
            if (type && strcasecmp(type, "application/ld+json") == 0)
                jsonld(m, x);
            free(type);
        }
        if (d->nodes[i].flags & EXTRACT_N_ITEMSCOPE) {
            char *type = prop(x, "itemtype");
            if (type) {
                if (!has_attr(x, "itemprop")) /* a top-level item */
                    add_list(&m->schema_types, strrchr(type, '/') ? strrchr(type, '/') + 1 : type);
                if (org_type(type)) {
                    m->has_org = true;
                    microdata_scope(m, x, false);
                } else if (strlen(type) >= 7 && !strcmp(type + strlen(type) - 7, "/Person")) {
                    json_array_append_new(m->persons, person_scope(x));
                }
            }
            free(type);
        }
    }
    if (!m->description && m->og_description) {
        m->description = m->og_description;
        m->og_description = NULL;
    }
    /* a code in structured data is a code, whatever its case ("us") */
    char *c = m->address.country;
    if (c && (strlen(c) == 2 || strlen(c) == 3))
        for (; *c; c++)
            *c = (char)toupper((unsigned char)*c);
}

void extract__meta_release(struct extract_meta *m)
{
    char **strs[] = {
        &m->ld_page_url,    &m->ld_site_url,      &m->og_url,         &m->og_locale,
        &m->app_name,       &m->base_href,        &m->name,           &m->url,
        &m->description,    &m->og_description,   &m->og_title,       &m->og_site_name,
        &m->og_type,        &m->generator,        &m->lang,           &m->address_text,
        &m->address.street, &m->address.locality, &m->address.region, &m->address.postal_code,
        &m->address.country};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        free(*strs[i]);
    struct extract_list *lists[] = {&m->same_as, &m->emails, &m->phones};
    for (size_t l = 0; l < 3; l++) {
        for (size_t i = 0; i < lists[l]->n; i++)
            free(lists[l]->v[i]);
        free(lists[l]->v);
    }
    for (size_t i = 0; i < m->schema_types.n; i++)
        free(m->schema_types.v[i]);
    free(m->schema_types.v);
    json_decref(m->persons);
    memset(m, 0, sizeof *m);
}
