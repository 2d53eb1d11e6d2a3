#!/usr/bin/env python3
"""scale_test.py BIN SRCDIR CORPUS: scale-out on PostgreSQL.

A throwaway cluster on loopback (initdb as an unprivileged user), two API
nodes (`prospect serve --no-worker`) and two `prospect worker` nodes, a
webhook receiver. 20 jobs go in through both API nodes; one worker is
killed with SIGKILL while it runs jobs. Every job must finish (the other
worker takes the dead one's jobs over when their lease expires and resumes
them), each job's event sequence must be complete, keep the contract, and
be identical from both API nodes, and every event must reach the receiver
under one webhook-id only, with nothing lost.
"""
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
from lib import TMP, fail, free_port, try_connect, wait_for  # noqa: E402

BIN, SRC, CORPUS = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3]
SECRET = "whsec_bGVhZGdlbi10ZXN0LXNlY3JldC0wMTIzNDU2Nzg5YWI="
JOBS = 20

pg = lib.Postgres()
rport = free_port()
recv_log = os.path.join(TMP, "recv.log")
open(recv_log, "w").close()
lib.spawn(sys.executable, os.path.join(SRC, "tests/stubs/webhook_receiver.py"), str(rport), recv_log,
          "--secret", SECRET)
wait_for("receiver", lambda: try_connect(rport))
env = lib.clean_env(PROSPECT_SAMPLE_CORPUS=CORPUS, PROSPECT_LLM="heuristic",
                    PROSPECT_LEASE_MS="3000", PROSPECT_JOB_CONCURRENCY="5",
                    PROSPECT_SITE_CONCURRENCY="2", WEBAPP_WEBHOOK_ENABLED="true",
                    WEBAPP_WEBHOOK_URL="http://127.0.0.1:%d/hook" % rport, WEBHOOK_SECRET=SECRET)
r = subprocess.run([BIN, "index", CORPUS, "--db", pg.url, "--quiet"], env=env, capture_output=True,
                   text=True)
if r.returncode:
    fail("indexing the corpus into PostgreSQL: %s" % r.stderr[-500:])

apis = [lib.Server(BIN, "api%d" % i, pg.url, env, args=("--no-worker",)) for i in (1, 2)]
workers = []
for i in (1, 2):
    log = open(os.path.join(TMP, "worker%d.log" % i), "w")
    workers.append(subprocess.Popen([BIN, "worker", "--db", pg.url], env=env, stderr=log))
    lib.procs.append(workers[-1])

ids = ["scale-%02d" % i for i in range(JOBS)]
for k, jid in enumerate(ids):
    req = lib.seed_request(SRC, jid, 5 + k % 4)
    code, body = apis[k % 2].call("POST", "/api/v2/jobs", req)
    if code != 202:
        fail("%s: %s %s" % (jid, code, body))

# Kill the worker that holds the most running jobs, while it runs them.
victim = None
for _ in range(100):
    rows = [l.split("|") for l in pg.sql(
        "SELECT worker, count(*) FROM jobs WHERE status = 'running' GROUP BY worker").splitlines() if l]
    by_pid = {int(w.split("-")[-2]): int(n) for w, n in rows if w.count("-") >= 2}
    busy = [(by_pid.get(p.pid, 0), p) for p in workers]
    busy.sort(key=lambda x: -x[0])
    if busy and busy[0][0] >= 2:
        victim = busy[0][1]
        break
    time.sleep(0.05)
if not victim:
    fail("no worker was running two jobs to kill")
else:
    held = busy[0][0]
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    print("killed worker %d while it ran %d jobs" % (victim.pid, held), flush=True)

done = wait_for("all %d jobs to finish" % JOBS, lambda: all(apis[0].finished(j) for j in ids), 180)
statuses = {j: (apis[0].job(j) or {}).get("status") for j in ids}
if any(s != "succeeded" for s in statuses.values()):
    fail("jobs that did not succeed: %s" % {j: s for j, s in statuses.items() if s != "succeeded"})


resumed = 0
all_events = {}
for jid in ids:
    a, b = apis[0].replay(jid), apis[1].replay(jid)
    if a != b:
        fail("%s: the two API nodes replay different events" % jid)
    seqs = [s for s, _ in a]
    if seqs != list(range(1, len(a) + 1)):
        fail("%s: event ids are not 1..%d: %s" % (jid, len(a), seqs[:20]))
    path = os.path.join(TMP, jid + ".ndjson")
    with open(path, "w") as f:
        for s, e in a:
            f.write(json.dumps(dict(e, seq=s)) + "\n")
    r = subprocess.run([sys.executable, os.path.join(SRC, "tests/integration/check_events.py"), path],
                       capture_output=True, text=True)
    if r.returncode:
        fail("%s: event contract: %s" % (jid, r.stdout + r.stderr))
    if sum(1 for _, e in a if e["event_type"] == "pipeline_start") != 1:
        fail("%s: pipeline_start not exactly once" % jid)
    resumed += any("Resumed after a restart" in e.get("status_message", "") for _, e in a)
    all_events[jid] = a
if victim and not resumed:
    fail("no job shows it was taken over and resumed")

# Webhooks: every event delivered, one webhook-id per event, ids unique.
total = sum(len(v) for v in all_events.values())


def received():
    """The receiver's records so far."""
    return lib.json_lines(recv_log)


wait_for("every webhook", lambda: len({(r["event"]["job_id"], r["seq"]) for r in received() if r["status"] == 200}) >= total, 60)
recs = received()
ids_of = {}
for r in recs:
    ids_of.setdefault((r["event"]["job_id"], r["seq"]), set()).add(r["id"])
    if not r["signature_ok"]:
        fail("a delivery with a bad signature")
for jid, evs in all_events.items():
    for s, e in evs:
        got = [r for r in recs if r["seq"] == s and r["event"]["job_id"] == jid and r["status"] == 200]
        if not got:
            fail("%s event %d never delivered" % (jid, s))
        elif got[0]["event"] != e:
            fail("%s event %d delivered differs from the stored one" % (jid, s))
twice = [k for k, v in ids_of.items() if len(v) > 1]
if twice:
    fail("events delivered under two webhook-ids: %s" % twice[:5])
all_ids = [next(iter(v)) for v in ids_of.values()]
if len(set(all_ids)) != len(all_ids):
    fail("two events share a webhook-id")
print("scale: %d jobs, %d events, %d deliveries (%d repeated after the kill), %d jobs resumed" % (
    JOBS, total, len(recs), len(recs) - len(ids_of), resumed), flush=True)
for w in workers:
    if w.poll() is None:
        w.send_signal(signal.SIGTERM)
        w.wait(timeout=30)
lib.finish("scale")
