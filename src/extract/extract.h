/* extract.h: HTML in, text and lead fields out (libxml2's HTML parser).
 *
 * A page is parsed once into a struct extract_doc; the extractors read it.
 * Charset: from the caller's hint (an HTTP header), else a BOM, else a
 * <meta> declaration, else UTF-8 when the bytes are valid UTF-8, else
 * windows-1252; everything that comes out is UTF-8. Thread: a doc belongs
 * to one thread; different docs may be used on different threads.
 */
#ifndef PROSPECT_EXTRACT_H
#define PROSPECT_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/err.h"
#include "industry/industry.h"

#define EXTRACT_MAX_TEXT (2u * 1024 * 1024) /* visible text kept per page */
#define EXTRACT_MAX_LEAD_PEOPLE 50          /* people kept per lead, the first found */

struct extract_doc;

/* extract_init(): sets libxml2 up once; call before threads parse at once
 * (its lazy set-up races). Safe to call again. */
void extract_init(void);

/* extract_parse(html, len, charset, url, out, e): parses a page. charset (the
 * HTTP header's, may be NULL) wins over what the page says; url (may be NULL)
 * is the page's address. The caller frees *out with extract_doc_free.
 * Errors: CORE_EPARSE when nothing could be parsed (binary garbage). */
int extract_parse(const char *html, size_t len, const char *charset, const char *url,
                  struct extract_doc **out, struct err *e) __attribute__((warn_unused_result));

/* extract_doc_free(d): NULL is fine. */
void extract_doc_free(struct extract_doc *d);

/* extract_charset(d): the charset the page was read in ("UTF-8", ...). */
const char *extract_charset(const struct extract_doc *d);

struct extract_text {
    char *title;    /* <title>, whitespace collapsed; "" when absent */
    char *headings; /* h1..h6, one per line */
    char *text;     /* all visible text: one line per block, at most EXTRACT_MAX_TEXT */
};

/* extract_text(d, out): the visible text of the page (scripts, styles,
 * hidden elements and templates left out). Release out with
 * extract_text_release. */
void extract_text(const struct extract_doc *d, struct extract_text *out);
void extract_text_release(struct extract_text *t);

/* extract_canonical(d): the href of <link rel="canonical">, as written
 * (possibly relative), which the caller frees; NULL when absent. */
char *extract_canonical(const struct extract_doc *d);

/* ---- lead fields of one page ---- */

struct extract_list {
    char **v; /* owned strings */
    size_t n;
};

struct extract_email {
    char *address;  /* lower-case domain */
    bool role;      /* info@, sales@, ... rather than a person */
    bool on_domain; /* the address belongs to the page's site */
};

struct extract_address {
    char *street, *locality, *region, *postal_code, *country; /* NULL when unknown */
};

/* A person of the organisation a page names (people.c): staff, owners,
 * authors the page ties to it. Strings owned, NULL when the page does not
 * say; seniority and department are static names, NULL without a title. */
struct extract_person {
    char *name;                     /* as written, without a leading honorific */
    char *title;                    /* as written */
    const char *seniority;          /* owner, c_level, vp, director, manager, staff */
    const char *department;         /* sales, marketing, operations, finance, it, hr, legal,
                                       executive, other */
    char *email, *phone, *linkedin; /* shown for this person (phone in E.164) */
    char *source_url;               /* the page that names them */
};

enum extract_link_kind {
    EXTRACT_LINK_CONTACT,
    EXTRACT_LINK_ABOUT,
    EXTRACT_LINK_IMPRINT,
    EXTRACT_LINK_TEAM,
    EXTRACT_LINK_CAREERS,
    EXTRACT_LINK_NKINDS
};

struct extract_link {
    enum extract_link_kind kind;
    char *url; /* absolute, same site */
};

struct extract_page {
    char *url;   /* the page's address (may be NULL for a file) */
    char *site;  /* its registrable domain: the URL's, else what the page names (may be NULL) */
    char *title; /* <title>, else og:title, else h1 */
    char *company_name; /* as the company writes it (name.c), or NULL */
    char *description;  /* meta description, og:description, JSON-LD description */
    char *main_text;    /* the page's content without boilerplate */
    struct extract_email *emails;
    size_t nemails;
    struct extract_list phones;                     /* E.164 */
    struct extract_list social_network, social_url; /* parallel: "linkedin" -> URL */
    struct extract_address address;
    char *industry; /* the NAICS index phrase that names its trade, or NULL */
    struct industry_code naics[INDUSTRY_MAX_CODES]; /* best first */
    size_t nnaics;
    char *company_size; /* "45 employees", "50-100 employees", or NULL */
    int employees;      /* best single figure, 0 when unknown */
    int founded;        /* year, 0 when unknown */
    struct extract_list technologies;
    char country[3];            /* ISO 3166 code inferred for the page, "" when unknown */
    struct extract_link *links; /* contact, about, imprint, team, careers pages */
    size_t nlinks;
    struct extract_person *people; /* in the order the page names them */
    size_t npeople;
    struct extract_list page_types; /* schema.org types declared (NewsArticle, ...) */
    int outbound_hosts; /* distinct other sites linked to, platforms aside (directories link many)
                         */
    bool is_profile;    /* og:type profile: a social network's page */
    bool intermediary;  /* a directory's, marketplace's or lead network's page: it speaks of the
                           businesses it puts customers in touch with */
};

/* extract_page(d, country_hint, out): every lead field of a parsed page.
 * Values are only what the page says: missing stays NULL/empty, nothing is
 * invented. country_hint (ISO code, may be NULL) is where national phone
 * numbers belong when the page does not say (another page of the site did).
 * Release out with extract_page_release. */
void extract_page(const struct extract_doc *d, const char *country_hint, struct extract_page *out);
void extract_page_release(struct extract_page *p);

/* extract_page_json(p): the `prospect extract` object (url, title,
 * company_name, description, main_text, emails, phones, social, address,
 * industry, company_size, founded, technologies, people, provenance); new
 * reference. */
json_t *extract_page_json(const struct extract_page *p);

/* ---- one lead per registrable domain, merged across its pages ---- */

struct extract_value {
    char *value;  /* owned */
    char *source; /* the page it came from (owned) */
};

struct extract_values {
    struct extract_value *v;
    size_t n;
};

struct extract_lead {
    char *site;    /* registrable domain */
    char *website; /* the home page, or the first page seen */
    struct extract_value company_name, description, industry, company_size, founded;
    struct extract_value address; /* one line: "street, postal_code locality, region, country" */
    struct extract_address address_parts;
    struct extract_values emails, phones, technologies;
    struct extract_values social;                   /* value "network URL" */
    struct industry_code naics[INDUSTRY_MAX_CODES]; /* best first, over its pages */
    size_t nnaics;
    struct extract_person *people; /* over its pages, one per name, in the order found; at
                                      most EXTRACT_MAX_LEAD_PEOPLE */
    size_t npeople;
    struct extract_list pages;      /* every page merged */
    struct extract_list page_texts; /* their main text, parallel to pages */
    int employees;
    char country[3];
    bool has_role_email, has_personal_email;
};

/* extract_page_url(d): the address a page gives itself (its canonical
 * link, og:url, a <base href> naming a page, its schema.org WebPage's url),
 * normalised; NULL when it gives none. Caller frees. */
char *extract_page_url(const struct extract_doc *d);

/* extract_site_guess(d, text): the registrable domain a page without an
 * address belongs to, from what it names as its own (see site.c); text is
 * its visible text (may be NULL). NULL when it names none. Caller frees. */
char *extract_site_guess(const struct extract_doc *d, const char *text);

/* extract_country_code(s): the ISO 3166 alpha-2 code of a country written
 * as its name ("Germany", "U.S.") or its code in capitals ("DE", "DEU");
 * static string, NULL when s names none. */
const char *extract_country_code(const char *s);

/* extract_region_code(s, country): the ISO 3166-2 code of a US state,
 * Canadian province or Australian state written as a name ("Illinois") or
 * its postal abbreviation in capitals ("IL"): "US-IL"; country (ISO alpha-2,
 * may be NULL) narrows the search ("WA" is Washington in the US, Western
 * Australia in AU). Static string, NULL when s names none. */
const char *extract_region_code(const char *s, const char *country);

/* extract_address_parse(s, out): reads one postal address written as text
 * in valid UTF-8 ("18625 S 187th Pl Suite B104, Queen Creek, AZ 85142"; US,
 * Canadian, UK, Australian and EU forms); 0 with out filled (owned strings; release with
 * extract_address_release), or -1 when s holds no address it recognises. */
int extract_address_parse(const char *s, struct extract_address *out);
void extract_address_release(struct extract_address *a);

/* extract_phones_text(text, region, fn, ctx): the phone numbers of a text
 * in valid UTF-8 as page extraction reads them (grouping, labels, no fax),
 * national ones in region ("US"; NULL: only numbers with +CC, and North American ones);
 * fn gets each number's E.164 form and its byte range. */
void extract_phones_text(const char *text, const char *region,
                         void (*fn)(void *ctx, const char *e164, size_t start, size_t end),
                         void *ctx);

/* extract_person_json(p): {name, first_name, last_name, title, seniority,
 * department, email, phone, linkedin, source_url}; the last name is the
 * family name with its particles ("De La O"); new reference. */
json_t *extract_person_json(const struct extract_person *p);

/* extract_person_release(p): frees p's strings. */
void extract_person_release(struct extract_person *p);

/* extract_title_seniority(title), extract_title_department(title): a job
 * title's rank and function, normalised as extract_person says; NULL when
 * the title names neither a rank nor a role. */
const char *extract_title_seniority(const char *title);
const char *extract_title_department(const char *title);

/* extract_lead_init(l, site): an empty lead for a registrable domain. */
void extract_lead_init(struct extract_lead *l, const char *site);

/* extract_lead_add(l, p): merges page p (borrowed): new values are added
 * with p's URL as their source; a field already known keeps its first value,
 * except that the home page's name and description win. People are one per
 * name (folded: case, accents, punctuation), keeping the first title and
 * taking the e-mail, phone and LinkedIn that earlier pages lacked; their
 * e-mail addresses join the lead's emails. */
void extract_lead_add(struct extract_lead *l, const struct extract_page *p);

/* extract_lead_set_trade(l, code, source): the trade a source vouches for
 * (a map's tag for the business, by its 6-digit NAICS code) goes first
 * among l's codes, and names its industry; the pages' codes follow. */
void extract_lead_set_trade(struct extract_lead *l, const char *code, const char *source);

/* extract_lead_json(l): {site, website, company_name, description, industry,
 * company_size, founded, address, emails, phones, social, technologies,
 * pages, people, provenance}; new reference. */
json_t *extract_lead_json(const struct extract_lead *l);

/* extract_lead_people_json(l, guess): the lead's people, each as
 * extract_person_json gives them; with guess, a person without
 * an e-mail gets an "email_guess" (extract_email_guess_json) where
 * extract_lead_guess_emails finds one. New reference. */
json_t *extract_lead_people_json(const struct extract_lead *l, bool guess);

/* A likely address for a person the site shows none for (guess.c). It is
 * never one of the addresses found: keep it out of the lead's emails. */
struct extract_email_guess {
    char *email;                      /* owned; NULL: no guess */
    const char *pattern;              /* static: "first.last", "flast", "first"... */
    struct extract_list learned_from; /* the found addresses that show the pattern */
    bool seen_on_site; /* the site shows this very address, though not as this person's */
};

/* extract_lead_guess_emails(l, out): out[i] (l->npeople of them, caller's)
 * for each person l->people[i] with no e-mail whose name the pattern of
 * the others' addresses spells: the pattern most of the lead's own-domain
 * addresses that spell another person's name show (role addresses never
 * teach; a tie gives no guess). Release each with
 * extract_email_guess_release. */
void extract_lead_guess_emails(const struct extract_lead *l, struct extract_email_guess *out);

/* extract_email_guess_json(g): {email, guessed: true, pattern, learned_from,
 * seen_on_site (only when true)}; new reference. */
json_t *extract_email_guess_json(const struct extract_email_guess *g);
void extract_email_guess_release(struct extract_email_guess *g);

void extract_lead_release(struct extract_lead *l);

/* extract_main_text(d): the main content alone (no navigation, footer,
 * cookie banner, sidebars, link lists), one block per line; caller frees. */
char *extract_main_text(const struct extract_doc *d);

/* extract_email_valid(s): whether s is an address a lead can use: dot-atom
 * local part, a domain of DNS labels with an alphabetic top level; quoted
 * local parts, IP literals, comments and top-level-only domains are
 * refused on purpose. */
bool extract_email_valid(const char *s);

/* extract_email_role(local): whether an address's local part names a role
 * (info, sales, support...) rather than a person. */
bool extract_email_role(const char *local);

/* extract_link_kind_name(k): "contact", "about", "imprint", "team", "careers". */
const char *extract_link_kind_name(enum extract_link_kind k);

/* extract_sniff_charset(html, len, out, outlen): the charset named by a BOM
 * or a <meta> in the first 4 KiB, copied into out; "" when none. */
void extract_sniff_charset(const char *html, size_t len, char *out, size_t outlen);

#include "core/banned.h"
#endif
