#!/usr/bin/env python3
"""enrich_test.py BIN SRCDIR: a sales team's own list of companies, enriched
end to end against the real pages of tests/realpages served on loopback
(tests/stubs/realweb.py, each site at its own *.localhost name).

`prospect enrich` with targets as arguments (domain:port, URL), as a CRM's
CSV found by its header, and as a text file; one lead per target in the
order given, scored against the context, or success false with its reason
(unreachable, blocked for a private address, duplicate, excluded); bad
rows named with exit code 2; the CSV profiles' headers. Then POST
/api/v2/enrich as a job: 202, the same events with replay, the leads in
order with their errors, the selected rows as CSV, webhooks signed and
delivered, and 400s that name the bad company. A server killed mid-job
resumes it with one lead per company, none twice.
"""
import csv
import io
import json
import os
import re
import subprocess
import sys
import urllib.parse

BIN, SRC = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SRC, "tests/integration"))
import lib  # noqa: E402
from lib import TMP, fail, wait_for  # noqa: E402

CONTEXT = os.path.join(SRC, "tests/realpages/contexts/home-services.json")
SECRET = "whsec_bGVhZGdlbi10ZXN0LXNlY3JldC0wMTIzNDU2Nzg5YWI="


def check(ok, msg):
    if not ok:
        fail(msg)


PORT = lib.realweb("web", "--home")


def site_of(url):
    """The loopback name realweb.py serves a real page's site at."""
    host = urllib.parse.urlsplit(url).hostname or ""
    host = host[4:] if host.startswith("www.") else host
    return re.sub(r"[^a-z0-9]+", "-", host.lower()).strip("-") + ".localhost"


labels = json.load(open(os.path.join(SRC, "tests/realpages/labels.json")))
# A marketplace of movers (it puts customers in touch with other businesses):
# a real site that is no company to sell to.
MARKETPLACE = "hireahelper-com.localhost"
business = [p for p in labels if p.get("page_type") == "service" and p.get("company_name") and
            site_of(p["url"]) not in (".localhost", MARKETPLACE)]
pages = {}
for p in business:
    pages.setdefault(site_of(p["url"]), p)
SITES = list(pages.items())[:8]
check(len(SITES) == 8, "eight real business sites to enrich")
HOSTS = [h for h, _ in SITES]


def url_of(i):
    u = urllib.parse.urlsplit(SITES[i][1]["url"])
    return "http://%s:%s%s" % (HOSTS[i], PORT, u.path or "/")


def env(**extra):
    return lib.clean_env(PROSPECT_FETCH_ALLOW_PRIVATE="1", PROSPECT_LLM="heuristic",
                         PROSPECT_CACHE_TTL_S="0", **extra)


def enrich(*args, env_=None, db="cli.db"):
    r = subprocess.run([BIN, "enrich", "--db", os.path.join(TMP, db), *args],
                       capture_output=True, text=True, env=env_ or env(), timeout=300)
    return r


def leads_of(r):
    try:
        return json.loads(r.stdout)["leads"]
    except ValueError:
        fail("not JSON: %s %s" % (r.stdout[:300], r.stderr[-500:]))
        return []


def score(lead):
    ai = ((lead.get("final_package") or {}).get("analyzed_lead") or {}).get("ai_intelligence") or {}
    return ai.get("prospect_score")


# ---- targets as arguments: host:port, a URL, a repeat, a site that is not there ----
missing = "no-such-company.localhost:%s" % PORT
args = ["%s:%s" % (HOSTS[0], PORT), url_of(1), "%s:%s" % (HOSTS[2], PORT), url_of(0), missing]
r = enrich("--format", "json", "--context", CONTEXT, *args)
check(r.returncode == 0, "enrich arguments: exit %d: %s" % (r.returncode, r.stderr[-800:]))
leads = leads_of(r)
check([l["lead_data"].get("target") for l in leads] == args,
      "one lead per target, in the order given: %s" % [l["lead_data"].get("target") for l in leads])
for i in range(3):
    l = leads[i] if i < len(leads) else {}
    check(l.get("success") is True and isinstance(score(l), float),
          "target %d enriched and scored: %s" % (i, json.dumps(l)[:400]))
    check(l.get("lead_data", {}).get("company_name") not in ("", HOSTS[i]),
          "target %d is named from its pages: %s" % (i, l.get("lead_data", {}).get("company_name")))
if len(leads) == 5:
    check(leads[3]["success"] is False and leads[3]["error"]["type"] == "duplicate" and
          "companies[0]" in leads[3]["error"]["message"], "a repeat says which row it repeats: %s" % leads[3])
    check(leads[4]["success"] is False and leads[4]["error"]["type"] == "unreachable" and
          "404" in leads[4]["error"]["message"], "a site that is not there is unreachable: %s" % leads[4])
    check(len({l["lead_id"] for l in leads}) == 5, "every row has its own lead id")

# The table keeps the order given and says why a row failed.
r = enrich("--context", CONTEXT, *args)
rows = r.stdout.splitlines()
check(len(rows) == 6 and "failed (duplicate)" in rows[4] and "failed (unreachable)" in rows[5],
      "the table: %s" % r.stdout[-800:])
check("5 companies in" in r.stderr and "3 enriched" in r.stderr and "2 failed" in r.stderr,
      "the table's summary: %s" % r.stderr[-300:])

# ---- a CRM's CSV (a byte-order mark, a quoted name with a comma, a blank row) and a text file ----
crm = os.path.join(TMP, "accounts.csv")
with open(crm, "w", encoding="utf-8-sig", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Account Name", "Website", "Phone"])
    w.writerow(['"%s", Inc.' % SITES[3][1]["company_name"], "http://%s:%s/" % (HOSTS[3], PORT), "1"])
    w.writerow(["Blank", "", ""])
    w.writerow([SITES[4][1]["company_name"], "%s:%s" % (HOSTS[4], PORT), ""])
r = enrich("--format", "json", crm)
check(r.returncode == 0 and 'accounts.csv: 2 companies to enrich from column "Website" (1 row without a domain'
      in r.stderr, "the CSV's column found by its header: %s" % r.stderr[-500:])
leads = leads_of(r)
check([l["lead_data"]["site"] for l in leads] == [HOSTS[3], HOSTS[4]] and
      all(l["success"] for l in leads), "the CSV's companies, in order: %s" % [l["lead_data"] for l in leads])
check(all(l["lead_data"]["website"] for l in leads), "fields without a context")

listfile = os.path.join(TMP, "list.txt")
open(listfile, "w").write("%s:%s\n\n%s\n" % (HOSTS[5], PORT, url_of(6)))
r = enrich("--format", "csv", "--csv-profile", "hubspot", listfile)
rows = list(csv.reader(io.StringIO(r.stdout)))
check(r.returncode == 0 and rows and rows[0][:4] == ["Company name", "Company Domain Name",
                                                      "Website URL", "Phone Number"],
      "the HubSpot header: %s %s" % (rows[:1], r.stderr[-300:]))
check(len(rows) == 3 and rows[1][1] == HOSTS[5] and rows[2][1] == HOSTS[6],
      "a text file's companies as HubSpot rows with bare domains: %s" % rows[1:])

# ---- bad rows are named, with exit code 2 ----
bad = os.path.join(TMP, "bad.csv")
open(bad, "w").write("Domain\n%s:%s\nnot a domain\nacme\n" % (HOSTS[0], PORT))
r = enrich(bad)
check(r.returncode == 2 and "row 3: 'not a domain'" in r.stderr and "row 4: 'acme'" in r.stderr and
      "2 rows name no company" in r.stderr, "bad rows named: %d %s" % (r.returncode, r.stderr))
for argv, words in ((["acme"], "'acme' is not a domain"), (["mailto@acme.com"], "e-mail address"),
                    (["ftp://acme.com"], "only http and https"), (["acme.com:0"], "bad port"),
                    (["missing.csv"], "missing.csv: no such file"), ([], "expects the companies"),
                    (["--format", "yaml", "acme.com"], "--format must be")):
    r = enrich(*argv)
    check(r.returncode == 2 and words in r.stderr, "%s: exit %d: %s" % (argv, r.returncode, r.stderr))

# ---- a private address is refused by the address guard, row by row ----
r = enrich("--format", "json", "127.0.0.1:%s" % PORT, env_=lib.clean_env(PROSPECT_LLM="heuristic"))
leads = leads_of(r)
check(len(leads) == 1 and leads[0]["success"] is False and leads[0]["error"]["type"] == "blocked" and
      "private" in leads[0]["error"]["message"], "a private address is blocked: %s" % leads)

# ---- exclusions from a file: the row says so, and its site is never fetched ----
before = subprocess.run(["grep", "-c", HOSTS[7], os.path.join(TMP, "web.log")],
                        capture_output=True, text=True).stdout.strip()
crm_export = os.path.join(TMP, "crm.csv")
open(crm_export, "w").write("Name,Email\nSomeone,someone@%s\n" % HOSTS[7])
r = enrich("--format", "json", "--exclude", crm_export, "%s:%s" % (HOSTS[7], PORT),
           "%s:%s" % (HOSTS[0], PORT))
leads = leads_of(r)
check(len(leads) == 2 and leads[0]["error"]["type"] == "excluded" and leads[1]["success"],
      "an excluded company: %s" % [l.get("error") for l in leads])
after = subprocess.run(["grep", "-c", HOSTS[7], os.path.join(TMP, "web.log")],
                       capture_output=True, text=True).stdout.strip()
check(before == after, "an excluded site was fetched (%s then %s requests)" % (before, after))

# ---- POST /api/v2/enrich: a job, with webhooks ----
hook_port = lib.free_port()
hook_log = os.path.join(TMP, "hooks.jsonl")
open(hook_log, "a").close()
lib.spawn(sys.executable, os.path.join(SRC, "tests/stubs/webhook_receiver.py"), str(hook_port),
          hook_log, "--secret", SECRET)
wait_for("receiver", lambda: lib.try_connect(hook_port))
srv = lib.Server(BIN, "enrich", os.path.join(TMP, "api.db"),
                 env(WEBAPP_WEBHOOK_ENABLED="true", WEBHOOK_SECRET=SECRET,
                     WEBAPP_WEBHOOK_URL="http://127.0.0.1:%d/hook" % hook_port))
ctx = json.load(open(CONTEXT))
ctx = ctx.get("business_context", ctx)
companies = ["%s:%s" % (h, PORT) for h in HOSTS[:4]] + [missing, "%s:%s" % (HOSTS[1], PORT),
                                                           "%s:%s" % (MARKETPLACE, PORT)]
code, body = srv.call("POST", "/api/v2/enrich", {"companies": companies, "business_context": ctx,
                                                  "job_id": "enrich-1"})
check(code == 202 and body.get("job_id") == "enrich-1" and body.get("events_url") ==
      "/api/v2/jobs/enrich-1/events", "POST /api/v2/enrich: %s %s" % (code, body))
job = wait_for("the enrichment", lambda: srv.finished("enrich-1"), timeout=120) or {}
check(job.get("status") == "succeeded" and job.get("leads") == 7, "the job: %s" % job)
events = srv.replay("enrich-1")
types = [e["event_type"] for _, e in events]
check(types[0] == "pipeline_start" and types[-1] == "pipeline_end" and
      types.count("lead_generated") == 7 and types.count("lead_enrichment_end") == 7,
      "the events: %s" % types)
check([s for s, _ in events] == list(range(1, len(events) + 1)), "events numbered from 1")
end = events[-1][1]
check(end.get("leads_enriched") == 4 and end.get("leads_failed") == 3 and
      end.get("summary", {}).get("companies") == 7, "pipeline_end: %s" % json.dumps(end)[:500])
code, body = srv.call("GET", "/api/v2/jobs/enrich-1/leads")
leads = body.get("leads", []) if isinstance(body, dict) else []
check([l["lead_data"].get("target") for l in leads] == companies, "the leads in the order given")
check([l.get("success") for l in leads] == [True] * 4 + [False] * 3 and
      [l["error"]["type"] for l in leads[4:]] == ["unreachable", "duplicate", "not_a_company_site"]
      and all("error" not in l for l in leads[:4]), "each lead's success and error: %s" %
      [(l.get("success"), l.get("error")) for l in leads])
ids = "%s,%s" % (leads[2]["lead_id"], leads[0]["lead_id"]) if len(leads) == 7 else ""
code, _, text = srv.request("GET", "/api/v2/jobs/enrich-1/leads?format=csv&profile=salesforce&ids=" + ids)
rows = list(csv.reader(io.StringIO(text if isinstance(text, str) else "")))
check(code == 200 and rows[0][:2] == ["Account Name", "Website"] and len(rows) == 3 and
      urllib.parse.urlsplit(rows[1][1]).hostname == HOSTS[0] and
      urllib.parse.urlsplit(rows[2][1]).hostname == HOSTS[2],
      "the selected rows as Salesforce CSV, in the job's order: %s" % rows)

# the same events reach the webhook, signed
records = wait_for("webhooks", lambda: lib.json_lines(hook_log)
                   if len(lib.json_lines(hook_log)) >= len(events) else None, timeout=60) or []
check(all(x["signature_ok"] for x in records), "every webhook verifies")
check(sorted({x["event"]["event_type"] for x in records}) == sorted(set(types)),
      "the webhooks carry the job's events")

# bad bodies are 400s that name the company
for body, path, words in (({"companies": ["acme"]}, "companies[0]", "not a domain"),
                          ({"companies": []}, "companies", "from 1 to 1000"),
                          ({"companies": "acme.com"}, "companies", "array"),
                          ({"business_context": ctx}, "companies", "is required"),
                          ({"companies": ["acme.com"] * 1001}, "companies", "got 1001")):
    code, r = srv.call("POST", "/api/v2/enrich", body)
    probs = r.get("problems", []) if isinstance(r, dict) else []
    check(code == 400 and any(p["path"] == path and words in p["message"] for p in probs),
          "%s: %s %s" % (json.dumps(body)[:80], code, r))

# ---- a restart mid-job loses nothing and repeats nothing ----
SLOW = lib.realweb("slow", "--home", "--latency", "0.4")
db = os.path.join(TMP, "restart.db")
slow_env = env(PROSPECT_SITE_CONCURRENCY="1")
srv = lib.Server(BIN, "restart-1", db, slow_env)
companies = ["%s:%s" % (h, SLOW) for h in HOSTS]
code, _ = srv.call("POST", "/api/v2/enrich", {"companies": companies, "job_id": "enrich-2"})
check(code == 202, "the job to restart: %s" % code)
wait_for("two leads", lambda: (srv.job("enrich-2") or {}).get("leads", 0) >= 2, timeout=120)
srv.p.kill()
srv.p.wait()
srv = lib.Server(BIN, "restart-2", db, slow_env)
job = wait_for("the resumed job", lambda: srv.finished("enrich-2"), timeout=180) or {}
events = [e for _, e in srv.replay("enrich-2")]
generated = [e["lead_data"].get("target") for e in events if e["event_type"] == "lead_generated"]
ended = [e["lead_id"] for e in events if e["event_type"] == "lead_enrichment_end"]
check(job.get("status") == "succeeded" and generated == companies and len(set(ended)) == 8 and
      len(ended) == 8, "resumed: one lead per company in order, none twice: %s %s" %
      (job.get("status"), generated))
check(any((e.get("status_message") or "").startswith("Resumed after a restart") for e in events),
      "the job was cut off and resumed, not run again")

lib.finish("enrich")
