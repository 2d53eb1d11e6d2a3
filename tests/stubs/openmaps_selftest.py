#!/usr/bin/env python3
"""openmaps_selftest.py: starts tests/stubs/openmaps.py on loopback and checks what it serves.

Each endpoint's answer shape (Nominatim jsonv2 and json, Overpass JSON, SPARQL
JSON results, wbsearchentities), the area, box, tag and type filtering and the
limits, the User-Agent refusal, the faults and their order, /__stats and the
log, the requests the osm and wikidata search providers send (replayed as
src/search/search_osm.c and search_wikidata.c build them), and the fixture
itself: every website names a real page of tests/realpages (the host and
path tests/stubs/realweb.py serves it at). The
websites' port is a fake one (--web-port 45678): nothing is fetched from
them. Stdlib only; prints one line per group of checks and exits 1 on the
first failure.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WEB_PORT = 45678
UA = "prospect-selftest/1.0 (+mailto:selftest@example.invalid)"
CHECKS = [0]


def check(cond, what):
    CHECKS[0] += 1
    if not cond:
        raise AssertionError(what)


def request(url, data=None, headers=None, ua=UA, timeout=15):
    """Returns (status, headers, body bytes); HTTP errors are answers too."""
    h = dict(headers or {})
    if ua is not None:
        h["User-Agent"] = ua
    req = urllib.request.Request(url, data=data, headers=h)
    if ua is None:
        req.remove_header("User-agent")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


class Stub:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="openmaps-selftest-")
        self.portfile = os.path.join(self.dir, "port")
        self.logfile = os.path.join(self.dir, "log")
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, "openmaps.py"), self.portfile,
                                      self.logfile, "--web-port", str(WEB_PORT)])
        for _ in range(100):
            if os.path.exists(self.portfile):
                break
            time.sleep(0.05)
        self.base = "http://127.0.0.1:%s" % open(self.portfile).read().strip()

    def get(self, path, params=None, **kw):
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        return request(url, **kw)

    def post_form(self, path, fields, **kw):
        body = urllib.parse.urlencode(fields).encode()
        hdr = dict(kw.pop("headers", {}), **{"Content-Type": "application/x-www-form-urlencoded"})
        return request(self.base + path, data=body, headers=hdr, **kw)

    def json(self, path, params=None, **kw):
        status, hdr, body = self.get(path, params, **kw)
        check(status == 200, "%s %s: status %d %s" % (path, params, status, body[:200]))
        return json.loads(body)

    def faults(self, spec):
        status, _, body = request(self.base + "/_faults", data=json.dumps(spec).encode(),
                                  headers={"Content-Type": "application/json"})
        check(status == 200, "POST /_faults: %d %s" % (status, body))

    def stop(self):
        self.proc.terminate()
        self.proc.wait(5)
        shutil.rmtree(self.dir, ignore_errors=True)


def web(site, path):
    return "http://%s.localhost:%d%s" % (site, WEB_PORT, path)


def slug_of(url):
    host = urllib.parse.urlsplit(url).hostname or ""
    if host.startswith("www."):
        host = host[4:]
    return re.sub(r"[^a-z0-9]+", "-", host.lower()).strip("-")


# ------------------------------------------------------------------ fixture

def check_fixture():
    data = json.load(open(os.path.join(HERE, "openmaps-data.json"), encoding="utf-8"))
    labels = {p["id"]: p for p in json.load(open(os.path.join(ROOT, "tests", "realpages", "labels.json")))}
    places = {p["key"] for p in data["places"]}
    ids = set()
    with_site = without = 0
    for el in data["elements"]:
        key = (el["type"], el["id"])
        check(key not in ids, "element %s twice" % (key,))
        ids.add(key)
        check(all(p in places for p in el["in"]), "element %s in an unknown place" % (key,))
        check(("lat" in el) == (el["type"] == "node") and ("center" in el) == (el["type"] != "node"),
              "element %s: nodes have lat/lon, ways and relations a center" % (key,))
        site = [v for k, v in el["tags"].items() if k in ("website", "contact:website")]
        if site:
            with_site += 1
            page = labels[el["page"]]
            u = urllib.parse.urlsplit(page["url"])
            check(slug_of(page["url"]) == el["site"] and site[0] == "{web}" + u.path,
                  "element %s: website %s is not page %s (%s)" % (key, site[0], el["page"], page["url"]))
            check(page["company_name"] == el["tags"]["name"] or el["tags"]["name"] in page.get("name_variants", []),
                  "element %s: name %s is not the page's company %s" % (key, el["tags"]["name"], page["company_name"]))
        else:
            without += 1
            check("site" not in el, "element %s: a site without a website" % (key,))
    check(with_site >= 10 and without >= 5, "websites: %d with, %d without" % (with_site, without))
    orgs = 0
    ents = data["wikidata"]["entities"]
    for qid, e in ents.items():
        check(re.fullmatch(r"Q[0-9]+", qid) is not None, "entity id %s" % qid)
        for prop, vals in e["claims"].items():
            if prop in ("P31", "P279", "P452", "P17"):
                check(all(v in ents for v in vals), "%s %s: unknown entity in %s" % (qid, prop, vals))
        if e["kind"] == "organization":
            orgs += 1
            page = labels[e["page"]]
            u = urllib.parse.urlsplit(page["url"])
            check(e["claims"]["P856"] == ["{web}" + u.path] and slug_of(page["url"]) == e["site"],
                  "%s: P856 is not page %s" % (qid, e["page"]))
    check(orgs >= 15, "%d organisations" % orgs)
    print("fixture: %d places, %d elements (%d with a website, %d without), %d entities (%d organisations)"
          % (len(places), len(ids), with_site, without, len(ents), orgs))
    return data


# ------------------------------------------------------------------ Nominatim

def check_nominatim(s):
    for q in ("Austin, Texas", "Austin", "austin tx", "Austin, TX, USA"):
        r = s.json("/search", {"q": q, "format": "jsonv2", "limit": 5})
        check(len(r) == 1 and r[0]["osm_id"] == 113314, "q=%s: %s" % (q, r))
    p = s.json("/search", {"q": "Denver, CO", "format": "jsonv2", "limit": 1, "addressdetails": 1})[0]
    for k in ("place_id", "licence", "osm_type", "osm_id", "lat", "lon", "category", "type", "place_rank",
              "importance", "addresstype", "name", "display_name", "address", "boundingbox"):
        check(k in p, "jsonv2 place lacks %s" % k)
    check(isinstance(p["lat"], str) and isinstance(p["lon"], str) and float(p["lat"]) > 39,
          "lat/lon are strings: %r" % p)
    bb = p["boundingbox"]
    check(len(bb) == 4 and all(isinstance(x, str) for x in bb) and float(bb[0]) < float(bb[1])
          and float(bb[2]) < float(bb[3]), "boundingbox south, north, west, east: %s" % bb)
    check(p["osm_type"] == "relation" and p["address"]["country_code"] == "us", "Denver: %s" % p)
    check(s.json("/search", {"q": "Atlantis", "format": "jsonv2"}) == [], "unknown place gives []")
    check(s.json("/search", {"q": "Leeds", "countrycodes": "us"}) == [], "countrycodes filters")
    leeds = s.json("/search", {"q": "Leeds, UK", "countrycodes": "gb,de", "format": "json"})
    check(len(leeds) == 1 and leeds[0]["class"] == "boundary" and "category" not in leeds[0]
          and "address" not in leeds[0], "format=json has class: %s" % leeds)
    berlin = s.json("/search", {"city": "Berlin", "country": "Germany", "format": "jsonv2"})
    check(len(berlin) == 1 and berlin[0]["osm_id"] == 62422, "structured query: %s" % berlin)
    status, _, body = s.get("/search", {"q": "Leeds", "format": "html"})
    check(status == 400 and b"format" in body, "bad format: %d" % status)
    status, _, _ = s.get("/search", {"q": "Leeds"}, ua=None)
    check(status == 403, "no User-Agent: %d" % status)
    status, _, _ = s.get("/search", {"q": "Leeds"}, ua="curl/8.5.0")
    check(status == 403, "curl's User-Agent: %d" % status)
    print("nominatim: place shapes, names and qualifiers, countrycodes, format, structured query, User-Agent")


# ------------------------------------------------------------------ Overpass

def overpass(s, ql, how="post"):
    if how == "post":
        status, hdr, body = s.post_form("/api/interpreter", {"data": ql})
    elif how == "get":
        status, hdr, body = s.get("/api/interpreter", {"data": ql})
    else:
        status, hdr, body = request(s.base + "/api/interpreter", data=ql.encode(),
                                    headers={"Content-Type": "text/plain"})
    return status, hdr, body


def elements(s, ql, how="post"):
    status, hdr, body = overpass(s, ql, how)
    check(status == 200, "overpass %s: %d %s" % (ql, status, body[:300]))
    check(hdr.get("Content-Type", "").startswith("application/json"), "overpass content type")
    doc = json.loads(body)
    check(doc["version"] == 0.6 and doc["generator"].startswith("Overpass API")
          and doc["osm3s"]["copyright"].endswith("made available under ODbL.")
          and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", doc["osm3s"]["timestamp_osm_base"]),
          "overpass header: %s" % {k: v for k, v in doc.items() if k != "elements"})
    return doc["elements"]


def names(els):
    return sorted(e["tags"]["name"] for e in els)


def check_overpass(s):
    q = ('[out:json][timeout:25];\narea(id:3600162050)->.searchArea;\n(\n'
         '  nwr["craft"="plumber"](area.searchArea);\n  nwr["amenity"="dentist"](area.searchArea);\n);\n'
         'out center tags 20;')
    els = elements(s, q)
    check(names(els) == ["Allen Dental", "Aztec Plumbing & Drains"], "Florida plumbers and dentists: %s" % names(els))
    node = next(e for e in els if e["type"] == "node")
    way = next(e for e in els if e["type"] == "way")
    check(set(node) == {"type", "id", "lat", "lon", "tags"} and isinstance(node["lat"], float),
          "a node: type, id, lat, lon, tags: %s" % node)
    check(set(way) == {"type", "id", "center", "tags"} and set(way["center"]) == {"lat", "lon"},
          "a way: type, id, center, tags: %s" % way)
    check(node["tags"]["website"] == web("aztecplumbing-net", "/blog/plumbing-maintenance-tips/"),
          "website filled from --web-port: %s" % node["tags"]["website"])
    check(way["tags"]["contact:website"].startswith("http://allendentalinc-com.localhost:%d/" % WEB_PORT),
          "contact:website filled: %s" % way["tags"])
    check([e["type"] for e in els] == ["node", "way"], "nodes before ways")

    # the same through GET ?data= and a raw body; area(ID) and (area:ID) spellings
    for how, ql in (("get", '[out:json];area(3600162050)->.a;nwr[craft=plumber](area.a);out tags center;'),
                    ("raw", '[out:json];nwr["craft"="plumber"](area:3600162050);out center;')):
        got = elements(s, ql, how)
        check(names(got) == ["Aztec Plumbing & Drains"], "%s: %s" % (how, names(got)))

    # an area's elements only: Austin's plumber, not Florida's; a box finds the same
    austin = elements(s, '[out:json];area(id:3600113314)->.a;(node["craft"="plumber"](area.a);way["craft"="plumber"](area.a);relation["craft"="plumber"](area.a););out center tags;')
    check(names(austin) == ["Eastside Plumbing Co."], "Austin plumbers: %s" % names(austin))
    box = elements(s, '[out:json];nwr["craft"="plumber"](30.0985133,-97.9367663,30.5166255,-97.5605288);out center tags;')
    check(names(box) == ["Eastside Plumbing Co."], "box: %s" % names(box))
    gbox = elements(s, '[out:json][bbox:30.0985133,-97.9367663,30.5166255,-97.5605288];nwr["shop"];out tags;')
    check(names(gbox) == ["Hyde Park Hair Studio", "South Congress Flowers"], "global bbox: %s" % names(gbox))
    check(all("lat" not in e and "center" not in e for e in gbox), "out tags alone has no coordinates")
    texas = elements(s, '[out:json];area(3600114690)->.a;nwr(area.a)["craft"="plumber"];out center tags;')
    check(names(texas) == ["Eastside Plumbing Co."], "Texas holds Austin: %s" % names(texas))

    # area versus box: Elizabeth, NJ is in New York City's box, not in its area
    nyc_area = elements(s, '[out:json];area(3600175905)->.nyc;nwr["office"](area.nyc);out tags;')
    nyc_box = elements(s, '[out:json];nwr["office"](40.476578,-74.258843,40.91763,-73.700233);out tags;')
    check("Reliable Van And Storage" not in names(nyc_area) and "Reliable Van And Storage" in names(nyc_box),
          "area %s / box %s" % (names(nyc_area), names(nyc_box)))
    by_name = elements(s, '[out:json];area["name"="City of New York"]["boundary"="administrative"]->.a;nwr["office"="lawyer"](area.a);out tags;')
    check(names(by_name) == ["Shtark Law", "Small Business Attorney NYC"], "area by name: %s" % names(by_name))
    mapped = elements(s, '[out:json];rel(175905);map_to_area->.a;nwr["office"="lawyer"](area.a);out tags;')
    check(names(mapped) == names(by_name), "map_to_area: %s" % names(mapped))

    # tag filters: several values, regex, exists, not, case
    union = elements(s, '[out:json];area(3600062422)->.a;(nwr["shop"="bakery"](area.a);nwr["shop"="hairdresser"](area.a);nwr["tourism"="hotel"](area.a););out center tags;')
    check(names(union) == ["Bäckerei am Mauerpark", "Friseur Kiezschnitt", "Hotel Gendarmenhof"], "Berlin union: %s" % names(union))
    rel = next(e for e in union if e["type"] == "relation")
    check(set(rel) == {"type", "id", "center", "tags"}, "a relation has a center: %s" % rel)
    rx = elements(s, '[out:json];area(3600062422)->.a;nwr["shop"~"^(bakery|hairdresser)$"](area.a);out tags;')
    check(names(rx) == ["Bäckerei am Mauerpark", "Friseur Kiezschnitt"], "regex: %s" % names(rx))
    ci = elements(s, '[out:json];nwr["name"~"kanzlei",i];out tags;')
    check(names(ci) == ["Kanzlei Schulz & Partner"], "case-insensitive regex: %s" % names(ci))
    no_site = elements(s, '[out:json];area(3600118362)->.a;nwr["shop"](area.a)[!"website"][!"contact:website"];out tags;')
    check(names(no_site) == ["Headrow Barbers", "Kirkgate Flowers"], "without a website: %s" % names(no_site))
    around = elements(s, '[out:json];nwr["amenity"="car_wash"](around:3000,40.6887,-73.9165);out center tags;')
    check(names(around) == ["Bushwick Hand Car Wash"], "around: %s" % names(around))
    types = elements(s, '[out:json];area(3600062422)->.a;way["shop"](area.a);out center;')
    check([e["type"] for e in types] == ["way"] and names(types) == ["Autowerkstatt Möller"], "way only: %s" % types)

    # the limit, counts, sets
    lim = elements(s, '[out:json];nwr["name"];out center tags 3;')
    check(len(lim) == 3 and [e["type"] for e in lim] == ["node"] * 3, "out ... 3: %d" % len(lim))
    count = elements(s, '[out:json];area(3600175905)->.a;nwr(area.a)["office"="lawyer"];out count;')
    check(count == [{"type": "count", "id": 0, "tags": {"nodes": "2", "ways": "0", "relations": "0",
                                                        "areas": "0", "total": "2"}}], "out count: %s" % count)
    named = elements(s, '[out:json];area(3600175905)->.a;nwr["office"="lawyer"](area.a)->.law;nwr["shop"](area.a)->.shops;.law out tags 1;.shops out tags;')
    check(names(named) == ["Shtark Law", "Watchfinder & Co."], "named sets: %s" % names(named))
    check(elements(s, '[out:json];area(3600999999)->.a;nwr["shop"](area.a);out tags;') == [], "unknown area: nothing")

    # errors are Overpass's HTML pages
    for ql, status, text in (('[out:json];node[;', 400, b"parse error"),
                             ('[out:json];foreach{};', 400, b"stub: unsupported"),
                             ('node["shop"];out;', 400, b"[out:json]"),
                             ('', 400, b"no query")):
        st, hdr, body = overpass(s, ql)
        check(st == status and text in body and hdr.get("Content-Type", "").startswith("text/html")
              and b"OSM3S Response" in body, "error for %r: %d %s" % (ql, st, body[:200]))
    st, _, _ = request(s.base + "/api/interpreter", data=b"data=%5Bout%3Ajson%5D%3Bnode%3Bout%3B",
                       headers={"Content-Type": "application/x-www-form-urlencoded"}, ua=None)
    check(st == 406, "no User-Agent: %d" % st)
    st, _, body = s.get("/api/status")
    check(st == 200 and b"slots available" in body, "/api/status")
    print("overpass: header, node/way/relation shapes, areas by id, name and map_to_area, boxes, around, "
          "tag filters, unions, sets, limit, count, errors, User-Agent")


# ------------------------------------------------------------------ SPARQL

SPARQL_ACCEPT = {"Accept": "application/sparql-results+json"}


def sparql(s, query, how="post"):
    if how == "post":
        st, hdr, body = s.post_form("/sparql", {"query": query}, headers=SPARQL_ACCEPT)
    elif how == "get":
        st, hdr, body = s.get("/sparql", {"query": query}, headers=SPARQL_ACCEPT)
    else:
        st, hdr, body = request(s.base + "/sparql", data=query.encode(),
                                headers=dict(SPARQL_ACCEPT, **{"Content-Type": "application/sparql-query"}))
    check(st == 200, "sparql: %d %s" % (st, body[:300]))
    check(hdr.get("Content-Type", "").startswith("application/sparql-results+json"), "sparql content type")
    doc = json.loads(body)
    check(set(doc) == {"head", "results"} and "vars" in doc["head"] and "bindings" in doc["results"],
          "SPARQL JSON results: %s" % list(doc))
    return doc


def qids(doc, var="item"):
    return [b[var]["value"].rsplit("/", 1)[1] for b in doc["results"]["bindings"] if var in b]


ORGS = """SELECT DISTINCT ?item ?itemLabel ?website ?employees ?inception WHERE {
  VALUES ?industry { %s }
  ?item wdt:P452 ?industry ;
        wdt:P17 wd:%s .
  OPTIONAL { ?item wdt:P856 ?website . }
  OPTIONAL { ?item wdt:P1128 ?employees . }
  OPTIONAL { ?item wdt:P571 ?inception . }
  %s
  SERVICE wikibase:label { bd:serviceParam wikibase:language "[AUTO_LANGUAGE],en". }
}
ORDER BY ?itemLabel
LIMIT %d"""


def check_sparql(s):
    doc = sparql(s, ORGS % ("wd:Q483639 wd:Q1254596", "Q30", "", 50))
    check(doc["head"]["vars"] == ["item", "itemLabel", "website", "employees", "inception"], "vars: %s" % doc["head"])
    check(qids(doc) == ["Q5926631", "Q37156", "Q941127", "Q7858039"], "cloud and SaaS in the US: %s" % qids(doc))
    b = doc["results"]["bindings"][0]
    check(b["item"] == {"type": "uri", "value": "http://www.wikidata.org/entity/Q5926631"}
          and b["itemLabel"] == {"type": "literal", "value": "HubSpot", "xml:lang": "en"}
          and b["website"] == {"type": "uri", "value": web("hubspot-com", "/products/marketing")}
          and b["employees"] == {"type": "literal", "value": "7663",
                                 "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}
          and b["inception"] == {"type": "literal", "value": "2006-06-09T00:00:00Z",
                                 "datatype": "http://www.w3.org/2001/XMLSchema#dateTime"},
          "a binding: %s" % b)
    check(qids(sparql(s, ORGS % ("wd:Q999000103", "Q145", "", 50), "get")) == ["Q491748", "Q488048"],
          "accounting in the UK, by GET")
    check(qids(sparql(s, ORGS % ("wd:Q999000107", "Q30", "", 50), "raw")) == ["Q999000005"],
          "plumbing, as an application/sparql-query body")
    sized = sparql(s, ORGS % ("wd:Q483639 wd:Q1254596 wd:Q999000107 wd:Q999000111", "Q30",
                              "FILTER(!BOUND(?employees) || (?employees >= 10 && ?employees <= 10000))", 50))
    check(qids(sized) == ["Q999000005", "Q999000006", "Q5926631", "Q7858039"], "a size range on P1128: %s" % qids(sized))
    unknown = [b for b in sparql(s, ORGS % ("wd:Q999000103", "Q30", "", 50))["results"]["bindings"]
               if "employees" not in b]
    check([b["itemLabel"]["value"] for b in unknown] == ["Warren Averett"], "P1128 unknown stays unbound")
    check(qids(sparql(s, ORGS % ("wd:Q483639", "Q30", "", 1))) == ["Q37156"], "LIMIT")
    check(qids(sparql(s, ORGS % ("wd:Q999000104", "Q183", "", 50))) == [], "no match: no bindings")
    kinds = sparql(s, 'SELECT ?item WHERE { ?item wdt:P31/wdt:P279* wd:Q783794 ; wdt:P452 wd:Q999000105 . }')
    check(qids(kinds) == ["Q999000001"], "P31/P279* path: %s" % qids(kinds))
    union = sparql(s, 'SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { { ?i wdt:P452 wd:Q11661 } UNION { ?i wdt:P31 wd:Q613142 } }')
    check(union["results"]["bindings"] == [{"n": {"type": "literal", "value": "3",
                                                  "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}],
          "UNION and COUNT: %s" % union)
    grouped = sparql(s, 'SELECT ?item (SAMPLE(?w) AS ?website) WHERE { ?item wdt:P452 ?ind ; wdt:P856 ?w . '
                        'FILTER(?ind IN (wd:Q483639, wd:Q11661)) } GROUP BY ?item ORDER BY ?item')
    check(len(grouped["results"]["bindings"]) == 4, "GROUP BY collapses industries: %s" % qids(grouped))
    for query, status, text in (("SELECT ?x WHERE { ?x wdt:P31 }", 400, b"MalformedQueryException"),
                                ("SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?o } } }", 400, b"stub: unsupported"),
                                ("SELECT ?x WHERE { ?x foo:bar ?y }", 400, b"MalformedQueryException")):
        st, _, body = s.post_form("/sparql", {"query": query}, headers=SPARQL_ACCEPT)
        check(st == status and text in body, "%r: %d %s" % (query, st, body[:200]))
    st, _, body = s.get("/sparql", {"query": "SELECT ?x WHERE { ?x wdt:P31 wd:Q613142 }"})
    check(st == 400 and b"Accept" in body, "no Accept: %d" % st)
    st, _, _ = s.get("/sparql", {"query": "SELECT ?x WHERE { ?x wdt:P31 wd:Q613142 }", "format": "json"})
    check(st == 200, "format=json instead of Accept: %d" % st)
    st, _, _ = s.get("/sparql", {"query": "SELECT ?x WHERE { ?x wdt:P31 wd:Q613142 }"}, ua=None,
                     headers=SPARQL_ACCEPT)
    check(st == 403, "no User-Agent: %d" % st)
    print("sparql: results shape, uri/literal/lang/datatype bindings, VALUES, P17, P1128 ranges, OPTIONAL, "
          "paths, UNION, aggregates, GET/POST/raw, errors, Accept, User-Agent")


# ------------------------------------------------------------------ wbsearchentities

def check_wbsearch(s):
    def search(term, **extra):
        p = {"action": "wbsearchentities", "search": term, "language": "en", "type": "item", "format": "json"}
        p.update(extra)
        return s.json("/w/api.php", p)

    r = search("plumbing", limit=5)
    check(r["searchinfo"] == {"search": "plumbing"} and r["success"] == 1, "envelope: %s" % r)
    top = r["search"][0]
    check(top["id"] == "Q999000107" and top["title"] == "Q999000107" and top["label"] == "plumbing"
          and top["concepturi"] == "http://www.wikidata.org/entity/Q999000107"
          and top["url"] == "//www.wikidata.org/wiki/Q999000107"
          and top["match"] == {"type": "label", "language": "en", "text": "plumbing"}
          and "description" in top, "plumbing: %s" % top)
    check(search("plumbers")["search"][0]["match"]["type"] == "alias", "an alias matches")
    check(search("information technology")["search"][0]["id"] == "Q11661", "information technology")
    check(search("Salesforce")["search"][0]["id"] == "Q941127", "an organisation by name")
    page1 = search("software", limit=2)
    check(len(page1["search"]) == 2 and page1["search-continue"] == 2, "limit and search-continue: %s" % page1)
    page2 = search("software", limit=2, **{"continue": 2})
    check({x["id"] for x in page2["search"]}.isdisjoint({x["id"] for x in page1["search"]}), "continue pages on")
    check(search("zzzz")["search"] == [], "no match")
    check(search("plumbing", language="de")["search"] == [], "English only")
    err = s.json("/w/api.php", {"action": "wbsearchentities", "language": "en", "format": "json"})
    check(err["error"]["code"] == "missingparam", "missing search: %s" % err)
    print("wbsearchentities: envelope, item fields, label and alias matches, limit/continue, errors")


# ------------------------------------------------------------------ the providers' own requests

def check_provider_requests(s):
    """The requests the osm and wikidata search providers send (src/search/), replayed:
    URLs escaped as curl_easy_escape does, GET ?data= and GET ?query=&format=json."""
    esc = lambda t: urllib.parse.quote(t, safe="")
    st, _, body = request(s.base + "/search?q=%s&format=jsonv2&limit=1" % esc("Florida"))
    place = json.loads(body)[0]
    check(st == 200 and place["osm_type"] == "relation", "Nominatim for Florida: %s" % place)
    bb = place["boundingbox"]
    for area in ("area:%d" % (3600000000 + place["osm_id"]), "%s,%s,%s,%s" % (bb[0], bb[2], bb[1], bb[3])):
        ql = ('[out:json][timeout:25];\n(\n  nwr["craft"="plumber"](%s);\n  nwr["craft"="hvac"](%s);\n);\n'
              'out center tags 20;\n' % (area, area))
        st, _, body = request(s.base + "/api/interpreter?data=" + esc(ql))
        check(st == 200 and names(json.loads(body)["elements"]) == ["Aztec Plumbing & Drains"],
              "Overpass over %s: %d %s" % (area, st, body[:200]))

    def entities(text):
        st, _, body = request(s.base + "/w/api.php?action=wbsearchentities&search=%s&language=en&type=item"
                              "&format=json&limit=3" % esc(text))
        check(st == 200, "wbsearchentities %s: %d" % (text, st))
        return [h["id"] for h in json.loads(body)["search"]]

    for kind, where, want in (("plumbers", "Florida", [("Aztec Plumbing & Drains", "United States", "40")]),
                              ("law firms", "New York City", [("Morgan & Morgan", "United States", "5000")]),
                              ("accountants", "Leeds, UK", [("Deloitte", "United Kingdom", "457000"),
                                                            ("PwC", "United Kingdom", "364000")]),
                              ("software companies", "Austin, Texas", [("HubSpot", "United States", "7663")])):
        items, place = entities(kind), entities(where)
        check(items and place, "entities of %s / %s: %s %s" % (kind, where, items, place))
        q = ("SELECT ?org ?orgLabel ?website ?employees ?inception ?countryLabel WHERE {\n  VALUES ?kind {%s }\n"
             "  { ?org wdt:P452 ?kind } UNION { ?org wdt:P31 ?kind }\n  ?org wdt:P856 ?website .\n"
             "  OPTIONAL { ?org wdt:P1128 ?employees }\n  OPTIONAL { ?org wdt:P571 ?inception }\n"
             "  OPTIONAL { ?org wdt:P17 ?country }\n  wd:%s wdt:P17 ?country .\n"
             "  SERVICE wikibase:label { bd:serviceParam wikibase:language \"en\". }\n}\nLIMIT 20\n"
             % ("".join(" wd:" + i for i in items), place[0]))
        st, hdr, body = request(s.base + "/sparql?query=%s&format=json" % esc(q))
        check(st == 200 and hdr.get("Content-Type", "").startswith("application/sparql-results+json"),
              "SPARQL for %s: %d %s" % (kind, st, body[:300]))
        rows = json.loads(body)["results"]["bindings"]
        got = sorted((r["orgLabel"]["value"], r["countryLabel"]["value"], r["employees"]["value"]) for r in rows)
        check(got == want, "%s in %s: %s" % (kind, where, got))
        check(all(r["website"]["value"].startswith("http://") and ".localhost:%d/" % WEB_PORT in r["website"]["value"]
                  for r in rows), "websites on the realweb port")
    print("provider requests: Nominatim then Overpass by area and by box; wbsearchentities for kinds and "
          "places, then the SPARQL query by kind and the place's P17")


# ------------------------------------------------------------------ faults, stats, log

def check_faults(s):
    s.faults({"nominatim": [429, "malformed", 200], "overpass": [504, 429, "remark"],
              "sparql": [429, "timeout"], "wbsearch": ["malformed", "maxlag"]})
    st, hdr, body = s.get("/search", {"q": "Leeds"})
    check(st == 429 and hdr.get("Retry-After") == "1", "nominatim 429: %d %s" % (st, hdr))
    st, _, body = s.get("/search", {"q": "Leeds"})
    try:
        json.loads(body)
        bad = False
    except ValueError:
        bad = True
    check(st == 200 and bad, "nominatim malformed: %d %s" % (st, body))
    check(len(s.json("/search", {"q": "Leeds"})) == 1, "200 in the list: a normal answer")
    check(len(s.json("/search", {"q": "Leeds"})) == 1, "then normal answers")

    ql = '[out:json];nwr["craft"="plumber"];out tags;'
    st, hdr, body = overpass(s, ql)
    check(st == 504 and b"Dispatcher_Client::request_read_and_idx::timeout" in body and b"OSM3S Response" in body,
          "overpass 504: %d %s" % (st, body[:200]))
    st, hdr, body = overpass(s, ql)
    check(st == 429 and hdr.get("Retry-After") == "1" and b"rate_limited" in body, "overpass 429: %d" % st)
    st, _, body = overpass(s, ql)
    doc = json.loads(body)
    check(st == 200 and doc["elements"] == [] and doc["remark"].startswith("runtime error: Query timed out"),
          "overpass remark: %s" % doc)
    check(len(elements(s, ql)) == 2, "overpass back to normal")

    q = "SELECT ?x WHERE { ?x wdt:P31 wd:Q613142 }"
    st, hdr, body = s.post_form("/sparql", {"query": q}, headers=SPARQL_ACCEPT)
    check(st == 429 and hdr.get("Retry-After") == "1" and b"Too Many Requests" in body, "sparql 429: %d" % st)
    st, _, body = s.post_form("/sparql", {"query": q}, headers=SPARQL_ACCEPT)
    check(st == 500 and b"TimeoutException" in body, "sparql timeout: %d" % st)
    check(qids(sparql(s, q), "x") == ["Q999000001"], "sparql back to normal")

    p = {"action": "wbsearchentities", "search": "plumbing", "language": "en", "format": "json"}
    st, _, body = s.get("/w/api.php", p)
    try:
        json.loads(body)
        bad = False
    except ValueError:
        bad = True
    check(st == 200 and bad, "wbsearch malformed")
    st, hdr, body = s.get("/w/api.php", p)
    check(st == 200 and json.loads(body)["error"]["code"] == "maxlag" and hdr.get("Retry-After") == "5",
          "wbsearch maxlag: %s" % body)
    check(s.json("/w/api.php", p)["search"][0]["id"] == "Q999000107", "wbsearch back to normal")

    s.faults({"nominatim": ["slow"]})
    t0 = time.monotonic()
    try:
        s.get("/search", {"q": "Leeds"}, timeout=1)
        timed_out = False
    except (socket.timeout, urllib.error.URLError, TimeoutError):
        timed_out = True
    check(timed_out and time.monotonic() - t0 < 5, "slow: the client's timeout fires first")
    check(len(s.json("/search", {"q": "Leeds"})) == 1, "after slow: normal")
    status, _, _ = request(s.base + "/_faults", data=b'{"nowhere": [429]}')
    check(status == 400, "faults for an unknown service: %d" % status)
    print("faults: nominatim 429/malformed/200/slow, overpass 504/429/remark, sparql 429/timeout, "
          "wbsearch malformed/maxlag, each once and in order")


def check_stats(s):
    request(s.base + "/__stats/reset", data=b"")
    t0 = time.monotonic()
    s.get("/search", {"q": "Austin, Texas", "format": "jsonv2", "limit": "1"}, ua="prospect/0.9 (ops@example.com)")
    time.sleep(0.3)
    s.get("/search", {"q": "Denver", "format": "jsonv2", "addressdetails": "1", "countrycodes": "us"})
    ql = '[out:json][timeout:25];area(id:3600113314)->.a;nwr["craft"="plumber"](area.a);out center tags 5;'
    overpass(s, ql)
    q = "SELECT ?x WHERE { ?x wdt:P31 wd:Q613142 }"
    sparql(s, q)
    s.get("/w/api.php", {"action": "wbsearchentities", "search": "plumbing", "language": "en", "format": "json"})
    st, _, body = s.get("/__stats")
    check(st == 200, "/__stats: %d" % st)
    stats = json.loads(body)
    nom = stats["nominatim"]
    check(len(nom) == 2 and nom[0]["ua"] == "prospect/0.9 (ops@example.com)" and nom[1]["ua"] == UA,
          "nominatim requests and their User-Agents: %s" % nom)
    check(nom[0]["params"] == {"q": "Austin, Texas", "format": "jsonv2", "limit": "1"}
          and nom[1]["params"]["countrycodes"] == "us", "nominatim params: %s" % nom)
    check(nom[1]["t"] - nom[0]["t"] >= 0.3 and nom[0]["t"] >= t0 - 0.5, "monotonic arrival times: %s" % nom)
    check(nom[0]["status"] == 200 and nom[0]["fault"] is None, "status and fault recorded")
    check([e["data"] for e in stats["overpass"]] == [ql], "overpass raw data: %s" % stats["overpass"])
    check([e["query"] for e in stats["sparql"]] == [q] and stats["sparql"][0]["accept"] == SPARQL_ACCEPT["Accept"],
          "sparql raw query and Accept: %s" % stats["sparql"])
    check(stats["wbsearch"][0]["params"]["search"] == "plumbing", "wbsearch params")
    check(all(stats["peak"][k] >= 1 for k in ("nominatim", "overpass", "sparql", "wbsearch")), "peaks: %s" % stats["peak"])
    lines = [json.loads(l) for l in open(s.logfile, encoding="utf-8")]
    check(len(lines) >= 80 and all("service" in l and "status" in l for l in lines),
          "one log line per request: %d" % len(lines))
    print("stats: per-service requests with time, User-Agent, params / raw data / raw query, status, "
          "fault, peak; %d log lines" % len(lines))


def main():
    check_fixture()
    s = Stub()
    try:
        check_nominatim(s)
        check_overpass(s)
        check_sparql(s)
        check_wbsearch(s)
        check_provider_requests(s)
        check_faults(s)
        check_stats(s)
    except AssertionError as e:
        print("FAIL: %s" % e)
        return 1
    finally:
        s.stop()
    print("ok: %d checks" % CHECKS[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
