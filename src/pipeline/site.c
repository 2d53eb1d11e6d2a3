/* site.c: reading one site: its best result, its home page and the pages
 * its links name (contact, imprint, about, team, careers), in waves; then
 * its lead, its scores and its place in the job (verdict.c).
 *
 * A site's reading is a chain of steps handed from thread to thread, none
 * of which waits for the network: a wave's fetches go to the engine, the
 * last answer hands the wave to the CPU pool (parse, extract, find links),
 * which starts the next wave or concludes; a step that must wait for a
 * provider (its reading of a page, an LLM's verdict) runs on the call pool.
 * Pages come from the page cache of the store when another job fetched
 * them within PROSPECT_PAGE_TTL_S, and are revalidated after that.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "engine/pool.h"
#include "mailcheck/mailcheck.h"
#include "net/url.h"
#include "pipeline/pipeline_int.h"

#define MAX_URLS (MAX_PAGES_PER_SITE + 8)

static struct pipeline_page_stats page_stats; /* atomics */

void pipeline_page_stats(struct pipeline_page_stats *out)
{
    out->hits = __atomic_load_n(&page_stats.hits, __ATOMIC_RELAXED);
    out->revalidated = __atomic_load_n(&page_stats.revalidated, __ATOMIC_RELAXED);
    out->fetched = __atomic_load_n(&page_stats.fetched, __ATOMIC_RELAXED);
    out->stored = __atomic_load_n(&page_stats.stored, __ATOMIC_RELAXED);
    out->not_stored = __atomic_load_n(&page_stats.not_stored, __ATOMIC_RELAXED);
    pipeline__parsed_stats(&out->extract_shared, &out->extracted);
}

static void bump(int64_t *counter)
{
    __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

struct reading;

/* Where a fetch's answer goes. */
struct slot {
    struct reading *rd;
    size_t k;
};

/* One site being read; owned by whichever step runs now. */
struct reading {
    struct job *j;
    struct site *s;
    char *urls[MAX_URLS];
    struct fetch_result res[MAX_URLS];
    struct store_page kept[MAX_URLS]; /* the stored copy a conditional fetch may confirm */
    bool from_cache[MAX_URLS];        /* answered without a fetch: the page cache or the corpus */
    struct slot slots[MAX_URLS];
    size_t nurls, done_upto, to;
    int pending;         /* atomic: answers the wave still waits for, plus one while it starts */
    char *provider_text; /* the provider's reading of the found page, when its fetch failed */
    /* the LLM's reading, while it is asked */
    int64_t llm_t0;
    int dropped;
    double fit;
    char *reason;
    struct err e;
    bool provider_asked;
    struct extract_lead lead;
    char country[3];
    const char *reject;
    enum fetch_status first; /* what fetching the found page came to */
    char first_detail[256];
    int pages, links_taken;
    int64_t t0, extract_ms;
    bool from_snippet;
};

static bool seen(char *const *urls, size_t n, const char *url)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(urls[i], url) == 0)
            return true;
    return false;
}

/* A page from text that a provider read (markdown) or a search snippet:
 * paragraphs, with markdown links kept as links, so that extraction finds
 * the contacts and the contact pages in it. */
static char *text_page(const char *title, const char *text)
{
    struct buf b;
    buf_init(&b, 0);
    int rc = buf_puts(&b, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>");
    for (int pass = 0; pass < 2; pass++) {
        const char *p = pass ? text : title ? title : ""; /* no title: a page enriched alone */
        if (pass)
            rc |= buf_puts(&b, "</title></head><body><main><p>");
        while (*p) {
            const char *close, *paren;
            if (pass && *p == '[' && (close = strstr(p, "](")) && (paren = strchr(close, ')')) &&
                !memchr(p, '\n', (size_t)(paren - p))) {
                rc |= buf_puts(&b, "<a href=\"");
                for (const char *u = close + 2; u < paren; u++)
                    rc |= *u == '"' ? buf_puts(&b, "%22") : buf_putc(&b, *u);
                rc |= buf_puts(&b, "\">");
                for (const char *t = p + 1; t < close; t++)
                    rc |= *t == '<'   ? buf_puts(&b, "&lt;")
                          : *t == '&' ? buf_puts(&b, "&amp;")
                                      : buf_putc(&b, *t);
                rc |= buf_puts(&b, "</a>");
                p = paren + 1;
                continue;
            }
            switch (*p) {
            case '<': rc |= buf_puts(&b, "&lt;"); break;
            case '>': rc |= buf_puts(&b, "&gt;"); break;
            case '&': rc |= buf_puts(&b, "&amp;"); break;
            case '\n': rc |= buf_puts(&b, pass ? "</p>\n<p>" : " "); break;
            default: rc |= buf_putc(&b, *p);
            }
            p++;
        }
    }
    rc |= buf_puts(&b, "</p></main></body></html>");
    (void)rc;
    return buf_detach(&b);
}

/* A lead from the search result alone (no page could be read): its title
 * and snippet. */
static bool snippet_lead(const struct site *s, struct extract_lead *lead)
{
    if (!*s->snippet)
        return false;
    char *html = text_page(s->title, s->snippet);
    struct extract_doc *d = NULL;
    struct err e = {0};
    bool ok = extract_parse(html, strlen(html), "utf-8", s->url, &d, &e) == 0;
    if (ok) {
        struct extract_page p;
        extract_page(d, NULL, &p);
        extract_lead_add(lead, &p);
        extract_page_release(&p);
        extract_doc_free(d);
    }
    free(html);
    return ok;
}

/* ---- the end of a site ---- */

/* Files s's outcome in the job and says the site is read. */
static void end_site(struct job *j, struct site *s)
{
    pthread_mutex_lock(&j->lock);
    pipeline__commit(j, s);
    j->reading--;
    pthread_cond_broadcast(&j->site_done);
    pthread_mutex_unlock(&j->lock);
}

static void done(struct reading *rd)
{
    struct job *j = rd->j;
    struct site *s = rd->s;
    for (size_t i = 0; i < rd->nurls; i++) {
        free(rd->urls[i]);
        fetch_result_release(&rd->res[i]);
        store_page_release(&rd->kept[i]);
    }
    free(rd->provider_text);
    free(rd);
    end_site(j, s);
}

/* The LLM's answer is in (on the call pool): the verdict, then the end. */
static void llm_answered(void *arg, int rc)
{
    struct reading *rd = arg;
    struct job *j = rd->j;
    struct outcome *o = &rd->s->out;
    if (rd->from_snippet)
        o->analysed = pipeline__quick_qualified(j, rd->s, &o->r, rc, rd->fit, rd->reason, &rd->e);
    else
        o->analysed =
            pipeline__analyse_end(j, rd->s, rc, rd->dropped, clock_mono_ms() - rd->llm_t0, &rd->e);
    rd->reason = NULL; /* the verdict's now */
    o->v = V_LEAD;
    o->lead = rd->lead;
    done(rd);
}

/* Asks the LLM where it can change the verdict; false when it is not
 * asked (the verdict stands as it is). */
static bool ask_llm(struct reading *rd)
{
    struct job *j = rd->j;
    struct site *s = rd->s;
    struct outcome *o = &s->out;
    if (!llm_reads(j->llm) || j->policy_none)
        return false;
    rd->llm_t0 = clock_mono_ms();
    if (rd->from_snippet)
        return llm_qualify_async(j->llm, &j->cache, &j->req->ctx, s->url, s->title, s->snippet,
                                 &j->usage, &rd->fit, &rd->reason, &rd->e, llm_answered, rd) == 0;
    if (!pipeline__borderline(j, &rd->lead, &o->r) || !pipeline__analyse_begin(j))
        return false;
    int rc = llm_analyse_async(j->llm, &j->cache, &j->req->ctx, j->ec, &rd->lead, &j->usage, &o->r,
                               &rd->dropped, &rd->e, llm_answered, rd);
    if (rc) /* nothing to ask about (no text): no call was made, said as a fallback */
        o->analysed = pipeline__analyse_end(j, s, rc, 0, 0, &rd->e);
    return rc == 0;
}

/* Why a given company's site gave no page, as the user's row says it. */
static const char *unread_type(const struct reading *rd)
{
    switch (rd->first) {
    case FETCH_BLOCKED:
    case FETCH_REFUSED_ADDRESS:
    case FETCH_CHALLENGE:
    case FETCH_RATE_LIMITED: return "blocked";
    case FETCH_CANCELLED: return "stopped";
    default: return pipeline__should_stop(rd->j) ? "stopped" : "unreachable";
    }
}

static void check_mail(void *arg);
static void scored_step(void *arg);
static void score(struct reading *rd);

/* Every page read: the lead, or why there is none. */
static void conclude(struct reading *rd)
{
    struct job *j = rd->j;
    struct site *s = rd->s;
    if (!rd->reject && rd->pages == 0 && pipeline__web(j) && !pipeline__should_stop(j))
        rd->from_snippet = snippet_lead(s, &rd->lead);
    pthread_mutex_lock(&j->lock);
    j->stage_ms[ST_EXTRACT] += rd->extract_ms;
    j->stage_ms[ST_FETCH] += clock_mono_ms() - rd->t0 - rd->extract_ms;
    pthread_mutex_unlock(&j->lock);
    struct outcome *o = &s->out;
    o->stored = pipeline__site_stage(j, s) != 0;
    const char *reject = rd->reject;
    o->fail_type = reject ? "not_a_company_site" : unread_type(rd);
    if (!reject && rd->lead.company_name.value &&
        pipeline__is_competitor(j, rd->lead.company_name.value)) {
        reject = "a listed competitor (by its name)"; /* getjobber.com is Jobber */
        o->fail_type = "competitor";
    }
    if (reject || (rd->pages == 0 && !rd->from_snippet)) {
        o->v = o->stored ? V_GONE : V_SKIP;
        o->stage = ST_EXTRACT;
        if (o->v == V_GONE) /* a lead before the restart */
            snprintf(o->why, sizeof o->why, "%s after the restart",
                     reject ? reject : "its site could not be read again");
        else if (reject)
            snprintf(o->why, sizeof o->why, "%s", reject);
        else
            snprintf(o->why, sizeof o->why, "no page could be read (%.200s)",
                     rd->first_detail[0] ? rd->first_detail : "nothing was fetched");
        extract_lead_release(&rd->lead);
        done(rd);
        return;
    }
    if (s->naics[0]) /* the map's tag says what trade it is, better than a few lines can */
        extract_lead_set_trade(&rd->lead, s->naics, s->url);
    if (rd->lead.emails.n) { /* DNS waits: on the call pool, then back */
        pool_submit(POOL_CALLS, check_mail, rd);
        return;
    }
    score(rd);
}

/* The lead's e-mail addresses checked (DNS within a deadline, its answers
 * kept for every job), on the call pool; the scoring goes on on the CPU's. */
static void check_mail(void *arg)
{
    struct reading *rd = arg;
    struct job *j = rd->j;
    size_t n = rd->lead.emails.n;
    const char **emails = xcalloc(n, sizeof *emails);
    struct mail_check *checks = xcalloc(n, sizeof *checks);
    for (size_t i = 0; i < n; i++)
        emails[i] = rd->lead.emails.v[i].value;
    struct mailcheck_options mo;
    mailcheck_options_from_config(j->opt->cfg, &mo);
    if (!pipeline__web(j) && !j->given)
        mo.dns = false; /* a job of the local corpus stays off the network */
    mailcheck_run(&mo, emails, n, rd->s->no_site ? NULL : rd->s->site, checks);
    json_decref(rd->s->email_checks);
    rd->s->email_checks = mail_checks_json(checks, n);
    for (size_t i = 0; i < n; i++)
        mail_check_release(&checks[i]);
    free(checks);
    free(emails);
    pool_submit(POOL_CPU, scored_step, rd);
}

static void scored_step(void *arg)
{
    score(arg);
}

/* The lead scored and, where it can change the verdict, read by the LLM. */
static void score(struct reading *rd)
{
    struct job *j = rd->j;
    struct outcome *o = &rd->s->out;
    /* The heuristic scores every lead (milliseconds); the LLM reads the
     * leads whose verdict it can change before they are emitted. */
    int64_t e0 = clock_mono_ms();
    enrich_lead(j->ec, &rd->lead, &o->r);
    pthread_mutex_lock(&j->lock);
    j->stage_ms[ST_ENRICH] += clock_mono_ms() - e0;
    j->leads_from_snippet += rd->from_snippet;
    pthread_mutex_unlock(&j->lock);
    o->analysed = false;
    if (ask_llm(rd))
        return; /* llm_answered goes on */
    o->v = V_LEAD;
    o->lead = rd->lead;
    done(rd);
}

/* ---- the waves ---- */

static void wave(struct reading *rd);

/* A fresh stored copy of urls[k] answers at once; a stale one with
 * validators is kept for a conditional fetch. */
static bool from_store(struct reading *rd, size_t k)
{
    struct job *j = rd->j;
    int64_t ttl = j->opt->cfg->page_ttl_s;
    if (ttl <= 0 || !j->opt->store)
        return false;
    struct store_page *p = &rd->kept[k];
    struct err e = {0};
    pthread_mutex_lock(&j->store_lock);
    int rc = store_page_get(j->opt->store, rd->urls[k], p, &e);
    pthread_mutex_unlock(&j->store_lock);
    if (rc)
        return false;
    if (clock_now_ms() - p->fetched_at < ttl * 1000) {
        struct fetch_result *r = &rd->res[k];
        r->http_code = p->http_code;
        if (p->http_code == 200) {
            r->status = FETCH_OK;
            r->detail[0] = '\0';
            r->body = p->body;
            r->body_len = p->len;
            p->body = NULL;
        } else { /* a page known not to be there */
            r->status = FETCH_ERROR;
            snprintf(r->detail, sizeof r->detail, "HTTP %d (kept)", p->http_code);
        }
        r->final_url = p->final_url;
        memcpy(r->charset, p->charset, sizeof r->charset);
        p->final_url = NULL;
        rd->from_cache[k] = true;
        bump(&page_stats.hits);
        pthread_mutex_lock(&j->store_lock);
        if (store_page_touch(j->opt->store, rd->urls[k], 0, &e))
            log_warn("page cache hit not counted", LOG_S("error", e.msg));
        pthread_mutex_unlock(&j->store_lock);
        return true;
    }
    if (!*p->etag && !*p->last_modified)
        store_page_release(p); /* nothing to revalidate with */
    return false;
}

/* Whether a site said the page is not there: kept like a page, so that
 * the next job does not ask again for the /contact a site does not have. */
static bool gone(const struct fetch_result *r)
{
    return r->status == FETCH_ERROR && (r->http_code == 404 || r->http_code == 410);
}

/* After the fetch of urls[k]: a 304 takes the stored copy, a new page (or
 * a 404) is stored unless the site forbids it. */
static void to_store(struct reading *rd, size_t k)
{
    struct job *j = rd->j;
    struct fetch_result *r = &rd->res[k];
    struct store_page *p = &rd->kept[k];
    struct err e = {0};
    if (rd->from_cache[k] || (!pipeline__web(j) && !j->given) || j->opt->cfg->page_ttl_s <= 0)
        return;
    int rc = 0;
    if (r->status == FETCH_NOT_MODIFIED && p->body) {
        r->status = FETCH_OK;
        r->body = p->body;
        r->body_len = p->len;
        free(r->final_url);
        r->final_url = p->final_url;
        memcpy(r->charset, p->charset, sizeof r->charset);
        p->body = p->final_url = NULL;
        bump(&page_stats.revalidated);
        pthread_mutex_lock(&j->store_lock);
        rc = store_page_touch(j->opt->store, rd->urls[k], clock_now_ms(), &e);
        pthread_mutex_unlock(&j->store_lock);
    } else if (r->status == FETCH_OK || gone(r)) {
        bump(&page_stats.fetched);
        if (r->no_store) {
            bump(&page_stats.not_stored);
            return;
        }
        struct store_page np = {.final_url = r->final_url,
                                .body = r->body ? r->body : "",
                                .len = r->body_len,
                                .fetched_at = clock_now_ms(),
                                .http_code = r->status == FETCH_OK ? 200 : r->http_code};
        snprintf(np.charset, sizeof np.charset, "%s", r->charset);
        snprintf(np.etag, sizeof np.etag, "%s", r->etag);
        snprintf(np.last_modified, sizeof np.last_modified, "%s", r->last_modified);
        pthread_mutex_lock(&j->store_lock);
        rc = store_page_put(j->opt->store, rd->urls[k], &np, j->opt->cfg->page_ttl_s, &e);
        pthread_mutex_unlock(&j->store_lock);
        if (!rc)
            bump(&page_stats.stored);
    }
    if (rc)
        log_warn("page cache not updated", LOG_S("url", rd->urls[k]), LOG_S("error", e.msg));
}

/* Extracts page k of the wave: its fields into the lead, its links into
 * the list of pages to read. */
static void read_page(struct reading *rd, size_t k)
{
    struct job *j = rd->j;
    struct site *s = rd->s;
    struct fetch_result *r = &rd->res[k];
    char *html = r->body;
    size_t len = r->body_len;
    const char *charset = r->charset;
    r->body = NULL;
    if (!html && k == 0 && (s->content || rd->provider_text)) {
        /* The page the search found failed: the provider's reading. */
        html = text_page(s->title, s->content ? s->content : rd->provider_text);
        len = strlen(html);
        charset = "utf-8";
        pthread_mutex_lock(&j->lock);
        j->provider_pages++;
        pthread_mutex_unlock(&j->lock);
    }
    if (!html)
        return;
    int64_t e0 = clock_mono_ms();
    const struct extract_page *p =
        pipeline__parsed_get(html, len, charset, rd->urls[k], rd->country[0] ? rd->country : NULL);
    if (p) {
        if (!rd->country[0] && p->country[0])
            memcpy(rd->country, p->country, 3);
        const char *why = pipeline__not_a_lead(p);
        if (why && k == 0)
            rd->reject = why; /* the page the search found decides */
        extract_lead_add(&rd->lead, p);
        rd->pages++;
        int max_links = (int)j->opt->cfg->fetch_max_links;
        for (size_t i = 0; i < p->nlinks && rd->links_taken < max_links; i++) {
            if (rd->nurls >= MAX_PAGES_PER_SITE || seen(rd->urls, rd->nurls, p->links[i].url))
                continue;
            rd->urls[rd->nurls++] = xstrdup(p->links[i].url);
            rd->links_taken++;
        }
        pipeline__parsed_put(p);
    }
    rd->extract_ms += clock_mono_ms() - e0;
    free(html);
}

/* Asks the provider to read the found page (its fetch failed), on the
 * call pool; the wave goes on there. */
static void ask_provider(void *arg)
{
    struct reading *rd = arg;
    struct err e = {0};
    if (search_extract(rd->j->search, rd->urls[0], &rd->provider_text, &e) && e.code != CORE_EUNSUP)
        log_info("provider could not read the page", LOG_S("url", rd->urls[0]),
                 LOG_S("error", e.msg));
    wave(rd);
}

/* A wave's answers are in: reads its pages, then the next wave. */
static void read_wave(void *arg)
{
    struct reading *rd = arg;
    struct job *j = rd->j;
    for (size_t k = rd->done_upto; k < rd->to; k++)
        to_store(rd, k);
    if (rd->done_upto == 0 && rd->res[0].status != FETCH_OK && pipeline__web(j) &&
        !rd->s->content && !rd->provider_asked) {
        rd->provider_asked = true;
        pool_submit(POOL_CALLS, ask_provider, rd);
        return;
    }
    pthread_mutex_lock(&j->lock);
    for (size_t k = rd->done_upto; k < rd->to; k++)
        j->fetch_status[rd->res[k].status]++;
    pthread_mutex_unlock(&j->lock);
    if (rd->done_upto == 0 && rd->to > 0) {
        rd->first = rd->res[0].status;
        snprintf(rd->first_detail, sizeof rd->first_detail, "%s", rd->res[0].detail);
    }
    for (size_t k = rd->done_upto; k < rd->to; k++) {
        read_page(rd, k);
        fetch_result_release(&rd->res[k]);
    }
    rd->done_upto = rd->to;
    wave(rd);
}

/* Called on the engine's thread: files the answer; the last of a wave
 * hands it to the CPU pool. */
static void on_page(void *ctx, const char *url, struct fetch_result *r)
{
    (void)url;
    struct slot *sl = ctx;
    struct reading *rd = sl->rd;
    rd->res[sl->k] = *r;
    r->final_url = NULL; /* moved */
    r->body = NULL;
    if (__atomic_sub_fetch(&rd->pending, 1, __ATOMIC_ACQ_REL) == 0)
        pool_submit(POOL_CPU, read_wave, rd);
}

/* Starts the next wave (every page known so far, within the fetch budget),
 * or concludes. Pages come from the corpus, the page cache or the web. */
static void wave(struct reading *rd)
{
    struct job *j = rd->j;
    if (rd->done_upto < rd->to) { /* the provider's reading came back */
        read_wave(rd);
        return;
    }
    if (rd->done_upto >= rd->nurls || rd->reject || pipeline__should_stop(j)) {
        conclude(rd);
        return;
    }
    pthread_mutex_lock(&j->lock);
    int64_t left = j->opt->budget.fetches - j->fetches;
    size_t to = rd->nurls;
    if (j->opt->budget.fetches && left < (int64_t)(to - rd->done_upto))
        to = rd->done_upto + (size_t)(left > 0 ? left : 0);
    j->fetches += (int64_t)(to - rd->done_upto);
    pthread_mutex_unlock(&j->lock);
    if (to == rd->done_upto) {
        conclude(rd);
        return;
    }
    rd->to = to;
    __atomic_store_n(&rd->pending, 1, __ATOMIC_RELEASE);
    bool web = pipeline__web(j);
    for (size_t k = rd->done_upto; k < to; k++) {
        struct fetch_result *r = &rd->res[k];
        memset(r, 0, sizeof *r);
        r->status = FETCH_ERROR;
        snprintf(r->detail, sizeof r->detail, "not fetched (the job stopped)");
        if (!web) { /* the corpus; a given site also from the web when the corpus lacks it */
            struct err e = {0};
            pthread_mutex_lock(&j->store_lock);
            int rc = store_corpus_page(j->opt->store, rd->urls[k], &r->body, &r->body_len,
                                       r->charset, &e);
            pthread_mutex_unlock(&j->store_lock);
            if (rc == 0) {
                r->status = FETCH_OK;
                rd->from_cache[k] = true;
            }
            if (rc == 0 || !j->given)
                continue;
        }
        if (from_store(rd, k))
            continue;
        rd->slots[k] = (struct slot){rd, k};
        __atomic_add_fetch(&rd->pending, 1, __ATOMIC_ACQ_REL);
        fetch_add_conditional(j->fetcher, rd->urls[k], rd->kept[k].etag, rd->kept[k].last_modified,
                              on_page, &rd->slots[k]);
    }
    if (__atomic_sub_fetch(&rd->pending, 1, __ATOMIC_ACQ_REL) == 0)
        read_wave(rd);
}

static void first_wave(void *arg)
{
    wave(arg);
}

void pipeline__read_site(struct job *j, struct site *s)
{
    if (pipeline__site_stage(j, s) == 3) {
        s->out.v = V_NOTHING; /* finished before the restart */
    } else if (s->dup_of) {
        s->out.v = V_SKIP;
        s->out.stage = ST_SEARCH;
        s->out.fail_type = "duplicate";
        snprintf(s->out.why, sizeof s->out.why, "the same company as companies[%zu] (%s)",
                 s->dup_of - 1, s->site);
    } else if ((s->out.fail_type = pipeline__excluded(j, s->site, s->out.why, sizeof s->out.why))) {
        s->out.v = V_SKIP;
        s->out.stage = ST_SEARCH;
    } else {
        struct reading *rd = xcalloc(1, sizeof *rd);
        rd->j = j;
        rd->s = s;
        rd->t0 = clock_mono_ms();
        /* a place with no website has no page: its lead is what the provider knows */
        if (!s->no_site) {
            rd->urls[rd->nurls++] = xstrdup(s->url);
            char *home = url_resolve(s->url, "/");
            if (home && !seen(rd->urls, rd->nurls, home))
                rd->urls[rd->nurls++] = home;
            else
                free(home);
        }
        for (size_t i = 0; i < s->nmore && rd->nurls < MAX_PAGES_PER_SITE; i++)
            if (!seen(rd->urls, rd->nurls, s->more[i]))
                rd->urls[rd->nurls++] = xstrdup(s->more[i]);
        extract_lead_init(&rd->lead, s->site);
        pool_submit(POOL_CPU, first_wave, rd);
        return;
    }
    end_site(j, s);
}
