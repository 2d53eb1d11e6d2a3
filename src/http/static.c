/* static.c: the files shipped inside the binary (cmake/embed.cmake): the
 * web page at / (index.html, app.js, app.css) and the OpenAPI description
 * at /openapi.json. The page's files may only load each other (CSP).
 */
#include <string.h>

#include <microhttpd.h>

#include "core/embed.h"
#include "http/http_int.h"

extern const struct embed_file http__assets[];

/* Which embedded file answers which path. */
static const struct {
    const char *path, *name, *type;
} files[] = {
    {"/openapi.json", "openapi.json", "application/json"},
    {"/", "index.html", "text/html; charset=utf-8"},
    {"/index.html", "index.html", "text/html; charset=utf-8"},
    {"/app.js", "app.js", "text/javascript; charset=utf-8"},
    {"/app.css", "app.css", "text/css; charset=utf-8"},
};

/* A file shipped in the binary; the page's files may only load each other. */
static enum MHD_Result asset(struct MHD_Connection *c, struct conn *cx, const char *name,
                             const char *type)
{
    const struct embed_file *f = http__assets;
    while (f->name && strcmp(f->name, name) != 0)
        f++;
    if (!f->name)
        return http__error(c, cx, 404, "not_found", "not in this build");
    struct MHD_Response *r =
        MHD_create_response_from_buffer(f->len, (void *)f->data, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                            "base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
    http__decorate(r, cx);
    cx->status = 200;
    enum MHD_Result ret = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ret;
}

enum MHD_Result http__static(struct server *sv, struct MHD_Connection *c, struct conn *cx)
{
    (void)sv;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        if (strcmp(cx->url, files[i].path) == 0)
            return asset(c, cx, files[i].name, files[i].type);
    return http__error(c, cx, 404, "not_found", "not in this build");
}
