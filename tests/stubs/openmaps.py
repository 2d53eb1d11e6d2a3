#!/usr/bin/env python3
"""openmaps.py PORTFILE LOGFILE [--web-port N] [--data FILE] [--latency S] [--any-ua]:
mock Nominatim, Overpass API and Wikidata (SPARQL and wbsearchentities) on 127.0.0.1.

One server answers all four, by path, in their real wire formats, from the
fixture tests/stubs/openmaps-data.json (places, OSM elements, Wikidata
entities; its "about" says what is real in it and what is not):

  GET  /search                Nominatim search. q=... (or structured city=,
                              state=, country=), format=jsonv2 (default) or
                              json, limit (default 10, 1..50), addressdetails=1,
                              countrycodes=us,gb. A JSON array of places, [] when
                              the gazetteer does not know the place. A place
                              matches when q is one of its names followed by
                              qualifiers it knows ("Austin", "Austin, TX",
                              "Austin Texas USA", "Denver, CO", "Leeds, UK").
  POST /api/interpreter       Overpass API. The query is the form field data=
  GET  /api/interpreter?data= (or a raw POST body). Overpass QL subset below;
                              answers Overpass JSON: version, generator, osm3s
                              (timestamp_osm_base, copyright), elements.
  GET  /api/status            Overpass's slot report (text).
  GET  /sparql?query=         Wikidata Query Service. POST form field query=, or
  POST /sparql                a POST body of type application/sparql-query. Asks
                              Accept: application/sparql-results+json (or
                              format=json); answers SPARQL 1.1 JSON results.
  GET  /w/api.php?action=wbsearchentities&search=...&language=en&type=item
                              &format=json&limit=N[&continue=K]: entity search
                              by label or alias prefix, English only, over the
                              fixture's industries, classes, organisations,
                              places and countries (a place's P17 is its
                              country, a country's is itself).
  POST /_faults               {"nominatim": [429, "slow", "malformed", 200],
                              "overpass": [504], "sparql": [429], "wbsearch":
                              ["malformed"]}: each service takes the listed
                              answers, one per request, in order, then answers
                              normally (a new list replaces the old). 200 is a
                              normal answer; 429 carries Retry-After: 1;
                              "malformed" is a 200 with truncated JSON; "slow"
                              answers normally after 10 s. Overpass also takes
                              504 and 429 with its HTML error page, and
                              "remark" (a 200 whose JSON has a runtime-error
                              remark and no elements); SPARQL "timeout" (500,
                              java.util.concurrent.TimeoutException); wbsearch
                              "maxlag" (a MediaWiki maxlag error, Retry-After).
  GET  /__stats               Every request per service: t (monotonic seconds
                              at arrival), ua (User-Agent), method, path, params
                              (Nominatim, wbsearch), data (Overpass, the raw
                              query), query and accept (SPARQL), status, fault;
                              and peak (most requests in flight at once) per
                              service, so tests can assert the exact requests,
                              the User-Agent and the rate.
  POST /__stats/reset         Forgets the requests seen so far.

Requests without an identifying User-Agent (none, or a library default such
as curl/x or Python-urllib/x) are refused as the real services refuse them:
Nominatim 403, Overpass 406, Wikimedia 403; --any-ua lets them through.

Company websites in the fixture are written "{web}/path"; the stub makes
them http://SITE.localhost:N/path with N from --web-port (default: its own
port), SITE being the host of a real page that tests/stubs/realweb.py serves
on port N (https://www.termiopest.com/x is http://termiopest-com.localhost:N/x).

Overpass QL understood: settings [out:json] (required) [timeout:N]
[maxsize:N] [bbox:s,w,n,e]; statements node / way / rel / relation / nwr /
nw / nr / wr / area with tag filters ["k"="v"] ["k"] [!"k"] ["k"!="v"]
["k"~"re"] ["k"!~"re"] (",i" for case-insensitive, keys and values quoted or
bare) and spatial filters (s,w,n,e), (area.x), (area), (area:ID), (id:N,...),
(N), (around:R,lat,lon); ->.x to name a set; unions ( ...; ...; ); areas by
area(ID) / area(id:ID,...) / area["name"="..."] / rel(ID); map_to_area;
output by [.x] out with ids|skel|body|tags|meta, center|bb|geom, asc|qt, a
limit N, or count. A relation's area id is 3600000000 + its id. Areas are
the fixture's places; an element is in an area when the fixture lists the
place in its "in" (the stand-in for point in polygon), in a box or around a
point by its coordinates (a way's or relation's centre). Ways and relations
carry no node or member lists. Anything else (recursion, foreach, is_in,
poly:, if:, XML output) is a 400 saying what the stub does not know.

SPARQL understood: the stub cannot run a real triple store; it evaluates a
subset against the fixture's few hundred triples: PREFIX (wd: wdt: p: ps:
rdfs: schema: skos: wikibase: bd: xsd: predefined), SELECT [DISTINCT] vars or
(expr AS ?v) or *, WHERE groups with triple patterns (; and , lists),
property paths (/ | ^ * + ?, as in wdt:P31/wdt:P279*), OPTIONAL, UNION,
MINUS, VALUES, BIND, FILTER (comparisons, && || !, IN, BOUND, LANG,
LANGMATCHES, STR, LCASE, UCASE, CONTAINS, STRSTARTS, STRENDS, REGEX, YEAR,
STRLEN, IF, COALESCE, isIRI, isLiteral, EXISTS, NOT EXISTS, xsd casts),
SERVICE wikibase:label (?xLabel, ?xDescription, ?xAltLabel), GROUP BY with
COUNT SAMPLE MIN MAX SUM AVG GROUP_CONCAT, ORDER BY, LIMIT, OFFSET. The
data holds, per entity, rdfs:label, schema:description and skos:altLabel
(English) and the direct claims wdt:P31 P279 P452 P17 P856 P1128 P571 P297;
there are no p:/ps: statement nodes, so statement paths match nothing.
Syntax errors answer 400 MalformedQueryException, unsupported syntax 400
"stub: unsupported SPARQL ...". So a query matches by the QIDs and
properties it mentions, as the real service would, within that subset.

Loopback only; one JSON line per request in LOGFILE.
"""
import argparse
import http.server
import json
import math
import os
import re
import socketserver
import sys
import threading
import time
import urllib.parse

ap = argparse.ArgumentParser()
ap.add_argument("portfile")
ap.add_argument("logfile")
ap.add_argument("--web-port", type=int, default=0, help="port of realweb.py the websites name")
ap.add_argument("--data", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                               "openmaps-data.json"))
ap.add_argument("--latency", type=float, default=0, help="seconds before every answer")
ap.add_argument("--any-ua", action="store_true", help="accept any User-Agent")
args = ap.parse_args()

DATA = json.load(open(args.data, encoding="utf-8"))
OSM_BASE = "2026-11-02T09:58:03Z"
AREA_BASE = "2026-11-02T09:46:11Z"
COPYRIGHT = ("The data included in this document is from www.openstreetmap.org. "
             "The data is made available under ODbL.")
LICENCE = "Data \u00a9 OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright"
SERVICES = ("nominatim", "overpass", "sparql", "wbsearch")

LOCK = threading.Lock()
STATS = {s: [] for s in SERVICES + ("other",)}
PEAK = {s: 0 for s in SERVICES}
IN_FLIGHT = {s: 0 for s in SERVICES}
FAULTS = {s: [] for s in SERVICES}


def web_base(site, server_port):
    return "http://%s.localhost:%d" % (site, args.web_port or server_port)


def expand(value, site, port):
    if isinstance(value, str) and "{web}" in value:
        if not site:
            raise ValueError("a {web} value without a site in the fixture")
        return value.replace("{web}", web_base(site, port))
    return value


def next_fault(service):
    with LOCK:
        q = FAULTS[service]
        f = q.pop(0) if q else None
    if isinstance(f, str) and f.isdigit():
        f = int(f)
    return None if f == 200 else f


def ua_refused(ua):
    """A request the real services would turn away for its User-Agent."""
    if args.any_ua:
        return False
    ua = (ua or "").strip()
    return not ua or re.match(r"(?i)(curl|wget|python-urllib|python-requests|libcurl|java|go-http-client)\b", ua)


# ---------------------------------------------------------------- Nominatim

def norm(s):
    return re.sub(r"[\s,]+", " ", re.sub(r"[^\w\s,]", " ", s.lower())).strip()


def place_matches(place, q):
    q = norm(q)
    for name in sorted(place["names"], key=len, reverse=True):
        if q != name and not q.startswith(name + " "):
            continue
        rest = q[len(name):].strip()
        quals = sorted(place["qualifiers"], key=len, reverse=True)
        while rest:
            for qual in quals:
                if rest == qual or rest.startswith(qual + " "):
                    rest = rest[len(qual):].strip()
                    break
            else:
                break
        if not rest:
            return True
    return False


def nominatim_place(p, fmt, details):
    out = {"place_id": p["place_id"], "licence": LICENCE, "osm_type": p["osm_type"],
           "osm_id": p["osm_id"], "lat": "%.7f" % p["lat"], "lon": "%.7f" % p["lon"],
           ("category" if fmt == "jsonv2" else "class"): p["category"], "type": p["type"],
           "place_rank": p["place_rank"], "importance": p["importance"],
           "addresstype": p["addresstype"], "name": p["name"], "display_name": p["display_name"]}
    if details:
        out["address"] = dict(p["address"])
    out["boundingbox"] = ["%.7f" % x for x in p["boundingbox"]]
    return out


def nominatim_search(params):
    """Returns (status, body, content type)."""
    fmt = params.get("format", "jsonv2")
    if fmt not in ("json", "jsonv2"):
        if fmt in ("xml", "geojson", "geocodejson"):
            return 400, {"error": {"code": 400, "message": "stub: format=%s is not served" % fmt}}
        return 400, {"error": {"code": 400, "message": "Parameter 'format' must be one of: "
                               "xml, json, jsonv2, geojson, geocodejson"}}
    q = params.get("q")
    structured = [params[k] for k in ("amenity", "street", "city", "county", "state", "postalcode",
                                      "country") if params.get(k)]
    if q is not None and structured:
        return 400, {"error": {"code": 400, "message": "Structured query parameters(amenity, street, "
                               "city, county, state, postalcode, country) cannot be used together "
                               "with 'q' parameter."}}
    if q is None:
        q = ", ".join(structured)
    try:
        limit = max(1, min(50, int(params.get("limit", "10"))))
    except ValueError:
        return 400, {"error": {"code": 400, "message": "Integer number expected for parameter 'limit'"}}
    codes = {c.strip().lower() for c in params.get("countrycodes", "").split(",") if c.strip()}
    details = params.get("addressdetails", "0") in ("1", "true", "yes")
    found = [p for p in DATA["places"] if q.strip() and place_matches(p, q)
             and (not codes or p["country_code"] in codes)]
    found.sort(key=lambda p: -p["importance"])
    return 200, [nominatim_place(p, fmt, details) for p in found[:limit]]


# ---------------------------------------------------------------- Overpass QL

class QLError(Exception):
    pass


class QLUnsupported(Exception):
    pass


TYPES = {"node": ("node",), "way": ("way",), "rel": ("relation",), "relation": ("relation",),
         "nwr": ("node", "way", "relation"), "nw": ("node", "way"), "nr": ("node", "relation"),
         "wr": ("way", "relation"), "area": ("area",)}


class QLParser:
    """A recursive-descent reader of the Overpass QL subset in the docstring."""

    def __init__(self, text):
        self.s, self.i = text, 0

    def line(self):
        return self.s.count("\n", 0, self.i) + 1

    def fail(self, msg):
        raise QLError("line %d: parse error: %s" % (self.line(), msg))

    def ws(self):
        while True:
            m = re.compile(r"\s+|//[^\n]*|/\*.*?\*/", re.S).match(self.s, self.i)
            if not m or m.end() == self.i:
                return
            self.i = m.end()

    def peek(self, n=1):
        self.ws()
        return self.s[self.i:self.i + n]

    def eat(self, tok):
        if self.peek(len(tok)) == tok:
            self.i += len(tok)
            return True
        return False

    def expect(self, tok):
        if not self.eat(tok):
            self.fail("'%s' expected, found '%s'" % (tok, self.s[self.i:self.i + 12]))

    def ident(self):
        self.ws()
        m = re.compile(r"[A-Za-z_][A-Za-z0-9_]*").match(self.s, self.i)
        if not m:
            self.fail("a name expected at '%s'" % self.s[self.i:self.i + 12])
        self.i = m.end()
        return m.group()

    def number(self):
        self.ws()
        m = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?").match(self.s, self.i)
        if not m:
            self.fail("a number expected at '%s'" % self.s[self.i:self.i + 12])
        self.i = m.end()
        return float(m.group()) if re.search(r"[.eE]", m.group()) else int(m.group())

    def string(self):
        """A quoted string or a bare word (keys and values)."""
        self.ws()
        c = self.s[self.i:self.i + 1]
        if c in ("'", '"'):
            out, j = [], self.i + 1
            while j < len(self.s) and self.s[j] != c:
                if self.s[j] == "\\" and j + 1 < len(self.s):
                    j += 1
                    out.append({"n": "\n", "t": "\t"}.get(self.s[j], self.s[j]))
                else:
                    out.append(self.s[j])
                j += 1
            if j >= len(self.s):
                self.fail("unterminated string")
            self.i = j + 1
            return "".join(out)
        m = re.compile(r"[A-Za-z0-9_:.\-]+").match(self.s, self.i)
        if not m:
            self.fail("a key or value expected at '%s'" % self.s[self.i:self.i + 12])
        self.i = m.end()
        return m.group()

    def setname(self):
        self.expect(".")
        return self.ident()

    def program(self):
        settings = {}
        while self.peek() == "[":
            self.eat("[")
            name = self.ident()
            self.expect(":")
            self.ws()
            j = self.s.find("]", self.i)
            if j < 0:
                self.fail("']' expected")
            settings[name] = self.s[self.i:j].strip().strip("\"'")
            self.i = j + 1
        if settings:
            self.expect(";")
        stmts = []
        while self.peek():
            stmts.append(self.statement())
        return settings, stmts

    def statement(self):
        if self.eat("("):
            inner = []
            while not self.eat(")"):
                if not self.peek():
                    self.fail("')' expected")
                inner.append(self.statement())
            into = self.into()
            self.expect(";")
            return {"op": "union", "stmts": inner, "into": into}
        src = None
        if self.peek() == ".":
            src = self.setname()
        word = self.ident()
        if word == "out":
            return self.out(src)
        if word == "map_to_area":
            into = self.into()
            self.expect(";")
            return {"op": "map_to_area", "src": src, "into": into}
        if word in TYPES:
            if src is not None:
                self.fail("a set before '%s'" % word)
            return self.query(word)
        if word in ("foreach", "is_in", "make", "convert", "complete", "retro", "compare", "if",
                    "for", "timeline", "local", "derived", "difference"):
            raise QLUnsupported("statement '%s'" % word)
        self.fail("unknown statement '%s'" % word)

    def into(self):
        if self.eat("->"):
            return self.setname()
        return "_"

    def query(self, word):
        q = {"op": "query", "types": TYPES[word], "tags": [], "spatial": [], "src": None}
        if self.peek() == "." and self.s[self.i + 1:self.i + 2].isalpha():
            q["src"] = self.setname()
        while True:
            c = self.peek()
            if c == "[":
                self.eat("[")
                q["tags"].append(self.tagfilter())
            elif c == "(":
                self.eat("(")
                q["spatial"].append(self.spatial())
            else:
                break
        q["into"] = self.into()
        self.expect(";")
        return q

    def tagfilter(self):
        neg = self.eat("!")
        if self.peek() == "~":
            raise QLUnsupported("regular expressions on keys ([~\"k\"~\"v\"])")
        key = self.string()
        if self.eat("]"):
            return {"key": key, "op": "!exists" if neg else "exists"}
        if neg:
            self.fail("']' expected after [!key")
        for op in ("!=", "!~", "=", "~"):
            if self.eat(op):
                break
        else:
            self.fail("an operator expected in a tag filter")
        value = self.string()
        flags = ""
        if self.eat(","):
            flags = self.ident()
        self.expect("]")
        if op in ("~", "!~"):
            try:
                rx = re.compile(value, re.I if "i" in flags else 0)
            except re.error as e:
                self.fail("bad regular expression: %s" % e)
            return {"key": key, "op": op, "re": rx, "value": value}
        return {"key": key, "op": op, "value": value, "i": "i" in flags}

    def spatial(self):
        c = self.peek()
        if c and (c.isdigit() or c in "-+."):
            nums = [self.number()]
            while self.eat(","):
                nums.append(self.number())
            self.expect(")")
            if len(nums) == 4:
                return {"kind": "bbox", "box": nums}
            if len(nums) == 1 and isinstance(nums[0], int):
                return {"kind": "id", "ids": nums}
            self.fail("a box (s,w,n,e) or an id expected")
        word = self.ident()
        if word == "area":
            if self.eat(":"):
                ids = [self.number()]
                while self.eat(","):
                    ids.append(self.number())
                self.expect(")")
                return {"kind": "area_ids", "ids": [int(x) for x in ids]}
            name = self.setname() if self.peek() == "." else "_"
            self.expect(")")
            return {"kind": "area_set", "set": name}
        if word == "around":
            if self.peek() == ".":
                raise QLUnsupported("around.set")
            self.expect(":")
            nums = [self.number()]
            while self.eat(","):
                nums.append(self.number())
            self.expect(")")
            if len(nums) != 3:
                raise QLUnsupported("around with a line of points")
            return {"kind": "around", "r": nums[0], "lat": nums[1], "lon": nums[2]}
        if word == "id":
            self.expect(":")
            ids = [self.number()]
            while self.eat(","):
                ids.append(self.number())
            self.expect(")")
            return {"kind": "id", "ids": [int(x) for x in ids]}
        raise QLUnsupported("filter (%s...)" % word)

    def out(self, src):
        words, limit = [], None
        while not self.eat(";"):
            c = self.peek()
            if not c:
                self.fail("';' expected after out")
            if c.isdigit():
                limit = int(self.number())
            elif c == "(":
                self.eat("(")
                for _ in range(3):
                    self.number()
                    self.expect(",")
                self.number()
                self.expect(")")
            else:
                words.append(self.ident())
        known = {"ids", "skel", "body", "tags", "meta", "noids", "center", "bb", "geom", "asc",
                 "qt", "count"}
        for w in words:
            if w not in known:
                self.fail("unknown out parameter '%s'" % w)
        return {"op": "out", "src": src or "_", "words": set(words), "limit": limit}


def haversine(lat1, lon1, lat2, lon2):
    r = 6371008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * r * math.asin(math.sqrt(a))


def coords(el):
    if el["type"] == "node":
        return el["lat"], el["lon"]
    return el["center"]["lat"], el["center"]["lon"]


def tag_ok(tags, f):
    v = tags.get(f["key"])
    if f["op"] == "exists":
        return v is not None
    if f["op"] == "!exists":
        return v is None
    if f["op"] in ("=", "!="):
        same = v is not None and (v.lower() == f["value"].lower() if f["i"] else v == f["value"])
        return same if f["op"] == "=" else not same
    hit = v is not None and f["re"].search(v) is not None
    return hit if f["op"] == "~" else not hit


AREA_OFFSET = 3600000000


def area_elements():
    return [{"type": "area", "id": AREA_OFFSET + p["osm_id"], "tags": p["tags"], "place": p["key"]}
            for p in DATA["places"] if p["osm_type"] == "relation"]


def run_ql(text):
    """Runs a query; returns (elements to print, used areas) or raises QLError / QLUnsupported."""
    settings, stmts = QLParser(text).program()
    if settings.get("out", "xml") != "json":
        raise QLUnsupported("output format '%s' (only [out:json])" % settings.get("out", "xml"))
    gbox = None
    if "bbox" in settings:
        try:
            gbox = [float(x) for x in settings["bbox"].split(",")]
            assert len(gbox) == 4
        except (ValueError, AssertionError):
            raise QLError("line 1: parse error: bad [bbox:...]")
    sets = {"_": []}
    printed = []
    used_areas = [False]

    def in_box(el, box):
        lat, lon = coords(el)
        return box[0] <= lat <= box[2] and box[1] <= lon <= box[3]

    def run(stmt):
        if stmt["op"] == "union":
            got = []
            for s in stmt["stmts"]:
                run(s)
                got.extend(sets.get(s.get("into", "_"), []) if s["op"] != "out" else [])
            uniq = {}
            for el in got:
                uniq[(el["type"], el["id"])] = el
            sets[stmt["into"]] = list(uniq.values())
        elif stmt["op"] == "map_to_area":
            src = sets.get(stmt["src"] or "_", [])
            ids = {AREA_OFFSET + el["id"] for el in src if el["type"] == "relation"}
            sets[stmt["into"]] = [a for a in area_elements() if a["id"] in ids]
        elif stmt["op"] == "out":
            printed.append((sets.get(stmt["src"], []), stmt))
        else:
            sets[stmt["into"]] = select(stmt)

    def select(q):
        if q["types"] == ("area",):
            used_areas[0] = True
            cands = area_elements()
        else:
            cands = [el for el in DATA["elements"] if el["type"] in q["types"]]
            # a relation for map_to_area may be a place's boundary
            if "relation" in q["types"]:
                cands += [{"type": "relation", "id": p["osm_id"], "tags": p["tags"],
                           "center": {"lat": p["lat"], "lon": p["lon"]}, "in": [p["key"]],
                           "boundary_of": p["key"]}
                          for p in DATA["places"] if p["osm_type"] == "relation"]
        if q["src"] is not None:
            keys = {(el["type"], el["id"]) for el in sets.get(q["src"], [])}
            cands = [el for el in cands if (el["type"], el["id"]) in keys]
        out = []
        for el in cands:
            if not all(tag_ok(el.get("tags", {}), f) for f in q["tags"]):
                continue
            if el["type"] == "area":
                if any(sp["kind"] == "id" and el["id"] not in sp["ids"] for sp in q["spatial"]):
                    continue
                if any(sp["kind"] not in ("id",) for sp in q["spatial"]):
                    raise QLUnsupported("areas filtered by anything but their id and tags")
                out.append(el)
                continue
            # boundary relations are only found by id (for map_to_area)
            if el.get("boundary_of") and not any(sp["kind"] == "id" for sp in q["spatial"]):
                continue
            ok = True
            for sp in q["spatial"]:
                k = sp["kind"]
                if k == "bbox":
                    ok = in_box(el, sp["box"])
                elif k == "id":
                    ok = el["id"] in sp["ids"]
                elif k == "around":
                    lat, lon = coords(el)
                    ok = haversine(lat, lon, sp["lat"], sp["lon"]) <= sp["r"]
                elif k in ("area_set", "area_ids"):
                    used_areas[0] = True
                    if k == "area_ids":
                        ids = set(sp["ids"])
                    else:
                        ids = {a["id"] for a in sets.get(sp["set"], []) if a["type"] == "area"}
                    places = {a["place"] for a in area_elements() if a["id"] in ids}
                    ok = bool(places & set(el.get("in", [])))
                if not ok:
                    break
            if ok and gbox is not None and not in_box(el, gbox):
                ok = False
            if ok:
                out.append(el)
        return out

    for s in stmts:
        run(s)
    return printed, used_areas[0]


def render(elements, stmt, port):
    words = stmt["words"]
    if "count" in words:
        n = {t: sum(1 for e in elements if e["type"] == t) for t in ("node", "way", "relation", "area")}
        return [{"type": "count", "id": 0, "tags": {
            "nodes": str(n["node"]), "ways": str(n["way"]), "relations": str(n["relation"]),
            "areas": str(n["area"]), "total": str(sum(n.values()))}}]
    order = {"node": 0, "way": 1, "relation": 2, "area": 3}
    els = sorted(elements, key=lambda e: (order[e["type"]], e["id"]))
    if stmt["limit"] is not None:
        els = els[:stmt["limit"]]
    verb = "body"
    for w in ("ids", "skel", "body", "tags", "meta"):
        if w in words:
            verb = w
    geo = next((w for w in ("center", "bb", "geom") if w in words), None)
    out = []
    for el in els:
        o = {"type": el["type"]}
        if "noids" not in words:
            o["id"] = el["id"]
        lat, lon = coords(el) if el["type"] != "area" else (None, None)
        if el["type"] == "node" and (verb in ("skel", "body", "meta") or geo):
            o["lat"], o["lon"] = round(lat, 7), round(lon, 7)
        if verb == "meta" and el["type"] != "area":
            o.update({"timestamp": "2025-06-14T08:21:37Z", "version": 3, "changeset": 167000000 + el["id"] % 1000000,
                      "user": "fixture", "uid": 1})
        if el["type"] in ("way", "relation"):
            if geo == "bb" or geo == "geom":
                o["bounds"] = {"minlat": round(lat - 0.0002, 7), "minlon": round(lon - 0.0003, 7),
                               "maxlat": round(lat + 0.0002, 7), "maxlon": round(lon + 0.0003, 7)}
            elif geo == "center":
                o["center"] = {"lat": round(lat, 7), "lon": round(lon, 7)}
        if verb in ("body", "tags", "meta") and el.get("tags"):
            o["tags"] = {k: expand(v, el.get("site"), port) for k, v in el["tags"].items()}
        out.append(o)
    return out


def overpass_html(msg):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"\n'
            '    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n<head>\n'
            '  <meta http-equiv="content-type" content="text/html; charset=utf-8" lang="en"/>\n'
            '  <title>OSM3S Response</title>\n</head>\n<body>\n\n'
            '<p>%s</p>\n<p><strong style="color:#FF0000">Error</strong>: %s </p>\n\n</body>\n</html>\n'
            % (COPYRIGHT, msg.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")))


def overpass_json(elements, areas, remark=None):
    osm3s = {"timestamp_osm_base": OSM_BASE}
    if areas:
        osm3s["timestamp_areas_base"] = AREA_BASE
    osm3s["copyright"] = COPYRIGHT
    body = {"version": 0.6, "generator": "Overpass API 0.7.62.7 openmaps-stub", "osm3s": osm3s,
            "elements": elements}
    if remark:
        body["remark"] = remark
    return body


# ---------------------------------------------------------------- SPARQL

class SparqlError(Exception):
    pass


class SparqlUnsupported(Exception):
    pass


XSD = "http://www.w3.org/2001/XMLSchema#"
WD = "http://www.wikidata.org/entity/"
PREFIXES = {
    "wd": WD, "wdt": "http://www.wikidata.org/prop/direct/", "p": "http://www.wikidata.org/prop/",
    "ps": "http://www.wikidata.org/prop/statement/", "pq": "http://www.wikidata.org/prop/qualifier/",
    "psv": "http://www.wikidata.org/prop/statement/value/", "wikibase": "http://wikiba.se/ontology#",
    "bd": "http://www.bigdata.com/rdf#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "schema": "http://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#", "xsd": XSD, "owl": "http://www.w3.org/2002/07/owl#",
}
RDFS_LABEL = PREFIXES["rdfs"] + "label"
SCHEMA_DESC = PREFIXES["schema"] + "description"
SKOS_ALT = PREFIXES["skos"] + "altLabel"
RDF_TYPE = PREFIXES["rdf"] + "type"
LABEL_SERVICE = PREFIXES["wikibase"] + "label"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long")}


def uri(v):
    return ("uri", v)


def lit(v, dt=None, lang=None):
    return ("lit", v, dt, lang)


def build_graph(port):
    triples = []
    ents = DATA["wikidata"]["entities"]
    for qid, e in ents.items():
        s = uri(WD + qid)
        triples.append((s, RDFS_LABEL, lit(e["label"], None, "en")))
        if e.get("description"):
            triples.append((s, SCHEMA_DESC, lit(e["description"], None, "en")))
        for a in e.get("aliases", []):
            triples.append((s, SKOS_ALT, lit(a, None, "en")))
        for prop, values in e.get("claims", {}).items():
            p = PREFIXES["wdt"] + prop
            for v in values:
                if prop in ("P31", "P279", "P452", "P17"):
                    o = uri(WD + v)
                elif prop == "P856":
                    o = uri(expand(v, e.get("site"), port))
                elif prop == "P1128":
                    o = lit(v, XSD + "decimal")
                elif prop == "P571":
                    o = lit(v, XSD + "dateTime")
                else:
                    o = lit(v)
                triples.append((s, p, o))
    return triples


TOKEN = re.compile(r"""
    (?P<ws>\s+|\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<var>[?$][A-Za-z0-9_]+)
  | (?P<pname>(?:[A-Za-z][A-Za-z0-9_-]*)?:(?:[A-Za-z0-9_](?:[A-Za-z0-9_.:-]*[A-Za-z0-9_:-])?)?)
  | (?P<number>(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>&&|\|\||!=|<=|>=|\^\^|[{}()\[\].;,*/|^+?!=<>-])
""", re.X)


def tokenize(text):
    out, i = [], 0
    while i < len(text):
        m = TOKEN.match(text, i)
        if not m:
            raise SparqlError("Lexical error at line %d: unexpected '%s'"
                              % (text.count("\n", 0, i) + 1, text[i]))
        i = m.end()
        kind = m.lastgroup
        if kind != "ws":
            out.append((kind, m.group()))
    out.append(("eof", ""))
    return out


AGGS = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}


class SparqlParser:
    def __init__(self, text):
        self.toks, self.i = tokenize(text), 0
        self.prefixes = dict(PREFIXES)
        self.vars_seen = []
        self.label_langs = None
        self.label_triples = []

    def peek(self, k=0):
        return self.toks[self.i + k]

    def next(self):
        t = self.toks[self.i]
        self.i += 1
        return t

    def kw(self, word):
        t = self.peek()
        if t[0] == "name" and t[1].upper() == word:
            self.i += 1
            return True
        return False

    def op(self, o):
        t = self.peek()
        if t[0] == "op" and t[1] == o:
            self.i += 1
            return True
        return False

    def expect_op(self, o):
        if not self.op(o):
            self.fail("'%s'" % o)

    def fail(self, what):
        t = self.peek()
        raise SparqlError("Encountered \"%s\". Was expecting %s" % (t[1] or "<EOF>", what))

    def see_var(self, v):
        if v not in self.vars_seen:
            self.vars_seen.append(v)
        return v

    def iri(self, tok):
        kind, text = tok
        if kind == "iri":
            return text[1:-1]
        prefix, _, local = text.partition(":")
        if prefix not in self.prefixes:
            raise SparqlError("QName '%s' uses an undefined prefix" % text)
        return self.prefixes[prefix] + local

    # --- query
    def query(self):
        while True:
            if self.kw("PREFIX"):
                p = self.next()
                if p[0] != "pname" or not p[1].endswith(":"):
                    self.fail("a prefix name")
                self.prefixes[p[1][:-1]] = self.iri(self.next())
            elif self.kw("BASE"):
                self.next()
            else:
                break
        for word in ("ASK", "CONSTRUCT", "DESCRIBE"):
            if self.kw(word):
                raise SparqlUnsupported("%s queries" % word)
        if not self.kw("SELECT"):
            self.fail("\"select\"")
        q = {"distinct": self.kw("DISTINCT") or self.kw("REDUCED"), "proj": None, "group": [],
             "order": [], "limit": None, "offset": 0}
        if self.op("*"):
            q["proj"] = "*"
        else:
            proj = []
            while True:
                t = self.peek()
                if t[0] == "var":
                    self.next()
                    proj.append((self.see_var(t[1][1:]), None))
                elif self.op("("):
                    e = self.expr()
                    if not self.kw("AS"):
                        self.fail("\"as\"")
                    v = self.next()
                    if v[0] != "var":
                        self.fail("a variable")
                    self.expect_op(")")
                    proj.append((self.see_var(v[1][1:]), e))
                else:
                    break
            if not proj:
                self.fail("a variable or (expression AS ?var)")
            q["proj"] = proj
        if self.kw("FROM"):
            raise SparqlUnsupported("FROM")
        self.kw("WHERE")
        q["where"] = self.group()
        while True:
            if self.kw("GROUP"):
                if not self.kw("BY"):
                    self.fail("\"by\"")
                while True:
                    t = self.peek()
                    if t[0] == "var":
                        self.next()
                        q["group"].append(("var", t[1][1:]))
                    elif t[0] == "op" and t[1] == "(":
                        self.next()
                        e = self.expr()
                        if self.kw("AS"):
                            raise SparqlUnsupported("GROUP BY (expr AS ?v)")
                        self.expect_op(")")
                        q["group"].append(e)
                    else:
                        break
            elif self.kw("HAVING"):
                raise SparqlUnsupported("HAVING")
            elif self.kw("ORDER"):
                if not self.kw("BY"):
                    self.fail("\"by\"")
                while True:
                    if self.kw("ASC") or self.kw("DESC"):
                        desc = self.toks[self.i - 1][1].upper() == "DESC"
                        self.expect_op("(")
                        e = self.expr()
                        self.expect_op(")")
                        q["order"].append((e, desc))
                    elif self.peek()[0] == "var":
                        q["order"].append((("var", self.next()[1][1:]), False))
                    elif self.peek() == ("op", "("):
                        self.next()
                        e = self.expr()
                        self.expect_op(")")
                        q["order"].append((e, False))
                    else:
                        break
            elif self.kw("LIMIT"):
                q["limit"] = int(self.next()[1])
            elif self.kw("OFFSET"):
                q["offset"] = int(self.next()[1])
            else:
                break
        if self.peek()[0] != "eof":
            self.fail("<EOF>")
        q["label_langs"], q["label_triples"] = self.label_langs, self.label_triples
        return q

    # --- patterns
    def group(self):
        self.expect_op("{")
        els = []
        while not self.op("}"):
            t = self.peek()
            if t[0] == "eof":
                self.fail("'}'")
            if self.op("."):
                continue
            if self.kw("OPTIONAL"):
                els.append(("optional", self.group()))
            elif self.kw("MINUS"):
                els.append(("minus", self.group()))
            elif self.kw("FILTER"):
                els.append(("filter", self.constraint()))
            elif self.kw("BIND"):
                self.expect_op("(")
                e = self.expr()
                if not self.kw("AS"):
                    self.fail("\"as\"")
                v = self.next()
                self.expect_op(")")
                els.append(("bind", e, self.see_var(v[1][1:])))
            elif self.kw("VALUES"):
                els.append(self.values())
            elif self.kw("SERVICE"):
                self.kw("SILENT")
                target = self.iri(self.next())
                if target != LABEL_SERVICE:
                    raise SparqlUnsupported("SERVICE <%s>" % target)
                self.label_service()
            elif t == ("op", "{"):
                if self.peek(1)[0] == "name" and self.peek(1)[1].upper() == "SELECT":
                    raise SparqlUnsupported("subqueries")
                branches = [self.group()]
                while self.kw("UNION"):
                    branches.append(self.group())
                els.append(("union", branches) if len(branches) > 1 else ("group", branches[0]))
            else:
                els.append(("bgp", self.triples()))
        return els

    def label_service(self):
        self.expect_op("{")
        while not self.op("}"):
            if self.op("."):
                continue
            s = self.next()
            p = self.next()
            o = self.next()
            if s[0] == "eof":
                self.fail("'}'")
            pi = self.iri(p) if p[0] in ("iri", "pname") else None
            if pi == PREFIXES["wikibase"] + "language" and o[0] == "string":
                self.label_langs = [x.strip() for x in o[1][1:-1].split(",") if x.strip()]
            elif s[0] == "var" and o[0] == "var" and pi in (RDFS_LABEL, SCHEMA_DESC, SKOS_ALT):
                kind = {RDFS_LABEL: "Label", SCHEMA_DESC: "Description", SKOS_ALT: "AltLabel"}[pi]
                self.label_triples.append((s[1][1:], kind, self.see_var(o[1][1:])))
            else:
                raise SparqlUnsupported("this in the label service: %s %s %s" % (s[1], p[1], o[1]))

    def values(self):
        if self.peek()[0] == "var":
            vs = [self.see_var(self.next()[1][1:])]
            self.expect_op("{")
            rows = []
            while not self.op("}"):
                rows.append([self.term_or_undef()])
            return ("values", vs, rows)
        self.expect_op("(")
        vs = []
        while not self.op(")"):
            vs.append(self.see_var(self.next()[1][1:]))
        self.expect_op("{")
        rows = []
        while not self.op("}"):
            self.expect_op("(")
            row = []
            while not self.op(")"):
                row.append(self.term_or_undef())
            rows.append(row)
        return ("values", vs, rows)

    def term_or_undef(self):
        if self.kw("UNDEF"):
            return None
        return self.term()

    def term(self):
        """A constant: IRI, prefixed name, literal, number, boolean."""
        t = self.next()
        if t[0] in ("iri", "pname"):
            return uri(self.iri(t))
        if t[0] == "string":
            raw = t[1][1:-1]
            val = re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), raw)
            if self.peek()[0] == "lang":
                return lit(val, None, self.next()[1][1:].lower())
            if self.op("^^"):
                return lit(val, self.iri(self.next()))
            return lit(val)
        if t[0] == "number":
            dt = "double" if re.search(r"[eE]", t[1]) else "decimal" if "." in t[1] else "integer"
            return lit(t[1], XSD + dt)
        if t[0] == "name" and t[1].lower() in ("true", "false"):
            return lit(t[1].lower(), XSD + "boolean")
        if t[0] == "op" and t[1] in ("-", "+") and self.peek()[0] == "number":
            n = self.term()
            return lit(t[1].strip("+") + n[1], n[2])
        self.i -= 1
        self.fail("a term")

    def node(self):
        t = self.peek()
        if t[0] == "var":
            self.next()
            return ("var", self.see_var(t[1][1:]))
        if t == ("op", "["):
            raise SparqlUnsupported("blank nodes ([ ... ])")
        return ("const", self.term())

    def triples(self):
        out = []
        subj = self.node()
        while True:
            if self.peek()[0] == "var":
                verb = ("var", self.see_var(self.next()[1][1:]))
            else:
                verb = ("path", self.path())
            while True:
                out.append((subj, verb, self.node()))
                if not self.op(","):
                    break
            if not self.op(";"):
                break
            t = self.peek()
            if t[0] == "op" and t[1] in (".", "}"):
                break
        return out

    def path(self):
        alts = [self.path_seq()]
        while self.op("|"):
            alts.append(self.path_seq())
        return ("alt", alts) if len(alts) > 1 else alts[0]

    def path_seq(self):
        seq = [self.path_elt()]
        while self.op("/"):
            seq.append(self.path_elt())
        return ("seq", seq) if len(seq) > 1 else seq[0]

    def path_elt(self):
        inv = self.op("^")
        t = self.peek()
        if t[0] in ("iri", "pname"):
            self.next()
            p = ("iri", self.iri(t))
        elif t[0] == "name" and t[1] == "a":
            self.next()
            p = ("iri", RDF_TYPE)
        elif self.op("("):
            p = self.path()
            self.expect_op(")")
        elif t == ("op", "!"):
            raise SparqlUnsupported("negated property sets")
        else:
            self.fail("a property path")
        t = self.peek()
        if t[0] == "op" and t[1] in ("*", "+", "?"):
            self.next()
            p = ("mod", t[1], p)
        return ("inv", p) if inv else p

    # --- expressions
    def constraint(self):
        if self.op("("):
            e = self.expr()
            self.expect_op(")")
            return e
        return self.primary()

    def expr(self):
        e = self.and_expr()
        while self.op("||"):
            e = ("or", e, self.and_expr())
        return e

    def and_expr(self):
        e = self.rel_expr()
        while self.op("&&"):
            e = ("and", e, self.rel_expr())
        return e

    def rel_expr(self):
        e = self.add_expr()
        t = self.peek()
        if t[0] == "op" and t[1] in ("=", "!=", "<", ">", "<=", ">="):
            self.next()
            return ("cmp", t[1], e, self.add_expr())
        neg = False
        if self.peek()[0] == "name" and self.peek()[1].upper() == "NOT" and \
                self.peek(1)[0] == "name" and self.peek(1)[1].upper() == "IN":
            self.next()
            neg = True
        if self.kw("IN"):
            self.expect_op("(")
            items = []
            while not self.op(")"):
                items.append(self.expr())
                self.op(",")
            return ("in", neg, e, items)
        return e

    def add_expr(self):
        e = self.mul_expr()
        while True:
            t = self.peek()
            if t[0] == "op" and t[1] in ("+", "-"):
                self.next()
                e = ("arith", t[1], e, self.mul_expr())
            else:
                return e

    def mul_expr(self):
        e = self.unary()
        while True:
            t = self.peek()
            if t[0] == "op" and t[1] in ("*", "/"):
                self.next()
                e = ("arith", t[1], e, self.unary())
            else:
                return e

    def unary(self):
        if self.op("!"):
            return ("not", self.unary())
        if self.op("-"):
            return ("arith", "-", ("const", lit("0", XSD + "integer")), self.unary())
        self.op("+")
        return self.primary()

    def primary(self):
        t = self.peek()
        if self.op("("):
            e = self.expr()
            self.expect_op(")")
            return e
        if t[0] == "var":
            self.next()
            return ("var", self.see_var(t[1][1:]))
        if t[0] == "name" and t[1].upper() == "NOT" and self.peek(1)[0] == "name" \
                and self.peek(1)[1].upper() == "EXISTS":
            self.i += 2
            return ("exists", True, self.group())
        if t[0] == "name" and t[1].upper() == "EXISTS":
            self.next()
            return ("exists", False, self.group())
        if t[0] == "name" and t[1].upper() in AGGS:
            return self.aggregate()
        if t[0] == "name" and t[1].lower() not in ("true", "false", "a") and self.peek(1) == ("op", "("):
            self.next()
            return ("call", t[1].upper(), self.args())
        if t[0] in ("iri", "pname") and self.peek(1) == ("op", "("):
            self.next()
            return ("call", self.iri(t), self.args())
        return ("const", self.term())

    def args(self):
        self.expect_op("(")
        out = []
        while not self.op(")"):
            out.append(self.expr())
            self.op(",")
        return out

    def aggregate(self):
        name = self.next()[1].upper()
        self.expect_op("(")
        distinct = self.kw("DISTINCT")
        sep = " "
        if name == "COUNT" and self.op("*"):
            arg = None
        else:
            arg = self.expr()
        if name == "GROUP_CONCAT" and self.op(";"):
            if not self.kw("SEPARATOR"):
                self.fail("\"separator\"")
            self.expect_op("=")
            sep = self.term()[1]
        self.expect_op(")")
        return ("agg", name, distinct, arg, sep)


class Sparql:
    """Evaluates a parsed query over the fixture's triples."""

    def __init__(self, q, triples):
        self.q = q
        self.by_p = {}
        self.nodes = set()
        for s, p, o in triples:
            self.by_p.setdefault(p, []).append((s, o))
            self.nodes.update((s, o))
        self.all = triples
        self.labels = {}
        for s, p, o in triples:
            if p in (RDFS_LABEL, SCHEMA_DESC, SKOS_ALT):
                self.labels.setdefault((s, p), []).append(o)
        self.label_alias = {v: (base, kind) for base, kind, v in q["label_triples"]}
        self.labels_on = q["label_langs"] is not None

    # --- paths
    def pairs(self, path, s=None):
        kind = path[0]
        if kind == "iri":
            return [(a, b) for a, b in self.by_p.get(path[1], []) if s is None or a == s]
        if kind == "inv":
            return [(b, a) for a, b in self.pairs(path[1]) if s is None or b == s]
        if kind == "alt":
            return list(dict.fromkeys(x for p in path[1] for x in self.pairs(p, s)))
        if kind == "seq":
            cur = self.pairs(path[1][0], s)
            for step in path[1][1:]:
                nxt = []
                for a, b in cur:
                    nxt.extend((a, c) for _, c in self.pairs(step, b))
                cur = list(dict.fromkeys(nxt))
            return cur
        if kind == "mod":
            mod, inner = path[1], path[2]
            starts = [s] if s is not None else list(self.nodes)
            out = []
            for st in starts:
                seen = []
                frontier = [st]
                if mod in ("*", "?"):
                    seen.append(st)
                depth = 0
                while frontier and (mod != "?" or depth < 1):
                    depth += 1
                    nxt = []
                    for n in frontier:
                        for _, b in self.pairs(inner, n):
                            if b not in seen:
                                seen.append(b)
                                nxt.append(b)
                    frontier = nxt
                out.extend((st, b) for b in seen)
            return out
        raise SparqlUnsupported("path %r" % (kind,))

    def match(self, triple, mu):
        s, verb, o = triple

        def val(n):
            return mu.get(n[1]) if n[0] == "var" else n[1]

        sv, ov = val(s), val(o)
        if verb[0] == "var":
            pv = mu.get(verb[1])
            cands = [(a, p, b) for a, p, b in self.all if pv is None or uri(p) == pv]
            pairs = [((a, b), p) for a, p, b in cands]
        else:
            pairs = [(ab, None) for ab in self.pairs(verb[1], sv)]
        out = []
        for (a, b), p in pairs:
            if sv is not None and a != sv or ov is not None and b != ov:
                continue
            nu = dict(mu)
            ok = True
            for node, value in ((s, a), (o, b)) + (((verb, uri(p)),) if p is not None else ()):
                if node[0] == "var":
                    if node[1] in nu and nu[node[1]] != value:
                        ok = False
                    nu[node[1]] = value
            if ok:
                out.append(nu)
        return out

    # --- groups
    def group(self, els, sols):
        filters = []
        for el in els:
            k = el[0]
            if k == "bgp":
                for t in el[1]:
                    sols = [nu for mu in sols for nu in self.match(t, mu)]
            elif k == "optional":
                out = []
                for mu in sols:
                    ext = self.group(el[1], [mu])
                    out.extend(ext if ext else [mu])
                sols = out
            elif k == "union":
                sols = [nu for br in el[1] for nu in self.group(br, sols)]
            elif k == "group":
                sols = self.group(el[1], sols)
            elif k == "minus":
                rm = self.group(el[1], [{}])
                sols = [mu for mu in sols
                        if not any(set(mu) & set(nu) and all(mu[v] == nu[v] for v in set(mu) & set(nu))
                                   for nu in rm)]
            elif k == "values":
                out = []
                for mu in sols:
                    for row in el[2]:
                        nu = dict(mu)
                        ok = True
                        for v, t in zip(el[1], row):
                            if t is None:
                                continue
                            if v in nu and nu[v] != t:
                                ok = False
                            nu[v] = t
                        if ok:
                            out.append(nu)
                sols = out
            elif k == "bind":
                out = []
                for mu in sols:
                    nu = dict(mu)
                    try:
                        nu[el[2]] = self.eval(el[1], mu)
                    except ValueError:
                        pass
                    out.append(nu)
                sols = out
            elif k == "filter":
                filters.append(el[1])
        return [mu for mu in sols if all(self.ebv_safe(f, mu) for f in filters)]

    # --- the label service
    def label_of(self, var, mu):
        if not self.labels_on:
            return None
        if var in self.label_alias:
            base, kind = self.label_alias[var]
        else:
            m = re.match(r"(.+?)(Label|Description|AltLabel)$", var)
            if not m:
                return None
            base, kind = m.group(1), m.group(2)
        b = mu.get(base)
        if b is None:
            return None
        if b[0] == "lit":
            return lit(b[1]) if kind == "Label" else None
        langs = [x for x in self.q["label_langs"] if not x.startswith("[")] or ["en"]
        prop = {"Label": RDFS_LABEL, "Description": SCHEMA_DESC, "AltLabel": SKOS_ALT}[kind]
        for lang in langs + ["mul"]:
            vals = [x for x in self.labels.get((b, prop), []) if x[3] == lang]
            if vals:
                if kind == "AltLabel":
                    return lit(", ".join(x[1] for x in vals), None, lang)
                return vals[0]
        if kind == "Label":
            return lit(b[1][len(WD):] if b[1].startswith(WD) else b[1])
        return None

    def get(self, var, mu):
        v = mu.get(var)
        return v if v is not None else self.label_of(var, mu)

    # --- expressions
    def ebv_safe(self, e, mu):
        try:
            return self.ebv(self.eval(e, mu))
        except ValueError:
            return False

    @staticmethod
    def ebv(t):
        if t[0] == "uri":
            raise ValueError("no boolean value")
        if t[2] == XSD + "boolean":
            return t[1] == "true"
        if t[2] in NUMERIC:
            return float(t[1]) != 0
        return t[1] != ""

    @staticmethod
    def num(t):
        if t[0] == "lit" and t[2] in NUMERIC:
            return float(t[1])
        raise ValueError("not a number")

    @staticmethod
    def boolean(b):
        return lit("true" if b else "false", XSD + "boolean")

    @staticmethod
    def number(x):
        if float(x).is_integer() and abs(x) < 1e15:
            return lit(str(int(x)), XSD + "integer")
        return lit(repr(float(x)), XSD + "decimal")

    def compare(self, op, a, b):
        if a[0] == "lit" and b[0] == "lit" and a[2] in NUMERIC and b[2] in NUMERIC:
            x, y = float(a[1]), float(b[1])
        elif a[0] == "lit" and b[0] == "lit" and (a[2], a[3]) == (b[2], b[3]):
            x, y = a[1], b[1]
        elif op in ("=", "!="):
            return (a == b) == (op == "=")
        else:
            raise ValueError("incomparable")
        return {"=": x == y, "!=": x != y, "<": x < y, ">": x > y, "<=": x <= y, ">=": x >= y}[op]

    def eval(self, e, mu):
        k = e[0]
        if k == "const":
            return e[1]
        if k == "var":
            v = self.get(e[1], mu)
            if v is None:
                raise ValueError("unbound")
            return v
        if k == "or":
            l = self.ebv_safe(e[1], mu)
            return self.boolean(l or self.ebv(self.eval(e[2], mu)))
        if k == "and":
            return self.boolean(self.ebv(self.eval(e[1], mu)) and self.ebv(self.eval(e[2], mu)))
        if k == "not":
            return self.boolean(not self.ebv(self.eval(e[1], mu)))
        if k == "cmp":
            return self.boolean(self.compare(e[1], self.eval(e[2], mu), self.eval(e[3], mu)))
        if k == "in":
            x = self.eval(e[2], mu)
            hit = any(self.compare("=", x, self.eval(i, mu)) for i in e[3])
            return self.boolean(hit != e[1])
        if k == "arith":
            a, b = self.num(self.eval(e[2], mu)), self.num(self.eval(e[3], mu))
            if e[1] == "/" and b == 0:
                raise ValueError("division by zero")
            return self.number({"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else 0}[e[1]])
        if k == "exists":
            found = bool(self.group(e[2], [mu]))
            return self.boolean(found != e[1])
        if k == "agg":
            raise ValueError("aggregate outside a group")
        if k == "call":
            return self.call(e[1], e[2], mu)
        raise SparqlUnsupported("expression %r" % (k,))

    def call(self, name, argv, mu):
        if name == "BOUND":
            return self.boolean(argv and argv[0][0] == "var" and self.get(argv[0][1], mu) is not None)
        if name == "IF":
            return self.eval(argv[1] if self.ebv(self.eval(argv[0], mu)) else argv[2], mu)
        if name == "COALESCE":
            for a in argv:
                try:
                    return self.eval(a, mu)
                except ValueError:
                    pass
            raise ValueError("no value")
        vals = [self.eval(a, mu) for a in argv]
        s = lambda i: vals[i][1]
        if name == "LANG":
            return lit(vals[0][3] or "") if vals[0][0] == "lit" else lit("")
        if name == "LANGMATCHES":
            tag, rng = s(0).lower(), s(1).lower()
            return self.boolean(rng == "*" and tag != "" or tag == rng or tag.startswith(rng + "-"))
        if name == "STR":
            return lit(s(0))
        if name in ("LCASE", "UCASE"):
            v = vals[0]
            return lit(v[1].lower() if name == "LCASE" else v[1].upper(), v[2], v[3])
        if name == "CONTAINS":
            return self.boolean(s(1) in s(0))
        if name == "STRSTARTS":
            return self.boolean(s(0).startswith(s(1)))
        if name == "STRENDS":
            return self.boolean(s(0).endswith(s(1)))
        if name == "STRLEN":
            return self.number(len(s(0)))
        if name == "REGEX":
            flags = re.I if len(vals) > 2 and "i" in s(2) else 0
            return self.boolean(re.search(s(1), s(0), flags) is not None)
        if name == "YEAR":
            m = re.match(r"(-?\d+)-", s(0))
            if not m:
                raise ValueError("not a date")
            return self.number(int(m.group(1)))
        if name in ("ISIRI", "ISURI"):
            return self.boolean(vals[0][0] == "uri")
        if name == "ISLITERAL":
            return self.boolean(vals[0][0] == "lit")
        if name == XSD + "integer":
            return lit(str(int(float(s(0)))), XSD + "integer")
        if name in (XSD + "decimal", XSD + "double", XSD + "float"):
            return lit(repr(float(s(0))), name)
        if name == XSD + "string":
            return lit(s(0))
        if name == XSD + "dateTime":
            return lit(s(0), XSD + "dateTime")
        raise SparqlUnsupported("function %s" % name)

    def aggregate(self, e, group):
        if e[0] != "agg":
            if e[0] == "var":
                return self.get(e[1], group[0]) if group else None
            raise SparqlUnsupported("expressions around aggregates")
        _, name, distinct, arg, sep = e
        vals = []
        for mu in group:
            if arg is None:
                vals.append(lit("*"))
                continue
            try:
                vals.append(self.eval(arg, mu))
            except ValueError:
                pass
        if distinct:
            vals = list(dict.fromkeys(vals))
        if name == "COUNT":
            return self.number(len(vals))
        if not vals:
            return lit("") if name == "GROUP_CONCAT" else None
        if name == "SAMPLE":
            return vals[0]
        if name == "GROUP_CONCAT":
            return lit(sep.join(v[1] for v in vals))
        if name in ("MIN", "MAX"):
            key = self.sort_key
            return (min if name == "MIN" else max)(vals, key=key)
        nums = [self.num(v) for v in vals]
        return self.number(sum(nums) if name == "SUM" else sum(nums) / len(nums))

    @staticmethod
    def sort_key(t):
        if t is None:
            return (0, 0, "")
        if t[0] == "uri":
            return (2, 0, t[1])
        if t[2] in NUMERIC:
            return (3, float(t[1]), "")
        return (3 if t[2] else 4, 0, t[1])

    def run(self):
        q = self.q
        sols = self.group(q["where"], [{}])
        if q["proj"] == "*":
            names = [v for v in self.all_vars(q) if not v.startswith("_")]
            rows = [{v: self.get(v, mu) for v in names} for mu in sols]
            exprs = []
        else:
            names = [v for v, _ in q["proj"]]
            exprs = q["proj"]
        has_agg = q["group"] or any(e is not None and self.has_agg(e) for _, e in exprs)
        if has_agg:
            groups = {}
            for mu in sols:
                key = []
                for g in q["group"]:
                    try:
                        key.append(self.eval(g, mu))
                    except ValueError:
                        key.append(None)
                groups.setdefault(tuple(key), []).append(mu)
            if not q["group"] and not groups:
                groups[()] = []
            rows = []
            for key, grp in groups.items():
                row = {}
                for v, e in exprs:
                    row[v] = self.aggregate(e if e is not None else ("var", v), grp)
                rows.append(row)
        elif q["proj"] != "*":
            rows = []
            for mu in sols:
                row = dict(mu)
                for v, e in exprs:
                    if e is None:
                        row[v] = self.get(v, mu)
                    else:
                        try:
                            row[v] = self.eval(e, row)
                        except ValueError:
                            row[v] = None
                rows.append((row, mu))
            rows = self.order(rows)
            rows = [{v: r[v] for v in names} for r, _ in rows]
        if has_agg or q["proj"] == "*":
            rows = [r for r, _ in self.order([(r, r) for r in rows])]
        if q["distinct"]:
            seen, uniq = set(), []
            for r in rows:
                k = tuple(r.get(v) for v in names)
                if k not in seen:
                    seen.add(k)
                    uniq.append(r)
            rows = uniq
        rows = rows[q["offset"]:]
        if q["limit"] is not None:
            rows = rows[:q["limit"]]
        return names, rows

    def order(self, rows):
        for e, desc in reversed(self.q["order"]):
            def key(pair, e=e):
                row, mu = pair
                ctx = dict(mu)
                ctx.update({k: v for k, v in row.items() if v is not None})
                try:
                    return self.sort_key(self.eval(e, ctx))
                except ValueError:
                    return self.sort_key(None)
            rows = sorted(rows, key=key, reverse=desc)
        return rows

    def has_agg(self, e):
        if isinstance(e, list):
            return any(self.has_agg(x) for x in e)
        if not isinstance(e, tuple) or not e:
            return False
        return e[0] == "agg" or any(self.has_agg(x) for x in e[1:] if isinstance(x, (tuple, list)))

    @staticmethod
    def all_vars(q):
        return q["_vars"]


def binding(t):
    if t[0] == "uri":
        return {"type": "uri", "value": t[1]}
    b = {"type": "literal", "value": t[1]}
    if t[3]:
        b["xml:lang"] = t[3]
    elif t[2]:
        b["datatype"] = t[2]
    return b


def run_sparql(text, port):
    p = SparqlParser(text)
    q = p.query()
    q["_vars"] = p.vars_seen
    names, rows = Sparql(q, build_graph(port)).run()
    return {"head": {"vars": names},
            "results": {"bindings": [{v: binding(r[v]) for v in names if r.get(v) is not None}
                                     for r in rows]}}


# ---------------------------------------------------------------- wbsearchentities

def wbsearch(params):
    if params.get("action") != "wbsearchentities":
        return {"error": {"code": "badvalue", "info": "Unrecognized value for parameter \"action\": %s."
                          % params.get("action", ""), "*": "stub: only action=wbsearchentities"},
                "servedby": "openmaps-stub"}, "badvalue"
    search = params.get("search")
    if not search:
        return {"error": {"code": "missingparam", "info": "The \"search\" parameter must be set.",
                          "*": "See the API help for usage."}, "servedby": "openmaps-stub"}, "missingparam"
    lang = params.get("language")
    if not lang:
        return {"error": {"code": "missingparam", "info": "The \"language\" parameter must be set.",
                          "*": "See the API help for usage."}, "servedby": "openmaps-stub"}, "missingparam"
    try:
        limit = max(1, min(50, int(params.get("limit", "7"))))
        offset = max(0, int(params.get("continue", "0")))
    except ValueError:
        return {"error": {"code": "badinteger", "info": "Invalid value for \"limit\" or \"continue\".",
                          "*": ""}, "servedby": "openmaps-stub"}, "badinteger"
    hits = []
    if params.get("type", "item") == "item" and lang.split("-")[0] == "en":
        s = search.strip().lower()
        for qid, e in DATA["wikidata"]["entities"].items():
            terms = [("label", e["label"])] + [("alias", a) for a in e.get("aliases", [])]
            best = None
            for kind, text in terms:
                t = text.lower()
                rank = 0 if t == s else 1 if t.startswith(s) else None
                if rank is None and any(w.startswith(s) for w in t.split()[1:]):
                    rank = 2
                if rank is not None and (best is None or (rank, kind != "label") < best[:2]):
                    best = (rank, kind != "label", kind, text)
            if best:
                hits.append((best[0], best[1], int(qid[1:]), qid, e, best[2], best[3]))
    hits.sort()
    page = hits[offset:offset + limit]
    out = []
    for _, _, _, qid, e, kind, text in page:
        item = {"id": qid, "title": qid, "pageid": int(qid[1:]) % 99999989 + 11,
                "concepturi": WD + qid, "repository": "wikidata", "url": "//www.wikidata.org/wiki/" + qid,
                "display": {"label": {"value": e["label"], "language": "en"}},
                "label": e["label"]}
        if e.get("description"):
            item["display"]["description"] = {"value": e["description"], "language": "en"}
            item["description"] = e["description"]
        item["match"] = {"type": kind, "language": "en", "text": text}
        if kind == "alias":
            item["aliases"] = [text]
        out.append(item)
    body = {"searchinfo": {"search": search}, "search": out}
    if offset + limit < len(hits):
        body["search-continue"] = offset + limit
    body["success"] = 1
    return body, None


# ---------------------------------------------------------------- HTTP

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        pass

    def send(self, code, body, ctype="application/json; charset=utf-8", headers=()):
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False).encode()
        elif isinstance(body, str):
            body = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        self.entry["status"] = code

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def form(self, raw):
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype == "application/x-www-form-urlencoded":
            return {k: v[-1] for k, v in urllib.parse.parse_qs(raw.decode("utf-8", "replace"),
                                                               keep_blank_values=True).items()}
        return {}

    def handle_one(self):
        u = urllib.parse.urlsplit(self.path)
        params = {k: v[-1] for k, v in urllib.parse.parse_qs(u.query, keep_blank_values=True).items()}
        raw = self.body() if self.command == "POST" else b""
        service = {"/search": "nominatim", "/api/interpreter": "overpass", "/sparql": "sparql",
                   "/w/api.php": "wbsearch"}.get(u.path, "other")
        ua = self.headers.get("User-Agent")
        self.entry = {"t": time.monotonic(), "ua": ua, "method": self.command, "path": u.path,
                      "status": None, "fault": None}
        if service == "other":
            return self.control(u.path, raw)
        if service == "overpass":
            form = self.form(raw)
            data = params.get("data", form.get("data"))
            if data is None and raw and not form:
                data = raw.decode("utf-8", "replace")
            self.entry["data"] = data
        elif service == "sparql":
            form = self.form(raw)
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            query = params.get("query", form.get("query"))
            if query is None and ctype == "application/sparql-query":
                query = raw.decode("utf-8", "replace")
            self.entry["query"] = query
            self.entry["accept"] = self.headers.get("Accept")
            self.entry["params"] = {k: v for k, v in params.items() if k != "query"}
        else:
            merged = dict(self.form(raw))
            merged.update(params)
            params = merged
            self.entry["params"] = params
        with LOCK:
            STATS[service].append(self.entry)
            IN_FLIGHT[service] += 1
            PEAK[service] = max(PEAK[service], IN_FLIGHT[service])
        try:
            fault = next_fault(service)
            self.entry["fault"] = fault
            if fault == "slow":
                time.sleep(10)
            if args.latency:
                time.sleep(args.latency)
            getattr(self, service)(params, fault)
        finally:
            with LOCK:
                IN_FLIGHT[service] -= 1

    def control(self, path, raw):
        if path == "/_faults" and self.command == "POST":
            try:
                spec = json.loads(raw or b"{}")
                assert isinstance(spec, dict) and all(k in SERVICES and isinstance(v, list)
                                                      for k, v in spec.items())
            except (ValueError, AssertionError):
                return self.send(400, {"error": "want {service: [answers]}, services %s" % (SERVICES,)})
            with LOCK:
                for k, v in spec.items():
                    FAULTS[k] = list(v)
            return self.send(200, {"ok": True, "pending": FAULTS})
        if path == "/__stats" and self.command == "GET":
            with LOCK:
                return self.send(200, {"nominatim": STATS["nominatim"], "overpass": STATS["overpass"],
                                       "sparql": STATS["sparql"], "wbsearch": STATS["wbsearch"],
                                       "other": STATS["other"], "peak": PEAK, "pending": FAULTS})
        if path == "/__stats/reset" and self.command == "POST":
            with LOCK:
                for k in STATS:
                    STATS[k] = []
                for k in PEAK:
                    PEAK[k] = 0
            return self.send(200, {"ok": True})
        if path == "/api/status" and self.command == "GET":
            with LOCK:
                STATS["other"].append(self.entry)
            return self.send(200, "Connected as: 2130706433\nCurrent time: %s\nAnnounced endpoint: none\n"
                             "Rate limit: 2\n2 slots available now.\nCurrently running queries (pid, "
                             "space limit, time limit, start time):\n"
                             % time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "text/plain; charset=utf-8")
        with LOCK:
            STATS["other"].append(self.entry)
        return self.send(404, {"error": "not found", "path": path})

    # --- services
    def nominatim(self, params, fault):
        if ua_refused(self.entry["ua"]):
            return self.send(403, "<html><body><h1>Access blocked</h1><p>stub: send a User-Agent that "
                             "identifies the application (usage policy)</p></body></html>",
                             "text/html; charset=utf-8")
        if fault == 429:
            return self.send(429, "<html><body><h1>Too Many Requests</h1></body></html>",
                             "text/html; charset=utf-8", [("Retry-After", "1")])
        if isinstance(fault, int):
            return self.send(fault, {"error": {"code": fault, "message": "stub fault %d" % fault}})
        if fault == "malformed":
            return self.send(200, '[{"place_id": 316340471, "licence": "Data \u00a9 OpenStreetMap con')
        code, body = nominatim_search(params)
        self.send(code, body, headers=[("Access-Control-Allow-Origin", "*")])

    def overpass(self, params, fault):
        if ua_refused(self.entry["ua"]):
            return self.send(406, overpass_html("stub: scripts must send a User-Agent that identifies "
                                                "them"), "text/html; charset=utf-8")
        if fault == 429:
            return self.send(429, overpass_html(
                "runtime error: open64: 0 Success /osm3s_osm_base Dispatcher_Client::request_read_and_idx::"
                "rate_limited. Please check /api/status for the quota of your IP address."),
                "text/html; charset=utf-8", [("Retry-After", "1")])
        if fault == 504:
            return self.send(504, overpass_html(
                "runtime error: open64: 0 Success /osm3s_osm_base Dispatcher_Client::request_read_and_idx::"
                "timeout. The server is probably too busy to handle your request."),
                "text/html; charset=utf-8")
        if isinstance(fault, int):
            return self.send(fault, overpass_html("stub fault %d" % fault), "text/html; charset=utf-8")
        if fault == "malformed":
            return self.send(200, '{\n  "version": 0.6,\n  "generator": "Overpass API 0.7.62.7 openmaps-stub",'
                             '\n  "elements": [\n{\n  "type": "node",\n  "id": 91200', "application/json")
        data = self.entry.get("data")
        if not data:
            return self.send(400, overpass_html("line 1: parse error: no query given (form field data)"),
                             "text/html; charset=utf-8")
        try:
            printed, areas = run_ql(data)
        except QLError as e:
            return self.send(400, overpass_html(str(e)), "text/html; charset=utf-8")
        except QLUnsupported as e:
            return self.send(400, overpass_html("stub: unsupported Overpass QL: %s" % e),
                             "text/html; charset=utf-8")
        port = self.server.server_address[1]
        if fault == "remark":
            return self.send(200, overpass_json([], areas, 'runtime error: Query timed out in "query" at '
                                                'line 3 after 26 seconds.'), "application/json")
        elements = []
        for els, stmt in printed:
            elements.extend(render(els, stmt, port))
        self.send(200, overpass_json(elements, areas), "application/json")

    def sparql(self, params, fault):
        if ua_refused(self.entry["ua"]):
            return self.send(403, "Please set a user-agent and respect our robot policy "
                             "https://w.wiki/4wJS. (stub)", "text/plain; charset=utf-8")
        if fault == 429:
            return self.send(429, "<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html;"
                             "charset=utf-8\"/>\n<title>Error 429 Too Many Requests - Please retry in 1 "
                             "seconds.</title>\n</head>\n<body><h2>HTTP ERROR 429</h2>\n<p>Problem accessing "
                             "/sparql. Reason:\n<pre>    Too Many Requests - Please retry in 1 seconds."
                             "</pre></p>\n</body>\n</html>\n", "text/html;charset=utf-8",
                             [("Retry-After", "1")])
        if fault == "timeout":
            return self.send(500, "SPARQL-QUERY: queryStr=...\njava.util.concurrent.TimeoutException\n"
                             "\tat java.util.concurrent.FutureTask.get(FutureTask.java:205)\n",
                             "text/plain;charset=utf-8")
        if isinstance(fault, int):
            return self.send(fault, "stub fault %d" % fault, "text/plain;charset=utf-8")
        accept = (self.entry.get("accept") or "").lower()
        if "application/sparql-results+json" not in accept and "application/json" not in accept \
                and params.get("format") != "json":
            return self.send(400, "stub: only SPARQL JSON results are served; send Accept: "
                             "application/sparql-results+json", "text/plain;charset=utf-8")
        if fault == "malformed":
            return self.send(200, '{\n  "head" : {\n    "vars" : [ "item", "itemLabel" ]\n  },\n  "results" : '
                             '{\n    "bindings" : [ {\n      "item" : {\n        "type" : "uri",',
                             "application/sparql-results+json;charset=utf-8")
        query = self.entry.get("query")
        if not query:
            return self.send(400, "stub: no query given (query=)", "text/plain;charset=utf-8")
        try:
            body = run_sparql(query, self.server.server_address[1])
        except SparqlError as e:
            return self.send(400, "SPARQL-QUERY: queryStr=%s\njava.util.concurrent.ExecutionException: "
                             "org.openrdf.query.MalformedQueryException: %s\n" % (query, e),
                             "text/plain;charset=utf-8")
        except SparqlUnsupported as e:
            return self.send(400, "stub: unsupported SPARQL: %s\n" % e, "text/plain;charset=utf-8")
        self.send(200, body, "application/sparql-results+json;charset=utf-8")

    def wbsearch(self, params, fault):
        if ua_refused(self.entry["ua"]):
            return self.send(403, "Please set a user-agent and respect our robot policy "
                             "https://w.wiki/4wJS. (stub)", "text/plain; charset=utf-8")
        if fault == 429:
            return self.send(429, "Too many requests. Please slow down. (stub)",
                             "text/plain; charset=utf-8", [("Retry-After", "1")])
        if fault == "maxlag":
            return self.send(200, {"error": {"code": "maxlag", "info": "Waiting for a database server: "
                                             "5.2 seconds lagged.", "host": "db1", "lag": 5.2,
                                             "type": "db", "*": ""}, "servedby": "openmaps-stub"},
                             headers=[("Retry-After", "5"), ("MediaWiki-API-Error", "maxlag")])
        if isinstance(fault, int):
            return self.send(fault, "stub fault %d" % fault, "text/plain; charset=utf-8")
        if fault == "malformed":
            return self.send(200, '{"searchinfo":{"search":"%s"},"search":[{"id":"Q'
                             % params.get("search", "").replace('"', ""))
        body, err = wbsearch(params)
        self.send(200, body, headers=[("MediaWiki-API-Error", err)] if err else [])

    def do_GET(self):
        self.run_request()

    def do_POST(self):
        self.run_request()

    def run_request(self):
        self.entry = None  # a keep-alive connection's previous request is not this one
        try:
            self.handle_one()
        finally:
            e = getattr(self, "entry", None)
            if e is not None:
                line = {k: v for k, v in e.items()}
                line["service"] = {"/search": "nominatim", "/api/interpreter": "overpass",
                                   "/sparql": "sparql", "/w/api.php": "wbsearch"}.get(e["path"], "other")
                with LOCK, open(args.logfile, "a") as f:
                    f.write(json.dumps(line, ensure_ascii=False) + "\n")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 256
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


srv = Server(("127.0.0.1", 0), Handler)
with open(args.portfile + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(args.portfile + ".tmp", args.portfile)
srv.serve_forever()
