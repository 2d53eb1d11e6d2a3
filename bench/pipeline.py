#!/usr/bin/env python3
"""bench/pipeline.py: whole jobs against mock search, site and LLM servers on
loopback with fixed latencies (search 0.8 s, page 0.2 s, LLM 1.5 s), for one
25-lead job (`prospect run`) and for 50 jobs at once in one `prospect serve`.

Prints each wall time next to the critical-path bound it is compared with:
the sum of the latencies on the longest dependent chain of a job, which
no implementation can beat: LLM query generation (1.5) -> search (0.8) ->
robots.txt (0.2) -> the result's page (0.2) -> a page it links to (0.2) ->
LLM analysis of the lead (1.5) = 4.4 s. Every lead is analysed by the LLM
(PROSPECT_LLM_POLICY=all); provider rate limits are off (the mocks have
none), and so is the API's (the benchmark polls the jobs). Needs a Release
build in build/; PROSPECT_BIN=PATH measures another build.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("PROSPECT_BIN") or os.path.join(ROOT, "build", "prospect")
SEARCH, PAGE, LLM = 0.8, 0.2, 1.5
BOUND = LLM + SEARCH + PAGE * 3 + LLM
LEADS, JOBS = 25, 50
tmp = tempfile.mkdtemp()


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


portfile = os.path.join(tmp, "port")
mock = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests/stubs/providers.py"), portfile,
                         os.devnull, "--sites", "60", "--search-latency", str(SEARCH),
                         "--page-latency", str(PAGE), "--llm-latency", str(LLM)])
try:
    for _ in range(100):
        if os.path.exists(portfile):
            break
        time.sleep(0.05)
    base = "http://127.0.0.1:" + open(portfile).read()
    env = dict(os.environ, PROSPECT_FETCH_ALLOW_PRIVATE="1", PROSPECT_LOG_LEVEL="error",
               PROSPECT_DNS_SERVERS="127.0.0.1:9",  # the e-mail checks stay on loopback
               TAVILY_API_KEY="tvly-test-0123456789", TAVILY_BASE_URL=base,
               GEMINI_API_KEY="gemini-test-0123456789", GEMINI_BASE_URL=base,
               PROSPECT_LLM_POLICY="all", PROSPECT_SEARCH_RPM="0", PROSPECT_LLM_RPM="0",
               PROSPECT_CACHE_TTL_S="0", PROSPECT_JOB_CONCURRENCY=str(JOBS),
               PROSPECT_RATE_REQUESTS="0", PROSPECT_MAX_CONNECTIONS_PER_IP="0")
    req = json.load(open(os.path.join(ROOT, "examples/seed-request.json")))

    # One job.
    t0 = time.monotonic()
    p = subprocess.run([BIN, "run", os.path.join(ROOT, "examples/seed-request.json"), "--max-leads",
                        str(LEADS), "--format", "ndjson", "--db", os.path.join(tmp, "one.db")],
                       env=env, capture_output=True, text=True)
    one = time.monotonic() - t0
    events = [json.loads(l) for l in p.stdout.splitlines()]
    got = sum(e["event_type"] == "lead_generated" for e in events)
    first = next((e for e in events if e["event_type"] == "lead_enrichment_end"), None)

    # Fifty jobs at once in one server.
    port = free_port()
    srv = subprocess.Popen([BIN, "serve", "--db", os.path.join(tmp, "many.db")],
                           env=dict(env, MCP_SERVER_PORT=str(port)), stderr=subprocess.DEVNULL)
    api = "http://127.0.0.1:%d" % port
    for _ in range(100):
        try:
            urllib.request.urlopen(api + "/health").read()
            break
        except OSError:
            time.sleep(0.1)
    t0 = time.monotonic()
    ids = []
    for i in range(JOBS):
        r = dict(req, job_id="job_bench_%02d" % i)
        r["business_context"] = dict(req["business_context"], max_leads_to_generate=LEADS)
        rq = urllib.request.Request(api + "/api/v2/jobs", json.dumps(r).encode(),
                                    {"Content-Type": "application/json"})
        ids.append(json.loads(urllib.request.urlopen(rq).read())["job_id"])
    done, leads = {}, 0
    while len(done) < JOBS:
        time.sleep(0.1)
        for i in ids:
            if i in done:
                continue
            st = json.loads(urllib.request.urlopen(api + "/api/v2/jobs/" + i).read())
            if st["status"] not in ("queued", "running"):
                done[i] = time.monotonic() - t0
                leads += st.get("leads", 0)
    many = max(done.values())
    with open("/proc/%d/stat" % srv.pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    srv.terminate()
    srv.wait()

    print("critical-path bound per job: %.1f s (LLM %.1f + search %.1f + 3 pages x %.1f + LLM %.1f)"
          % (BOUND, LLM, SEARCH, PAGE, LLM))
    print("one %d-lead job:   %d leads, wall %.2f s, first lead enriched at %s, ratio %.2f"
          % (LEADS, got, one, "n/a" if not first else "seq %d" % first["seq"], one / BOUND))
    print("%d jobs at once: %d leads, wall %.2f s (median job %.2f s), ratio %.2f"
          % (JOBS, leads, many, sorted(done.values())[JOBS // 2], many / BOUND))
    print("  prospect CPU %.1f s (%.1f ms a lead) on %d cores shared with the mock servers"
          % (cpu, 1000 * cpu / max(leads, 1), os.cpu_count()))
finally:
    mock.kill()
