/* test_lead.c: a stored lead read back (lead_view) and its CSV rows: the
 * contact columns of each profile name the most senior person (then the
 * first named), a one-word name is a last name, and a guessed address
 * never reaches an e-mail column; the company's columns keep their
 * places. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/lead.h"

static json_t *lead_with(json_t *people)
{
    return json_pack("{s:s, s:{s:s, s:s, s:s, s:{s:s, s:[s], s:[], s:o}}}", "lead_id", "l1",
                     "lead_data", "company_name", "Acme", "website", "https://acme.example/",
                     "site", "acme.example", "adk1_enrichment", "industry", "Plumbing",
                     "contact_emails", "info@acme.example", "contact_phones", "people", people);
}

static json_t *person(const char *first, const char *last, const char *title, const char *seniority,
                      const char *email)
{
    json_t *p = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "name", first, "first_name", first,
                          "last_name", last ? json_string(last) : json_null(), "title",
                          title ? json_string(title) : json_null(), "seniority",
                          seniority ? json_string(seniority) : json_null(), "email",
                          email ? json_string(email) : json_null());
    return p;
}

/* The CSV of one lead in a profile: header and row, split into fields
 * (none of the test's values hold a comma or a quote). */
static size_t csv_of(enum lead_csv_profile profile, const json_t *lead, char fields[2][64][128])
{
    struct buf b;
    buf_init(&b, 1 << 20);
    assert_int_equal(lead_csv_header(profile, &b), 0);
    assert_int_equal(lead_csv_row(profile, lead, &b), 0);
    const char *p = buf_cstr(&b);
    size_t n[2] = {0, 0};
    for (int line = 0; line < 2; line++) {
        for (;;) {
            size_t k = strcspn(p, ",\n");
            snprintf(fields[line][n[line]++], 128, "%.*s", (int)k, p);
            p += k + 1;
            if (p[-1] == '\n')
                break;
        }
    }
    assert_int_equal(n[0], n[1]);
    buf_release(&b);
    return n[0];
}

static const char *column(char fields[2][64][128], size_t n, const char *label)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(fields[0][i], label))
            return fields[1][i];
    fail_msg("no column %s", label);
    return NULL;
}

static void contact_is_the_most_senior(void **state)
{
    (void)state;
    json_t *people = json_array();
    json_array_append_new(people, person("Amy", "Staff", "Engineer", "staff", "amy@acme.example"));
    json_array_append_new(people, person("Nobody", "Titled", NULL, NULL, NULL));
    json_array_append_new(people, person("Vera", "Vance", "VP Sales", "vp", NULL));
    json_array_append_new(people, person("Dan", "De La O", "Director", "director", NULL));
    json_array_append_new(people, person("Val", "Other", "VP Ops", "vp", "val@acme.example"));
    json_t *guessed = person("Cleo", "Chief", NULL, NULL, NULL);
    json_object_set_new(guessed, "email_guess",
                        json_pack("{s:s, s:b}", "email", "cleo.chief@acme.example", "guessed", 1));
    json_array_append(people, guessed);
    json_t *lead = lead_with(people);

    struct lead_view v;
    lead_view(lead, &v);
    /* two VPs: the first named; her own address, which she has none of */
    assert_string_equal(v.contact_first, "Vera");
    assert_string_equal(v.contact_last, "Vance");
    assert_string_equal(v.contact_title, "VP Sales");
    assert_string_equal(v.contact_email, "");

    char f[2][64][128];
    size_t n = csv_of(LEAD_CSV_HUBSPOT, lead, f);
    assert_string_equal(f[0][0], "Company name"); /* the company's columns first, as before */
    assert_string_equal(f[0][11], "Description");
    assert_string_equal(f[0][12], "First Name");
    assert_string_equal(column(f, n, "Last Name"), "Vance");
    assert_string_equal(column(f, n, "Job Title"), "VP Sales");
    assert_string_equal(column(f, n, "Email"), "");
    assert_string_equal(column(f, n, "Emails"), "info@acme.example");
    n = csv_of(LEAD_CSV_SALESFORCE, lead, f);
    assert_string_equal(f[0][10], "Description");
    assert_string_equal(column(f, n, "First Name"), "Vera");
    assert_string_equal(column(f, n, "Title"), "VP Sales");
    n = csv_of(LEAD_CSV_PROSPECT, lead, f);
    assert_string_equal(column(f, n, "Contact Seniority"), "vp");
    assert_string_equal(column(f, n, "Contact First Name"), "Vera");
    json_decref(lead);

    /* a guessed address is never an e-mail column's, whoever the contact is */
    people = json_array();
    json_array_append_new(people, guessed);
    lead = lead_with(people);
    for (int p = LEAD_CSV_PROSPECT; p <= LEAD_CSV_SALESFORCE; p++) {
        struct buf b;
        buf_init(&b, 1 << 20);
        assert_int_equal(lead_csv_row((enum lead_csv_profile)p, lead, &b), 0);
        assert_null(strstr(buf_cstr(&b), "cleo.chief@"));
        assert_non_null(strstr(buf_cstr(&b), "Cleo"));
        buf_release(&b);
    }
    json_decref(lead);
}

static void one_word_name_is_a_last_name(void **state)
{
    (void)state;
    json_t *people = json_array();
    json_array_append_new(people, person("Madonna", NULL, "Owner", "owner", "m@acme.example"));
    json_t *lead = lead_with(people);
    char f[2][64][128];
    size_t n = csv_of(LEAD_CSV_SALESFORCE, lead, f);
    assert_string_equal(column(f, n, "First Name"), "");
    assert_string_equal(column(f, n, "Last Name"), "Madonna"); /* Salesforce requires one */
    assert_string_equal(column(f, n, "Email"), "m@acme.example");
    json_decref(lead);

    /* no people: empty contact columns, the row as long as the header */
    lead = lead_with(json_array());
    n = csv_of(LEAD_CSV_HUBSPOT, lead, f);
    assert_string_equal(column(f, n, "First Name"), "");
    assert_string_equal(column(f, n, "Company name"), "Acme");
    json_decref(lead);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(contact_is_the_most_senior),
        cmocka_unit_test(one_word_name_is_a_last_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
