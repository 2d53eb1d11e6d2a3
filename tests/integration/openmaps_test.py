#!/usr/bin/env python3
"""openmaps_test.py BIN SRCDIR: real leads with no key, end to end against
loopback mocks of Nominatim, the Overpass API and Wikidata
(tests/stubs/openmaps.py, their real wire formats and faults) whose
businesses' websites are real pages served by tests/stubs/realweb.py.

Asserts: the providers refuse to start without PROSPECT_CONTACT and say
why; `--search osm` geocodes the place, asks Overpass for the kinds' tags in
its area, reads the websites and makes a lead of a place with no website
from its tags, credited to OpenStreetMap in the events, the CSV and MCP;
`--search wikidata` finds the kinds' items and asks one SPARQL query a kind
in the place's country; `PROSPECT_SEARCH=tavily,osm` fuses both and says
who found each lead; the exact requests (tags, area, SPARQL properties,
User-Agent with the contact); 429 and 504 are retried, a malformed answer
fails the search with its reason; at most one Nominatim request a second
and one Overpass query at a time across jobs in one server.
"""
import csv
import io
import json
import re
import os
import subprocess
import sys
import urllib.request

BIN, SRC = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SRC, "tests/integration"))
import lib  # noqa: E402
from lib import TMP, fail, wait_for  # noqa: E402

CONTACT = "prospect-tests@example.com"
CREDIT = "\u00a9 OpenStreetMap contributors"


def check(ok, msg):
    if not ok:
        fail(msg)


WEB = lib.realweb("web")
maps_port = os.path.join(TMP, "maps.port")
lib.spawn(sys.executable, os.path.join(SRC, "tests/stubs/openmaps.py"), maps_port,
          os.path.join(TMP, "maps.log"), "--web-port", WEB)
wait_for("maps", lambda: os.path.exists(maps_port) and open(maps_port).read().strip())
MAPS = "http://127.0.0.1:%s" % open(maps_port).read().strip()


def post(path, body):
    req = urllib.request.Request(MAPS + path, json.dumps(body).encode(),
                                 {"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=10).read()


def stats():
    with urllib.request.urlopen(MAPS + "/__stats", timeout=10) as r:
        return json.loads(r.read())


def env(**extra):
    e = dict(PROSPECT_CONTACT=CONTACT, PROSPECT_NOMINATIM_URL=MAPS,
             PROSPECT_OVERPASS_URL=MAPS + "/api/interpreter",
             PROSPECT_WIKIDATA_SPARQL_URL=MAPS + "/sparql",
             PROSPECT_WIKIDATA_API_URL=MAPS + "/w/api.php", PROSPECT_FETCH_ALLOW_PRIVATE="1",
             PROSPECT_LLM="heuristic", PROSPECT_CACHE_TTL_S="0", PROSPECT_UPSTREAM_BACKOFF_MS="200",
             TAVILY_API_KEY="tvly-test-0123456789", TAVILY_BASE_URL="http://127.0.0.1:" + WEB)
    e.update(extra)
    return lib.clean_env(**{k: v for k, v in e.items() if v is not None})


def context(path, **bc):
    bc.setdefault("max_leads_to_generate", 5)
    json.dump({"business_context": bc}, open(path, "w"))
    return path


TRADES = context(os.path.join(TMP, "trades.json"),
                 business_description="Scheduling and invoicing software for trades",
                 ideal_customer="plumbers and electricians",
                 industry_focus=["Plumbing", "Electrical contractors"],
                 pain_points=["missed appointments"], location="Austin, Texas")
SOFTWARE = context(os.path.join(TMP, "software.json"),
                   business_description="Revenue analytics for sales teams",
                   ideal_customer="software companies with 1000-100000 employees",
                   industry_focus=["Software"], pain_points=["poor lead tracking"],
                   location="United States")


def run(req, *args, env_=None, fmt="ndjson"):
    r = subprocess.run([BIN, "run", "--db", os.path.join(TMP, "cli.db"), "--format", fmt, *args,
                        req], capture_output=True, text=True, env=env_ or env(), timeout=180)
    return r


def events(r):
    out = []
    for line in r.stdout.splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return out


def leads(evs):
    return [e["lead_data"] for e in evs if e.get("event_type") == "lead_generated"]


# ---- no contact: the providers refuse to start, and say why ----
for provider in ("osm", "wikidata"):
    r = run(TRADES, "--search", provider, env_=env(PROSPECT_CONTACT=None))
    said = " ".join(e.get("status_message", "") for e in events(r))
    check("PROSPECT_CONTACT" in said and "User-Agent" in said,
          "%s without a contact: %s" % (provider, said[:400]))

# ---- osm ----
post("/__stats/reset", {})
r = run(TRADES, "--search", "osm")
evs = events(r)
found = {l["company_name"]: l for l in leads(evs)}
check(r.returncode == 0 and "Eastside Plumbing Co." in found,
      "osm: a plumber in Austin: %s %s" % (list(found), r.stderr[-600:]))
place = found.get("Eastside Plumbing Co.", {})
check(place.get("no_website") is True and place.get("map_url", "").startswith(
      "https://www.openstreetmap.org/node/") and place.get("website") == "" and
      "+15125550142" in place.get("adk1_enrichment", {}).get("contact_phones", []) and
      place.get("address_parts", {}).get("city") == "Austin",
      "osm: a place with no website is a lead from its tags: %s" % json.dumps(place)[:600])
check(all(l.get("attribution") == CREDIT and l.get("found_by") == ["osm"] for l in found.values()),
      "osm: every lead credits OpenStreetMap: %s" % [(l.get("attribution"), l.get("found_by"))
                                                   for l in found.values()])
check(any(e.get("attribution") == CREDIT for e in evs if e.get("event_type") == "status_update"),
      "osm: the search's status_update credits OpenStreetMap")
st = stats()
nom, ovp = st["nominatim"], st["overpass"]
check(len(nom) >= 1 and nom[0]["params"].get("q") == "Austin, Texas" and
      nom[0]["params"].get("format") == "jsonv2", "osm: the Nominatim request: %s" % nom[:1])
query = ovp[0]["data"] if ovp else ""
check(query.startswith("[out:json]") and 'nwr["craft"="plumber"](area:3600113314);' in query and
      'nwr["craft"="electrician"](area:3600113314);' in query and "out center tags" in query,
      "osm: the Overpass query: %s" % query)
check(all(x["ua"].endswith("contact: " + CONTACT) for x in nom + ovp),
      "osm: the User-Agent names the contact: %s" % {x["ua"] for x in nom + ovp})

# the CSV and the table credit it too
r = run(TRADES, "--search", "osm", fmt="csv")
rows = list(csv.DictReader(io.StringIO(r.stdout)))
check(rows and all(x["Attribution"] == CREDIT and x["Found By"] == "osm" for x in rows),
      "osm: the CSV's Attribution column: %s" % rows[:1])
check(any(x["Company Name"] == "Eastside Plumbing Co." and x["Domain"] == "" for x in rows),
      "osm: a place with no website has no domain in the CSV")
r = run(TRADES, "--search", "osm", fmt="table")
check(("Data: " + CREDIT) in r.stdout, "osm: the table credits OpenStreetMap: %s" % r.stdout[-300:])

# MCP's lead summaries credit it as well (prospect mcp on stdio)
mcp = subprocess.Popen([BIN, "mcp", "--db", os.path.join(TMP, "mcp.db")], stdin=subprocess.PIPE,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                       env=env(PROSPECT_SEARCH="osm"))
bc = json.load(open(TRADES))["business_context"]
for msg in ({"jsonrpc": "2.0", "id": 1, "method": "initialize",
             "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                        "clientInfo": {"name": "openmaps-test", "version": "1"}}},
            {"jsonrpc": "2.0", "method": "notifications/initialized"},
            {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
             "params": {"name": "prospect_find_leads",
                        "arguments": {"business_context": bc, "max_leads": 2, "wait_seconds": 60}}}):
    mcp.stdin.write(json.dumps(msg) + "\n")
    mcp.stdin.flush()
answer = None
while answer is None:
    line = mcp.stdout.readline()
    if not line:
        break
    m = json.loads(line)
    if m.get("id") == 2:
        answer = m
mcp.stdin.close()
mcp.wait(timeout=30)
found = ((answer or {}).get("result") or {}).get("structuredContent") or {}
check(found.get("leads") and all(l.get("attribution") == CREDIT and l.get("found_by") == "osm"
                                 for l in found["leads"]),
      "osm: MCP's leads credit OpenStreetMap: %s" % json.dumps(found)[:500])

# ---- wikidata ----
post("/__stats/reset", {})
r = run(SOFTWARE, "--search", "wikidata")
found = {l["company_name"]: l for l in leads(events(r))}
check(r.returncode == 0 and {"Salesforce", "HubSpot"} <= set(found) and
      all(l.get("found_by") == ["wikidata"] for l in found.values()),
      "wikidata: software companies in the US: %s %s" % (list(found), r.stderr[-600:]))
check("IBM" not in found, "wikidata: P1128 outside the ideal customer's 1000-100000 employees "
      "leaves IBM (288,300) out: %s" % list(found))
st = stats()
searched = [x["params"].get("search") for x in st["wbsearch"]]
check("Software" in searched and "United States" in searched,
      "wikidata: the kinds' and the place's items searched: %s" % searched)
q = st["sparql"][0]["query"] if st["sparql"] else ""
check(all(p in q for p in ("VALUES ?kind", "wdt:P452", "wdt:P31", "wdt:P856", "wdt:P1128",
                           "wdt:P571", "wdt:P17 ?country")) and
      st["sparql"][0]["accept"] == "application/sparql-results+json",
      "wikidata: the SPARQL query: %s" % q)
kinds = set(searched) - {"United States"}
values = {re.search(r"VALUES \?kind \{([^}]*)\}", x["query"]).group(1) for x in st["sparql"]}
check(len(st["sparql"]) == len(kinds) and len(values) == len(kinds),
      "wikidata: one query a kind (%s): %s" % (kinds, values))

# without a size, the same kind and place have IBM: the range above is what left it out
ANY_SIZE = context(os.path.join(TMP, "any-size.json"),
                   business_description="Revenue analytics for sales teams",
                   ideal_customer="software companies", industry_focus=["Software"],
                   pain_points=["poor lead tracking"], location="United States")
r = run(ANY_SIZE, "--search", "wikidata")
check("IBM" in [l["company_name"] for l in leads(events(r))],
      "wikidata: with no size range, IBM is found: %s" % [l["company_name"] for l in leads(events(r))])

# ---- several providers at once ----
r = run(TRADES, env_=env(PROSPECT_SEARCH="tavily,osm"))
evs = events(r)
by = [tuple(l.get("found_by", [])) for l in leads(evs)]
end = [e for e in evs if e.get("event_type") == "pipeline_end"]
check(("osm",) in by and ("tavily",) in by, "tavily,osm: leads from both: %s" % by)
check(end and end[0]["summary"]["search"]["provider"] == "tavily+osm",
      "tavily,osm: the summary names both: %s" % (end[0]["summary"]["search"] if end else r.stderr))

# ---- faults: 429 and 504 retried; a malformed answer is a failure with its reason ----
post("/__stats/reset", {})
post("/_faults", {"nominatim": [429], "overpass": [504]})
r = run(TRADES, "--search", "osm")
st = stats()
check(r.returncode == 0 and "Eastside Plumbing Co." in [l["company_name"] for l in leads(events(r))],
      "osm after a 429 and a 504: %s" % r.stderr[-400:])
check([x["status"] for x in st["nominatim"][:2]] == [429, 200] and
      [x["status"] for x in st["overpass"][:2]] == [504, 200], "the retries: %s %s" % (
      [x["status"] for x in st["nominatim"]], [x["status"] for x in st["overpass"]]))
check(len(st["nominatim"]) >= 2 and st["nominatim"][1]["t"] - st["nominatim"][0]["t"] >= 0.95,
      "Retry-After: 1 honoured: %s" % [x["t"] for x in st["nominatim"]])
post("/_faults", {"sparql": [429]})
r = run(SOFTWARE, "--search", "wikidata")
check("Salesforce" in [l["company_name"] for l in leads(events(r))],
      "wikidata after a 429: %s" % r.stderr[-400:])
post("/_faults", {"overpass": ["malformed"]})
r = run(TRADES, "--search", "osm")
evs = events(r)
said = " ".join(e.get("status_message", "") + e.get("error_message", "") for e in evs)
check("overpass" in said and "malformed" in said, "a malformed Overpass answer is said: %s" % said[-600:])

# ---- one server, three jobs at once: the services' rate and concurrency rules ----
post("/__stats/reset", {})
srv = lib.Server(BIN, "maps", os.path.join(TMP, "api.db"), env(PROSPECT_SEARCH="osm"))
bc = json.load(open(TRADES))["business_context"]
for i, (place, kinds) in enumerate((("Austin, Texas", ["Plumbing"]), ("Denver", ["Auto repair"]),
                                    ("Leeds", ["Florists", "Hair salons"]))):
    code, _ = srv.call("POST", "/api/v2/jobs", {
        "business_context": dict(bc, location=place, industry_focus=kinds,
                                 ideal_customer=" and ".join(kinds).lower()),
        "job_id": "maps-%d" % i})
    check(code == 202, "job %d: %s" % (i, code))
for i in range(3):
    job = wait_for("job %d" % i, lambda: srv.finished("maps-%d" % i), timeout=120) or {}
    check(job.get("status") == "succeeded", "job %d: %s" % (i, job))
st = stats()
times = sorted(x["t"] for x in st["nominatim"])
check(len(times) >= 3 and all(b - a >= 0.95 for a, b in zip(times, times[1:])),
      "at most one Nominatim request a second: %s" % [round(b - a, 2) for a, b in
                                                        zip(times, times[1:])])
check(st["peak"]["overpass"] == 1, "one Overpass query at a time: peak %s" % st["peak"])
code, body = srv.call("GET", "/api/v2/jobs/maps-2/leads")
names = [l["lead_data"]["company_name"] for l in body.get("leads", [])]
check(names and all(l["lead_data"].get("attribution") == CREDIT for l in body["leads"]),
      "Leeds's leads in the API, credited: %s" % names)

lib.finish("openmaps")
