/* guess.c: a likely address for a person the site names but shows no
 * address for, from the way the company writes the addresses of the
 * others (extract_lead_guess_emails in extract.h).
 *
 * Only what the site shows teaches: an address of the company's own
 * domain whose mailbox spells the name of a person of the site, by one of
 * the usual patterns (jane.roe@, jroe@, jane@...). A role address (info@,
 * sales@) names nobody and teaches nothing; neither does an address that
 * two patterns could explain, nor one that could be the person's own. The
 * pattern most addresses show wins; a tie is no guess, since half the
 * evidence would be against it. A guess is never an address the site
 * shows for someone else. It stays a guess: the caller keeps it apart from
 * the addresses found (and the checks, the CSV and the CRM never take it
 * for one). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "extract/extract_int.h"

#define MAX_LEARNED 5 /* addresses named as the evidence of a guess */

enum pattern {
    P_FIRST_DOT_LAST,
    P_FIRST_UNDERSCORE_LAST,
    P_FIRSTLAST,
    P_F_DOT_LAST,
    P_FLAST,
    P_FIRST_DOT_L,
    P_FIRSTL,
    P_FIRST,
    P_LAST,
    P_LAST_DOT_FIRST,
    P_LASTFIRST,
    P_LASTF,
    NPATTERNS
};

static const char *const pattern_names[NPATTERNS] = {
    [P_FIRST_DOT_LAST] = "first.last",
    [P_FIRST_UNDERSCORE_LAST] = "first_last",
    [P_FIRSTLAST] = "firstlast",
    [P_F_DOT_LAST] = "f.last",
    [P_FLAST] = "flast",
    [P_FIRST_DOT_L] = "first.l",
    [P_FIRSTL] = "firstl",
    [P_FIRST] = "first",
    [P_LAST] = "last",
    [P_LAST_DOT_FIRST] = "last.first",
    [P_LASTFIRST] = "lastfirst",
    [P_LASTF] = "lastf",
};

/* The ways a mailbox may spell a person's names: with and without the
 * hyphen of "Jean-Luc", the family name with and without its particles.
 * The first of each is how a guess spells it. */
struct forms {
    char first[2][96], last[4][96];
    size_t nfirst, nlast;
};

static bool plain(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return false; /* a letter no mailbox convention spells */
    return true;
}

static void add_form(char (*v)[96], size_t *n, size_t max, const char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(v[i], s))
            return;
    if (*n < max && plain(s))
        snprintf(v[(*n)++], sizeof v[0], "%s", s);
}

static bool forms_of(const char *name, struct forms *f)
{
    memset(f, 0, sizeof *f);
    struct extract_name_parts p;
    if (!name || !extract__name_split(name, &p))
        return false;
    char s[96];
    for (int hyphens = 1; hyphens >= 0; hyphens--) {
        extract__name_fold(p.first, p.first_len, hyphens, s, sizeof s);
        add_form(f->first, &f->nfirst, 2, s);
        extract__name_fold(p.last, p.last_len, hyphens, s, sizeof s);
        add_form(f->last, &f->nlast, 4, s);
    }
    for (int hyphens = 1; hyphens >= 0; hyphens--) {
        extract__name_fold(p.core, p.core_len, hyphens, s, sizeof s);
        add_form(f->last, &f->nlast, 4, s);
    }
    /* a guess spells the name as written: hyphens and particles kept */
    return f->nfirst && f->nlast;
}

static void render(enum pattern pat, const char *f, const char *l, char *out, size_t n)
{
    switch (pat) {
    case P_FIRST_DOT_LAST: snprintf(out, n, "%s.%s", f, l); break;
    case P_FIRST_UNDERSCORE_LAST: snprintf(out, n, "%s_%s", f, l); break;
    case P_FIRSTLAST: snprintf(out, n, "%s%s", f, l); break;
    case P_F_DOT_LAST: snprintf(out, n, "%c.%s", f[0], l); break;
    case P_FLAST: snprintf(out, n, "%c%s", f[0], l); break;
    case P_FIRST_DOT_L: snprintf(out, n, "%s.%c", f, l[0]); break;
    case P_FIRSTL: snprintf(out, n, "%s%c", f, l[0]); break;
    case P_FIRST: snprintf(out, n, "%s", f); break;
    case P_LAST: snprintf(out, n, "%s", l); break;
    case P_LAST_DOT_FIRST: snprintf(out, n, "%s.%s", l, f); break;
    case P_LASTFIRST: snprintf(out, n, "%s%s", l, f); break;
    case P_LASTF: snprintf(out, n, "%s%c", l, f[0]); break;
    case NPATTERNS: out[0] = '\0'; break;
    }
}

/* The patterns by which a mailbox spells a person's names (a bit each). */
static unsigned patterns_of(const struct forms *f, const char *local)
{
    unsigned mask = 0;
    char s[200];
    for (int pat = 0; pat < NPATTERNS; pat++)
        for (size_t a = 0; a < f->nfirst; a++)
            for (size_t b = 0; b < f->nlast; b++) {
                render((enum pattern)pat, f->first[a], f->last[b], s, sizeof s);
                if (!strcmp(s, local))
                    mask |= 1u << pat;
            }
    return mask;
}

/* What one found address teaches: whose name its mailbox spells, and how. */
struct teacher {
    const char *address; /* borrowed from the lead */
    uint64_t people;     /* bit k: it spells l->people[k]'s name */
    unsigned patterns;
};

static bool own_domain(const char *domain, const char *site)
{
    size_t n = strlen(domain), k = strlen(site);
    if (!k || !strchr(site, '.') || n < k || strcasecmp(domain + n - k, site) != 0)
        return false;
    return n == k || domain[n - k - 1] == '.';
}

static void lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

/* The pattern t teaches about person x: it spells the name of someone
 * else by one pattern only (an address that could be x's own says nothing
 * of the others'); -1 when it teaches nothing. */
static int teaches(const struct teacher *t, size_t x)
{
    if (!t->people || (t->people >> x & 1) || (t->patterns & (t->patterns - 1)))
        return -1;
    return __builtin_ctz(t->patterns);
}

void extract_lead_guess_emails(const struct extract_lead *l, struct extract_email_guess *out)
{
    size_t np = l->npeople < 64 ? l->npeople : 64;
    memset(out, 0, l->npeople * sizeof *out);
    if (!np || !l->emails.n)
        return;
    struct forms *forms = xcalloc(np, sizeof *forms);
    bool *named = xcalloc(np, sizeof *named);
    for (size_t k = 0; k < np; k++)
        named[k] = forms_of(l->people[k].name, &forms[k]);
    struct teacher *t = xcalloc(l->emails.n, sizeof *t);
    for (size_t e = 0; e < l->emails.n; e++) {
        const char *addr = l->emails.v[e].value, *at = strrchr(addr, '@');
        t[e].address = addr;
        char local[128];
        if (!at || (size_t)(at - addr) >= sizeof local || !own_domain(at + 1, l->site))
            continue;
        snprintf(local, sizeof local, "%.*s", (int)(at - addr), addr);
        lower(local);
        if (extract_email_role(local))
            continue; /* info@ names nobody */
        for (size_t k = 0; k < np; k++) {
            unsigned m = named[k] ? patterns_of(&forms[k], local) : 0;
            if (m) {
                t[e].people |= UINT64_C(1) << k;
                t[e].patterns |= m;
            }
        }
    }
    for (size_t x = 0; x < np; x++) {
        const struct extract_person *p = &l->people[x];
        if (p->email || !named[x])
            continue;
        size_t votes[NPATTERNS] = {0};
        for (size_t e = 0; e < l->emails.n; e++)
            if (teaches(&t[e], x) >= 0)
                votes[teaches(&t[e], x)]++;
        int best = -1;
        bool tie = false;
        for (int pat = 0; pat < NPATTERNS; pat++) {
            if (!votes[pat])
                continue;
            if (best < 0 || votes[pat] > votes[best]) {
                best = pat;
                tie = false;
            } else if (votes[pat] == votes[best]) {
                tie = true;
            }
        }
        if (best < 0 || tie)
            continue;
        const char *domain = NULL;
        for (size_t e = 0; e < l->emails.n && !domain; e++)
            if (teaches(&t[e], x) == best) /* the domain of the evidence */
                domain = strrchr(t[e].address, '@') + 1;
        char local[200], email[320];
        render((enum pattern)best, forms[x].first[0], forms[x].last[0], local, sizeof local);
        /* cut short, it would be another address */
        int len = snprintf(email, sizeof email, "%s@%s", local, domain);
        lower(email);
        if (len < 0 || (size_t)len >= sizeof email || extract_email_role(local) ||
            !extract_email_valid(email))
            continue;
        /* the site shows it: whose is it? */
        bool taken = false, seen = false;
        for (size_t e = 0; e < l->emails.n; e++)
            if (!strcasecmp(t[e].address, email)) {
                seen = true;
                taken = taken || (t[e].people & ~(UINT64_C(1) << x));
            }
        for (size_t k = 0; k < l->npeople && !taken; k++)
            taken = k != x && l->people[k].email && !strcasecmp(l->people[k].email, email);
        if (taken)
            continue; /* another Tim's tim@ */
        struct extract_email_guess *g = &out[x];
        g->email = xstrdup(email);
        g->pattern = pattern_names[best];
        g->seen_on_site = seen;
        for (size_t e = 0; e < l->emails.n && g->learned_from.n < MAX_LEARNED; e++)
            if (teaches(&t[e], x) == best) {
                g->learned_from.v =
                    xrealloc(g->learned_from.v, (g->learned_from.n + 1) * sizeof(char *));
                g->learned_from.v[g->learned_from.n++] = xstrdup(t[e].address);
            }
    }
    free(t);
    free(named);
    free(forms);
}

json_t *extract_email_guess_json(const struct extract_email_guess *g)
{
    json_t *from = json_array();
    for (size_t i = 0; i < g->learned_from.n; i++)
        json_array_append_new(from, json_string(g->learned_from.v[i]));
    json_t *o = json_pack("{s:s, s:b, s:s, s:o}", "email", g->email, "guessed", 1, "pattern",
                          g->pattern, "learned_from", from);
    if (g->seen_on_site)
        json_object_set_new(o, "seen_on_site", json_true());
    return o;
}

void extract_email_guess_release(struct extract_email_guess *g)
{
    free(g->email);
    for (size_t i = 0; i < g->learned_from.n; i++)
        free(g->learned_from.v[i]);
    free(g->learned_from.v);
    memset(g, 0, sizeof *g);
}
