/* index.c: `prospect index`: walks folders, reads HTML files and WARC
 * records, extracts each page's text and stores it in the corpus.
 *
 * Pages are committed in batches (one transaction per CORPUS_BATCH pages);
 * the content hash is checked before parsing, so unchanged pages cost one
 * lookup. Every problem is one report line naming the file.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "corpus/corpus.h"
#include "corpus/warc.h"
#include "extract/extract.h"
#include "net/url.h"

#define CORPUS_BATCH 1000
#define CORPUS_MAX_DEPTH 32
#define CORPUS_MAX_WARC_RECORD (64u * 1024 * 1024)

struct manifest_entry {
    char *path; /* relative to the folder */
    char *url;
};

struct run {
    struct store *st;
    const struct corpus_options *opt;
    struct corpus_stats *stats;
    size_t max_page;
    int64_t in_batch;
    int64_t files_total, bytes_total, bytes_done;
    int64_t last_draw;
    int store_failed; /* the first store error; stops the run */
    struct err *e;
};

static void report(struct run *r, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void report(struct run *r, const char *path, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->opt->progress)
        fputs("\r\033[K", stderr);
    if (r->opt->report)
        fprintf(r->opt->report, "%s: %s\n", path, msg);
    else
        log_warn("index problem", LOG_S("file", path), LOG_S("reason", msg));
}

static void draw_progress(struct run *r, bool final)
{
    if (!r->opt->progress)
        return;
    int64_t now = clock_mono_ms();
    if (!final && now - r->last_draw < 100)
        return;
    r->last_draw = now;
    double frac = r->bytes_total ? (double)r->bytes_done / (double)r->bytes_total : 1.0;
    if (frac > 1)
        frac = 1;
    char bar[31];
    int fill = (int)(frac * 30);
    for (int i = 0; i < 30; i++)
        bar[i] = i < fill ? '=' : i == fill ? '>' : ' ';
    bar[30] = '\0';
    const struct corpus_stats *s = r->stats;
    fprintf(stderr, "\r\033[K[%s] %3d%%  %lld/%lld files  %lld pages  %.1f MB", bar,
            (int)(frac * 100), (long long)s->files, (long long)r->files_total,
            (long long)(s->added + s->updated + s->unchanged), (double)s->bytes / 1e6);
    if (final)
        fputc('\n', stderr);
}

static int batch_tick(struct run *r)
{
    if (++r->in_batch < CORPUS_BATCH)
        return 0;
    r->in_batch = 0;
    int rc = store_commit(r->st, r->e);
    if (!rc)
        rc = store_begin(r->st, r->e);
    return rc;
}

static bool looks_binary(const char *p, size_t n)
{
    size_t k = n < 8192 ? n : 8192;
    return memchr(p, '\0', k) != NULL;
}

static int64_t parse_warc_date(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!end)
        return 0;
    return (int64_t)timegm(&tm) * 1000;
}

/* Indexes one page under url (http(s), or file: for a page that names no
 * address) and site (NULL: the URL's). parsed (may be NULL) is the page
 * already parsed, still the caller's. Problems with the page are reported
 * and counted; only a store failure returns non-zero. */
static int index_page(struct run *r, const char *where, const char *url_in, const char *site_in,
                      struct extract_doc *parsed, const char *html, size_t len, const char *charset,
                      int64_t fetched_at)
{
    int rc = 0;
    char *url = str_has_prefix(url_in, "file:") ? xstrdup(url_in) : url_normalize(url_in);
    char *site = NULL;
    struct extract_doc *doc = NULL;
    struct extract_text text = {0};
    if (!url) {
        report(r, where, "'%s' is not an http(s) URL; page skipped", url_in);
        r->stats->skipped++;
        goto out;
    }
    r->stats->bytes += (int64_t)len;
    char hash[65];
    XXH128_hash_t h = XXH3_128bits(html, len);
    snprintf(hash, sizeof hash, "%016llx%016llx", (unsigned long long)h.high64,
             (unsigned long long)h.low64);
    char old[65];
    if ((rc = store_corpus_hash(r->st, url, old, r->e)))
        goto out;
    if (strcmp(old, hash) == 0) {
        r->stats->unchanged++;
        goto out;
    }
    if (looks_binary(html, len)) {
        report(r, where, "binary content, not HTML; skipped");
        r->stats->skipped++;
        goto out;
    }
    struct err pe = {0};
    if (!parsed && extract_parse(html, len, charset, url, &doc, &pe)) {
        report(r, where, "%s; skipped", pe.msg);
        r->stats->skipped++;
        goto out;
    }
    extract_text(parsed ? parsed : doc, &text);
    site = site_in ? xstrdup(site_in) : url_site(url);
    struct store_doc d = {
        .url = url,
        .site = site ? site : "",
        .title = text.title,
        .headings = text.headings,
        .body = text.text,
        .hash = hash,
        .html = html,
        .html_len = len,
        .charset = extract_charset(parsed ? parsed : doc),
        .fetched_at = fetched_at,
    };
    enum store_put res;
    if ((rc = store_corpus_put(r->st, &d, &res, r->e)))
        goto out;
    if (res == STORE_ADDED)
        r->stats->added++;
    else if (res == STORE_UPDATED)
        r->stats->updated++;
    else
        r->stats->unchanged++;
    rc = batch_tick(r);
out:
    extract_text_release(&text);
    extract_doc_free(doc);
    free(site);
    free(url);
    return rc;
}

/* Reads at most max bytes of a file; *truncated when it was longer. */
static int read_capped(const char *path, size_t max, char **out, size_t *len, bool *truncated)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return CORE_EIO;
    char *p = xmalloc(max + 1);
    size_t n = fread(p, 1, max, f);
    int extra = fgetc(f);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(p);
        return CORE_EIO;
    }
    p[n] = '\0';
    *out = p;
    *len = n;
    *truncated = extra != EOF;
    return 0;
}

static int cmp_manifest(const void *a, const void *b)
{
    return strcmp(((const struct manifest_entry *)a)->path,
                  ((const struct manifest_entry *)b)->path);
}

struct manifest {
    struct manifest_entry *v;
    size_t n;
};

static void manifest_load(struct run *r, const char *dir, struct manifest *m)
{
    m->v = NULL;
    m->n = 0;
    char *path = xasprintf("%s/manifest.tsv", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        free(path);
        return;
    }
    char line[8192];
    size_t cap = 0;
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *tab = strchr(line, '\t');
        if (!tab) {
            report(r, path, "line %d: expected PATH<TAB>URL", lineno);
            continue;
        }
        *tab = '\0';
        if (m->n == cap) {
            cap = cap ? cap * 2 : 256;
            m->v = xrealloc(m->v, cap * sizeof *m->v);
        }
        m->v[m->n].path = xstrdup(line);
        m->v[m->n].url = xstrdup(tab + 1);
        m->n++;
    }
    fclose(f);
    free(path);
    qsort(m->v, m->n, sizeof *m->v, cmp_manifest);
}

static void manifest_release(struct manifest *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].path);
        free(m->v[i].url);
    }
    free(m->v);
}

static const char *manifest_url(const struct manifest *m, const char *rel)
{
    struct manifest_entry key = {(char *)rel, NULL};
    const struct manifest_entry *hit =
        m->n ? bsearch(&key, m->v, m->n, sizeof *m->v, cmp_manifest) : NULL;
    return hit ? hit->url : NULL;
}

/* The URL a file stands for when nothing names it: "host.tld/a/b.html" ->
 * "https://host.tld/a/b.html", with index.html meaning the folder. */
static char *url_from_path(const char *rel)
{
    const char *slash = strchr(rel, '/');
    size_t hostlen = slash ? (size_t)(slash - rel) : 0;
    if (!slash || !memchr(rel, '.', hostlen))
        return NULL;
    const char *path = slash;
    size_t plen = strlen(path);
    static const char index_html[] = "/index.html";
    if (plen >= sizeof index_html - 1 &&
        strcmp(path + plen - (sizeof index_html - 1), index_html) == 0)
        plen -= sizeof index_html - 2; /* keep the slash */
    return xasprintf("https://%.*s%.*s", (int)hostlen, rel, (int)plen, path);
}

/* A file: URL of a path, absolute, with what URLs cannot hold escaped. */
static char *file_url(const char *path)
{
    char *abs = realpath(path, NULL);
    const char *p = abs ? abs : path;
    struct buf b;
    buf_init(&b, 0);
    int rc = buf_puts(&b, "file://");
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (isalnum(c) || strchr("/._~-", c))
            rc |= buf_putc(&b, (char)c);
        else
            rc |= buf_printf(&b, "%%%02X", c);
    }
    (void)rc;
    free(abs);
    return buf_detach(&b);
}

/* A name for the site of a page that names none: its file's name, without
 * the extension, lower case ("Acme Plumbing.html": "acme-plumbing"). */
static char *file_site(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strcspn(base, ".");
    char *s = xstrndup(base, n ? n : strlen(base));
    for (char *p = s; *p; p++)
        *p = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '-';
    return s;
}

static int index_html_file(struct run *r, const char *path, const char *rel,
                           const struct manifest *m)
{
    char *html = NULL;
    size_t len = 0;
    bool truncated = false;
    r->stats->files++;
    if (read_capped(path, r->max_page, &html, &len, &truncated)) {
        report(r, path, "cannot read: %s", strerror(errno));
        r->stats->errors++;
        return 0;
    }
    if (truncated) {
        report(r, path, "larger than %zu bytes; indexed the first %zu", r->max_page, r->max_page);
        r->stats->truncated++;
    }
    /* The page's address: the manifest's, else the one the page gives
     * itself, else a folder named after a host, else a file: URL with the
     * site the page names as its own (or the file's name). */
    const char *listed = rel ? manifest_url(m, rel) : NULL;
    char *url = listed ? xstrdup(listed) : NULL, *site = NULL;
    struct extract_doc *doc = NULL;
    if (!url && !looks_binary(html, len) && extract_parse(html, len, NULL, NULL, &doc, NULL) == 0) {
        url = extract_page_url(doc);
        if (!url && rel)
            url = url_from_path(rel);
        if (!url) {
            struct extract_text t;
            extract_text(doc, &t);
            site = extract_site_guess(doc, t.text);
            extract_text_release(&t);
            url = file_url(path);
            if (!site)
                site = file_site(path);
            r->stats->file_urls++;
        }
        r->stats->inferred++;
    }
    int rc = 0;
    if (!url) {
        report(r, path, "binary content or no HTML; skipped");
        r->stats->skipped++;
    } else {
        struct stat sb;
        int64_t mtime = stat(path, &sb) == 0 ? (int64_t)sb.st_mtime * 1000 : 0;
        rc = index_page(r, path, url, site, doc, html, len, NULL, mtime);
    }
    extract_doc_free(doc);
    free(site);
    free(url);
    free(html);
    return rc;
}

static bool html_type(const char *media)
{
    return strcmp(media, "text/html") == 0 || strcmp(media, "application/xhtml+xml") == 0;
}

static int index_warc_file(struct run *r, const char *path)
{
    struct warc_reader *w = NULL;
    struct err e = {0};
    r->stats->files++;
    if (warc_open_file(path, CORPUS_MAX_WARC_RECORD, &w, &e)) {
        report(r, path, "%s", e.msg);
        r->stats->errors++;
        return 0;
    }
    int rc = 0, got;
    struct warc_record rec;
    while ((got = warc_next(w, &rec, &e)) != 0) {
        if (got < 0) {
            report(r, path, "%s", e.msg);
            r->stats->errors++;
            if (got == CORE_EIO)
                break;
            continue;
        }
        char where[600];
        snprintf(where, sizeof where, "%s@%lld", path, (long long)rec.offset);
        int64_t when = parse_warc_date(rec.date);
        if (strcmp(rec.type, "response") == 0 &&
            str_has_prefix(rec.content_type, "application/http")) {
            struct http_response resp;
            if (http_response_parse(rec.block, rec.block_len, r->max_page, &resp, &e)) {
                report(r, where, "%s", e.msg);
                r->stats->errors++;
            } else if (resp.status < 200 || resp.status > 299) {
                r->stats->skipped++; /* redirects and errors are not pages */
            } else if (!html_type(resp.content_type)) {
                r->stats->skipped++;
            } else {
                rc = index_page(r, where, rec.target_uri, NULL, NULL, resp.body, resp.body_len,
                                resp.charset, when);
            }
            http_response_release(&resp);
        } else if (strcmp(rec.type, "resource") == 0 &&
                   str_has_prefix(rec.content_type, "text/html")) {
            rc = index_page(r, where, rec.target_uri, NULL, NULL, rec.block, rec.block_len, NULL,
                            when);
        }
        warc_record_release(&rec);
        draw_progress(r, false);
        if (rc)
            break;
    }
    warc_close(w);
    return rc;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static bool is_warc(const char *name)
{
    return has_suffix(name, ".warc") || has_suffix(name, ".warc.gz");
}

static bool is_html(const char *name)
{
    return has_suffix(name, ".html") || has_suffix(name, ".htm");
}

/* Files to index, in a stable order. */
struct file_list {
    char **path, **rel; /* rel: relative to its folder (NULL for a named file) */
    const char **root;  /* the folder it was found in (NULL for a named file) */
    size_t n, cap;
};

static void list_add(struct file_list *l, const char *path, const char *rel, const char *root)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->path = xrealloc(l->path, l->cap * sizeof *l->path);
        l->rel = xrealloc(l->rel, l->cap * sizeof *l->rel);
        l->root = xrealloc(l->root, l->cap * sizeof *l->root);
    }
    l->path[l->n] = xstrdup(path);
    l->rel[l->n] = rel ? xstrdup(rel) : NULL;
    l->root[l->n] = root;
    l->n++;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(struct run *r, struct file_list *l, const char *root, const char *dir,
                 const char *rel, int depth)
{
    if (depth > CORPUS_MAX_DEPTH) {
        report(r, dir, "folders nested deeper than %d; not descended", CORPUS_MAX_DEPTH);
        return;
    }
    DIR *d = opendir(dir);
    if (!d) {
        report(r, dir, "cannot open folder: %s", strerror(errno));
        r->stats->errors++;
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = xrealloc(names, cap * sizeof *names);
        }
        names[n++] = xstrdup(de->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        char *path = xasprintf("%s/%s", dir, names[i]);
        char *sub = *rel ? xasprintf("%s/%s", rel, names[i]) : xstrdup(names[i]);
        struct stat sb;
        if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            walk(r, l, root, path, sub, depth + 1);
        else if (is_html(names[i]) || is_warc(names[i]))
            list_add(l, path, sub, root);
        free(sub);
        free(path);
        free(names[i]);
    }
    free(names);
}

int corpus_index(struct store *st, const char *const *paths, size_t npaths,
                 const struct corpus_options *opt, struct corpus_stats *stats, struct err *e)
{
    memset(stats, 0, sizeof *stats);
    struct run r = {.st = st, .opt = opt, .stats = stats, .e = e};
    r.max_page = opt->max_page_bytes ? opt->max_page_bytes : CORPUS_DEFAULT_MAX_PAGE;
    int64_t t0 = clock_mono_ms();
    struct file_list files = {0};
    for (size_t i = 0; i < npaths; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) != 0) {
            report(&r, paths[i], "%s", strerror(errno));
            stats->errors++;
        } else if (S_ISDIR(sb.st_mode)) {
            size_t before = files.n;
            walk(&r, &files, paths[i], paths[i], "", 0);
            if (files.n == before)
                report(&r, paths[i], "no .html, .htm, .warc or .warc.gz files found");
        } else {
            list_add(&files, paths[i], NULL, NULL);
        }
    }
    for (size_t i = 0; i < files.n; i++) {
        struct stat sb;
        if (stat(files.path[i], &sb) == 0)
            r.bytes_total += (int64_t)sb.st_size;
    }
    r.files_total = (int64_t)files.n;

    int rc = store_begin(st, e);
    struct manifest m = {0};
    const char *manifest_root = NULL;
    for (size_t i = 0; !rc && i < files.n; i++) {
        if (files.root[i] != manifest_root) {
            manifest_release(&m);
            manifest_load(&r, files.root[i], &m);
            manifest_root = files.root[i];
        }
        if (is_warc(files.path[i]))
            rc = index_warc_file(&r, files.path[i]);
        else
            rc = index_html_file(&r, files.path[i], files.rel[i], &m);
        struct stat sb;
        if (stat(files.path[i], &sb) == 0)
            r.bytes_done += (int64_t)sb.st_size;
        draw_progress(&r, false);
    }
    manifest_release(&m);
    if (rc)
        store_rollback(st);
    else
        rc = store_commit(st, e);
    draw_progress(&r, true);
    for (size_t i = 0; i < files.n; i++) {
        free(files.path[i]);
        free(files.rel[i]);
    }
    free(files.path);
    free(files.rel);
    free(files.root);
    stats->seconds = (double)(clock_mono_ms() - t0) / 1000.0;
    return rc;
}

const char *corpus_sample_dir(void)
{
    const char *env = getenv("PROSPECT_SAMPLE_CORPUS");
    if (env && *env)
        return env;
#ifdef PROSPECT_SAMPLE_CORPUS_DIR
    return PROSPECT_SAMPLE_CORPUS_DIR;
#else
    return "sample-corpus";
#endif
}

int corpus_ensure_sample(struct store *st, FILE *report_to, bool *indexed, struct err *e)
{
    *indexed = false;
    int64_t docs = 0, sites = 0;
    int rc = store_corpus_stats(st, &docs, &sites, e);
    if (rc || docs > 0)
        return rc;
    const char *dir = corpus_sample_dir();
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return err_set(e, CORE_ENOTFOUND,
                       "the corpus is empty and the sample corpus is missing at %s "
                       "(build it with cmake --build build, or set PROSPECT_SAMPLE_CORPUS)",
                       dir);
    if (report_to)
        fprintf(report_to, "prospect: the corpus is empty; indexing the sample corpus from %s\n",
                dir);
    struct corpus_options opt = {.report = report_to, .progress = false};
    struct corpus_stats stats;
    const char *paths[] = {dir};
    rc = corpus_index(st, paths, 1, &opt, &stats, e);
    if (!rc)
        *indexed = true;
    return rc;
}
