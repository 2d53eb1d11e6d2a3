#!/usr/bin/env python3
"""engine_test.py BIN SRCDIR: the process's one outbound I/O engine, seen
from the sites: many jobs at once in one `prospect serve` against the real
pages of tests/realpages served on loopback (tests/stubs/realweb.py, which
counts what each site sees).

Asserts that the per-host and global limits hold across jobs, that a page
is fetched about once whatever the number of jobs asking, that the number
of threads does not grow with the jobs, that the page cache outlives a
restart (hits, in /metrics and `prospect config`), revalidates with the
page's ETag once its time is up and honours Cache-Control: no-store, and
that a cancel stops a job's transfers at once.
"""
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

BIN, SRC = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SRC, "tests/integration"))
import lib  # noqa: E402

CONTEXTS = sorted(os.listdir(os.path.join(SRC, "tests/realpages/contexts")))


def check(ok, msg):
    if not ok:
        lib.fail(msg)


def web(*extra):
    return "http://127.0.0.1:%s" % lib.realweb("web-%d" % time.monotonic_ns(), *extra)


def stats(base):
    with urllib.request.urlopen(base + "/__stats", timeout=10) as r:
        return json.loads(r.read())


def page_requests(st):
    return {k: v for k, v in st["requests"].items() if not k.endswith("/robots.txt")}


def env(base, **extra):
    return lib.clean_env(TAVILY_API_KEY="tvly-test-0123456789", TAVILY_BASE_URL=base,
                         PROSPECT_SEARCH="tavily", PROSPECT_FETCH_ALLOW_PRIVATE="1",
                         PROSPECT_LLM="heuristic", PROSPECT_SEARCH_RPM="0",
                         PROSPECT_CACHE_TTL_S="0", PROSPECT_RATE_REQUESTS="0",
                         PROSPECT_MAX_CONNECTIONS_PER_IP="0", **extra)


def threads(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return 0


def run_jobs(srv, tag, n, leads=5):
    """Submits n jobs at once (the contexts in turn); waits for their end;
    returns the peak number of the server's threads meanwhile."""
    ids = []
    for i in range(n):
        req = json.load(open(os.path.join(SRC, "tests/realpages/contexts", CONTEXTS[i % 4])))
        req["job_id"] = "%s-%02d" % (tag, i)
        req["business_context"]["max_leads_to_generate"] = leads
        code, body = srv.call("POST", "/api/v2/jobs", req)
        check(code == 202, "%s: submit %s" % (body, req["job_id"]))
        ids.append(req["job_id"])
    peak, deadline = 0, time.monotonic() + 240
    left = set(ids)
    while left and time.monotonic() < deadline:
        peak = max(peak, threads(srv.p.pid))
        for jid in list(left):
            if srv.finished(jid):
                left.discard(jid)
        time.sleep(0.02)
    check(not left, "%s: jobs still running: %s" % (tag, sorted(left)))
    return peak


def metric(srv, name, label):
    with urllib.request.urlopen(srv.base + "/metrics", timeout=10) as r:
        text = r.read().decode()
    m = re.search(r'^%s\{[^}]*"%s"\} (\d+)$' % (re.escape(name), re.escape(label)), text, re.M)
    return int(m.group(1)) if m else -1


# ---- limits and sharing across jobs ----
base = web("--latency", "0.1")
db = os.path.join(lib.TMP, "engine.db")
srv = lib.Server(BIN, "engine", db, env(base, PROSPECT_FETCH_PER_HOST="2",
                                         PROSPECT_FETCH_CONCURRENCY="8"))
one = run_jobs(srv, "one", 1)
many = run_jobs(srv, "many", 12)
st = stats(base)
pages = page_requests(st)
check(max(st["peak_per_site"].values()) <= 2,
      "a site had %d requests in flight; the per-host limit is 2" % max(st["peak_per_site"].values()))
check(st["peak"] <= 8, "%d requests in flight in all; the global limit is 8" % st["peak"])
ratio = sum(pages.values()) / max(1, len(pages))
check(ratio <= 1.2, "%.2f requests per distinct page over 13 jobs" % ratio)
check(many <= one + 12 + 2,
      "threads grew with the jobs: %d with one job, %d with twelve" % (one, many))
check(metric(srv, "prospect_fetch_requests_total", "shared") > 0,
      "no fetch was shared between jobs")
srv.stop()

# ---- the page cache survives a restart ----
before = sum(page_requests(stats(base)).values())
srv = lib.Server(BIN, "engine-again", db, env(base))
run_jobs(srv, "again", 1)
after = sum(page_requests(stats(base)).values())
check(after == before, "%d pages fetched again after a restart" % (after - before))
check(metric(srv, "prospect_page_cache_total", "hit") > 0, "no page cache hit in /metrics")
srv.stop()
cfg = subprocess.run([BIN, "--db", db, "config", "--format", "json"], capture_output=True,
                     text=True, env=env(base))
cache = json.loads(cfg.stdout)["providers"].get("page_cache", {})
check(cache.get("pages", 0) > 0 and cache.get("hits", 0) > 0,
      "prospect config shows no page cache: %s" % cache)

# ---- past its time a page is revalidated with its ETag ----
time.sleep(1.2)
srv = lib.Server(BIN, "engine-stale", db, env(base, PROSPECT_PAGE_TTL_S="1"))
run_jobs(srv, "stale", 1)
check(stats(base)["not_modified"] > 0, "no conditional request was answered 304")
check(metric(srv, "prospect_page_cache_total", "revalidated") > 0,
      "no revalidated page in /metrics")
srv.stop()

# ---- Cache-Control: no-store is honoured ----
nbase = web("--no-store")
ndb = os.path.join(lib.TMP, "nostore.db")
srv = lib.Server(BIN, "engine-nostore", ndb, env(nbase))
run_jobs(srv, "ns1", 1)
first = sum(page_requests(stats(nbase)).values())
run_jobs(srv, "ns2", 1)
second = sum(page_requests(stats(nbase)).values()) - first
check(metric(srv, "prospect_page_cache_total", "no_store") > 0, "no-store pages were not counted")
check(metric(srv, "prospect_page_cache_total", "hit") == 0, "a no-store page came from the cache")
check(second > 0, "the second job fetched no page again, though none may be kept")
srv.stop()

# ---- robots.txt's Crawl-delay spaces a site's requests ----
cbase = web("--crawl-delay", "0.4")
srv = lib.Server(BIN, "engine-delay", os.path.join(lib.TMP, "delay.db"), env(cbase))
run_jobs(srv, "cd", 1)
gaps = []
for host, starts in stats(cbase)["starts"].items():
    starts.sort()
    gaps += [b - a for a, b in zip(starts, starts[1:])]
check(gaps, "no site got two page requests: the Crawl-delay was not exercised")
check(min(gaps or [1]) >= 0.38, "two requests to a site %.2f s apart; its Crawl-delay is 0.4 s"
      % min(gaps or [1]))
check(metric(srv, "prospect_fetch_requests_total", "crawl_delayed") > 0,
      "no request waited for a Crawl-delay")
srv.stop()

# ---- a cancel stops the job's transfers at once ----
sbase = web("--latency", "3")
srv = lib.Server(BIN, "engine-cancel", os.path.join(lib.TMP, "cancel.db"), env(sbase))
req = json.load(open(os.path.join(SRC, "tests/realpages/contexts", CONTEXTS[0])))
req["job_id"] = "slow"
srv.call("POST", "/api/v2/jobs", req)
lib.wait_for("a page in flight", lambda: stats(sbase)["peak"] > 0, timeout=30)
t0 = time.monotonic()
code, _ = srv.call("DELETE", "/api/v2/jobs/slow")
check(code in (200, 202), "cancel answered %d" % code)
lib.wait_for("the cancelled job", lambda: srv.finished("slow"), timeout=30)
took = time.monotonic() - t0
check(took < 2.0, "the cancelled job took %.1f s to end; its pages answer in 3 s" % took)
srv.stop()

lib.finish("engine")
sys.exit(1 if lib.failures else 0)
