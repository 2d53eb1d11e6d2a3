/* title.c: job titles: whether a phrase is one ("Sr. Director of
 * Operations"), and its rank and function, normalised (extract.h). The
 * words are those of English job titles; a title in another language names
 * no rank and is not taken for one. */
#include <stdlib.h>
#include <string.h>

#include "extract/extract_int.h"

#define MAX_TOKENS 40

struct tokens {
    char v[MAX_TOKENS][24]; /* lower case, ASCII letters and digits */
    size_t n;
};

/* The phrase's words: runs of letters and digits, lower-cased; a word too
 * long to be one of ours is kept cut, never matched. */
static void tokenize(const char *s, struct tokens *t)
{
    t->n = 0;
    while (*s && t->n < MAX_TOKENS) {
        unsigned char c = (unsigned char)*s;
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum) {
            s++;
            continue;
        }
        size_t k = 0;
        while (*s) {
            c = (unsigned char)*s;
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c - 'A' + 'a');
            else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
                break;
            if (k + 1 < sizeof t->v[0])
                t->v[t->n][k++] = (char)c;
            s++;
        }
        t->v[t->n++][k] = '\0';
    }
}

static bool in(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(w, *list))
            return true;
    return false;
}

/* The nouns a job title is built on, singular: a plural ("Directors",
 * "Project Managers") names a menu or a group, not one person's role.
 * Sorted, for bsearch: every word of every line is looked up. */
static const char *const roles[] = {
    "accountant",
    "administrator",
    "adviser",
    "advisor",
    "agent",
    "analyst",
    "architect",
    "assistant",
    "associate",
    "attorney",
    "auditor",
    "avp",
    "bookkeeper",
    "broker",
    "cdo",
    "ceo",
    "cfo",
    "chair",
    "chairman",
    "chairperson",
    "chairwoman",
    "chef",
    "chief",
    "chiropractor",
    "cio",
    "ciso",
    "clerk",
    "cmo",
    "coach",
    "cofounder",
    "columnist",
    "commissioner",
    "consultant",
    "contributor",
    "controller",
    "coo",
    "coordinator",
    "copywriter",
    "correspondent",
    "counsel",
    "counsellor",
    "counselor",
    "cpo",
    "cro",
    "cto",
    "curator",
    "dean",
    "dentist",
    "designer",
    "developer",
    "dietitian",
    "director",
    "economist",
    "editor",
    "engineer",
    "estimator",
    "evangelist",
    "evp",
    "executive",
    "expert",
    "fellow",
    "foreman",
    "founder",
    "head",
    "hygienist",
    "inspector",
    "instructor",
    "intern",
    "journalist",
    "lawyer",
    "lead",
    "leader",
    "lecturer",
    "librarian",
    "manager",
    "marketer",
    "midwife",
    "np",
    "nurse",
    "officer",
    "optometrist",
    "owner",
    "paralegal",
    "partner",
    "pastor",
    "pharmacist",
    "photographer",
    "physician",
    "physiotherapist",
    "planner",
    "president",
    "principal",
    "producer",
    "professor",
    "programmer",
    "proprietor",
    "psychologist",
    "realtor",
    "receptionist",
    "recruiter",
    "registrar",
    "reporter",
    "representative",
    "researcher",
    "rn",
    "scientist",
    "secretary",
    "specialist",
    "strategist",
    "superintendent",
    "supervisor",
    "surgeon",
    "svp",
    "teacher",
    "technician",
    "tester",
    "therapist",
    "trainer",
    "treasurer",
    "trustee",
    "tutor",
    "veterinarian",
    "vp",
    "winemaker",
    "writer",
};

static int cmp_word(const void *a, const void *b)
{
    return strcmp(a, *(const char *const *)b);
}

static bool is_role(const char *w)
{
    return bsearch(w, roles, sizeof roles / sizeof *roles, sizeof *roles, cmp_word) != NULL;
}

static bool has_role(const struct tokens *t)
{
    for (size_t i = 0; i < t->n; i++)
        if (is_role(t->v[i]))
            return true;
    return false;
}

static bool has(const struct tokens *t, const char *const *list)
{
    for (size_t i = 0; i < t->n; i++)
        if (in(t->v[i], list))
            return true;
    return false;
}

/* Whether the words a b (in this order) occur next to each other. */
static bool pair(const struct tokens *t, const char *a, const char *b)
{
    for (size_t i = 0; i + 1 < t->n; i++)
        if (!strcmp(t->v[i], a) && !strcmp(t->v[i + 1], b))
            return true;
    return false;
}

/* Whether the role word is the head of one of the title's parts, as in
 * "Director of Engineering", "Editor, Embarque", "Global Lead – Cyber":
 * in "Teacher Jobs" or "Analyst Reports" it only qualifies another noun. */
static bool role_is_head(const char *s)
{
    static const char *const cuts[] = {",",
                                       "|",
                                       "(",
                                       ")",
                                       ";",
                                       "/",
                                       "&",
                                       "\xE2\x80\x93",
                                       "\xE2\x80\x94",
                                       " - ",
                                       " of ",
                                       " at ",
                                       " in ",
                                       " and ",
                                       " for ",
                                       " with ",
                                       NULL};
    while (*s) {
        size_t n = strlen(s);
        for (const char *const *c = cuts; *c; c++) {
            const char *at = strstr(s, *c);
            if (at && (size_t)(at - s) < n)
                n = (size_t)(at - s);
        }
        char part[160];
        size_t m = n < sizeof part - 1 ? n : sizeof part - 1;
        memcpy(part, s, m);
        part[m] = '\0';
        struct tokens t;
        tokenize(part, &t);
        if (t.n && is_role(t.v[t.n - 1]))
            return true;
        s += n;
        while (*s && (*s == ' ' || strchr(",|();/&-", *s) || (unsigned char)*s >= 0x80))
            s++;
        static const char *const joins[] = {"of ", "at ", "in ", "and ", "for ", "with ", NULL};
        for (const char *const *j = joins; *j; j++)
            if (!strncmp(s, *j, strlen(*j)))
                s += strlen(*j);
    }
    return false;
}

bool extract__title_like(const char *s)
{
    struct tokens t;
    tokenize(s, &t);
    if (!t.n || t.n > 24 || (*s >= '0' && *s <= '9') || strstr(s, "\xC2\xA9") ||
        strstr(s, "http") || strchr(s, '@'))
        return false;
    /* sentences, and headings that name a role without a person */
    static const char *const not_title[] = {
        "is",   "are",     "was",     "were", "we",   "our",  "you", "your",  "i",
        "my",   "this",    "these",   "will", "can",  "have", "has", "click", "meet",
        "from", "welcome", "message", "read", "view", "min",  NULL};
    return has_role(&t) && !has(&t, not_title) && role_is_head(s);
}

const char *extract_title_seniority(const char *title)
{
    if (!title)
        return NULL;
    struct tokens t;
    tokenize(title, &t);
    static const char *const owner[] = {"founder",    "cofounder", "founding", "owner",
                                        "proprietor", "partner",   NULL};
    static const char *const officer[] = {"ceo",      "coo",        "cto",         "cfo", "cmo",
                                          "cio",      "ciso",       "cro",         "cpo", "cdo",
                                          "chairman", "chairwoman", "chairperson", NULL};
    if (has(&t, owner))
        return "owner";
    /* "Principal" alone is a firm's partner; "Principal Engineer" a rank of staff */
    if (t.n && !strcmp(t.v[0], "principal") && (t.n == 1 || strchr(title, '|')))
        return "owner";
    bool vice = pair(&t, "vice", "president");
    bool chief_officer = false;
    for (size_t i = 0; i < t.n; i++)
        if (!strcmp(t.v[i], "chief"))
            for (size_t j = i + 1; j < t.n && j <= i + 5; j++)
                if (!strcmp(t.v[j], "officer"))
                    chief_officer = true;
    if (has(&t, officer) || chief_officer ||
        (!vice && has(&t, (const char *const[]){"president", NULL})) ||
        (pair(&t, "executive", "director") && t.n == 2))
        return "c_level";
    static const char *const vps[] = {"vp", "svp", "evp", "avp", NULL};
    if (vice || has(&t, vps))
        return "vp";
    for (size_t i = 0; i < t.n; i++) /* "Head of Editorial", "Head Winemaker"; a co-head directs */
        if (!strcmp(t.v[i], "head") && !(i && !strcmp(t.v[i - 1], "co")))
            return "vp";
    static const char *const directors[] = {"director",       "lead",         "leader",
                                            "chief",          "commissioner", "dean",
                                            "superintendent", "head",         NULL};
    if (has(&t, directors) || pair(&t, "in", "chief"))
        return "director";
    if (has(&t, (const char *const[]){"manager", NULL}) || pair(&t, "managing", "editor"))
        return "manager";
    return has_role(&t) ? "staff" : NULL;
}

/* The words of a title that name its function, without the organisation
 * it may end with ("founder of HR.University", "Editor at Acme"). */
static void function_tokens(const char *title, struct tokens *t)
{
    char head[256];
    size_t n = strlen(title);
    static const char *const joins[] = {" of ", " at ", NULL};
    for (const char *const *j = joins; *j; j++) {
        const char *at = strstr(title, *j);
        if (!at || (size_t)(at - title) >= n || at[4] < 'A' || at[4] > 'Z')
            continue;
        /* an organisation's name, not a function's ("of Operations"):
         * no common word, or written as a name is ("HR.University") */
        size_t w = strcspn(at + 4, " ,&");
        bool named = memchr(at + 4, '.', w) != NULL;
        for (size_t k = 1; k < w && !named; k++)
            named = at[4 + k] >= 'A' && at[4 + k] <= 'Z' && at[3 + k] >= 'a' && at[3 + k] <= 'z';
        if (named || !extract__common_word(at + 4, strcspn(at + 4, " ,.&")))
            n = (size_t)(at - title);
    }
    if (n >= sizeof head)
        n = sizeof head - 1;
    memcpy(head, title, n);
    head[n] = '\0';
    tokenize(head, t);
}

const char *extract__title_department(const char *title, bool publisher)
{
    if (!title)
        return NULL;
    struct tokens t;
    function_tokens(title, &t);
    if (!t.n)
        return NULL;
    /* a function the title names wins over a founder's or a chief's rank */
    static const char *const hr[] = {"hr",          "recruiter", "recruiting",
                                     "recruitment", "talent",    "onboarding",
                                     "payroll",     "benefits",  NULL};
    if (has(&t, hr) || pair(&t, "human", "resources") || pair(&t, "people", "operations"))
        return "hr";
    static const char *const legal[] = {"attorney", "lawyer",     "counsel",   "paralegal",
                                        "legal",    "compliance", "solicitor", NULL};
    if (has(&t, legal))
        return "legal";
    static const char *const finance[] = {"finance",    "financial",  "accounting", "accountant",
                                          "tax",        "cfo",        "treasurer",  "controller",
                                          "bookkeeper", "auditor",    "audit",      "banking",
                                          "mergers",    "investment", NULL};
    if (has(&t, finance) || pair(&t, "m", "a"))
        return "finance";
    static const char *const sales[] = {"sales",        "account",     "accounts",
                                        "partnerships", "development", "growth",
                                        "customer",     "cro",         NULL};
    if (has(&t, sales) && !pair(&t, "growth", "analyst") &&
        !(has(&t, (const char *const[]){"development", NULL}) &&
          !pair(&t, "business", "development")))
        return "sales";
    static const char *const marketing[] = {"marketing", "marketer",   "communications", "seo",
                                            "social",    "brand",      "community",      "cmo",
                                            "pr",        "copywriter", "growth",         NULL};
    if (has(&t, marketing))
        return "marketing";
    /* writing and editing: a company's content is marketing, a publisher's
     * is its product; a founder who edits leads the whole */
    static const char *const editorial[] = {"content", "writer",      "editor",   "editorial",
                                            "media",   "contributor", "producer", NULL};
    static const char *const exec[] = {"ceo",       "founder",   "cofounder",  "owner",
                                       "president", "chairman",  "chairwoman", "proprietor",
                                       "partner",   "principal", NULL};
    bool vice = pair(&t, "vice", "president");
    bool leads =
        (has(&t, exec) && !(vice && !has(&t, (const char *const[]){"ceo", "founder", "cofounder",
                                                                   "owner", NULL}))) ||
        pair(&t, "executive", "director");
    if (has(&t, editorial) && !leads)
        return publisher ? "other" : "marketing";
    static const char *const it[] = {"engineer",
                                     "engineering",
                                     "software",
                                     "developer",
                                     "data",
                                     "security",
                                     "cybersecurity",
                                     "cyber",
                                     "cto",
                                     "ciso",
                                     "cio",
                                     "technology",
                                     "it",
                                     "qa",
                                     "architect",
                                     "devops",
                                     "infrastructure",
                                     "programmer",
                                     "tester",
                                     "technical",
                                     "systems",
                                     NULL};
    if (has(&t, it))
        return "it";
    static const char *const ops[] = {"operations", "operating",  "coo",           "project",
                                      "office",     "building",   "logistics",     "production",
                                      "winemaker",  "facilities", "administrator", NULL};
    if (has(&t, ops))
        return "operations";
    if (leads)
        return "executive";
    return has_role(&t) ? "other" : NULL;
}

const char *extract_title_department(const char *title)
{
    return extract__title_department(title, false);
}
