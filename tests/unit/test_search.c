/* test_search.c: the corpus in a real SQLite store: indexing a folder
 * (manifest, canonical and path URLs), incremental re-indexing, ranking
 * (title above body, stemming, accents), grouping by site, page retrieval
 * and bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "corpus/corpus.h"
#include "core/log.h"
#include "search/search.h"
#include "store/store.h"

static char dir[64], db[96];

static void put_bytes(const char *rel, const char *text, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    char cmd[320];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", path);
    assert_int_equal(system(cmd), 0);
    *slash = '/';
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(text, 1, len, f);
    fclose(f);
}

static void put(const char *rel, const char *text)
{
    put_bytes(rel, text, strlen(text));
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/prospect-search-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s.db", dir);
    put("acme.example/index.html",
        "<html><head><title>Acme Robotics</title></head><body><h1>Warehouse robots</h1>"
        "<p>We automate warehouses.</p></body></html>");
    put("acme.example/about.html",
        "<html><head><title>About Acme</title></head><body><p>Our sales team still tracks leads "
        "in spreadsheets.</p></body></html>");
    put("globex.example/index.html",
        "<html><head><title>Spreadsheet consulting</title></head><body><p>Globex helps with "
        "Excel.</p></body></html>");
    put("initech.example/index.html",
        "<html><head><title>Initech</title><link rel=canonical "
        "href=\"https://www.initech.example/home\">"
        "</head><body><p>Caf\xc3\xa9 software for restaurants.</p><script>spreadsheets()</script>"
        "</body></html>");
    put("misc/page.html", "<html><head><title>Listed</title></head><body>Manifest page with "
                          "zanzibar.</body></html>");
    put("misc/nourl.html", "<html><body>no url anywhere</body></html>");
    put_bytes("misc/binary.html",
              "\x7f"
              "ELF\x01\x02\x00\x00garbage",
              15);
    put("manifest.tsv", "# path\turl\nmisc/page.html\thttps://listed.example/page\n"
                        "misc/binary.html\thttps://bin.example/\nbroken line\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s' '%s-wal' '%s-shm'", dir, db, db, db);
    return system(cmd);
}

static FILE *report_file(void)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    return f;
}

static char *slurp(FILE *f)
{
    long n = ftell(f);
    rewind(f);
    char *s = calloc(1, (size_t)n + 1);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    return s;
}

static void index_then_search(void **state)
{
    (void)state;
    struct store *st;
    struct err e = {0};
    assert_int_equal(store_open(db, &st, &e), 0);
    assert_string_equal(store_backend(st), "sqlite");
    FILE *rep = report_file();
    struct corpus_options opt = {.report = rep};
    struct corpus_stats s;
    const char *paths[] = {dir};
    assert_int_equal(corpus_index(st, paths, 1, &opt, &s, &e), 0);
    assert_int_equal(s.files, 7);
    assert_int_equal(s.added, 6);
    assert_int_equal(s.skipped, 1); /* binary */
    /* a page that names no address is indexed under a file: URL */
    assert_int_equal(s.file_urls, 1);
    char *msgs = slurp(rep);
    fclose(rep);
    assert_null(strstr(msgs, "nourl.html"));
    assert_non_null(strstr(msgs, "binary.html: binary content"));
    assert_non_null(strstr(msgs, "manifest.tsv: line 4: expected PATH<TAB>URL"));
    free(msgs);

    int64_t docs, sites;
    assert_int_equal(store_corpus_stats(st, &docs, &sites, &e), 0);
    assert_int_equal(docs, 6);
    assert_int_equal(sites, 5); /* the URL-less page is a site of its own, named by its file */

    struct search_provider *p;
    search_local_open(st, &p);
    assert_string_equal(search_provider_name(p), "local");
    struct search_results r;
    /* Stemming: "spreadsheet" matches "spreadsheets"; the title match ranks
     * first; script text is not indexed; acme's two pages group as one. */
    assert_int_equal(search_run(p, "the spreadsheet", 10, &r, &e), 0);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.v[0].site, "globex.example");
    assert_string_equal(r.v[1].site, "acme.example");
    assert_string_equal(r.v[1].url, "https://acme.example/about.html");
    assert_true(r.v[0].score > r.v[1].score);
    assert_non_null(strstr(r.v[1].snippet, "spreadsheets"));
    search_results_release(&r);

    assert_int_equal(search_run(p, "acme warehouse", 10, &r, &e), 0);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.v[0].url, "https://acme.example/");
    assert_int_equal(r.v[0].nmore, 1);
    assert_string_equal(r.v[0].more[0], "https://acme.example/about.html");
    search_results_release(&r);

    /* Canonical URL, accent folding, manifest URL. */
    assert_int_equal(search_run(p, "CAFE", 10, &r, &e), 0);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.v[0].url, "https://www.initech.example/home");
    assert_string_equal(r.v[0].site, "initech.example");
    search_results_release(&r);
    assert_int_equal(search_run(p, "zanzibar", 10, &r, &e), 0);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.v[0].url, "https://listed.example/page");
    search_results_release(&r);
    assert_int_equal(search_run(p, "anywhere", 10, &r, &e), 0);
    assert_int_equal(r.n, 1);
    assert_true(strncmp(r.v[0].url, "file:///", 8) == 0);
    assert_non_null(strstr(r.v[0].url, "/misc/nourl.html"));
    assert_string_equal(r.v[0].site, "nourl");
    search_results_release(&r);

    assert_int_equal(search_run(p, "the and of", 10, &r, &e), CORE_EINVAL);
    assert_int_equal(search_run(p, "\"quoted OR NEAR(x)\"", 10, &r, &e), 0); /* no FTS syntax */
    search_results_release(&r);

    char *html = NULL, charset[64];
    size_t len = 0;
    assert_int_equal(store_corpus_page(st, "https://acme.example/", &html, &len, charset, &e), 0);
    assert_non_null(strstr(html, "Warehouse robots"));
    assert_string_equal(charset, "UTF-8");
    free(html);
    assert_int_equal(store_corpus_page(st, "https://none.example/", &html, &len, charset, &e),
                     CORE_ENOTFOUND);
    search_provider_free(p);
    store_close(st);
}

static void reindex_is_incremental(void **state)
{
    (void)state;
    struct store *st;
    struct err e = {0};
    assert_int_equal(store_open(db, &st, &e), 0);
    struct corpus_options opt = {.report = NULL};
    log_setup(LOG_OFF, LOG_FORMAT_LOGFMT, NULL);
    struct corpus_stats s;
    const char *paths[] = {dir};
    assert_int_equal(corpus_index(st, paths, 1, &opt, &s, &e), 0);
    assert_int_equal(s.added, 0);
    assert_int_equal(s.unchanged, 6);

    /* A changed page replaces its old text in the index. */
    put("globex.example/index.html", "<html><head><title>Globex ledgers</title></head><body>"
                                     "<p>Bookkeeping.</p></body></html>");
    assert_int_equal(corpus_index(st, paths, 1, &opt, &s, &e), 0);
    assert_int_equal(s.updated, 1);
    assert_int_equal(s.unchanged, 5);
    struct search_provider *p;
    search_local_open(st, &p);
    struct search_results r;
    assert_int_equal(search_run(p, "spreadsheet", 10, &r, &e), 0);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.v[0].site, "acme.example");
    search_results_release(&r);
    assert_int_equal(search_run(p, "ledger", 10, &r, &e), 0);
    assert_int_equal(r.n, 1);
    search_results_release(&r);
    search_provider_free(p);
    store_close(st);
}

static void bad_inputs(void **state)
{
    (void)state;
    struct store *st;
    struct err e = {0};
    assert_int_equal(store_open(db, &st, &e), 0);
    char empty[96];
    snprintf(empty, sizeof empty, "%s-empty", dir);
    mkdir(empty, 0700);
    FILE *rep = report_file();
    struct corpus_options opt = {.report = rep, .max_page_bytes = 64};
    struct corpus_stats s;
    char big[128];
    snprintf(big, sizeof big, "%s/acme.example/index.html", dir);
    const char *paths[] = {empty, "/nonexistent/path", big};
    assert_int_equal(corpus_index(st, paths, 3, &opt, &s, &e), 0);
    char *msgs = slurp(rep);
    fclose(rep);
    assert_non_null(strstr(msgs, "no .html, .htm, .warc or .warc.gz files found"));
    assert_non_null(strstr(msgs, "/nonexistent/path: No such file or directory"));
    assert_non_null(strstr(msgs, "larger than 64 bytes; indexed the first 64"));
    assert_int_equal(s.truncated, 1);
    free(msgs);
    rmdir(empty);
    store_close(st);

    assert_int_equal(store_open("/nonexistent/dir/x.db", &st, &e), CORE_EIO);
    assert_non_null(strstr(e.msg, "cannot open"));
    /* Nothing listens on port 1: the error says so, without the password. */
    assert_int_equal(store_open("postgres://u:s3cret-pw@127.0.0.1:1/x", &st, &e), CORE_EIO);
    assert_non_null(strstr(e.msg, "cannot connect to PostgreSQL"));
    assert_null(strstr(e.msg, "s3cret-pw"));
}

/* Saved pages without an address: each is indexed, under a file: URL, with
 * the site it names as its own; a kind of customer's words that stand
 * together rank above the same words apart. */
static void saved_pages_and_phrases(void **state)
{
    (void)state;
    char saved[128], path[256];
    snprintf(saved, sizeof saved, "%s-saved", dir);
    mkdir(saved, 0700);
    static const char *const pages[][2] = {
        {"Sudsy.html", "<html><head><title>Sudsy</title></head><body><h1>Sudsy</h1><p>The car "
                       "wash on Main Street: hand wash and detailing.</p><p>Write to "
                       "hello@sudsy-wash.example</p></body></html>"},
        {"Parts Plus.html",
         "<html><head><title>Parts Plus</title></head><body><h1>Parts Plus</h1><p>Car parts "
         "for every car, car batteries and car mats. Easy to wash.</p><p>&copy; 2026 "
         "partsplus.example</p></body></html>"},
        {"nothing.html", "<html><body><p>Car care tips.</p></body></html>"},
    };
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", saved, pages[i][0]);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(pages[i][1], f);
        fclose(f);
    }
    struct store *st;
    struct err e = {0};
    char sdb[160];
    snprintf(sdb, sizeof sdb, "%s.db", saved);
    assert_int_equal(store_open(sdb, &st, &e), 0);
    struct corpus_options opt = {.report = NULL};
    struct corpus_stats s;
    const char *paths[] = {saved};
    assert_int_equal(corpus_index(st, paths, 1, &opt, &s, &e), 0);
    assert_int_equal(s.added, 3);
    assert_int_equal(s.inferred, 3);
    assert_int_equal(s.file_urls, 3);
    struct search_provider *p;
    search_local_open(st, &p);
    struct search_results r;
    assert_int_equal(search_run(p, "car wash", 10, &r, &e), 0);
    assert_true(r.n >= 2);
    assert_string_equal(r.v[0].site, "sudsy-wash.example"); /* its e-mail's domain */
    assert_string_equal(r.v[1].site, "partsplus.example");  /* its copyright line's */
    assert_true(strncmp(r.v[0].url, "file:///", 8) == 0);
    search_results_release(&r);
    assert_int_equal(search_run(p, "care tips", 10, &r, &e), 0);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.v[0].site, "nothing"); /* named by its file */
    search_results_release(&r);
    search_provider_free(p);
    store_close(st);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s' '%s-wal' '%s-shm'", saved, sdb, sdb, sdb);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(index_then_search),
        cmocka_unit_test(reindex_is_incremental),
        cmocka_unit_test(bad_inputs),
        cmocka_unit_test(saved_pages_and_phrases),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
