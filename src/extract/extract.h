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

#include <stddef.h>

#include "core/err.h"

#define EXTRACT_MAX_TEXT (2u * 1024 * 1024) /* visible text kept per page */

struct extract_doc;

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

/* extract_sniff_charset(html, len, out, outlen): the charset named by a BOM
 * or a <meta> in the first 4 KiB, copied into out; "" when none. */
void extract_sniff_charset(const char *html, size_t len, char *out, size_t outlen);

#include "core/banned.h"
#endif
