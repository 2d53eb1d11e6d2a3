/* verdict.c: what reading a site came to. A page that says its site is no
 * lead (a news site, a directory, a marketplace, a competitor); a lead's
 * scores, and the LLM's reading where it can change the verdict; the
 * events of a lead; outcomes applied in the sites' order; the reserve of
 * leads below the threshold. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "net/url.h"
#include "pipeline/pipeline_int.h"

/* Whether name (a site's label, a company's name) is a listed competitor's. */
bool pipeline__is_competitor(const struct job *j, const char *name)
{
    char key[128], comp[128];
    str_alnum_key(name, key, sizeof key);
    for (size_t i = 0; *key && i < j->req->ctx.competitors.n; i++) {
        str_alnum_key(j->req->ctx.competitors.v[i], comp, sizeof comp);
        if (strcmp(comp, key) == 0)
            return true;
    }
    return false;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void pipeline__exclusions_init(struct job *j)
{
    const struct strlist *l = &j->req->exclude_domains;
    j->exclusions = xcalloc(l->n ? l->n : 1, sizeof *j->exclusions);
    for (size_t i = 0; i < l->n; i++) {
        const char *x = l->v[i], *at = strrchr(x, '@');
        char *site = at ? url_site_of_host(at + 1) : strstr(x, "//") ? url_site(x) : NULL;
        if (!site && !at) { /* a bare domain, perhaps with a path */
            char *u = xasprintf("http://%s", x);
            site = url_site(u);
            free(u);
        }
        if (site) {
            for (char *p = site; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            j->exclusions[j->nexclusions++] = site;
        }
    }
    qsort(j->exclusions, j->nexclusions, sizeof *j->exclusions, cmp_str);
}

void pipeline__exclusions_release(struct job *j)
{
    for (size_t i = 0; i < j->nexclusions; i++)
        free(j->exclusions[i]);
    free(j->exclusions);
}

const char *pipeline__excluded(struct job *j, const char *site, char *why, size_t n)
{
    if (j->nexclusions &&
        bsearch(&site, j->exclusions, j->nexclusions, sizeof *j->exclusions, cmp_str)) {
        snprintf(why, n, "already yours (exclude_domains)");
        __atomic_fetch_add(&j->excluded, 1, __ATOMIC_RELAXED);
        return "excluded";
    }
    for (const char *const *p = search_excluded_sites; *p; p++)
        if (strcmp(site, *p) == 0) {
            snprintf(why, n, "a directory, social network or news site");
            return "not_a_company_site";
        }
    /* A competitor's own site: "HubSpot" and hubspot.com. */
    char label[128];
    size_t k = strcspn(site, ".");
    snprintf(label, sizeof label, "%.*s", (int)(k < sizeof label ? k : sizeof label - 1), site);
    if (pipeline__is_competitor(j, label)) {
        snprintf(why, n, "a listed competitor");
        return "competitor";
    }
    return NULL;
}

/* Why a page says its site is not a lead, or NULL. */
const char *pipeline__not_a_lead(const struct extract_page *p)
{
    for (size_t i = 0; i < p->page_types.n; i++) {
        const char *t = p->page_types.v[i];
        /* a news article is a publisher's, unless it is the company's own
         * press release: a NewsMediaOrganization says which */
        if (!strcmp(t, "NewsMediaOrganization") || !strcmp(t, "ReportageNewsArticle"))
            return "a news article";
        if (!strcmp(t, "JobPosting"))
            return "a job posting";
        if (!strcmp(t, "ProfilePage"))
            return "a social network profile";
        if (!strcmp(t, "ItemList") || !strcmp(t, "SearchResultsPage"))
            return "a directory or listing";
    }
    if (p->is_profile)
        return "a social network profile";
    if (p->outbound_hosts >= DIRECTORY_SITES)
        return "a directory or listing (it links to many other companies)";
    if (p->intermediary)
        return "a directory or marketplace (it puts customers in touch with other businesses)";
    return NULL;
}

/* The fields of the lead's JSON (lj, extract_lead_json's) that lead_data carries. */
static void add_lead_fields(json_t *extra, json_t *lj)
{
    static const char *const keys[] = {
        "site",         "address", "address_parts", "country",    "naics", "social",
        "technologies", "pages",   "founded",       "provenance", NULL};
    for (const char *const *k = keys; *k; k++)
        json_object_set(extra, *k, json_object_get(lj, *k));
}

/* The lead's people for adk1_enrichment (lj's, unless guessed addresses are
 * asked for): each e-mail with its check's status, and a guessed address for
 * those without one when PROSPECT_GUESS_EMAILS asks for it (kept apart from
 * the found ones). */
static json_t *lead_people(const struct job *j, const struct site *s, const struct extract_lead *l,
                           json_t *lj)
{
    json_t *people = j->opt->cfg->guess_emails ? extract_lead_people_json(l, true)
                                               : json_incref(json_object_get(lj, "people"));
    size_t i, k;
    json_t *p, *c;
    json_array_foreach (people, i, p) {
        const char *email = json_string_value(json_object_get(p, "email"));
        json_array_foreach (s->email_checks, k, c) {
            const char *checked = json_string_value(json_object_get(c, "email"));
            if (email && checked && !strcasecmp(email, checked)) {
                json_object_set(p, "email_status", json_object_get(c, "status"));
                json_object_set(p, "email_reasons", json_object_get(c, "reasons"));
                break;
            }
        }
    }
    return people;
}

/* A lead's name: its pages', else the provider's name of a place with no
 * website, else its site. */
static const char *lead_name(const struct site *s, const struct extract_lead *l)
{
    if (l->company_name.value)
        return l->company_name.value;
    return s->no_site && *s->title ? s->title : s->site;
}

/* Where a found lead came from: the providers that found it, the credit
 * their data needs (OSM's ODbL), and whether it is a place with no website
 * (its lead is what the provider knows of it). */
static void add_source(const struct site *s, json_t *extra)
{
    if (!s->providers)
        return;
    json_t *by = json_array();
    for (const char *p = s->providers; *p;) {
        size_t k = strcspn(p, ",");
        json_array_append_new(by, json_stringn(p, k));
        p += k + (p[k] == ',');
    }
    json_object_set_new(extra, "found_by", by);
    if (s->attribution)
        json_object_set_new(extra, "attribution", json_string(s->attribution));
    if (s->no_site) {
        json_object_set_new(extra, "no_website", json_true());
        json_object_set_new(extra, "map_url", json_string(s->url));
    }
}

/* A given company's lead names it as the user gave it, to match the rows. */
static void add_target(const struct job *j, const struct site *s, json_t *extra)
{
    size_t i = (size_t)s->best_rank - 1;
    if (j->given && i < j->req->companies.n)
        json_object_set_new(extra, "target", json_string(j->req->companies.v[i]));
}

/* The lead's verdict: the heuristic's, and the LLM's where the policy asks. */
bool pipeline__borderline(const struct job *j, const struct extract_lead *l,
                          const struct enrich_result *r)
{
    if (j->policy_all)
        return true;
    double thr = (double)j->opt->cfg->qualify_threshold / 100.0;
    if (fabs(r->prospect - thr) <= BORDERLINE)
        return true;
    size_t text = 0;
    for (size_t i = 0; i < l->page_texts.n; i++)
        text += strlen(l->page_texts.v[i]);
    return r->pain.nev == 0 && text >= RICH_TEXT;
}

/* Before an LLM analysis: calls run at once, so each reserves its likely
 * cost: the budget bounds what is spent, not only what was spent before
 * the call. false when the LLM is not to be asked. */
bool pipeline__analyse_begin(struct job *j)
{
    if (!llm_reads(j->llm) || j->policy_none)
        return false;
    pthread_mutex_lock(&j->lock);
    int64_t budget = j->opt->budget.llm_tokens;
    bool go = !pipeline__stop_locked(j) &&
              (!budget || pipeline__llm_tokens(j) + j->tokens_reserved + LLM_CALL_TOKENS <= budget);
    if (go)
        j->tokens_reserved += LLM_CALL_TOKENS;
    else if (!j->stopped_by)
        j->stopped_by = "llm_token_budget";
    pthread_mutex_unlock(&j->lock);
    return go;
}

/* After it: on failure the heuristic result stands and the fallback is
 * announced. Returns whether the LLM's analysis is in. */
bool pipeline__analyse_end(struct job *j, const struct site *s, int rc, int dropped,
                           int64_t took_ms, const struct err *e)
{
    pthread_mutex_lock(&j->lock);
    j->tokens_reserved -= LLM_CALL_TOKENS;
    j->stage_ms[ST_ENRICH] += took_ms;
    j->quotes_dropped += dropped;
    pthread_mutex_unlock(&j->lock);
    if (rc) {
        char what[400];
        snprintf(what, sizeof what, "The LLM analysis of %s failed (%s)", s->site, e->msg);
        pipeline__degrade(j, "enrich", what, "keeping the heuristic scores");
        return false;
    }
    if (dropped)
        pipeline__status(j, "enrich", pipeline__progress(j),
                         json_pack("{s:s, s:i}", "site", s->site, "quotes_dropped", dropped),
                         "Dropped %d quote%s of the LLM's about %s: not verbatim in its pages",
                         dropped, dropped == 1 ? "" : "s", s->site);
    return true;
}

/* lead_generated and lead_enrichment_start (those a resumed lead has not
 * stored yet); with j->lock held, so that the count of leads and the events
 * agree. */
void pipeline__emit_generated(struct job *j, const struct site *s, const struct extract_lead *l)
{
    char lead_id[160];
    pipeline__lead_id_of(s, lead_id, sizeof lead_id);
    size_t slot = 0;
    int stored = pipeline__resumed_stage(j, lead_id, &slot);
    if (stored) {
        if (stored < 2) {
            struct event_head h = pipeline__head(j);
            json_t *start = event_lead_enrichment_start(&h, lead_id);
            json_object_set_new(start, "agent_name", json_string("ProspectIntelligenceAgent"));
            pipeline__emit(j, EVENT_LEAD_ENRICHMENT_START, start);
        }
        j->resumed_stage[slot] = 3; /* its end follows */
        return;
    }
    const char **emails = xcalloc(l->emails.n + 1, sizeof *emails);
    const char **phones = xcalloc(l->phones.n + 1, sizeof *phones);
    for (size_t i = 0; i < l->emails.n; i++)
        emails[i] = l->emails.v[i].value;
    for (size_t i = 0; i < l->phones.n; i++)
        phones[i] = l->phones.v[i].value;
    char *summary = enrich_summary(j->ec, l);
    json_t *lj = extract_lead_json(l);
    json_t *people = lead_people(j, s, l, lj);
    struct event_lead el = {
        .company_name = lead_name(s, l),
        .website = s->no_site ? "" : l->website,
        .description = l->description.value,
        .industry = l->industry.value,
        .company_size = l->company_size.value,
        .emails = emails,
        .nemails = l->emails.n,
        .phones = phones,
        .nphones = l->phones.n,
        .qualification_summary = summary,
        .people = people,
    };
    json_t *extra = json_object();
    add_lead_fields(extra, lj);
    json_decref(lj);
    add_target(j, s, extra);
    add_source(s, extra);
    if (s->email_checks) /* each address's status, as its lead shows it */
        json_object_set(extra, "email_checks", s->email_checks);
    struct event_head h = pipeline__head(j);
    pipeline__emit(j, EVENT_LEAD_GENERATED,
                   event_lead_generated(&h, lead_id, &el, s->url, EVENT_AGENT_HARVESTER, extra));
    __atomic_fetch_add(&j->leads, 1, __ATOMIC_RELAXED);
    json_decref(people);
    free(summary);
    free(emails);
    free(phones);

    h = pipeline__head(j);
    json_t *start = event_lead_enrichment_start(&h, lead_id);
    json_object_set_new(start, "agent_name", json_string("ProspectIntelligenceAgent"));
    pipeline__emit(j, EVENT_LEAD_ENRICHMENT_START, start);
}

void pipeline__emit_failed(struct job *j, const struct site *s, const struct outcome *o)
{
    char lead_id[160];
    pipeline__lead_id_of(s, lead_id, sizeof lead_id);
    pthread_mutex_lock(&j->lock);
    struct event_lead el = {.company_name = s->site, .website = s->url};
    json_t *extra = json_pack("{s:s}", "site", s->site);
    add_target(j, s, extra);
    struct event_head h = pipeline__head(j);
    pipeline__emit(j, EVENT_LEAD_GENERATED,
                   event_lead_generated(&h, lead_id, &el, s->url, EVENT_AGENT_HARVESTER, extra));
    j->leads++;
    j->failed++;
    pthread_mutex_unlock(&j->lock);
    h = pipeline__head(j);
    json_t *start = event_lead_enrichment_start(&h, lead_id);
    json_object_set_new(start, "agent_name", json_string("ProspectIntelligenceAgent"));
    pipeline__emit(j, EVENT_LEAD_ENRICHMENT_START, start);
    struct event_scores sc = {0};
    json_t *end = event_lead_enrichment_end(&h, lead_id, false, s->site, &sc, NULL, NULL);
    json_object_set_new(end, "agent_name", json_string("ProspectIntelligenceAgent"));
    json_object_set_new(end, "error_type",
                        json_string(o->fail_type ? o->fail_type : "unreachable"));
    json_object_set_new(end, "error_message", json_string(o->why));
    pipeline__emit(j, EVENT_LEAD_ENRICHMENT_END, end);
}

void pipeline__emit_enriched(struct job *j, const struct site *s, const struct extract_lead *l,
                             const struct enrich_result *r, bool analysed)
{
    char lead_id[160];
    pipeline__lead_id_of(s, lead_id, sizeof lead_id);
    json_t *lead_extra, *intel_extra;
    enrich_package(l, r, &lead_extra, &intel_extra);
    json_object_set_new(intel_extra, "analyst",
                        json_string(analysed ? llm_name(j->llm) : "heuristic"));
    struct event_scores sc = {
        .prospect = r->prospect,
        .buying_intent = r->intent.value,
        .pain_alignment = r->pain.value,
        .urgency = r->urgency.value,
        .insights = (const char *const *)r->insights,
        .ninsights = r->ninsights,
    };
    struct event_head h = pipeline__head(j);
    json_t *end =
        event_lead_enrichment_end(&h, lead_id, true, lead_name(s, l), &sc, lead_extra, intel_extra);
    json_object_set_new(end, "agent_name", json_string("ProspectIntelligenceAgent"));
    pthread_mutex_lock(&j->lock);
    j->enriched++;
    j->qualified += r->qualified;
    if (analysed)
        j->leads_llm++;
    else
        j->leads_heuristic++;
    pthread_mutex_unlock(&j->lock);
    pipeline__emit(j, EVENT_LEAD_ENRICHMENT_END, end);
}

/* A lead from its search result alone, after the LLM's quick reading of
 * its title and snippet (rc, fit and reason, taken): the quote is the
 * snippet, verbatim. Returns whether the LLM's reading is in. */
bool pipeline__quick_qualified(struct job *j, const struct site *s, struct enrich_result *r, int rc,
                               double fit, char *reason, const struct err *e)
{
    if (rc) {
        char what[400];
        snprintf(what, sizeof what, "Quick qualification of %s failed (%s)", s->site, e->msg);
        pipeline__degrade(j, "enrich", what, "keeping the heuristic scores of its snippet");
        free(reason);
        return false;
    }
    enrich_evidence_put(&r->icp, s->snippet, s->url, "llm:quick_qualification");
    r->icp.value = fit;
    enrich_rescore(j->ec, r);
    free(r->summary);
    r->summary = reason;
    return true;
}

/* Applies one site's outcome: its events, its place among the leads or
 * the reserve. With j->lock held; released while events go out. */
static void apply(struct job *j, struct site *s)
{
    struct outcome *o = &s->out;
    if (o->v == V_SKIP && j->given) {
        pthread_mutex_unlock(&j->lock);
        if (!pipeline__cancelled(j))
            pipeline__emit_failed(j, s, o);
        pthread_mutex_lock(&j->lock);
    } else if (o->v == V_SKIP) {
        j->skipped++;
        pthread_mutex_unlock(&j->lock);
        if (!pipeline__cancelled(j))
            pipeline__status(j, pipeline__stage_names[o->stage], pipeline__progress(j),
                             json_pack("{s:s}", "site", s->site), "Skipped %s: %s", s->site,
                             o->why);
        pthread_mutex_lock(&j->lock);
    } else if (o->v == V_GONE) {
        size_t slot = 0;
        char lead_id[160];
        pipeline__lead_id_of(s, lead_id, sizeof lead_id);
        pipeline__resumed_stage(j, lead_id, &slot);
        pthread_mutex_unlock(&j->lock);
        pipeline__end_resumed_lead(j, slot, o->why);
        pthread_mutex_lock(&j->lock);
    } else if (o->v == V_LEAD) {
        struct enrich_result *r = &o->r;
        /* a budget that ran out keeps what was read; a cancel does not */
        bool emitted = o->stored || j->given ||
                       (r->qualified && j->leads < j->want && !pipeline__cancelled(j));
        if (emitted) {
            pipeline__emit_generated(
                j, s, &o->lead); /* a resumed lead is finished whatever its score now */
            pthread_mutex_unlock(&j->lock);
            pipeline__emit_enriched(j, s, &o->lead, r, o->analysed);
            enrich_result_release(r);
            extract_lead_release(&o->lead);
            pthread_mutex_lock(&j->lock);
        } else if (!r->qualified) {
            j->reserves = xrealloc(j->reserves, (j->nreserves + 1) * sizeof *j->reserves);
            j->reserves[j->nreserves++] =
                (struct reserve){(size_t)(s - j->sites), o->lead, *r, o->analysed};
            double score = r->prospect; /* the reserve owns lead and r now */
            pthread_mutex_unlock(&j->lock);
            pipeline__status(
                j, "enrich", pipeline__progress(j),
                json_pack("{s:s, s:f}", "site", s->site, "prospect_score", score),
                "Kept %s in reserve: score %.2f is below the qualification threshold %.2f", s->site,
                score, (double)j->opt->cfg->qualify_threshold / 100.0);
            pthread_mutex_lock(&j->lock);
        } else { /* qualified, but enough leads exist already */
            enrich_result_release(r);
            extract_lead_release(&o->lead);
        }
    }
    o->v = V_NOTHING;
}

/* Marks site s read and applies every outcome that is next in order, one
 * thread at a time: the leads are those of the first sites in search order
 * that qualify, in that order, whatever the order their reading ends in.
 * With j->lock held. */
void pipeline__commit(struct job *j, struct site *s)
{
    s->done = true;
    if (j->flushing)
        return; /* the thread applying outcomes will reach this one */
    j->flushing = true;
    while (j->committed < j->next && j->sites[j->committed].done)
        apply(j, &j->sites[j->committed++]);
    j->flushing = false;
    pthread_cond_broadcast(&j->site_done);
}

/* Too few qualified leads: the best of the rest, said as such. */
void pipeline__add_reserves(struct job *j)
{
    int want = j->want;
    for (size_t a = 1; a < j->nreserves; a++) /* best first, stable */
        for (size_t b = a; b > 0 && j->reserves[b].r.prospect > j->reserves[b - 1].r.prospect;
             b--) {
            struct reserve t = j->reserves[b];
            j->reserves[b] = j->reserves[b - 1];
            j->reserves[b - 1] = t;
        }
    /* ...but not the unrelated: half the threshold is the floor, and the
     * company's trade must be near a kind of customer named (a company of
     * another trade, or one whose trade its pages do not tell, is none of
     * the best) */
    double floor = (double)j->opt->cfg->qualify_threshold / 200.0;
    size_t *pick = xcalloc(j->nreserves ? j->nreserves : 1, sizeof *pick), npick = 0;
    for (size_t a = 0; a < j->nreserves && (int)npick < want - j->leads; a++) {
        const struct enrich_result *r = &j->reserves[a].r;
        if (r->prospect >= floor && r->industry_fit >= 0.5)
            pick[npick++] = a;
    }
    if (npick)
        pipeline__status(j, "enrich", pipeline__progress(j), NULL,
                         "Only %d qualified lead%s found; adding the %zu best below the threshold",
                         j->leads, j->leads == 1 ? "" : "s", npick);
    for (size_t a = 0; a < npick; a++) {
        struct reserve *rv = &j->reserves[pick[a]];
        pthread_mutex_lock(&j->lock);
        pipeline__emit_generated(j, &j->sites[rv->site], &rv->lead);
        pthread_mutex_unlock(&j->lock);
        pipeline__emit_enriched(j, &j->sites[rv->site], &rv->lead, &rv->r, rv->analysed);
    }
    free(pick);
}
