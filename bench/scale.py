#!/usr/bin/env python3
"""bench/scale.py [JOBS]: jobs per minute on PostgreSQL with 1, 2 and 4
`prospect worker` nodes behind one API node (`prospect serve --no-worker`),
and the share of the jobs' time spent in the database.

Each run gets a fresh database in one throwaway cluster on loopback. The
jobs search a mock Tavily whose company sites answer in 200 ms (as real
sites do; tests/stubs/providers.py), so a job mostly waits, as real jobs
do; each worker runs PROSPECT_JOB_CONCURRENCY=2 jobs at once, so more
workers mean more jobs at once. JOBS (default 24) jobs of 5 leads are
submitted at once; the time runs from the first submission to the last
job's end.

The database share is PostgreSQL's own account: the growth of
pg_stat_database.active_time (time its backends spent running statements)
over the sum of the jobs' durations (started_at to finished_at). Needs a
Release build in build/ and the postgresql package (scripts/setup).
"""
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests/integration"))
import lib  # noqa: E402

BIN = os.path.join(ROOT, "build", "prospect")
JOBS = int(sys.argv[1]) if len(sys.argv) > 1 else 24

pg = lib.Postgres("bench-pg")
port_file = os.path.join(lib.TMP, "mock.port")
lib.spawn(sys.executable, os.path.join(ROOT, "tests/stubs/providers.py"), port_file,
          os.path.join(lib.TMP, "mock.log"), "--page-latency", "0.2", "--sites", "120")
lib.wait_for("mock", lambda: os.path.exists(port_file) and open(port_file).read().strip())
mock = "http://127.0.0.1:%s" % open(port_file).read().strip()


def run(nworkers):
    db = "bench_%d" % nworkers
    pg.sql("CREATE DATABASE %s" % db)
    url = pg.url.rsplit("/", 1)[0] + "/" + db
    env = lib.clean_env(TAVILY_API_KEY="tvly-test-0123456789", TAVILY_BASE_URL=mock,
                        PROSPECT_FETCH_ALLOW_PRIVATE="1", PROSPECT_CACHE_TTL_S="0",
                        PROSPECT_LLM="heuristic", PROSPECT_JOB_CONCURRENCY="2",
                        PROSPECT_SITE_CONCURRENCY="4", PROSPECT_LOG_LEVEL="warn",
                        PROSPECT_SEARCH_RPM="0")
    api = lib.Server(BIN, "api-%d" % nworkers, url, env, args=("--no-worker",))
    workers = [subprocess.Popen([BIN, "worker", "--db", url], env=env,
                                stderr=subprocess.DEVNULL) for _ in range(nworkers)]
    lib.procs.extend(workers)
    time.sleep(0.5)  # the workers connect and migrate
    active0 = float(pg.sql("SELECT active_time FROM pg_stat_database WHERE datname = '%s'" % db) or 0)
    t0 = time.monotonic()
    ids = ["b%d-%03d" % (nworkers, i) for i in range(JOBS)]
    for jid in ids:
        code, body = api.call("POST", "/api/v2/jobs", lib.seed_request(ROOT, jid, 5))
        assert code == 202, body
    lib.wait_for("the jobs", lambda: int(pg.sql(
        "SELECT count(*) FROM jobs WHERE status IN ('succeeded', 'failed', 'cancelled')",
        db) or 0) == JOBS, 600)
    wall = time.monotonic() - t0
    time.sleep(1.2)  # the statistics collector's flush
    active = float(pg.sql("SELECT active_time FROM pg_stat_database WHERE datname = '%s'" % db) or 0)
    busy_ms = float(pg.sql("SELECT sum(finished_at - started_at) FROM jobs", db) or 0)
    ok = int(pg.sql("SELECT count(*) FROM jobs WHERE status = 'succeeded'", db) or 0)
    for w in workers:
        w.terminate()
        w.wait()
    api.stop()
    return wall, (active - active0) / busy_ms if busy_ms else 0, ok


print("%d jobs of 5 leads, 2 at once per worker, company sites answering in 200 ms" % JOBS)
print("%-8s %10s %10s %12s %10s" % ("workers", "wall s", "jobs/min", "vs 1 worker", "db share"))
base = None
for n in (1, 2, 4):
    wall, share, ok = run(n)
    rate = JOBS / wall * 60
    base = base or rate
    print("%-8d %10.1f %10.1f %11.2fx %9.1f%%%s" % (n, wall, rate, rate / base, share * 100,
                                                   "" if ok == JOBS else "  (%d failed)" % (JOBS - ok)),
          flush=True)
lib.finish("bench/scale")
