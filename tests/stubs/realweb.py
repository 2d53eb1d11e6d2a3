#!/usr/bin/env python3
"""realweb.py PAGES_DIR PORTFILE LOGFILE [--latency S] [--no-store] [--crawl-delay S] [--home]
[--mail-at-site]: the real pages of tests/realpages served as the open web on loopback, with a
Tavily mock to find them.

Sites answer after S seconds (default 0), as real sites take time, and
give each page an ETag and a Last-Modified date, answering 304 to a
request that still holds them; with --no-store every page says
Cache-Control: no-store instead. GET http://127.0.0.1:PORT/__stats gives
what the sites saw: requests per page, the peak of requests in flight per
site and in all, when each request to a site came (seconds), 304 answers,
and the searches. --crawl-delay puts a Crawl-delay in every robots.txt.
--home serves a site's first page at / too when the site has none there,
as a company's home page, for the companies a user names by domain alone.
--mail-at-site writes the e-mail addresses of a page's own domain as
addresses of the name it is served at (joe@macrumors.com on
forums.macrumors.com becomes joe@forums-macrumors-com.localhost), as if
the company's mail were at the site it is read from: what the e-mail checks
and the address patterns of a lead call its own domain. Addresses that
Cloudflare hides in a data-cfemail attribute stay as they are.

Each page is served at its own address on a site of its own:
https://www.termiopest.com/pest-control-queen-creek becomes
http://termiopest-com.localhost:PORT/pest-control-queen-creek (curl
resolves *.localhost to loopback). POST /search answers in Tavily's wire
format (results with title, url, content, score, raw_content), ranking
the pages by BM25 over their title and visible text, phrases of the query
counting extra, as a web search engine would. Loopback only; one line per
request in LOGFILE.
"""
import functools
import gzip
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

from bs4 import BeautifulSoup

pages_dir, portfile, logfile = sys.argv[1], sys.argv[2], sys.argv[3]
LATENCY = float(sys.argv[sys.argv.index("--latency") + 1]) if "--latency" in sys.argv else 0.0
LAST_MODIFIED = "Tue, 03 Nov 2026 10:00:00 GMT"
NO_STORE = "--no-store" in sys.argv
HOME = "--home" in sys.argv
MAIL_AT_SITE = "--mail-at-site" in sys.argv
CRAWL_DELAY = sys.argv[sys.argv.index("--crawl-delay") + 1] if "--crawl-delay" in sys.argv else None
STATS = {"requests": {}, "peak_per_site": {}, "peak": 0, "searches": 0, "not_modified": 0,
         "starts": {}}
IN_FLIGHT = {}
LOCK = threading.Lock()
labels = json.load(open(os.path.join(pages_dir, "..", "labels.json")))
WORD = re.compile(r"[a-z0-9]+")
STOP = set("a an and are as at be by for from in is it of on or the to with your our we you".split())


def slug_of(url):
    host = urllib.parse.urlsplit(url).hostname or ""
    if host.startswith("www."):
        host = host[4:]
    return re.sub(r"[^a-z0-9]+", "-", host.lower()).strip("-")


def own_domain(url):
    """The registrable domain of a page's host, near enough for the test
    pages: its last two labels, three under a two-letter country code's
    second level (co.uk, com.au)."""
    labels = (urllib.parse.urlsplit(url).hostname or "").lower().split(".")
    n = 3 if len(labels) > 2 and len(labels[-1]) == 2 and labels[-2] in (
        "co", "com", "org", "net", "ac", "gov", "edu") else 2
    return ".".join(labels[-n:])


def mail_at(html, domain, host):
    """html with the addresses at domain (or its subdomains) at host instead."""
    pattern = rb"@((?:[a-z0-9-]+\.)*)" + re.escape(domain.encode()) + rb"(?![a-z0-9-]|\.[a-z])"
    return re.sub(pattern, lambda m: b"@" + m.group(1) + host.encode(), html, flags=re.I)


def stem(w):  # plurals only: "plumbers" finds "plumber"
    return w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w


SITES = {}  # slug -> {path: (id, html)}
DOCS = []   # (slug, path, id, title, text, tf, length)
for p in labels:
    if not p.get("url"):
        continue
    html = gzip.open(os.path.join(pages_dir, p["id"] + ".html.gz")).read()
    u = urllib.parse.urlsplit(p["url"])
    slug, path = slug_of(p["url"]), (u.path or "/") + ("?" + u.query if u.query else "")
    if MAIL_AT_SITE:
        html = mail_at(html, own_domain(p["url"]), slug + ".localhost")
    SITES.setdefault(slug, {})[path] = (p["id"], html)
    soup = BeautifulSoup(html, "lxml")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for t in soup(["script", "style", "noscript", "template", "svg"]):
        t.decompose()
    text = " ".join(soup.get_text(" ").split())
    words = [stem(w) for w in WORD.findall((title + " ") * 3 + text.lower())]
    tf = {}
    for i, w in enumerate(words):
        tf[w] = tf.get(w, 0) + 1
        if i:
            tf[words[i - 1] + " " + w] = tf.get(words[i - 1] + " " + w, 0) + 1
    DOCS.append((slug, path, p["id"], title, text, tf, len(words)))
AVG = sum(d[6] for d in DOCS) / len(DOCS)
DF = {}
for d in DOCS:
    for w in d[5]:
        DF[w] = DF.get(w, 0) + 1


@functools.lru_cache(maxsize=4096)  # the mock must not be what a benchmark measures
def rank(query, n):
    words = [stem(w) for w in WORD.findall(query.lower()) if w not in STOP]
    terms = words + [a + " " + b for a, b in zip(words, words[1:])]
    scored = []
    for d in DOCS:
        s = 0.0
        for t in terms:
            f = d[5].get(t, 0)
            if f:
                idf = math.log(1 + (len(DOCS) - DF[t] + 0.5) / (DF[t] + 0.5))
                s += idf * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * d[6] / AVG))
        if s > 0:
            scored.append((-s, d[0], d[1], d))
    scored.sort()
    return tuple(x[3] for x in scored[:n])


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, code, body, ctype="application/json", headers=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        self.send_response(code)
        if NO_STORE and ctype.startswith("text/html"):
            headers = dict(headers or {}, **{"Cache-Control": "no-store"})
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log(self, what):
        with open(logfile, "a") as f:
            f.write(what + "\n")

    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0]
        if self.path == "/__stats" and not host.endswith(".localhost"):
            with LOCK:
                return self.send(200, STATS)
        self.log("GET %s%s" % (host, self.path))
        if not host.endswith(".localhost"):
            return self.send(404, {"error": "not found"})
        with LOCK:
            key = host + self.path
            STATS["requests"][key] = STATS["requests"].get(key, 0) + 1
            if self.path != "/robots.txt":
                STATS["starts"].setdefault(host, []).append(time.monotonic())
            IN_FLIGHT[host] = IN_FLIGHT.get(host, 0) + 1
            IN_FLIGHT[""] = IN_FLIGHT.get("", 0) + 1
            STATS["peak_per_site"][host] = max(STATS["peak_per_site"].get(host, 0), IN_FLIGHT[host])
            STATS["peak"] = max(STATS["peak"], IN_FLIGHT[""])
        try:
            if LATENCY:
                time.sleep(LATENCY)
        finally:  # answered from here on: the client may start the next one
            with LOCK:
                IN_FLIGHT[host] -= 1
                IN_FLIGHT[""] -= 1
        self.page(host)

    def page(self, host):
        site = SITES.get(host[: -len(".localhost")])
        if site is None:
            return self.send(404, b"no such site", "text/plain")
        if self.path == "/robots.txt":
            robots = "User-agent: *\nAllow: /\n"
            if CRAWL_DELAY:
                robots += "Crawl-delay: %s\n" % CRAWL_DELAY
            return self.send(200, robots.encode(), "text/plain")
        page = site.get(self.path)
        if page is None and HOME and self.path == "/":
            page = next(iter(site.values()))
        if page is None:
            return self.send(404, b"<html><body>Not found</body></html>", "text/html")
        if NO_STORE:
            return self.send(200, page[1], "text/html; charset=utf-8")
        etag = '"%s"' % page[0]
        if self.headers.get("If-None-Match") == etag or \
                self.headers.get("If-Modified-Since") == LAST_MODIFIED:
            with LOCK:
                STATS["not_modified"] += 1
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send(200, page[1], "text/html; charset=utf-8",
                  {"ETag": etag, "Last-Modified": LAST_MODIFIED})

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(n) or b"{}")
        if self.path != "/search":
            return self.send(404, {"error": "not found"})
        if not (self.headers.get("Authorization") or "").startswith("Bearer "):
            return self.send(401, {"detail": {"error": "Unauthorized: missing or invalid API key."}})
        q = body.get("query")
        if not isinstance(q, str):
            return self.send(400, {"detail": {"error": "query is required"}})
        self.log("SEARCH %s" % q)
        with LOCK:
            STATS["searches"] += 1
        port = self.server.server_address[1]
        results = []
        for d in rank(q, int(body.get("max_results", 5))):
            results.append({"title": d[3], "url": "http://%s.localhost:%d%s" % (d[0], port, d[1]),
                            "content": d[4][:300], "score": 0.5,
                            "raw_content": d[4][:20000] if body.get("include_raw_content") else None})
        self.send(200, {"query": q, "answer": None, "images": [], "results": results,
                        "response_time": "0.10", "usage": {"credits": 2}})


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 512


srv = Server(("127.0.0.1", 0), Handler)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(portfile + ".tmp", portfile)
srv.serve_forever()
