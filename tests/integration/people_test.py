#!/usr/bin/env python3
"""people_test.py BIN SRCDIR: the people of real companies, end to end.

Four real pages with people (tests/realpages/people/web/: MacRumors' staff
footer, Kroll's deal team, BPM's HR leaders, a town's building department)
are served on loopback by tests/stubs/realweb.py, their own-domain e-mail
addresses written at the name each site is served at (--mail-at-site), and
enriched as a job (POST /api/v2/enrich). Then: each lead_generated event
names the labelled people with their titles in
lead_data.adk1_enrichment.people, beside the seed's fields; each person's
own address is one of the lead's and carries its check's status; the
stored leads (GET .../leads) hold the same people, on SQLite and, where
PostgreSQL is installed, on PostgreSQL; every CSV profile names the most
senior person in its contact columns; no address is guessed by default,
and with PROSPECT_GUESS_EMAILS=true the people without one get a guess
marked as such, learned from the others' addresses, and found nowhere
else (not in the lead's e-mails, their checks, or a CSV).
"""
import csv
import io
import json
import os
import re
import sys
import unicodedata
import urllib.parse

BIN, SRC = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SRC, "tests/integration"))
import lib  # noqa: E402
from lib import TMP, fail, wait_for  # noqa: E402

WEB_DIR = os.path.join(SRC, "tests/realpages/people/web")
SENIORITY = ["owner", "c_level", "vp", "director", "manager", "staff"]
SEED_KEYS = ["industry", "company_size", "contact_emails", "contact_phones", "qualification_summary"]


def check(ok, msg):
    if not ok:
        fail(msg)
    return ok


def norm(name):
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", s)


def host_of(url):
    host = urllib.parse.urlsplit(url).hostname or ""
    host = host[4:] if host.startswith("www.") else host
    return re.sub(r"[^a-z0-9]+", "-", host.lower()).strip("-") + ".localhost"


PORT = lib.realweb("web", "--mail-at-site", pages=os.path.join(WEB_DIR, "pages"))
labels = {host_of(p["url"]): p for p in json.load(open(os.path.join(WEB_DIR, "labels.json")))}
COMPANIES = []
for host, p in labels.items():
    u = urllib.parse.urlsplit(p["url"])
    COMPANIES.append("http://%s:%s%s" % (host, PORT, u.path))
MACRUMORS = host_of("https://forums.macrumors.com/")
TOWN = host_of("https://www.burnsharbor-in.gov/")


def env(**extra):
    return lib.clean_env(PROSPECT_FETCH_ALLOW_PRIVATE="1", PROSPECT_LLM="heuristic",
                         PROSPECT_CACHE_TTL_S="0", **extra)


def run_job(srv, jid):
    """The job's lead_generated events by site, and its stored leads by site."""
    code, body = srv.call("POST", "/api/v2/enrich", {"companies": COMPANIES, "job_id": jid})
    check(code == 202, "%s: POST /api/v2/enrich: %s %s" % (jid, code, body))
    done = wait_for(jid, lambda: srv.finished(jid), timeout=240)
    check(done and done.get("status") == "succeeded", "%s ended: %s" % (jid, done))
    events = {}
    for _, ev in srv.replay(jid):
        if ev.get("event_type") == "lead_generated":
            events[ev["lead_data"].get("site")] = ev
    code, body = srv.call("GET", "/api/v2/jobs/%s/leads" % jid)
    check(code == 200, "%s: GET leads: %s" % (jid, code))
    stored = {l["lead_data"].get("site"): l for l in (body.get("leads") or [])} if isinstance(body, dict) else {}
    check(set(events) == set(labels) and set(stored) == set(labels),
          "%s: a lead per site: events %s, stored %s" % (jid, sorted(events), sorted(stored)))
    return events, stored


def people_of(lead):
    return ((lead.get("lead_data") or {}).get("adk1_enrichment") or {}).get("people") or []


def top(people):
    rank = lambda p: SENIORITY.index(p["seniority"]) if p.get("seniority") in SENIORITY else 6  # noqa: E731
    return min(people, key=rank) if people else None  # min keeps the first among equals


def check_people(jid, events, stored):
    """The labelled people with titles in each event; statuses; storage."""
    found_all = labelled_all = 0
    for site, ev in events.items():
        data = ev["lead_data"]
        x = data.get("adk1_enrichment") or {}
        check(list(x)[:5] == SEED_KEYS and all(k in data for k in ("company_name", "website",
                                                                   "description")),
              "%s %s: the seed's fields as they were: %s" % (jid, site, list(x)))
        people = people_of(ev)
        by_name = {norm(p["name"]): p for p in people}
        want = labels[site]["people"]
        found = [w for w in want if norm(w["name"]) in by_name]
        found_all += len(found)
        labelled_all += len(want)
        check(found, "%s %s: none of the labelled people %s in %s" %
              (jid, site, [w["name"] for w in want], [p["name"] for p in people]))
        for w in found:
            p = by_name[norm(w["name"])]
            check(p.get("title") and p.get("seniority") in SENIORITY and p.get("department"),
                  "%s %s: %s has a title, a rank and a function: %s" % (jid, site, w["name"], p))
        checks = {c["email"]: c for c in data.get("email_checks") or []}
        for p in people:
            if p.get("email"):
                c = checks.get(p["email"].lower(), {})
                check(p["email"] in x["contact_emails"] and p.get("email_status") == c.get("status")
                      and p.get("email_status") in ("valid", "risky", "invalid", "unknown"),
                      "%s %s: %s's address is the lead's, checked: %s %s" % (jid, site, p["name"], p, c))
        check(people_of(stored.get(site, {})) == people,
              "%s %s: the stored lead's people are the event's: %s" %
              (jid, site, json.dumps(people_of(stored.get(site, {})))[:500]))
    check(found_all * 2 >= labelled_all,
          "%s: %d of the %d labelled people found" % (jid, found_all, labelled_all))
    print("%s: %d of the %d labelled people found" % (jid, found_all, labelled_all), flush=True)


def check_csv(srv, jid, stored, guesses=()):
    cols = {"prospect": ("Contact First Name", "Contact Last Name", "Contact Title", "Contact Email"),
            "hubspot": ("First Name", "Last Name", "Job Title", "Email"),
            "salesforce": ("First Name", "Last Name", "Title", "Email")}
    for profile, (first, last, title, email) in cols.items():
        code, _, text = srv.request("GET", "/api/v2/jobs/%s/leads?format=csv&profile=%s" % (jid, profile))
        rows = list(csv.DictReader(io.StringIO(text if isinstance(text, str) else "")))
        check(code == 200 and len(rows) == len(labels), "%s %s CSV: %s %s" % (jid, profile, code, text[:300]))
        check(all(g not in (text if isinstance(text, str) else "") for g in guesses),
              "%s %s CSV: a guessed address is in it" % (jid, profile))
        for lead, row in zip(stored.values(), rows):
            t = top(people_of(lead))
            if not check(t, "%s: %s has people" % (jid, lead["lead_data"].get("site"))):
                continue
            check(row[first] == (t["first_name"] if t["last_name"] else "") and
                  row[last] == (t["last_name"] or t["first_name"]) and row[title] == t["title"] and
                  row[email] == (t.get("email") or ""),
                  "%s %s CSV: the contact is %s: %s" % (jid, profile, t, {k: row[k] for k in (first, last, title, email)}))
            check(row[first] or row[last], "%s %s CSV: contact columns filled: %s" % (jid, profile, row))
        town = [r for r, l in zip(rows, stored.values()) if l["lead_data"].get("site") == TOWN]
        check(town and town[0][email].endswith("@" + TOWN),
              "%s %s CSV: the town's building commissioner's own address: %s" %
              (jid, profile, town[0][email] if town else None))


# ---- guesses off (the default) ----
srv = lib.Server(BIN, "people", os.path.join(TMP, "people.db"), env())
events, stored = run_job(srv, "people-1")
check_people("people-1", events, stored)
check(not any("email_guess" in p for ev in events.values() for p in people_of(ev)),
      "no guessed address unless PROSPECT_GUESS_EMAILS asks")
check_csv(srv, "people-1", stored)
srv.stop()


# ---- guesses on ----
def check_guesses(jid, events):
    guesses = []
    for site, ev in events.items():
        x = ev["lead_data"]["adk1_enrichment"]
        checked = {c["email"] for c in ev["lead_data"].get("email_checks") or []}
        for p in people_of(ev):
            g = p.get("email_guess")
            if not g:
                continue
            guesses.append(g["email"])
            check(g.get("guessed") is True and g.get("pattern") and g.get("learned_from") and
                  not p.get("email") and g["email"].endswith("@" + site),
                  "%s %s: %s's guess is marked and learned: %s" % (jid, site, p["name"], p))
            check(g["email"] not in x["contact_emails"] and g["email"] not in checked,
                  "%s %s: a guess is no address found: %s" % (jid, site, g))
            check(all(a in x["contact_emails"] for a in g["learned_from"]),
                  "%s %s: learned from the site's addresses: %s" % (jid, site, g))
        if site == MACRUMORS:  # first@: joe@, tim@, dan@...
            arnold = [p for p in people_of(ev) if p["name"] == "Arnold Kim" and not p.get("email")]
            check(not arnold or (arnold[0].get("email_guess") or {}).get("email") == "arnold@" + site,
                  "%s: Arnold Kim's guess: %s" % (jid, arnold))
    check(any(g.endswith("@" + MACRUMORS) for g in guesses),
          "%s: MacRumors' staff without an address get a guess: %s" % (jid, guesses))
    print("%s: guessed %s" % (jid, guesses), flush=True)
    return guesses


srv = lib.Server(BIN, "people-guess", os.path.join(TMP, "guess.db"), env(PROSPECT_GUESS_EMAILS="true"))
events, stored = run_job(srv, "people-2")
check_people("people-2", events, stored)
guesses = check_guesses("people-2", events)
check_csv(srv, "people-2", stored, guesses)
srv.stop()

# ---- the same on PostgreSQL ----
try:
    pg = lib.Postgres()
except (RuntimeError, OSError) as e:
    pg = None
    print("people: PostgreSQL not checked (%s)" % e, flush=True)
if pg:
    srv = lib.Server(BIN, "people-pg", pg.url, env(PROSPECT_GUESS_EMAILS="true"))
    pg_events, pg_stored = run_job(srv, "people-3")
    check_people("people-3", pg_events, pg_stored)
    check(sorted(check_guesses("people-3", pg_events)) == sorted(guesses),
          "PostgreSQL: the same guesses as SQLite")
    check({s: people_of(l) for s, l in pg_stored.items()} == {s: people_of(l) for s, l in stored.items()},
          "PostgreSQL: the stored people are SQLite's")
    check_csv(srv, "people-3", pg_stored, guesses)
    srv.stop()
    print("people-3: the same on PostgreSQL", flush=True)

lib.finish("people")
