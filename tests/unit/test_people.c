/* test_people.c: a lead's people merged across its pages (one per name,
 * the first title kept, contacts filled from later pages, at most
 * EXTRACT_MAX_LEAD_PEOPLE), names taken apart for a CRM, and guessed
 * addresses: patterns learned from the others' own-domain addresses only,
 * names with accents, hyphens and particles, the majority pattern, no
 * guess on a tie, role addresses that teach nothing, and no guess unless
 * asked for. Pages are built by hand, so that these tests do not move
 * with the people extractor's heuristics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "extract/extract.h"

struct who {
    const char *name, *title, *email, *phone, *linkedin;
};

/* A page of acme.example naming people (NULL-terminated) and showing
 * addresses (NULL-terminated). */
static void page_of(struct extract_page *p, const char *url, const struct who *people,
                    const char *const *emails)
{
    memset(p, 0, sizeof *p);
    p->url = strdup(url);
    for (const struct who *w = people; w && w->name; w++)
        p->npeople++;
    p->people = calloc(p->npeople + 1, sizeof *p->people);
    for (size_t i = 0; i < p->npeople; i++) {
        const struct who *w = &people[i];
        struct extract_person *q = &p->people[i];
        q->name = strdup(w->name);
        q->title = w->title ? strdup(w->title) : NULL;
        q->seniority = w->title ? extract_title_seniority(w->title) : NULL;
        q->department = w->title ? extract_title_department(w->title) : NULL;
        q->email = w->email ? strdup(w->email) : NULL;
        q->phone = w->phone ? strdup(w->phone) : NULL;
        q->linkedin = w->linkedin ? strdup(w->linkedin) : NULL;
        q->source_url = strdup(url);
    }
    for (const char *const *e = emails; e && *e; e++)
        p->nemails++;
    p->emails = calloc(p->nemails + 1, sizeof *p->emails);
    for (size_t i = 0; i < p->nemails; i++) {
        p->emails[i].address = strdup(emails[i]);
        p->emails[i].on_domain = strstr(emails[i], "@acme.example") != NULL;
    }
}

/* A lead of acme.example from one page. */
static void lead_of(struct extract_lead *l, const struct who *people, const char *const *emails)
{
    struct extract_page p;
    page_of(&p, "https://acme.example/team", people, emails);
    extract_lead_init(l, "acme.example");
    extract_lead_add(l, &p);
    extract_page_release(&p);
}

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* The lead's people with guesses, person i's email_guess (or NULL). */
static json_t *guess_of(json_t *people, size_t i)
{
    return json_object_get(json_array_get(people, i), "email_guess");
}

static void people_merge_across_pages(void **state)
{
    (void)state;
    struct extract_page team, contact;
    page_of(&team, "https://acme.example/team",
            (const struct who[]){
                {"José Núñez", "CEO", NULL, NULL, NULL}, {"Jane Roe", NULL, NULL, NULL, NULL}, {0}},
            NULL);
    page_of(&contact, "https://acme.example/contact",
            (const struct who[]){
                {"JOSE NUNEZ", "Founder", "Jose.Nunez@ACME.example", "+15125550101", NULL},
                {"Jane  Roe.", "Head of Sales", NULL, NULL, "https://www.linkedin.com/in/janeroe"},
                {"Matt De La O", "Director, M&A", NULL, NULL, NULL},
                {0}},
            (const char *const[]){"info@acme.example", NULL});
    struct extract_lead l;
    extract_lead_init(&l, "acme.example");
    extract_lead_add(&l, &team);
    extract_lead_add(&l, &contact);
    assert_int_equal(l.npeople, 3);
    /* one José, as the first page wrote him, with its title and the
     * contacts only the second page showed */
    assert_string_equal(l.people[0].name, "José Núñez");
    assert_string_equal(l.people[0].title, "CEO");
    assert_string_equal(l.people[0].seniority, "c_level");
    assert_string_equal(l.people[0].email, "Jose.Nunez@acme.example");
    assert_string_equal(l.people[0].phone, "+15125550101");
    assert_string_equal(l.people[0].source_url, "https://acme.example/team");
    /* no title on the first page: the first title found */
    assert_string_equal(l.people[1].title, "Head of Sales");
    assert_string_equal(l.people[1].seniority, "vp");
    assert_string_equal(l.people[1].linkedin, "https://www.linkedin.com/in/janeroe");
    /* the person's address is among the lead's, so it is checked */
    bool found = false;
    for (size_t i = 0; i < l.emails.n; i++)
        found = found || !strcmp(l.emails.v[i].value, "Jose.Nunez@acme.example");
    assert_true(found);
    assert_true(l.has_personal_email);

    json_t *j = extract_lead_json(&l);
    json_t *people = json_object_get(j, "people");
    assert_int_equal(json_array_size(people), 3);
    json_t *matt = json_array_get(people, 2);
    assert_string_equal(str(matt, "first_name"), "Matt");
    assert_string_equal(str(matt, "last_name"), "De La O"); /* as a CRM files him */
    assert_string_equal(str(matt, "department"), extract_title_department("Director, M&A"));
    assert_null(json_object_get(matt, "email_guess"));
    json_decref(j);
    extract_lead_release(&l);
    extract_page_release(&team);
    extract_page_release(&contact);
}

static void people_are_capped(void **state)
{
    (void)state;
    static char names[EXTRACT_MAX_LEAD_PEOPLE + 10][32];
    struct who people[EXTRACT_MAX_LEAD_PEOPLE + 11];
    memset(people, 0, sizeof people);
    for (int i = 0; i < EXTRACT_MAX_LEAD_PEOPLE + 10; i++) {
        snprintf(names[i], sizeof names[i], "Person%c%c Smith", 'a' + i / 26, 'a' + i % 26);
        people[i].name = names[i];
    }
    struct extract_lead l;
    lead_of(&l, people, NULL);
    assert_int_equal(l.npeople, EXTRACT_MAX_LEAD_PEOPLE);
    assert_string_equal(l.people[0].name, "Personaa Smith"); /* the first ones found */
    extract_lead_release(&l);
}

static void guess_from_the_others(void **state)
{
    (void)state;
    struct extract_lead l;
    lead_of(&l,
            (const struct who[]){{"Jane Roe", "CEO", "jane.roe@acme.example", NULL, NULL},
                                 {"John Smith", "CTO", NULL, NULL, NULL},
                                 {"Bob Stone", "Sales Manager", NULL, NULL, NULL},
                                 {"Ann Lee", "Designer", "ann.lee@gmail.com", NULL, NULL},
                                 {0}},
            (const char *const[]){"info@acme.example", "john.smith@acme.example", NULL});
    json_t *people = extract_lead_people_json(&l, true);
    /* nobody with an address of their own gets a guess */
    assert_null(guess_of(people, 0));
    assert_null(guess_of(people, 3));
    json_t *g = guess_of(people, 2);
    assert_non_null(g);
    assert_string_equal(str(g, "email"), "bob.stone@acme.example");
    assert_true(json_is_true(json_object_get(g, "guessed")));
    assert_string_equal(str(g, "pattern"), "first.last");
    json_t *from = json_object_get(g, "learned_from");
    assert_int_equal(json_array_size(from), 2); /* in the order of the lead's addresses */
    assert_string_equal(json_string_value(json_array_get(from, 0)), "john.smith@acme.example");
    assert_string_equal(json_string_value(json_array_get(from, 1)), "jane.roe@acme.example");
    assert_null(json_object_get(g, "seen_on_site"));
    /* John's address is on the site, though not as his: the guess says so,
     * and was learned from Jane's alone */
    g = guess_of(people, 1);
    assert_string_equal(str(g, "email"), "john.smith@acme.example");
    assert_true(json_is_true(json_object_get(g, "seen_on_site")));
    assert_int_equal(json_array_size(json_object_get(g, "learned_from")), 1);
    /* a guess is never the person's email, nor one of the lead's */
    assert_true(json_is_null(json_object_get(json_array_get(people, 2), "email")));
    for (size_t i = 0; i < l.emails.n; i++)
        assert_string_not_equal(l.emails.v[i].value, "bob.stone@acme.example");
    json_decref(people);

    /* not asked: no guess */
    people = extract_lead_people_json(&l, false);
    for (size_t i = 0; i < json_array_size(people); i++)
        assert_null(guess_of(people, i));
    json_decref(people);
    json_t *j = extract_lead_json(&l);
    for (size_t i = 0; i < l.npeople; i++)
        assert_null(guess_of(json_object_get(j, "people"), i));
    json_decref(j);
    extract_lead_release(&l);
}

static void guess_spells_accents_hyphens_particles(void **state)
{
    (void)state;
    struct extract_lead l;
    lead_of(&l,
            (const struct who[]){{"Matt De La O", NULL, NULL, NULL, NULL},
                                 {"Zoë Núñez-García", NULL, NULL, NULL, NULL},
                                 {"Ludwig van Beethoven", NULL, NULL, NULL, NULL},
                                 {"Jean-Luc O'Brien Jr.", NULL, NULL, NULL, NULL},
                                 {"Anna van Dijk", NULL, NULL, NULL, NULL},
                                 {"Søren Kierkegaard", NULL, NULL, NULL, NULL},
                                 {0}},
            /* Matt's spells his particles; Anna's leaves hers out */
            (const char *const[]){"matt.delao@acme.example", "anna.dijk@acme.example", NULL});
    json_t *people = extract_lead_people_json(&l, true);
    assert_string_equal(str(guess_of(people, 1), "email"), "zoe.nunez-garcia@acme.example");
    assert_string_equal(str(guess_of(people, 2), "email"), "ludwig.vanbeethoven@acme.example");
    assert_string_equal(str(guess_of(people, 3), "email"), "jean-luc.obrien@acme.example");
    assert_int_equal(json_array_size(json_object_get(guess_of(people, 3), "learned_from")), 2);
    /* Matt is taught by Anna's alone, Anna by Matt's alone */
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(guess_of(people, 0), "learned_from"), 0)),
        "anna.dijk@acme.example");
    assert_string_equal(str(guess_of(people, 0), "email"), "matt.delao@acme.example");
    /* a letter no mailbox convention spells: no guess rather than a wrong one */
    assert_null(guess_of(people, 5));
    assert_string_equal(str(json_array_get(people, 3), "last_name"), "O'Brien");
    json_decref(people);
    extract_lead_release(&l);
}

static void majority_wins_and_ties_give_nothing(void **state)
{
    (void)state;
    const struct who staff[] = {{"Jane Roe", NULL, NULL, NULL, NULL},
                                {"John Smith", NULL, NULL, NULL, NULL},
                                {"Mary Major", NULL, NULL, NULL, NULL},
                                {"Bob Stone", NULL, NULL, NULL, NULL},
                                {0}};
    struct extract_lead l;
    lead_of(&l, staff,
            (const char *const[]){"jane.roe@acme.example", "jsmith@acme.example",
                                  "mary.major@acme.example", NULL});
    json_t *people = extract_lead_people_json(&l, true);
    json_t *g = guess_of(people, 3);
    assert_string_equal(str(g, "email"), "bob.stone@acme.example");
    assert_string_equal(str(g, "pattern"), "first.last");
    assert_int_equal(json_array_size(json_object_get(g, "learned_from")), 2);
    json_decref(people);
    extract_lead_release(&l);

    lead_of(&l, staff, (const char *const[]){"jane.roe@acme.example", "jsmith@acme.example", NULL});
    people = extract_lead_people_json(&l, true);
    assert_null(guess_of(people, 2)); /* one first.last, one flast: no guess */
    assert_null(guess_of(people, 3));
    json_decref(people);
    extract_lead_release(&l);
}

static void role_and_foreign_addresses_teach_nothing(void **state)
{
    (void)state;
    struct extract_lead l;
    /* sales@ spells Sam Sales's family name, but is a role's mailbox */
    lead_of(&l,
            (const struct who[]){{"Sam Sales", NULL, NULL, NULL, NULL},
                                 {"Ann Lee", NULL, "ann.lee@gmail.com", NULL, NULL},
                                 {"Bob Stone", NULL, NULL, NULL, NULL},
                                 {0}},
            (const char *const[]){"sales@acme.example", "info@acme.example",
                                  "sam.sales@partner.example", NULL});
    json_t *people = extract_lead_people_json(&l, true);
    for (size_t i = 0; i < json_array_size(people); i++)
        assert_null(guess_of(people, i));
    json_decref(people);
    extract_lead_release(&l);
}

static void guess_is_never_someone_elses(void **state)
{
    (void)state;
    struct extract_lead l;
    /* first@: Tim Cook's would be Tim Hardwick's tim@ */
    lead_of(&l,
            (const struct who[]){{"Tim Hardwick", NULL, "tim@acme.example", NULL, NULL},
                                 {"Dan Barbera", NULL, "dan@acme.example", NULL, NULL},
                                 {"Tim Cook", NULL, NULL, NULL, NULL},
                                 {"Steve Moser", NULL, NULL, NULL, NULL},
                                 {"Solo", NULL, NULL, NULL, NULL},
                                 {0}},
            NULL);
    json_t *people = extract_lead_people_json(&l, true);
    assert_null(guess_of(people, 2));
    assert_string_equal(str(guess_of(people, 3), "email"), "steve@acme.example");
    assert_string_equal(str(guess_of(people, 3), "pattern"), "first");
    assert_null(guess_of(people, 4)); /* one word: no family name to spell */
    json_decref(people);
    extract_lead_release(&l);

    /* only the person's own possible address: nothing from the others */
    lead_of(&l, (const struct who[]){{"Bob Stone", NULL, NULL, NULL, NULL}, {0}},
            (const char *const[]){"bob.stone@acme.example", NULL});
    people = extract_lead_people_json(&l, true);
    assert_null(guess_of(people, 0));
    json_decref(people);
    extract_lead_release(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(people_merge_across_pages),
        cmocka_unit_test(people_are_capped),
        cmocka_unit_test(guess_from_the_others),
        cmocka_unit_test(guess_spells_accents_hyphens_particles),
        cmocka_unit_test(majority_wins_and_ties_give_nothing),
        cmocka_unit_test(role_and_foreign_addresses_teach_nothing),
        cmocka_unit_test(guess_is_never_someone_elses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
