#!/usr/bin/env python3
"""security_test.py BIN SRCDIR CORPUS TESTBIN: the security baseline against the real
server on loopback (built with sanitizers in the ASan tier; lib.Server.stop
fails on any sanitizer report).

- API keys: 401 without or with a wrong key, /health open, /metrics open
  unless PROSPECT_METRICS_AUTH; a key sees and streams only its own jobs.
- Rate limits: 429 with Retry-After for requests and for job creation, per
  key and per address; the cap on jobs per key.
- CORS: preflight for an allowed origin, 403 for another, headers on answers
  and streams.
- Masked 5xx: the client gets an error id, the log has the detail.
- The audit line of each job.
- Fetch safety: a search provider whose results point at loopback in every
  spelling; a site on loopback records any request it gets: none.
- Hostile input: well over 100 malformed, oversized and adversarial
  requests; each gets a 4xx that names the problem, and the server stays up.
- No test hooks in production: BIN answers 404 to /bench/* even with
  PROSPECT_BENCH_ROUTES=1; TESTBIN (prospect-test) serves them only with it.
"""
import http.server
import json
import os
import socket
import sqlite3
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
from lib import TMP, fail, wait_for  # noqa: E402

BIN, SRC, CORPUS, TESTBIN = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
ALICE, BOB = "alice-secret-0123456789", "bob-secret-0123456789abc"
A = {"Authorization": "Bearer " + ALICE}
B = {"Authorization": "Bearer " + BOB}
KEYS = "alice:%s,bob:%s" % (ALICE, BOB)


def env(**extra):
    settings = {"PROSPECT_SAMPLE_CORPUS": CORPUS, "PROSPECT_LLM": "heuristic"}
    settings.update(extra)
    return lib.clean_env(**settings)


def server(name, **extra):
    return lib.Server(BIN, name, os.path.join(TMP, name + ".db"), env(**extra))


def expect(what, got, want):
    if got != want:
        fail("%s: got %r, want %r" % (what, got, want))


# ---- API keys and isolation; the audit line ----
audit = os.path.join(TMP, "audit.log")
s = server("keys", PROSPECT_API_KEYS=KEYS, PROSPECT_AUDIT_LOG=audit)
expect("health without a key", s.call("GET", "/health")[0], 200)
expect("metrics without a key", s.call("GET", "/metrics")[0], 200)
code, h, body = s.request("POST", "/api/v2/jobs", lib.seed_request(SRC, "a1", 3))
expect("a job without a key", (code, body.get("error")), (401, "unauthorized"))
if "Bearer" not in (h.get("WWW-Authenticate") or ""):
    fail("401 without WWW-Authenticate: Bearer")
code, body = s.call("GET", "/api/v2/jobs/a1", headers={"Authorization": "Bearer nope-nope-nope-nope"})
expect("a wrong key", (code, body.get("error")), (401, "unauthorized"))
code, body = s.call("GET", "/api/v2/jobs/a1", headers={"Authorization": "Basic " + ALICE})
expect("not a bearer token", code, 401)
expect("alice starts a1", s.call("POST", "/api/v2/jobs", lib.seed_request(SRC, "a1", 3), A)[0], 202)
expect("bob starts b1", s.call("POST", "/api/v2/jobs", lib.seed_request(SRC, "b1", 3), B)[0], 202)
wait_for("a1", lambda: s.finished("a1", A))
wait_for("b1", lambda: s.finished("b1", B))
for method, path in [("GET", "/api/v2/jobs/a1"), ("GET", "/api/v2/jobs/a1/events"),
                     ("GET", "/api/v2/jobs/a1/leads"), ("DELETE", "/api/v2/jobs/a1"),
                     ("DELETE", "/api/v2/jobs/a1/data")]:
    expect("bob: %s %s" % (method, path), s.call(method, path, headers=B)[0], 404)
expect("alice sees a1", s.call("GET", "/api/v2/jobs/a1", headers=A)[0], 200)
code, _, text = s.request("GET", "/api/v2/jobs/a1/events", headers=A)
if code != 200 or "event: pipeline_end" not in text:
    fail("alice cannot stream a1: %s" % code)
expect("alice cannot see b1", s.call("GET", "/api/v2/jobs/b1/leads", headers=A)[0], 404)
code, _, text = s.request("POST", "/api/v2/execute_streaming_prospect",
                          lib.seed_request(SRC, "a2", 2), A)
if code != 200 or "event: pipeline_end" not in text:
    fail("the seed endpoint with a key: %s" % code)
s.stop()
lines = [json.loads(l) for l in open(audit)]
by_job = {l["job_id"]: l for l in lines}
if sorted(by_job) != ["a1", "a2", "b1"]:
    fail("audit: lines for %s" % sorted(by_job))
else:
    for jid, key in [("a1", "alice"), ("a2", "alice"), ("b1", "bob")]:
        l = by_job[jid]
        if l["key"] != key or l["outcome"] != "succeeded" or l["user_id"] != "user_123" or \
                len(l["context_sha256"]) != 64 or l["leads"] < 1 or l["duration_ms"] < 0 or \
                not l["time"].endswith("Z"):
            fail("audit line of %s: %s" % (jid, l))
    if by_job["a1"]["context_sha256"] != by_job["b1"]["context_sha256"]:
        fail("audit: one context, two hashes")
    if ALICE in open(audit).read() or BOB in open(audit).read():
        fail("audit: a secret in the audit log")
for srv in lib.servers:
    if ALICE in open(srv.log).read():
        fail("a key in the server log")

s = server("metrics-auth", PROSPECT_API_KEYS=KEYS, PROSPECT_METRICS_AUTH="true")
expect("metrics without a key (protected)", s.call("GET", "/metrics")[0], 401)
expect("metrics with a key", s.request("GET", "/metrics", headers=A)[0], 200)
expect("health stays open", s.call("GET", "/health")[0], 200)
s.stop()

# ---- rate limits ----
s = server("rate", PROSPECT_API_KEYS=KEYS, PROSPECT_RATE_JOBS="2", PROSPECT_RATE_REQUESTS="30")
codes = [s.call("POST", "/api/v2/jobs", lib.seed_request(SRC, "r%d" % i, 1), A)[0] for i in range(3)]
expect("job creation per key", codes, [202, 202, 429])
code, h, body = s.request("POST", "/api/v2/jobs", lib.seed_request(SRC, "r9", 1), B)
# bob has his own key bucket, but shares alice's address: the address bucket is empty too
if code != 429 or body.get("error") != "rate_limited" or not (h.get("Retry-After") or "").isdigit() \
        or int(h["Retry-After"]) < 1 or "retry in" not in body.get("message", ""):
    fail("job creation per address: %s %s %s" % (code, dict(h), body))
statuses = [s.request("GET", "/api/v2/jobs/r0", headers=A)[0] for _ in range(40)]
if 429 not in statuses or statuses[0] != 200:
    fail("requests per minute: %s" % statuses)
expect("health is never limited", s.call("GET", "/health")[0], 200)
s.stop()
s = server("cap", PROSPECT_API_KEYS=KEYS, PROSPECT_MAX_JOBS_PER_KEY="1", PROSPECT_JOB_CONCURRENCY="1")
expect("first job", s.call("POST", "/api/v2/jobs", lib.seed_request(SRC, "c1", 10), A)[0], 202)
code, h, body = s.request("POST", "/api/v2/jobs", lib.seed_request(SRC, "c2", 10), A)
if code != 429 or body.get("error") != "too_many_jobs" or not h.get("Retry-After"):
    fail("jobs per key: %s %s" % (code, body))
expect("another key is not capped", s.call("POST", "/api/v2/jobs", lib.seed_request(SRC, "c3", 1), B)[0], 202)
s.stop()

# ---- CORS ----
s = server("cors", PROSPECT_CORS_ORIGINS="http://app.example, https://crm.example")
code, h, _ = s.request("OPTIONS", "/api/v2/jobs", headers={
    "Origin": "http://app.example", "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type"})
if code != 204 or h.get("Access-Control-Allow-Origin") != "http://app.example" or \
        "Authorization" not in (h.get("Access-Control-Allow-Headers") or "") or \
        "POST" not in (h.get("Access-Control-Allow-Methods") or ""):
    fail("preflight: %s %s" % (code, dict(h)))
code, h, body = s.request("OPTIONS", "/api/v2/jobs", headers={
    "Origin": "http://evil.example", "Access-Control-Request-Method": "POST"})
if code != 403 or h.get("Access-Control-Allow-Origin") or "evil.example" not in body.get("message", ""):
    fail("preflight from another origin: %s %s" % (code, body))
code, h, _ = s.request("POST", "/api/v2/jobs", lib.seed_request(SRC, "o1", 2), {"Origin": "https://crm.example"})
if code != 202 or h.get("Access-Control-Allow-Origin") != "https://crm.example" or "Origin" not in (h.get("Vary") or ""):
    fail("CORS on an answer: %s %s" % (code, dict(h)))
wait_for("o1", lambda: s.finished("o1"))
code, h, _ = s.request("GET", "/api/v2/jobs/o1/events", headers={"Origin": "http://app.example"})
if h.get("Access-Control-Allow-Origin") != "http://app.example":
    fail("CORS on a stream: %s" % dict(h))
code, h, _ = s.request("GET", "/api/v2/jobs/o1", headers={"Origin": "http://evil.example"})
if h.get("Access-Control-Allow-Origin"):
    fail("CORS header for an origin not allowed")
s.stop()

# ---- masked 5xx ----
db = os.path.join(TMP, "masked.db")
s = lib.Server(BIN, "masked", db, env())
expect("a job", s.call("POST", "/api/v2/jobs", lib.seed_request(SRC, "m1", 1))[0], 202)
wait_for("m1", lambda: s.finished("m1"))
con = sqlite3.connect(db)
con.execute("ALTER TABLE jobs RENAME TO jobs_elsewhere")  # the store breaks under the server
con.commit()
code, body = s.call("GET", "/api/v2/jobs/m1")
if code != 500 or set(body) != {"error", "error_id"} or body["error"] != "internal_error":
    fail("masked 5xx: %s %s" % (code, body))
elif "error_id=%s" % body["error_id"] not in open(s.log).read():
    fail("masked 5xx: the log has no line under error id %s" % body["error_id"])
con.execute("ALTER TABLE jobs_elsewhere RENAME TO jobs")
con.commit()
con.close()
expect("the server recovers", s.call("GET", "/api/v2/jobs/m1")[0], 200)
s.stop()


# ---- fetch safety ----
class Recorder(http.server.BaseHTTPRequestHandler):
    hits = []

    def do_GET(self):
        Recorder.hits.append(self.headers.get("Host", "") + self.path)
        body = b"<html><head><title>Internal admin</title></head><body>secret</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


rec = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
threading.Thread(target=rec.serve_forever, daemon=True).start()
rport = rec.server_address[1]
mock_port_file = os.path.join(TMP, "mock.port")
lib.spawn(sys.executable, os.path.join(SRC, "tests/stubs/providers.py"), mock_port_file,
          os.path.join(TMP, "mock.log"), "--url-style", "hostile", "--site-port", str(rport))
wait_for("mock", lambda: os.path.exists(mock_port_file) and open(mock_port_file).read().strip())
tavily = {"TAVILY_API_KEY": "tvly-test-0123456789",
          "TAVILY_BASE_URL": "http://127.0.0.1:%s" % open(mock_port_file).read().strip(),
          "PROSPECT_CACHE_TTL_S": "0"}
for allow in ("0", "1"):  # with the guard lifted (tests only), the same job does reach the site
    Recorder.hits = []
    s = server("guard-" + allow, PROSPECT_FETCH_ALLOW_PRIVATE=allow, **tavily)
    code, _, text = s.request("POST", "/api/v2/execute_streaming_prospect",
                              lib.seed_request(SRC, "g" + allow, 5))
    last = [l for l in text.split("\n") if l.startswith("data: ")][-1:]
    summary = json.loads(last[0][6:]).get("summary", {}) if last else {}
    fetches = summary.get("fetches", {})
    blocked = fetches.get("refused_address", 0) + fetches.get("blocked", 0)
    if allow == "0":
        blocked_by_guard = blocked
    if allow == "0" and (Recorder.hits or blocked < 1):
        fail("the address guard let %d request(s) reach loopback (blocked %d): %s %s" %
             (len(Recorder.hits), blocked, Recorder.hits[:5], fetches))
    if allow == "1" and not Recorder.hits:
        fail("the fetch-safety test cannot fail: nothing reached the site even when allowed")
    s.stop()
print("fetch safety: %d fetches blocked, none reached loopback" % blocked_by_guard, flush=True)
rec.shutdown()

# ---- hostile input ----
s = server("hostile", PROSPECT_API_KEYS=KEYS, PROSPECT_RATE_REQUESTS="0", PROSPECT_RATE_JOBS="0",
           PROSPECT_MAX_JOBS_PER_KEY="0", PROSPECT_CONNECTION_TIMEOUT_S="5")
# A slow client (headers that never end) is cut after the connection timeout.
slow = socket.create_connection(("127.0.0.1", s.port), 5)
slow.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: 1")
slow_started = time.time()
good = lib.seed_request(SRC, "h0", 1)
cases = []  # (name, method, path, headers, raw body)


def body_case(name, body, headers=None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    cases.append((name, "POST", "/api/v2/jobs", dict(A, **(headers or {})), raw))


def with_ctx(**changes):
    r = json.loads(json.dumps(good))
    r["job_id"] = "h%d" % len(cases)
    r["business_context"].update(changes)
    return r


for raw in [b"", b"{", b"}", b"[]", b"null", b"42", b'"x"', b"{\"business_context\":", b"\xff\xfe{}",
            b"{\"a\":\"\xc3\x28\"}", b"{\"business_context\":{}}\x00", b"{'single':'quotes'}",
            b"{\"business_context\":{\"max_leads_to_generate\":1e999}}", b"[" * 5000 + b"]" * 5000,
            b"{\"x\":" * 3000 + b"1" + b"}" * 3000, b"{\"business_context\":[]}",
            b"{\"business_context\":\"text\"}", b"\x00\x00\x00", b"{} trailing", b"\xef\xbb\xbf{}",
            b"{\"business_context\":{\"business_description\":\"\\ud800\"}}"]:
    body_case("raw %r" % raw[:24], raw)
for v in [0, -1, 10 ** 6, 2 ** 63, 1.5, "5", True, [], {}]:  # (null means absent)
    body_case("max_leads %r" % (v,), with_ctx(max_leads_to_generate=v))
for field in ["business_description", "product_service_description", "value_proposition",
              "ideal_customer", "target_market", "location"]:
    for v in [12, [], {}, "x" * 100001, "\u0000nul", False]:
        body_case("%s %r" % (field, str(v)[:12]), with_ctx(**{field: v}))
for field in ["industry_focus", "pain_points", "competitors"]:
    for v in ["text", [1, 2], [None], ["x"] * 5000, [["nested"]], [{"a": 1}], ["y" * 100001]]:
        body_case("%s %r" % (field, str(v)[:12]), with_ctx(**{field: v}))
for jid in ["", "a b", "../../etc/passwd", "x" * 500, "é", "<script>", 42, []]:
    r = json.loads(json.dumps(good))
    r["job_id"] = jid
    body_case("job_id %r" % (str(jid)[:12],), r)
for uid in [42, "x" * 100001, []]:
    r = json.loads(json.dumps(good))
    r["user_id"] = uid
    body_case("user_id %r" % (str(uid)[:12],), r)
body_case("too large", b"{\"business_context\":{\"business_description\":\"" + b"x" * 70000 + b"\"}}")
for ct in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
           "application/jsonp", ""]:
    cases.append(("content type %r" % ct, "POST", "/api/v2/jobs", dict(A, **{"Content-Type": ct}),
                  json.dumps(good).encode()))
for method in ["PUT", "PATCH", "TRACE"]:
    cases.append(("method " + method, method, "/api/v2/jobs", A, b"{}"))
for path in ["/api/v2/jobs/" + "x" * 300, "/api/v2/jobs/../../etc/passwd", "/api/v2/jobs/%00",
             "/api/v2/jobs/h0/unknown", "/api/v2/jobs//events", "/api/v3/jobs", "/nope",
             "/api/v2/jobs/h0/events?after=-1", "/api/v2/jobs/h0/events?after=abc",
             "/api/v2/jobs/h0/events?after=99999999999999999999999",
             "/api/v2/jobs/does-not-exist", "/api/v2/jobs/does-not-exist/leads",
             "/api/v2/jobs/%ff%fe/events"]:
    cases.append(("path " + path[:40], "GET", path, A, None))
for header, value in [("Last-Event-ID", "-5"), ("Last-Event-ID", "1e9"), ("Last-Event-ID", "x"),
                      ("Authorization", "Bearer " + "k" * 3000), ("Authorization", "Bearer"),
                      ("Authorization", "Bearer alice-secret-012345678"),
                      ("Authorization", "Bearer " + ALICE + "\t"), ("X-Big", "v" * 20000)]:
    h = dict(A)
    h[header] = value
    cases.append(("header %s %s" % (header, value[:16]), "GET", "/api/v2/jobs/h0/events", h, None))
cases.append(("no key", "GET", "/api/v2/jobs/h0", {}, None))

expect("a good job first", s.call("POST", "/api/v2/jobs", good, A)[0], 202)
bad = 0
for name, method, path, headers, raw in cases:
    try:
        code, h, body = s.request(method, path, headers=headers, raw=raw)
    except Exception as e:  # noqa: BLE001 - a dropped connection is a failure too
        fail("hostile %s: %s" % (name, e))
        continue
    named = isinstance(body, dict) and body.get("error") and (body.get("message") or body.get("problems"))
    if not (400 <= code < 500) or (code != 431 and not named):
        fail("hostile %s: %s %s" % (name, code, str(body)[:200]))
        bad += 1
    if code == 400 and isinstance(body, dict) and body.get("error") == "invalid_request" and \
            not all(p.get("path") is not None and p.get("message") for p in body.get("problems", [])):
        fail("hostile %s: a problem without its path" % name)
# Below HTTP: garbage on the socket gets a 4xx or a closed connection, never a crash.
for raw in [b"GARBAGE\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"GET " + b"/" * 70000 + b" HTTP/1.1\r\n\r\n",
            b"POST /api/v2/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
            b"POST /api/v2/jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            b"GET /health HTTP/1.1\r\n" + b"X: y\r\n" * 5000 + b"\r\n"]:
    c = socket.create_connection(("127.0.0.1", s.port), 5)
    try:
        c.sendall(raw)
        reply = c.recv(64)
        # (an unknown HTTP version is answered 505 by the protocol layer, as RFC 9110 says)
        if reply and not reply.startswith((b"HTTP/1.1 4", b"HTTP/1.0 4", b"HTTP/1.1 505")):
            fail("raw %r: %r" % (raw[:24], reply))
    except OSError:
        pass  # the server closed the connection: fine
    finally:
        c.close()
    cases.append(("raw", "", "", {}, raw))
expect("the server is up after %d hostile requests" % len(cases), s.call("GET", "/health")[0], 200)
slow.settimeout(15)
try:
    left = slow.recv(64)  # b"" once the server closes it
except OSError:
    left = b"error"
waited = time.time() - slow_started
if left.startswith(b"HTTP/1.1 2") or waited > 12:
    fail("a slow client was not cut: %r after %.1f s" % (left[:40], waited))
slow.close()
if len(cases) < 100:
    fail("only %d hostile requests" % len(cases))
print("hostile: %d requests, each a 4xx" % len(cases), flush=True)
s.stop()

# ---- test hooks: the bench routes are only in prospect-test, and only when asked ----
for bin_path, name, extra, want in [(BIN, "bench-prod", {"PROSPECT_BENCH_ROUTES": "1"}, 404),
                                    (TESTBIN, "bench-unasked", {}, 404),
                                    (TESTBIN, "bench-asked", {"PROSPECT_BENCH_ROUTES": "1"}, 200)]:
    s = lib.Server(bin_path, name, os.path.join(TMP, name + ".db"), env(**extra))
    expect(name + ": /bench/open", s.request("POST", "/bench/open/b1", raw=b"")[0], want)
    expect(name + ": /bench/publish", s.request("POST", "/bench/publish/b1", raw=b"hi")[0], want)
    if want == 200:
        c = socket.create_connection(("127.0.0.1", s.port), timeout=10)
        c.sendall(b"GET /api/v2/jobs/b1/events HTTP/1.1\r\nHost: x\r\n\r\n")
        got = b""
        while b"bench-hello" not in got:
            if not got:
                s.request("POST", "/bench/publish/b1", raw=b"bench-hello")
            chunk = c.recv(4096)
            if not chunk:
                break
            got += chunk
        c.close()
        if b"bench-hello" not in got:
            fail("%s: the published message is not on the stream: %r" % (name, got[-300:]))
    s.stop()
print("test hooks: the bench routes only in prospect-test, and only when asked", flush=True)

lib.finish("security")
