/* test_extract.c: the e-mail validator against the is_email() test set
 * (tests/data/email-cases), the fetcher's address guard, the robots.txt
 * matcher, main-text extraction, lead assembly, and wordings of real pages
 * that once misled a field's reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <netinet/in.h>

#include "extract/extract.h"
#include "fetch/fetch.h"

#define EMAIL_CASES PROSPECT_SOURCE_DIR "/tests/data/email-cases/tests.xml"

static char *child_text(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0) {
            xmlChar *t = xmlNodeGetContent(c);
            char *s = strdup(t ? (const char *)t : "");
            xmlFree(t);
            return s;
        }
    return strdup("");
}

/* Control pictures (U+2400 + n, as UTF-8 E2 90 80+n) back to control bytes. */
static void unpicture(char *s)
{
    char *w = s;
    for (char *r = s; *r;) {
        if ((unsigned char)r[0] == 0xE2 && (unsigned char)r[1] == 0x90 &&
            (unsigned char)r[2] >= 0x80 && (unsigned char)r[2] <= 0x9F) {
            *w++ = (char)((unsigned char)r[2] - 0x80);
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
}

static void email_cases(void **state)
{
    (void)state;
    xmlDocPtr doc = xmlReadFile(EMAIL_CASES, NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    int total = 0, wrong = 0, deliberate = 0;
    /* Syntactically valid, but no lead's contact: a top-level-only domain
     * (5), a one-letter top level (13, 37) and a hyphenated one (33). */
    static const char *const refused_on_purpose[] = {"5", "13", "33", "37", NULL};
    for (xmlNodePtr t = xmlDocGetRootElement(doc)->children; t; t = t->next) {
        if (t->type != XML_ELEMENT_NODE || strcmp((const char *)t->name, "test") != 0)
            continue;
        char *addr = child_text(t, "address"), *cat = child_text(t, "category");
        unpicture(addr);
        /* Valid and DNS-warning cases are good addresses; RFC 5321-only
         * forms (quoted local parts, IP literals, TLD-only domains) are legal
         * but no lead's contact, and are refused on purpose, like the rest. */
        bool want =
            strcmp(cat, "ISEMAIL_VALID_CATEGORY") == 0 || strcmp(cat, "ISEMAIL_DNSWARN") == 0;
        bool got = extract_email_valid(addr);
        xmlChar *id = xmlGetProp(t, (const xmlChar *)"id");
        bool on_purpose = false;
        for (const char *const *p = refused_on_purpose; *p; p++)
            on_purpose = on_purpose || strcmp(*p, (const char *)id) == 0;
        if (on_purpose && want && !got) {
            deliberate++;
        } else if (got != want) {
            print_message("case %s (%s) '%s': got %s\n", id, cat, addr, got ? "valid" : "invalid");
            wrong++;
        }
        xmlFree(id);
        total++;
        free(addr);
        free(cat);
    }
    xmlFreeDoc(doc);
    assert_int_equal(total, 164);
    assert_int_equal(wrong, 0);
    assert_int_equal(deliberate, 4);
}

static bool allowed(const char *ip, bool loopback)
{
    struct sockaddr_in6 s6;
    struct sockaddr_in s4;
    memset(&s6, 0, sizeof s6);
    memset(&s4, 0, sizeof s4);
    if (inet_pton(AF_INET, ip, &s4.sin_addr) == 1) {
        s4.sin_family = AF_INET;
        return fetch_address_allowed((struct sockaddr *)&s4, loopback);
    }
    assert_int_equal(inet_pton(AF_INET6, ip, &s6.sin6_addr), 1);
    s6.sin6_family = AF_INET6;
    return fetch_address_allowed((struct sockaddr *)&s6, loopback);
}

static void address_guard(void **state)
{
    (void)state;
    const char *refused[] = {"127.0.0.1",
                             "127.1.2.3",
                             "10.0.0.1",
                             "172.16.5.4",
                             "172.31.255.255",
                             "192.168.1.1",
                             "169.254.169.254",
                             "100.64.0.1",
                             "0.0.0.0",
                             "224.0.0.1",
                             "255.255.255.255",
                             "192.0.2.10",
                             "::1",
                             "::",
                             "fe80::1",
                             "fc00::1",
                             "fd00:ec2::254",
                             "ff02::1",
                             "::ffff:10.0.0.1",
                             "::ffff:127.0.0.1",
                             "::ffff:169.254.169.254",
                             "64:ff9b::a00:1",
                             "2001:db8::1",
                             NULL};
    for (const char **p = refused; *p; p++)
        if (allowed(*p, false))
            fail_msg("%s was allowed", *p);
    const char *public_[] = {"93.184.216.34",        "8.8.8.8",        "172.32.0.1", "100.128.0.1",
                             "2606:4700::6810:85e5", "::ffff:8.8.8.8", NULL};
    for (const char **p = public_; *p; p++)
        if (!allowed(*p, false))
            fail_msg("%s was refused", *p);
    /* The test switch opens loopback only. */
    assert_true(allowed("127.0.0.1", true));
    assert_true(allowed("::1", true));
    assert_false(allowed("10.0.0.1", true));
    assert_false(allowed("169.254.169.254", true));
}

static void robots_rules(void **state)
{
    (void)state;
    const char *r = "# comment\nUser-agent: *\nDisallow: /private\nDisallow: /*.pdf$\n\n"
                    "User-agent: OtherBot\nDisallow: /\n\n"
                    "User-agent: Prospect\nUser-agent: Another\nDisallow: /nope\nAllow: /nope/ok\n";
    assert_false(fetch_robots_allowed(r, "Prospect", "/nope/x"));
    assert_true(fetch_robots_allowed(r, "Prospect", "/nope/ok/1")); /* longest match wins */
    assert_true(fetch_robots_allowed(r, "Prospect", "/private"));   /* our group replaces '*' */
    assert_false(fetch_robots_allowed(r, "SomeBot", "/private/a"));
    assert_false(fetch_robots_allowed(r, "SomeBot", "/a/b.pdf"));
    assert_true(fetch_robots_allowed(r, "SomeBot", "/a/b.pdf?x"));
    assert_false(fetch_robots_allowed(r, "otherbot", "/anything"));
    assert_true(fetch_robots_allowed("", "Prospect", "/"));
    assert_true(fetch_robots_allowed("User-agent: *\nDisallow:\n", "Prospect", "/x"));
    assert_false(fetch_robots_allowed("User-agent: *\nDisallow: /\n", "Prospect", "/x"));
}

static void robots_crawl_delay(void **state)
{
    (void)state;
    const char *r = "User-agent: *\nCrawl-delay: 2\nDisallow: /tmp\n\n"
                    "User-agent: Prospect\nCrawl-delay: 0.5 # seconds\n";
    assert_int_equal(fetch_robots_delay_ms(r, "Prospect"), 500); /* our group, fractions kept */
    assert_int_equal(fetch_robots_delay_ms(r, "SomeBot"), 2000); /* '*' */
    assert_int_equal(fetch_robots_delay_ms("User-agent: *\nDisallow: /\n", "Prospect"), 0);
    assert_int_equal(fetch_robots_delay_ms("User-agent: *\nCrawl-delay: soon\n", "P"), 0);
    assert_int_equal(fetch_robots_delay_ms("User-agent: *\nCrawl-delay: -3\n", "P"), 0);
    assert_int_equal(fetch_robots_delay_ms("", "Prospect"), 0);
}

static struct extract_page page_of(const char *html, const char *url)
{
    struct extract_doc *d;
    struct err e;
    assert_int_equal(extract_parse(html, strlen(html), NULL, url, &d, &e), 0);
    struct extract_page p;
    extract_page(d, NULL, &p);
    extract_doc_free(d);
    return p;
}

static void main_text_drops_boilerplate(void **state)
{
    (void)state;
    const char *html =
        "<html><body><div class='sticky-footer'><header><nav><a href='/'>Home</a> "
        "<a href='/a'>About</a> <a href='/c'>Contact</a></nav></header>"
        "<div id='cookie-consent'>We use cookies. Accept all</div>"
        "<article><h1>Why fleets plan routes by hand</h1><p>Dispatchers still plan routes on "
        "whiteboards, which costs time, fuel and customers, according to our survey.</p>"
        "<p>Most of them would switch to software, if it were simple enough to learn.</p></article>"
        "<aside class='sidebar'><ul><li><a href='/1'>Related one</a></li><li><a href='/2'>Two</a>"
        "</li></ul></aside><footer>Copyright 2026 Example Ltd. Imprint. Privacy.</footer></div>"
        "</body></html>";
    struct extract_page p = page_of(html, "https://fleet.example/blog/routes");
    assert_non_null(strstr(p.main_text, "Why fleets plan routes by hand"));
    assert_non_null(strstr(p.main_text, "whiteboards"));
    assert_null(strstr(p.main_text, "cookies"));
    assert_null(strstr(p.main_text, "Copyright"));
    assert_null(strstr(p.main_text, "Related one"));
    assert_null(strstr(p.main_text, "About"));
    /* link discovery on the same site */
    bool contact = false, about = false;
    for (size_t i = 0; i < p.nlinks; i++) {
        contact = contact || (p.links[i].kind == EXTRACT_LINK_CONTACT &&
                              strcmp(p.links[i].url, "https://fleet.example/c") == 0);
        about = about || p.links[i].kind == EXTRACT_LINK_ABOUT;
    }
    assert_true(contact && about);
    assert_int_equal(p.links[0].kind, EXTRACT_LINK_CONTACT); /* contact pages first */
    extract_page_release(&p);
}

static void lead_merges_pages_with_provenance(void **state)
{
    (void)state;
    struct extract_page home = page_of("<html><head><title>Acme Tools | Home</title>"
                                       "<meta name='description' content='Tools for builders.'>"
                                       "</head><body><p>A team of 12.</p></body></html>",
                                       "https://acme.example/");
    struct extract_page contact =
        page_of("<html><head><title>Contact | Acme Tools</title></head><body>"
                "<p>Mail info@acme.example or bob@gmail.com</p>"
                "<address>1 Main Street, Austin, TX 78701, United States</address>"
                "<p>Call (512) 555-0101</p></body></html>",
                "https://acme.example/contact");
    struct extract_lead l;
    extract_lead_init(&l, "acme.example");
    extract_lead_add(&l, &contact);
    extract_lead_add(&l, &home);
    json_t *j = extract_lead_json(&l);
    assert_string_equal(json_string_value(json_object_get(j, "website")), "https://acme.example/");
    assert_string_equal(json_string_value(json_object_get(j, "company_name")), "Acme Tools");
    assert_string_equal(json_string_value(json_object_get(j, "description")),
                        "Tools for builders.");
    json_t *emails = json_object_get(j, "emails");
    assert_string_equal(json_string_value(json_array_get(emails, 0)), "info@acme.example");
    json_t *prov = json_object_get(j, "provenance");
    assert_string_equal(json_string_value(json_object_get(prov, "description")),
                        "https://acme.example/");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(prov, "phones"), "+15125550101")),
        "https://acme.example/contact");
    assert_string_equal(json_string_value(json_object_get(prov, "company_size")),
                        "https://acme.example/");
    assert_string_equal(json_string_value(json_object_get(j, "country")), "US");
    assert_int_equal(json_array_size(json_object_get(j, "pages")), 2);
    json_decref(j);
    extract_lead_release(&l);
    extract_page_release(&home);
    extract_page_release(&contact);
}

/* Wordings of real pages that once misled a reader of one field. */
static void real_page_wordings(void **state)
{
    (void)state;
    struct extract_page p;
    /* a phone labelled "Phone No." is a phone; an order number is not */
    p = page_of("<html><body><p>Acme Plumbing</p><p>Phone No.: 480-470-1670</p>"
                "<p>Order No. 4155550142</p></body></html>",
                "https://acme.example/");
    assert_int_equal(p.phones.n, 1);
    assert_string_equal(p.phones.v[0], "+14804701670");
    extract_page_release(&p);
    /* "no" and "CAD" are words, not Norway and Canada's dollar */
    p = page_of("<html><body><p>Rated 5 stars by 200 customers, no</p>"
                "<p>We turn sketches into CAD drawings.</p></body></html>",
                "https://acme.example/");
    assert_string_equal(p.country, "");
    extract_page_release(&p);
    /* a saved page: its site from its copyright line, a broken mailto: ignored */
    p = page_of("<html><body><p><a href='mailto:foo@'>Mail us</a></p>"
                "<p>\xc2\xa9 2024 acme.io. All rights reserved.</p></body></html>",
                NULL);
    assert_non_null(p.site);
    assert_string_equal(p.site, "acme.io");
    extract_page_release(&p);
    /* "logo" as a word of a logo's alt text, not inside a name */
    p = page_of("<html><body><a href='/'><img src='l.png' alt='Biologos Labs logo'></a>"
                "<p>Research reagents.</p></body></html>",
                "https://biologos.example/products");
    assert_non_null(p.company_name);
    assert_string_equal(p.company_name, "Biologos Labs");
    extract_page_release(&p);
    /* entities naming half a character are dropped, the name kept */
    p = page_of("<html><head><title>Acme &#xD83D;Tools</title></head><body></body></html>",
                "https://acme.example/");
    assert_non_null(p.company_name);
    extract_page_release(&p);
    /* an hCard address: every part it has, nothing else */
    p = page_of("<html><body><p>Acme Plumbing</p><div class='vcard'><div class='adr'>"
                "<span class='street-address'>12 Main St</span>, <span class='locality'>"
                "Springfield</span>, <span class='region'>IL</span> <span class='postal-code'>"
                "62701</span></div></div></body></html>",
                "https://acme.example/contact");
    assert_string_equal(p.address.street, "12 Main St");
    assert_string_equal(p.address.locality, "Springfield");
    assert_string_equal(p.address.postal_code, "62701");
    extract_page_release(&p);
    /* a law firm whose page lists an event held at a restaurant */
    p = page_of("<html><head><title>Rivera Law | Personal injury attorneys</title>"
                "<script type='application/ld+json'>[{\"@type\":\"Attorney\",\"name\":"
                "\"Rivera Law\"},{\"@type\":\"Event\",\"name\":\"Client dinner\","
                "\"location\":{\"@type\":\"Restaurant\",\"name\":\"Luigi's\"}}]</script>"
                "</head><body><h1>Personal injury lawyers</h1></body></html>",
                "https://riveralaw.example/");
    assert_true(p.nnaics > 0);
    assert_string_equal(p.naics[0].code, "541110");
    for (size_t i = 0; i < p.nnaics; i++)
        assert_string_not_equal(p.naics[i].code, "722511");
    extract_page_release(&p);
}

/* Sites that speak of a trade without practising it: a marketplace that
 * recruits the pros it lists, a publisher, a store. */
static void sites_beside_the_trade(void **state)
{
    (void)state;
    struct extract_page p;
    p = page_of("<html><head><title>Electrician in Ponchatoula, LA - Costs - homeyou</title>"
                "</head><body><nav><a href='/find'>Find a contractor</a> "
                "<a href='/pro'>Become a Homeyou Pro</a></nav>"
                "<h1>Electrician in Ponchatoula</h1><p>We recommend that you get at least "
                "three quotes from different electricians.</p></body></html>",
                "https://homeyou.example/la/electrician");
    assert_true(p.intermediary);
    extract_page_release(&p);
    /* a plumber asking for a quote is a plumber */
    p = page_of("<html><head><title>Aztec Plumbing</title></head><body><nav>Services "
                "Contact</nav><h1>Licensed plumbers</h1><p>Get a free quote today. We fix "
                "leaks and clear drains.</p></body></html>",
                "https://aztecplumbing.example/");
    assert_false(p.intermediary);
    assert_true(p.nnaics > 0);
    assert_string_equal(p.naics[0].code, "238220");
    extract_page_release(&p);
    /* an article on plumbers' prices, by a site with an advertising desk */
    p = page_of("<html><head><title>What plumbers charge in 2025</title>"
                "<meta property='og:type' content='article'></head><body><nav>News Reviews "
                "<a href='/advertise'>Advertise with us</a></nav><h1>What plumbers charge"
                "</h1><p>Plumbers charge by the hour for water heater installation and drain "
                "cleaning.</p></body></html>",
                "https://homenews.example/plumber-prices");
    assert_true(p.nnaics > 0);
    assert_string_equal(p.naics[0].code, "519130");
    extract_page_release(&p);
    p = page_of("<html><head><title>Mesh Office Chair | NBF</title></head><body><nav>Shop "
                "all Checkout</nav><h1>Mesh office chair</h1><p>In stock. Free shipping on "
                "orders over $99.</p><button>Add to cart</button></body></html>",
                "https://nbf.example/chairs/mesh");
    assert_true(p.nnaics > 0);
    assert_true(p.naics[0].code[0] == '4' &&
                (p.naics[0].code[1] == '4' || p.naics[0].code[1] == '5'));
    extract_page_release(&p);
}

static void title_rank_and_function(void **state)
{
    (void)state;
    static const struct {
        const char *title, *seniority, *department;
    } cases[] = {
        {"Co-Founder & COO", "owner", "operations"},
        {"CEO and Co-Founder", "owner", "executive"},
        {"Chief Product Officer", "c_level", "other"},
        {"President", "c_level", "executive"},
        {"Vice President of Sales", "vp", "sales"},
        {"Head of Editorial", "vp", "marketing"},
        {"Managing Director, Technology Investment Banking", "director", "finance"},
        {"Editor-in-Chief", "director", "marketing"},
        {"Sr. Content Marketing Manager", "manager", "marketing"},
        {"Senior Principal Software Engineer", "staff", "it"},
        {"Trial Attorney", "staff", "legal"},
        {"Actuarial Recruiter", "staff", "hr"},
        {"founder of HR.University", "owner", "executive"},
        {"Director of Operations", "director", "operations"},
        {"Principal", "owner", "executive"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *s = extract_title_seniority(cases[i].title);
        const char *d = extract_title_department(cases[i].title);
        if (!s || strcmp(s, cases[i].seniority) || !d || strcmp(d, cases[i].department))
            fail_msg("%s: %s/%s, want %s/%s", cases[i].title, s ? s : "NULL", d ? d : "NULL",
                     cases[i].seniority, cases[i].department);
    }
    assert_null(extract_title_seniority("Our Team"));
    assert_null(extract_title_department("Wednesday"));
}

/* The person named name on page p, or NULL. */
static const struct extract_person *person(const struct extract_page *p, const char *name)
{
    for (size_t i = 0; i < p->npeople; i++)
        if (!strcmp(p->people[i].name, name))
            return &p->people[i];
    return NULL;
}

static void people_layouts(void **state)
{
    (void)state;
    struct extract_page p =
        page_of("<html><body><main>"
                "<h2>Meet the Team</h2>"
                /* a card: name, then title, then the person's own links */
                "<div class=card><h3>Dr. Maria Keenan</h3><p>Director of Operations</p>"
                "<a href='mailto:maria.keenan@acme-plumbing.com'>Email</a>"
                "<a href='https://www.linkedin.com/in/mariakeenan/'>LinkedIn</a></div>"
                /* one line, name in its own element */
                "<p><strong>Rory O'Sullivan</strong>, Sales Manager</p>"
                /* one line of text */
                "<p>Joe Kindness – Founder &amp; CEO</p>"
                /* a sentence */
                "<p>Last spring, Priya Raman, our Head of Marketing at Acme Plumbing, said so.</p>"
                /* title before the name in running text */
                "<p>From CEO Drew Altman: a note.</p>"
                /* not people of the organisation */
                "<blockquote>“Best plumbers in town, fast and fair.”</blockquote>"
                "<p>Samantha Greene</p><p>Office Manager</p>"
                "<p>Lizzie W.</p><p>Customer</p>"
                "<p>Gregory Hunt, CTO, ScraperAPI</p>"
                "<p>Arvind Krishna, CEO of IBM, spoke.</p>"
                "<p>Celebrity Edge</p><p>Executive Chair</p>"
                "</main></body></html>",
                "https://www.acme-plumbing.com/about/");
    const struct extract_person *m = person(&p, "Maria Keenan");
    assert_non_null(m);
    assert_string_equal(m->title, "Director of Operations");
    assert_string_equal(m->seniority, "director");
    assert_string_equal(m->department, "operations");
    assert_string_equal(m->email, "maria.keenan@acme-plumbing.com");
    assert_string_equal(m->linkedin, "https://www.linkedin.com/in/mariakeenan/");
    assert_string_equal(m->source_url, "https://www.acme-plumbing.com/about/");
    assert_non_null(person(&p, "Rory O'Sullivan"));
    assert_string_equal(person(&p, "Rory O'Sullivan")->title, "Sales Manager");
    assert_non_null(person(&p, "Joe Kindness"));
    assert_string_equal(person(&p, "Joe Kindness")->title, "Founder & CEO");
    assert_non_null(person(&p, "Priya Raman"));
    assert_non_null(person(&p, "Drew Altman"));
    assert_string_equal(person(&p, "Drew Altman")->title, "CEO");
    assert_null(person(&p, "Samantha Greene")); /* signs a testimonial */
    assert_null(person(&p, "Lizzie W"));
    assert_null(person(&p, "Gregory Hunt")); /* another company's */
    assert_null(person(&p, "Arvind Krishna"));
    assert_null(person(&p, "Celebrity Edge"));
    assert_null(person(&p, "Meet the Team"));
    json_t *j = extract_page_json(&p);
    json_t *first = json_array_get(json_object_get(j, "people"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "first_name")), "Maria");
    assert_string_equal(json_string_value(json_object_get(first, "last_name")), "Keenan");
    json_decref(j);
    extract_page_release(&p);

    /* schema.org Person in JSON-LD; a review's author is not staff */
    p = page_of("<html><head><script type='application/ld+json'>"
                "{\"@context\":\"https://schema.org\",\"@graph\":["
                "{\"@type\":\"Person\",\"name\":\"Hannah Ortiz\",\"jobTitle\":\"Owner\","
                "\"email\":\"hannah@ortizdental.com\"},"
                "{\"@type\":\"Product\",\"review\":{\"@type\":\"Review\",\"author\":"
                "{\"@type\":\"Person\",\"name\":\"Tom Baker\",\"jobTitle\":\"CTO\"}}}]}"
                "</script></head><body><p>Hello</p></body></html>",
                "https://ortizdental.com/");
    assert_non_null(person(&p, "Hannah Ortiz"));
    assert_string_equal(person(&p, "Hannah Ortiz")->email, "hannah@ortizdental.com");
    assert_string_equal(person(&p, "Hannah Ortiz")->seniority, "owner");
    assert_null(person(&p, "Tom Baker"));
    extract_page_release(&p);

    /* React streams the page into a hidden element its script reveals */
    p = page_of("<html><body><template id='B:0'></template>"
                "<div hidden id='S:0'><h3>Lena Fischer</h3><p>Account Manager</p></div>"
                "<div hidden><h3>Otto Brandt</h3><p>Account Manager</p></div></body></html>",
                "https://www.example-co.com/team");
    assert_non_null(person(&p, "Lena Fischer"));
    assert_null(person(&p, "Otto Brandt"));
    extract_page_release(&p);
}

static void hostile_input(void **state)
{
    (void)state;
    /* deep nesting, garbage, broken JSON-LD: a result, never a crash */
    size_t n = 200000;
    char *deep = malloc(n * 5 + 64);
    char *w = deep;
    for (size_t i = 0; i < n; i++)
        w += snprintf(w, 6, "<div>");
    snprintf(w, 64, "<p>bottom a@b.example</p>");
    struct extract_doc *d;
    struct err e;
    if (extract_parse(deep, strlen(deep), NULL, NULL, &d, &e) == 0) {
        struct extract_page p;
        extract_page(d, NULL, &p);
        extract_page_release(&p);
        extract_doc_free(d);
    }
    free(deep);
    const char garbage[] = "\x00\x01\xff\xfe<\x80\x81>&#xffffff;&;<<<>>>";
    if (extract_parse(garbage, sizeof garbage, NULL, NULL, &d, &e) == 0) {
        struct extract_page p;
        extract_page(d, "US", &p);
        extract_page_release(&p);
        extract_doc_free(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(email_cases),
        cmocka_unit_test(address_guard),
        cmocka_unit_test(robots_rules),
        cmocka_unit_test(robots_crawl_delay),
        cmocka_unit_test(main_text_drops_boilerplate),
        cmocka_unit_test(lead_merges_pages_with_provenance),
        cmocka_unit_test(real_page_wordings),
        cmocka_unit_test(sites_beside_the_trade),
        cmocka_unit_test(title_rank_and_function),
        cmocka_unit_test(people_layouts),
        cmocka_unit_test(hostile_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
