/* corpus.h: building the local search corpus from HTML folders and WARC
 * files (`prospect index`), and finding the bundled sample corpus.
 *
 * Each page becomes one store document: URL, site (registrable domain),
 * title, headings, visible text, content hash, fetch time and the page
 * itself. Unchanged pages (same hash) are skipped, so re-indexing a crawl is
 * cheap. Bad input (unreadable files, damaged WARC records, binary files,
 * pages over the cap) is reported per file and never stops the rest.
 * Thread: one call at a time per store handle.
 */
#ifndef PROSPECT_CORPUS_H
#define PROSPECT_CORPUS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "store/store.h"

#define CORPUS_DEFAULT_MAX_PAGE (2u * 1024 * 1024)

struct corpus_options {
    size_t max_page_bytes; /* pages are cut at this size (0: the default) */
    FILE *report;          /* one line per problem ("FILE: reason"); NULL: log */
    bool progress;         /* a progress bar on stderr */
};

struct corpus_stats {
    int64_t files; /* inputs read (HTML files and WARC files) */
    int64_t added, updated, unchanged;
    int64_t skipped;   /* not HTML, not 2xx */
    int64_t inferred;  /* files whose URL no manifest gave: read from the page or its path */
    int64_t file_urls; /* of those, pages that name no address (a file: URL, their site guessed) */
    int64_t truncated; /* pages cut at the cap (still indexed) */
    int64_t errors;    /* unreadable files, damaged records */
    int64_t bytes;     /* HTML bytes read */
    double seconds;
};

/* corpus_index(st, paths, npaths, opt, stats, e): indexes every path (a
 * folder, searched recursively for .html, .htm and WARC files; an HTML
 * file; a .warc or .warc.gz file). Returns 0 when the run completed, even
 * with per-file problems (counted in stats); CORE_EIO when the store failed.
 * A folder's URLs come from its manifest.tsv ("relative/path<TAB>url"), else
 * the address the page gives itself (canonical link, og:url, <base href>,
 * schema.org WebPage url), else the path when its first folder is named
 * after a host, else a file: URL of the file, with the site (registrable
 * domain) the page names as its own (e-mail domain, home links, copyright
 * line) or the file's name. A readable page is never skipped. */
int corpus_index(struct store *st, const char *const *paths, size_t npaths,
                 const struct corpus_options *opt, struct corpus_stats *stats, struct err *e)
    __attribute__((warn_unused_result));

/* corpus_sample_dir(): the bundled sample corpus: $PROSPECT_SAMPLE_CORPUS,
 * else the folder the build generated. Static string. */
const char *corpus_sample_dir(void);

/* corpus_ensure_sample(st, report, indexed, e): when the store's corpus is
 * empty, indexes the sample corpus (saying so on report) and sets *indexed.
 * 0, or the error of corpus_index / a missing sample corpus. */
int corpus_ensure_sample(struct store *st, FILE *report, bool *indexed, struct err *e)
    __attribute__((warn_unused_result));

#include "core/banned.h"
#endif
