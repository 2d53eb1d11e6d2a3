#!/usr/bin/env python3
"""providers.py PORTFILE LOGFILE [options]: mock upstream providers on 127.0.0.1.

Speaks the wire formats of reference/upstream-apis.md: Tavily (POST /search,
POST /extract), SearXNG (GET /search?format=json), Gemini (POST
/v1beta/models/M:generateContent) and OpenAI-compatible chat completions
(POST /v1/chat/completions), errors included. It also serves the company
websites its search results point to, by virtual host: http://SLUG.localhost:PORT/.

Faults are queued per route with POST /_faults {"route": R, "answers": [...]}
(replacing what was queued):
each request to R takes the next answer ("429", "500", "503", "401", "400",
"432", "433", "malformed", "max_tokens", "slow", "failed_results",
"quota_day", "retry_info", "insufficient_quota", "bad_schema"), then the
route answers normally. Every request is logged to LOGFILE as one JSON line
{route, method, path, headers, body}. Loopback only.
"""
import argparse
import hashlib
import http.server
import json
import re
import socketserver
import sys
import threading
import time
import urllib.parse

ap = argparse.ArgumentParser()
ap.add_argument("portfile")
ap.add_argument("logfile")
ap.add_argument("--sites", type=int, default=40)
ap.add_argument("--site-port", type=int, default=0, help="port the result URLs name (default: own)")
ap.add_argument("--url-style", choices=["localhost", "hostile"], default="localhost",
                help="hostile: result URLs name loopback in every spelling (address-guard tests)")
ap.add_argument("--search-latency", type=float, default=0)
ap.add_argument("--page-latency", type=float, default=0)
ap.add_argument("--llm-latency", type=float, default=0)
ap.add_argument("--tavily-key", default="tvly-test-0123456789")
ap.add_argument("--gemini-key", default="gemini-test-0123456789")
ap.add_argument("--openai-key", default="sk-test-0123456789")
args = ap.parse_args()

INDUSTRIES = ["Software", "SaaS", "IT Services", "Consulting"]
CITIES = ["Austin, TX", "Denver, CO", "Toronto, ON", "Seattle, WA", "Boston, MA"]
WORDS = ["Acme", "Bright", "Cedar", "Delta", "Ember", "Falcon", "Granite", "Harbor", "Iris",
         "Juniper", "Kestrel", "Lumen", "Maple", "Nova", "Orbit", "Pioneer", "Quartz", "Ridge",
         "Summit", "Tidal"]


def company(i):
    name = "%s %s" % (WORDS[i % len(WORDS)], ["Labs", "Systems", "Works", "Digital"][i // len(WORDS) % 4])
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ("-%d" % i if i >= 80 else "")
    return {"i": i, "name": name, "slug": slug, "industry": INDUSTRIES[i % 4],
            "city": CITIES[i % 5], "employees": 12 + (i * 7) % 80,
            "phone": "+1 512-555-%04d" % (100 + i)}


COMPANIES = [company(i) for i in range(args.sites)]
# Loopback in the spellings an address guard must see through.
HOSTILE = ["http://127.0.0.1:%(port)d/%(slug)s/", "http://localhost:%(port)d/%(slug)s/",
           "http://%(slug)s.localhost:%(port)d/", "http://[::1]:%(port)d/%(slug)s/",
           "http://127.1:%(port)d/%(slug)s/", "http://2130706433:%(port)d/%(slug)s/",
           "http://0x7f000001:%(port)d/%(slug)s/", "http://0.0.0.0:%(port)d/%(slug)s/",
           "http://[::ffff:127.0.0.1]:%(port)d/%(slug)s/", "http://127.0.0.2:%(port)d/%(slug)s/",
           "http://LOCALHOST.:%(port)d/%(slug)s/"]
BY_SLUG = {c["slug"]: c for c in COMPANIES}


def home_text(c):
    return ("%(name)s is a %(industry)s company with %(employees)d employees based in %(city)s, "
            "United States. Our sales team still does manual data entry into spreadsheets every day. "
            "Poor lead tracking means deals fall through the cracks. "
            "We are looking for a CRM with automation to replace our spreadsheets this quarter. "
            "We are hiring a Sales Operations Manager to own our CRM rollout." % c)


def home_html(c, port):
    ld = {"@context": "https://schema.org", "@type": "Organization", "name": c["name"],
          "url": "http://%s.localhost:%d/" % (c["slug"], port),
          "numberOfEmployees": {"@type": "QuantitativeValue", "value": c["employees"]},
          "address": {"@type": "PostalAddress", "addressLocality": c["city"].split(",")[0],
                      "addressRegion": c["city"].split(", ")[1], "addressCountry": "US"}}
    return ("<!DOCTYPE html><html lang='en'><head><title>%s | %s for growing teams</title>"
            "<meta name='description' content='%s builds %s for small businesses.'>"
            "<script type='application/ld+json'>%s</script></head><body>"
            "<nav><a href='/'>Home</a> <a href='/contact'>Contact</a> <a href='/about'>About us</a></nav>"
            "<main><h1>%s</h1><p>%s</p></main></body></html>"
            % (c["name"], c["industry"], c["name"], c["industry"].lower(), json.dumps(ld),
               c["name"], home_text(c))).encode()


def contact_html(c):
    return ("<!DOCTYPE html><html><head><title>Contact | %s</title></head><body><main>"
            "<h1>Contact %s</h1><p>Email us at sales@%s.example or call %s.</p>"
            "<p>Office: 100 Main Street, %s, United States</p></main></body></html>"
            % (c["name"], c["name"], c["slug"], c["phone"], c["city"])).encode()


def about_html(c):
    return ("<!DOCTYPE html><html><head><title>About | %s</title></head><body><main>"
            "<h1>About %s</h1><p>Founded in 2015, %s serves SMB customers across North America. "
            "Our team of %d people is growing fast.</p></main></body></html>"
            % (c["name"], c["name"], c["name"], c["employees"])).encode()


faults = {}
faults_lock = threading.Lock()
log_lock = threading.Lock()


def next_fault(route):
    with faults_lock:
        q = faults.get(route) or []
        return q.pop(0) if q else None


def pick(query, n):
    """The companies a query finds: a stable, query-dependent rotation."""
    h = int(hashlib.sha256(query.encode()).hexdigest(), 16)
    start = h % max(1, len(COMPANIES))
    return [COMPANIES[(start + k) % len(COMPANIES)] for k in range(min(n, len(COMPANIES)))]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        pass

    def send(self, code, body, ctype="application/json", headers=()):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def record(self, route, body):
        entry = {"route": route, "method": self.command, "path": self.path,
                 "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
        with log_lock, open(args.logfile, "a") as f:
            f.write(json.dumps(entry) + "\n")

    def read_json(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return {"_unparsed": raw.decode("utf-8", "replace")}

    # ---- sites ----
    def site(self):
        host = (self.headers.get("Host") or "").split(":")[0]
        slug = host[: -len(".localhost")]
        c = BY_SLUG.get(slug)
        self.record("site", None)
        if args.page_latency:
            time.sleep(args.page_latency)
        if c is None:
            return self.send(404, b"no such site", "text/plain")
        port = args.site_port or self.server.server_address[1]
        path = self.path.split("?")[0]
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /private\n", "text/plain")
        if c["i"] % 10 in (4, 9):  # some sites are down: the provider's reading must do
            return self.send(503, b"down for maintenance", "text/plain")
        pages = {"/": home_html(c, port), "/contact": contact_html(c), "/about": about_html(c)}
        if path in pages:
            return self.send(200, pages[path], "text/html; charset=utf-8")
        return self.send(404, b"<html><body>Not found</body></html>", "text/html")

    def do_GET(self):
        host = self.headers.get("Host") or ""
        if ".localhost" in host.split(":")[0]:
            return self.site()
        u = urllib.parse.urlsplit(self.path)
        if u.path == "/search":
            return self.searxng(urllib.parse.parse_qs(u.query))
        self.send(404, {"error": "not found"})

    def do_POST(self):
        u = urllib.parse.urlsplit(self.path)
        body = self.read_json()
        if u.path == "/_faults":
            with faults_lock:
                faults[body["route"]] = list(body["answers"])
            return self.send(200, {"ok": True})
        if u.path == "/search":
            return self.tavily_search(body)
        if u.path == "/extract":
            return self.tavily_extract(body)
        m = re.match(r"^/v1beta/models/([^/:]+):generateContent$", u.path)
        if m:
            return self.gemini(m.group(1), body)
        if u.path == "/v1/chat/completions":
            return self.openai(body)
        m = re.match(r"^/v1beta/models/([^/:]+):batchEmbedContents$", u.path)
        if m:
            return self.gemini_embed(body)
        if u.path == "/v1/embeddings":
            return self.openai_embed(body)
        self.send(404, {"error": "not found"})

    # ---- Tavily ----
    def tavily_error(self, route, f):
        codes = {"401": (401, "Unauthorized: missing or invalid API key."),
                 "400": (400, "Invalid parameter."),
                 "429": (429, "Your request has been blocked due to excessive requests."),
                 "432": (432, "This request exceeds your plan's set usage limit."),
                 "433": (433, "This request exceeds the pay-as-you-go limit."),
                 "500": (500, "Internal server error."), "503": (503, "Service unavailable.")}
        if f == "malformed":
            return self.send(200, b'{"results": [', "application/json") or True
        if f == "slow":
            time.sleep(5)
            return False
        if f in codes:
            code, msg = codes[f]
            hdr = [("Retry-After", "1")] if code == 429 else []
            self.send(code, {"detail": {"error": msg}}, headers=hdr)
            return True
        return False

    def tavily_search(self, body):
        self.record("tavily", body)
        if args.search_latency:
            time.sleep(args.search_latency)
        if self.headers.get("Authorization") != "Bearer " + args.tavily_key:
            return self.send(401, {"detail": {"error": "Unauthorized: missing or invalid API key."}})
        f = next_fault("tavily")
        if f and self.tavily_error("tavily", f):
            return
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return self.send(400, {"detail": {"error": "query is required"}})
        port = args.site_port or self.server.server_address[1]
        results = []
        for c in pick(body["query"], int(body.get("max_results", 5))):
            url = "http://%s.localhost:%d/" % (c["slug"], port)
            if args.url_style == "hostile":
                url = HOSTILE[c["i"] % len(HOSTILE)] % {"port": port, "slug": c["slug"]}
            raw = None
            if body.get("include_raw_content") and c["i"] % 2 == 1:
                raw = "# %s\n\n%s\n\n[Contact](%scontact)" % (c["name"], home_text(c), url)
            results.append({"title": "%s | %s" % (c["name"], c["industry"]), "url": url,
                            "content": home_text(c)[:200], "score": 0.9, "raw_content": raw})
        self.send(200, {"query": body["query"], "answer": None, "images": [], "results": results,
                        "response_time": "0.42", "usage": {"credits": 2}, "request_id": "req-1"})

    def tavily_extract(self, body):
        self.record("extract", body)
        if self.headers.get("Authorization") != "Bearer " + args.tavily_key:
            return self.send(401, {"detail": {"error": "Unauthorized: missing or invalid API key."}})
        f = next_fault("extract")
        urls = body.get("urls") if isinstance(body, dict) else None
        urls = [urls] if isinstance(urls, str) else (urls or [])
        if f == "failed_results":
            return self.send(200, {"results": [], "failed_results": [{"url": u, "error": "blocked"} for u in urls],
                                   "response_time": 0.1, "request_id": "req-2"})
        if f and self.tavily_error("extract", f):
            return
        results = []
        for u in urls:
            slug = urllib.parse.urlsplit(u).hostname.split(".")[0]
            c = BY_SLUG.get(slug)
            if c:
                results.append({"url": u, "raw_content": "# %s\n\n%s\n\nWrite to sales@%s.example."
                                % (c["name"], home_text(c), c["slug"]), "images": []})
        self.send(200, {"results": results, "failed_results": [], "response_time": 0.2,
                        "usage": {"credits": 1}, "request_id": "req-2"})

    # ---- SearXNG ----
    def searxng(self, q):
        self.record("searxng", None)
        if args.search_latency:
            time.sleep(args.search_latency)
        if q.get("format") != ["json"]:
            return self.send(403, b"<html>Forbidden</html>", "text/html")
        f = next_fault("searxng")
        if f in ("429", "500", "503"):
            return self.send(int(f), b"<html>error</html>", "text/html")
        port = args.site_port or self.server.server_address[1]
        page = int((q.get("pageno") or ["1"])[0])
        found = pick(q.get("q", [""])[0], 10 * page)[10 * (page - 1):]
        results = [{"url": "http://%s.localhost:%d/" % (c["slug"], port),
                    "title": "%s | %s" % (c["name"], c["industry"]), "content": home_text(c)[:180],
                    "engine": "duckduckgo", "engines": ["duckduckgo"], "positions": [k + 1],
                    "score": 1.0 / (k + 1), "category": "general", "publishedDate": None,
                    "parsed_url": ["http", "%s.localhost:%d" % (c["slug"], port), "/", "", "", ""]}
                   for k, c in enumerate(found)]
        self.send(200, {"query": q.get("q", [""])[0], "number_of_results": 0, "results": results,
                        "answers": [], "corrections": [], "infoboxes": [], "suggestions": [],
                        "unresponsive_engines": [["google", "timeout"]]})

    # ---- LLM answers (both wire formats) ----
    def answer_for(self, schema, prompt, bad):
        props = (schema or {}).get("properties", {})
        if bad == "bad_schema":
            return {"unexpected": True}
        if "queries" in props:
            return {"queries": [{"query": "small software companies replacing spreadsheets with a CRM", "strategy": "pain"},
                                {"query": "SaaS startups hiring sales operations manager", "strategy": "signal"},
                                {"query": "IT consulting firms United States", "strategy": "industry"},
                                {"query": "software companies Austin Texas", "strategy": "location"}]}
        if "fit" in props:
            return {"fit": 0.7, "reason": "A small software company that tracks leads by hand."}
        passages = re.findall(r"^\[(\d+)\] \((\S+)\) (.+)$", prompt, re.M)
        quote = None
        for n, url, text in passages:
            if "manual data entry" in text or "lead tracking" in text:
                quote = (int(n), text.strip()[:80])
                break
        if quote is None and passages:
            quote = (int(passages[0][0]), passages[0][2].strip()[:60])
        ev = [{"passage": quote[0], "quote": quote[1]}] if quote else []
        invented = {"passage": 1, "quote": "We urgently need a new CRM before the end of the month."}
        score = lambda v, e: {"score": v, "evidence": e}
        return {"sector": "Software", "services": ["software development"],
                "challenges": ["manual data entry", "lead tracking"],
                "pain_alignment": score(0.9, ev), "buying_intent": score(0.8, ev + [invented]),
                "urgency": score(0.6, []), "icp_fit": score(0.85, ev),
                "insights": ["Their sales team keys data into spreadsheets by hand.",
                             "They are hiring a Sales Operations Manager to roll out a CRM."],
                "summary": "Strong fit: manual CRM work and an active CRM search."}

    def llm_fault(self, route, f, kind):
        if f in ("500", "503"):
            err = {"error": {"code": int(f), "message": "The model is overloaded.", "status": "UNAVAILABLE"}} \
                if kind == "gemini" else {"error": {"message": "server error", "type": "api_error", "param": None, "code": None}}
            self.send(int(f), err)
            return True
        if f == "401":
            self.send(401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error",
                                      "param": None, "code": "invalid_api_key"}})
            return True
        if f == "400":
            self.send(400, {"error": {"code": 400, "message": "API key not valid.", "status": "INVALID_ARGUMENT",
                                      "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID"}]}})
            return True
        if f == "429" or f == "retry_info":
            if kind == "gemini":
                self.send(429, {"error": {"code": 429, "message": "Resource has been exhausted", "status": "RESOURCE_EXHAUSTED",
                                          "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "0.3s"}]}})
            else:
                self.send(429, {"error": {"message": "Rate limit reached", "type": "requests", "param": None,
                                          "code": "rate_limit_exceeded"}}, headers=[("Retry-After", "1")])
            return True
        if f == "quota_day":
            self.send(429, {"error": {"code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED",
                                      "details": [{"@type": "type.googleapis.com/google.rpc.QuotaFailure",
                                                   "violations": [{"quotaId": "GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]}]}})
            return True
        if f == "insufficient_quota":
            self.send(429, {"error": {"message": "You exceeded your current quota", "type": "insufficient_quota",
                                      "param": None, "code": "insufficient_quota"}})
            return True
        if f == "slow":
            time.sleep(5)
        return False

    def gemini(self, model, body):
        self.record("gemini", body)
        if args.llm_latency:
            time.sleep(args.llm_latency)
        if self.headers.get("x-goog-api-key") != args.gemini_key:
            return self.send(400, {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                                             "status": "INVALID_ARGUMENT"}})
        f = next_fault("gemini")
        if f and self.llm_fault("gemini", f, "gemini"):
            return
        gc = (body or {}).get("generationConfig", {})
        schema = gc.get("responseJsonSchema")
        prompt = "".join(p.get("text", "") for c in body.get("contents", []) for p in c.get("parts", []))
        usage = {"promptTokenCount": len(prompt) // 4, "candidatesTokenCount": 120, "totalTokenCount": len(prompt) // 4 + 120}
        if f == "malformed":
            text, finish = '{"queries": [ {"query": "oops"', "STOP"
        elif f == "max_tokens":
            text, finish = '{"sector": "Soft', "MAX_TOKENS"
        else:
            text, finish = json.dumps(self.answer_for(schema, prompt, f)), "STOP"
        self.send(200, {"candidates": [{"content": {"role": "model", "parts": [{"text": text}]},
                                        "finishReason": finish, "index": 0}],
                        "usageMetadata": usage, "modelVersion": model, "responseId": "resp-1"})

    def openai(self, body):
        self.record("openai", body)
        if args.llm_latency:
            time.sleep(args.llm_latency)
        if self.headers.get("Authorization") != "Bearer " + args.openai_key:
            return self.send(401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error",
                                             "param": None, "code": "invalid_api_key"}})
        f = next_fault("openai")
        if f and self.llm_fault("openai", f, "openai"):
            return
        rf = (body or {}).get("response_format", {})
        schema = rf.get("json_schema", {}).get("schema")
        prompt = "".join(m.get("content", "") for m in body.get("messages", []))
        finish = "stop"
        if f == "malformed":
            text = "Sure! Here is the JSON: {"
        elif f == "max_tokens":
            text, finish = '{"sector": "So', "length"
        else:
            text = json.dumps(self.answer_for(schema, prompt, f))
        self.send(200, {"id": "chatcmpl-1", "object": "chat.completion", "created": 1795000000,
                        "model": body.get("model"),
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": text, "refusal": None},
                                     "finish_reason": finish, "logprobs": None}],
                        "usage": {"prompt_tokens": len(prompt) // 4, "completion_tokens": 120,
                                  "total_tokens": len(prompt) // 4 + 120}})


def vector(text, dims=64):
    """A bag of hashed words: texts sharing words are close."""
    v = [0.0] * dims
    for w in re.findall(r"[a-z]+", text.lower()):
        v[int(hashlib.md5(w.encode()).hexdigest(), 16) % dims] += 1.0
    return v


def embed_handlers():
    def gemini_embed(self, body):
        self.record("gemini_embed", body)
        if self.headers.get("x-goog-api-key") != args.gemini_key:
            return self.send(400, {"error": {"code": 400, "message": "API key not valid.", "status": "INVALID_ARGUMENT"}})
        if next_fault("gemini_embed") == "500":
            return self.send(500, {"error": {"code": 500, "message": "Internal error", "status": "INTERNAL"}})
        reqs = body.get("requests", [])
        self.send(200, {"embeddings": [{"values": vector(r["content"]["parts"][0]["text"])} for r in reqs]})

    def openai_embed(self, body):
        self.record("openai_embed", body)
        if self.headers.get("Authorization") != "Bearer " + args.openai_key:
            return self.send(401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error",
                                             "param": None, "code": "invalid_api_key"}})
        inputs = body.get("input", [])
        inputs = [inputs] if isinstance(inputs, str) else inputs
        data = [{"object": "embedding", "index": i, "embedding": vector(t)} for i, t in enumerate(inputs)]
        self.send(200, {"object": "list", "data": list(reversed(data)), "model": body.get("model"),
                        "usage": {"prompt_tokens": 10, "total_tokens": 10}})
    Handler.gemini_embed = gemini_embed
    Handler.openai_embed = openai_embed


embed_handlers()


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)  # a client gone is no error of ours
    request_queue_size = 1024
    allow_reuse_address = True


srv = Server(("127.0.0.1", 0), Handler)
with open(args.portfile + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
import os
os.rename(args.portfile + ".tmp", args.portfile)
srv.serve_forever()
