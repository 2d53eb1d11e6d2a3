#!/usr/bin/env python3
"""bench/jobs.py [COUNTS...]: many jobs at once in one `prospect serve`, this
build side by side with the peer build before the I/O engine (commit
f7072e4, built once into build-peer/; PEER_BIN overrides it).

The jobs search a mock Tavily over the 101 real sites of tests/realpages
(tests/stubs/realweb.py), whose pages answer after 150 ms as real sites
do; the four contexts of tests/realpages/contexts take turns. COUNTS
(default 1 16 64) jobs are submitted at once, with the defaults of a
fresh install (PROSPECT_JOB_CONCURRENCY 16, PROSPECT_FETCH_PER_HOST 2).
For each count and build it prints:

  threads      the server's peak number of threads (sampled every 10 ms)
  site_peak    the most requests one site had in flight at once (limit 2)
  req/page     page requests over distinct pages fetched
  wall/crit    the time to the last job's end over the critical path: the
               longest of the four contexts' jobs, each run alone
  cpu_ms/lead  the server's CPU time over the leads of all the jobs

and the ratio of this build's figure to the peer's. Needs a Release build
in build/ and python3-bs4 (scripts/setup).
"""
import json
import os
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests/integration"))
import lib  # noqa: E402

COUNTS = [int(a) for a in sys.argv[1:]] or [1, 16, 64]
PEER_COMMIT = "f7072e4"
BIN = os.path.join(ROOT, "build", "prospect")
TICK = os.sysconf("SC_CLK_TCK")
CONTEXTS = sorted(os.listdir(os.path.join(ROOT, "tests/realpages/contexts")))


def peer_bin():
    if os.environ.get("PEER_BIN"):
        return os.environ["PEER_BIN"]
    out = os.path.join(ROOT, "build-peer")
    path = os.path.join(out, "build", "prospect")
    if not os.path.exists(path):
        src = os.path.join(out, "src")
        if not os.path.exists(src):
            subprocess.check_call(["git", "-C", ROOT, "worktree", "add", "--detach", src,
                                   PEER_COMMIT], stdout=subprocess.DEVNULL)
        subprocess.check_call(["cmake", "-S", src, "-B", os.path.join(out, "build"),
                               "-DCMAKE_BUILD_TYPE=Release"], stdout=subprocess.DEVNULL)
        subprocess.check_call(["cmake", "--build", os.path.join(out, "build"), "-j2",
                               "--target", "prospect"], stdout=subprocess.DEVNULL)
    return path


def get(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.loads(r.read())


def threads_of(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_ms(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / TICK


def start_web():
    port_file = os.path.join(lib.TMP, "web-%d.port" % time.monotonic_ns())
    p = lib.spawn(sys.executable, os.path.join(ROOT, "tests/stubs/realweb.py"),
                  os.path.join(ROOT, "tests/realpages/pages"), port_file,
                  os.path.join(lib.TMP, "web.log"), "--latency", "0.15")
    lib.wait_for("web", lambda: os.path.exists(port_file), timeout=120)
    return p, "http://127.0.0.1:%s" % open(port_file).read().strip()


def run(binary, side, n, first=0):
    """The figures of n jobs at once on one build (the contexts in turn from
    the first-th), each run on fresh mocks and a fresh store."""
    web, base = start_web()
    env = lib.clean_env(TAVILY_API_KEY="tvly-bench-0123456789", TAVILY_BASE_URL=base,
                        PROSPECT_SEARCH="tavily", PROSPECT_FETCH_ALLOW_PRIVATE="1",
                        PROSPECT_LLM="heuristic", PROSPECT_LOG_LEVEL="warn",
                        PROSPECT_SEARCH_RPM="0", PROSPECT_RATE_REQUESTS="0",
                        PROSPECT_MAX_CONNECTIONS_PER_IP="0", PROSPECT_RATE_JOBS="0")
    db = os.path.join(lib.TMP, "%s-%d-%d.db" % (side, n, first))
    srv = lib.Server(binary, "%s-%d-%d" % (side, n, first), db, env)
    pid = srv.p.pid
    cpu0, peak = cpu_ms(pid), threads_of(pid)
    ids = []
    t0 = time.monotonic()
    for i in range(n):
        ctx = CONTEXTS[(first + i) % len(CONTEXTS)]
        req = json.load(open(os.path.join(ROOT, "tests/realpages/contexts", ctx)))
        req["job_id"] = "bench-%s-%d-%03d" % (side, n, i)
        code, body = srv.call("POST", "/api/v2/jobs", req)
        assert code == 202, body
        ids.append(req["job_id"])
    left = set(ids)
    leads = 0
    while left:
        peak = max(peak, threads_of(pid))
        time.sleep(0.01)
        if int(time.monotonic() * 100) % 10:
            continue
        for jid in list(left):
            j = srv.finished(jid)
            if j:
                left.discard(jid)
                leads += int(j.get("leads") or 0)
    wall = time.monotonic() - t0
    cpu = cpu_ms(pid) - cpu0
    stats = get(base + "/__stats")
    srv.stop()
    web.kill()
    pages = {k: v for k, v in stats["requests"].items() if not k.endswith("/robots.txt")}
    return {"threads": peak, "site_peak": max(stats["peak_per_site"].values() or [0]),
            "req/page": sum(pages.values()) / max(1, len(pages)), "wall": wall,
            "cpu_ms/lead": cpu / max(1, leads), "leads": leads}


def main():
    peer = peer_bin()
    rows, crit = [], {}
    for side, binary in (("prospect", BIN), ("peer", peer)):
        # The critical path: the longest of the contexts' jobs, each alone.
        solo = [run(binary, side, 1, first=c) for c in range(len(CONTEXTS))]
        alone = solo[0]
        crit[side] = max(r["wall"] for r in solo)
        for n in COUNTS:
            r = alone if n == 1 else run(binary, side, n)
            r["wall/crit"] = r["wall"] / crit[side]
            rows.append((n, side, r))
    rows.sort(key=lambda x: (x[0], x[1] != "prospect"))
    keys = ["threads", "site_peak", "req/page", "wall/crit", "cpu_ms/lead"]
    print("%-5s %-9s %8s %10s %9s %10s %12s %6s" % ("jobs", "build", *keys, "leads"))
    for n, side, r in rows:
        print("%-5d %-9s %8d %10d %9.2f %10.2f %12.1f %6d" % (
            n, side, r["threads"], r["site_peak"], r["req/page"], r["wall/crit"],
            r["cpu_ms/lead"], r["leads"]))
    print("\nratio this build / peer (f7072e4)")
    print("%-5s %8s %10s %9s %10s %12s" % ("jobs", *keys))
    for n in COUNTS:
        a = next(r for m, s, r in rows if m == n and s == "prospect")
        b = next(r for m, s, r in rows if m == n and s == "peer")
        print("%-5d %8.2f %10.2f %9.2f %10.2f %12.2f" % (
            n, *[a[k] / b[k] if b[k] else 0 for k in keys]))
    print("\ncritical path (the longest context's job alone): this build %.2f s, peer %.2f s"
          % (crit["prospect"], crit["peer"]))


main()
lib.finish("bench")
