/* links.c: link discovery: the pages of a site where contacts live
 * (contact, about, imprint, team, careers), recognised by their address and
 * their link text in several languages. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "core/alloc.h"
#include "extract/extract_int.h"
#include "net/url.h"

#define MAX_LINKS 12

struct kind_words {
    enum extract_link_kind kind;
    const char *words; /* '|'-separated, matched in the path and the link text */
};

/* In order of value for finding contacts. */
static const struct kind_words kinds[] = {
    {EXTRACT_LINK_CONTACT, "contact|kontakt|contacto|contatti|contactez|contato|neem-contact|"
                           "get in touch|get-in-touch|reach us|yhteystiedot"},
    {EXTRACT_LINK_IMPRINT, "impressum|imprint|mentions-legales|mentions légales|aviso-legal|"
                           "legal-notice|legal notice|colofon|note-legali"},
    {EXTRACT_LINK_ABOUT, "about|uber-uns|über uns|ueber-uns|a-propos|à propos|qui-sommes-nous|"
                         "quienes-somos|chi-siamo|over-ons|om-oss|company|unternehmen|who-we-are|"
                         "who we are"},
    {EXTRACT_LINK_TEAM, "team|our-people|people|leadership|management|equipe|équipe|equipo"},
    {EXTRACT_LINK_CAREERS, "careers|career|jobs|karriere|emplois|empleo|vacatures|lavora-con-noi|"
                           "join-us|join us|work-with-us|stellenangebote"},
};

static const char *const names[EXTRACT_LINK_NKINDS] = {"contact", "about", "imprint", "team",
                                                       "careers"};

const char *extract_link_kind_name(enum extract_link_kind k)
{
    return (unsigned)k < EXTRACT_LINK_NKINDS ? names[k] : "other";
}

static bool contains_word(const char *hay, const char *words)
{
    while (*words) {
        size_t k = strcspn(words, "|");
        char w[48];
        snprintf(w, sizeof w, "%.*s", (int)k, words);
        if (strcasestr(hay, w))
            return true;
        words += k + (words[k] == '|');
    }
    return false;
}

void extract__links(const struct extract_doc *d, const char *site, struct extract_page *pg)
{
    if (!d->url || !site)
        return;
    xmlNodePtr root = xmlDocGetRootElement(d->doc);
    for (xmlNodePtr x = root; x; x = extract__next(x, root, false)) {
        if (!extract__name_is(x, "a") || pg->nlinks >= MAX_LINKS)
            continue;
        xmlChar *href = xmlGetProp(x, (const xmlChar *)"href");
        if (!href)
            continue;
        char *abs = url_resolve(d->url, (const char *)href);
        xmlFree(href);
        char *lsite = abs ? url_site(abs) : NULL;
        char *path = abs ? url_path(abs) : NULL;
        bool same = lsite && strcmp(lsite, site) == 0 && path && strcmp(path, "/") != 0 &&
                    strcmp(abs, d->url) != 0;
        char *label = same ? extract__node_text(x, 256) : NULL;
        for (size_t k = 0; same && k < sizeof kinds / sizeof *kinds; k++) {
            if (!contains_word(path, kinds[k].words) && !contains_word(label, kinds[k].words))
                continue;
            bool dup = false;
            for (size_t i = 0; i < pg->nlinks && !dup; i++)
                dup = strcmp(pg->links[i].url, abs) == 0;
            if (!dup) {
                pg->links = xrealloc(pg->links, (pg->nlinks + 1) * sizeof *pg->links);
                pg->links[pg->nlinks].kind = kinds[k].kind;
                pg->links[pg->nlinks].url = abs;
                pg->nlinks++;
                abs = NULL;
            }
            break;
        }
        free(label);
        free(path);
        free(lsite);
        free(abs);
    }
    /* contact first, then imprint, about, team, careers */
    for (size_t i = 1; i < pg->nlinks; i++) {
        struct extract_link l = pg->links[i];
        size_t j = i;
        int rank_l = 0, rank_j = 0;
        for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
            if (kinds[k].kind == l.kind)
                rank_l = (int)k;
        while (j > 0) {
            for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
                if (kinds[k].kind == pg->links[j - 1].kind)
                    rank_j = (int)k;
            if (rank_j <= rank_l)
                break;
            pg->links[j] = pg->links[j - 1];
            j--;
        }
        pg->links[j] = l;
    }
}
