#!/usr/bin/env python3
"""webhooks_test.py BIN SRCDIR CORPUS: event delivery you can trust, against
the real server on loopback and a Standard Webhooks receiver
(tests/stubs/webhook_receiver.py) that verifies every signature itself.

- SIGKILL mid-job: the restarted server resumes the job; every stored event
  reaches the receiver at least once, under one webhook-id per event, in
  order, signed; the job's SSE replay is complete and keeps the contract.
- PROSPECT_RECOVERY=fail ends such a job in pipeline_error keeping its leads.
- The retry schedule (and its delays), dead letters and their redelivery,
  410 Gone and `prospect webhooks enable`, a receiver down at first,
  deletion on request, and retention at start.
"""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
from lib import TMP, fail, free_port, try_connect, wait_for  # noqa: E402

BIN, SRC, CORPUS = sys.argv[1], sys.argv[2], sys.argv[3]
SECRET = "whsec_bGVhZGdlbi10ZXN0LXNlY3JldC0wMTIzNDU2Nzg5YWI="


def receiver(name, port=None, secret=SECRET):
    port = port or free_port()
    log = os.path.join(TMP, name + ".recv")
    open(log, "a").close()
    p = lib.spawn(sys.executable, os.path.join(SRC, "tests/stubs/webhook_receiver.py"), str(port),
                  log, "--secret", secret)
    wait_for("receiver " + name, lambda: try_connect(port))
    return {"port": port, "log": log, "url": "http://127.0.0.1:%d/hook" % port, "proc": p}


def answers(recv, codes):
    req = urllib.request.Request("http://127.0.0.1:%d/_answers" % recv["port"],
                                 json.dumps({"answers": codes}).encode(),
                                 {"Content-Type": "application/json"})
    urllib.request.urlopen(req).read()


def records(recv):
    return lib.json_lines(recv["log"])


def env_for(url, **extra):
    settings = {"PROSPECT_SAMPLE_CORPUS": CORPUS, "WEBAPP_WEBHOOK_ENABLED": "true",
                "WEBAPP_WEBHOOK_URL": url, "WEBHOOK_SECRET": SECRET, "PROSPECT_LLM": "heuristic"}
    settings.update(extra)
    return lib.clean_env(**settings)


class Server(lib.Server):
    def __init__(self, name, db, env):
        super().__init__(BIN, name, db, env)

    def start(self, jid, leads):
        code, body = self.call("POST", "/api/v2/jobs", lib.seed_request(SRC, jid, leads))
        if code != 202:
            fail("%s: job not accepted: %s %s" % (jid, code, body))

    def delivered(self, jid):
        """The job once finished with nothing left pending in the outbox."""
        j = self.finished(jid)
        w = (j or {}).get("webhooks") or {}
        return j if j and w.get("pending", 1) == 0 else None


def cli(env, *args):
    return subprocess.run([BIN, *args], env=env, capture_output=True, text=True, timeout=30)


def check_delivery(name, recv, events, jid):
    """Every stored event reached recv, same id per event, in order, signed."""
    recs = [r for r in records(recv) if r["event"] and r["event"].get("job_id") == jid]
    ok = [r for r in recs if r["status"] == 200]
    by_seq = {}
    for r in recs:
        by_seq.setdefault(r["seq"], set()).add(r["id"])
    for seq, e in events:
        got = [r for r in ok if r["seq"] == seq]
        if not got:
            fail("%s: event %d (%s) never delivered" % (name, seq, e["event_type"]))
            continue
        if got[0]["event"] != e:
            fail("%s: event %d delivered differs from the stored one" % (name, seq))
    if any(len(ids) != 1 for ids in by_seq.values()):
        fail("%s: an event was sent under two webhook-ids" % name)
    all_ids = [next(iter(ids)) for ids in by_seq.values()]
    if len(set(all_ids)) != len(all_ids):
        fail("%s: two events share a webhook-id" % name)
    firsts = [r["seq"] for r in ok]
    if firsts != sorted(firsts):
        fail("%s: deliveries out of order: %s" % (name, firsts))
    if not all(r["signature_ok"] for r in recs):
        fail("%s: a delivery's signature did not verify" % name)
    return recs


MOCK_LOG = [None]


def searches():
    """Search requests the mock provider answered so far."""
    return sum(1 for l in open(MOCK_LOG[0]) if json.loads(l).get("route") == "tavily")


def slow_mock():
    port_file, log = os.path.join(TMP, "mock.port"), os.path.join(TMP, "mock.log")
    lib.spawn(sys.executable, os.path.join(SRC, "tests/stubs/providers.py"), port_file, log,
              "--page-latency", "0.25")
    wait_for("mock", lambda: os.path.exists(port_file) and open(port_file).read().strip())
    base = "http://127.0.0.1:%s" % open(port_file).read().strip()
    MOCK_LOG[0] = log
    return {"TAVILY_API_KEY": "tvly-test-0123456789", "TAVILY_BASE_URL": base,
            "PROSPECT_FETCH_ALLOW_PRIVATE": "1", "PROSPECT_SITE_CONCURRENCY": "2",
            "PROSPECT_CACHE_TTL_S": "0"}


def write_ndjson(path, events):
    with open(path, "w") as f:
        for seq, e in events:
            f.write(json.dumps(dict(e, seq=seq)) + "\n")


def contract(name, events, *args):
    path = os.path.join(TMP, name + ".ndjson")
    write_ndjson(path, events)
    r = subprocess.run([sys.executable, os.path.join(SRC, "tests/integration/check_events.py"),
                        path, *args], capture_output=True, text=True)
    if r.returncode:
        fail("%s: event contract: %s%s" % (name, r.stdout, r.stderr))


# ---- SIGKILL mid-job, restart, resume ----
mock = slow_mock()
recv = receiver("kill")
db = os.path.join(TMP, "kill.db")
env = env_for(recv["url"], **mock)
s1 = Server("kill-1", db, env)
s1.start("wh-kill", 8)
j = wait_for("two leads before the kill", lambda: (s1.job("wh-kill") or {}).get("leads", 0) >= 2 and s1.job("wh-kill"))
code, body = s1.call("DELETE", "/api/v2/jobs/wh-kill/data")
if code != 409 or body.get("error") != "job_running":
    fail("deleting a running job's data: %s %s" % (code, body))
s1.p.send_signal(signal.SIGKILL)
s1.p.wait()
leads_before = j["leads"] if j else 0
searched = searches()
s2 = Server("kill-2", db, env)
j = wait_for("the resumed job to finish and deliver", lambda: s2.delivered("wh-kill"), 120)
if searches() != searched:
    fail("kill: the resumed job searched again (%d searches after the restart)" % (searches() - searched))
if j and j["status"] != "succeeded":
    fail("resumed job ended %s: %s" % (j["status"], j.get("summary")))
events = s2.replay("wh-kill")
types = [e["event_type"] for _, e in events]
if types.count("pipeline_start") != 1:
    fail("kill: pipeline_start sent %d times" % types.count("pipeline_start"))
if not any("Resumed after a restart" in e.get("status_message", "") for _, e in events):
    fail("kill: no status_update says the job resumed")
contract("kill", events, "--leads", "8")
lead_ids = [e["lead_id"] for _, e in events if e["event_type"] == "lead_generated"]
if len(lead_ids) != len(set(lead_ids)):
    fail("kill: a lead was generated twice: %s" % lead_ids)
code, leads = s2.call("GET", "/api/v2/jobs/wh-kill/leads")
leads = (leads or {}).get("leads", [])
if code != 200 or len(leads) != len(lead_ids) or len(lead_ids) < leads_before:
    fail("kill: %d leads stored, %d generated, %d before the kill" % (len(leads or []), len(lead_ids), leads_before))
recs = check_delivery("kill", recv, events, "wh-kill")
print("kill: %d events, %d deliveries (%d leads kept across the kill of %d)" % (
    len(events), len(recs), leads_before, len(lead_ids)), flush=True)
# Deletion on request: everything of the job goes.
code, body = s2.call("DELETE", "/api/v2/jobs/wh-kill/data")
if code != 200 or not body.get("deleted"):
    fail("delete: %s %s" % (code, body))
for path in ("/api/v2/jobs/wh-kill", "/api/v2/jobs/wh-kill/leads", "/api/v2/jobs/wh-kill/data"):
    code, _ = s2.call("DELETE" if path.endswith("data") else "GET", path)
    if code != 404:
        fail("after deletion %s answers %d" % (path, code))
s2.stop()

# ---- webhooks from `prospect run`: the same outbox, ids and signatures ----
recv = receiver("cli")
cdb = os.path.join(TMP, "cli.db")
cenv = env_for(recv["url"])
req_path = os.path.join(TMP, "cli-request.json")
with open(req_path, "w") as f:
    json.dump(lib.seed_request(SRC, "wh-cli", 3), f)
r = subprocess.run([BIN, "--db", cdb, "run", "--format", "ndjson", req_path], env=cenv,
                   capture_output=True, text=True, timeout=120)
if r.returncode:
    fail("cli: prospect run exited %d: %s" % (r.returncode, r.stderr[-500:]))
events = []
for line in r.stdout.splitlines():
    e = json.loads(line)
    events.append((e.pop("seq"), e))
recs = check_delivery("cli", recv, events, "wh-cli")
if "webhooks: %d delivered, 0 pending" % len(events) not in r.stderr:
    fail("cli: the run did not say its deliveries: %s" % r.stderr[-300:])
r = subprocess.run([BIN, "--db", cdb, "run", "--format", "ndjson", req_path], env=cenv,
                   capture_output=True, text=True, timeout=60)
if r.returncode != 2 or "already run" not in r.stderr:
    fail("cli: a second run of job wh-cli: exit %d, %s" % (r.returncode, r.stderr[-300:]))
print("cli: %d events, %d deliveries" % (len(events), len(recs)), flush=True)

# ---- PROSPECT_RECOVERY=fail: ended, leads kept ----
recv = receiver("fail")
db = os.path.join(TMP, "fail.db")
s1 = Server("fail-1", db, env_for(recv["url"], **mock))
s1.start("wh-fail", 8)
wait_for("a lead before the kill", lambda: (s1.job("wh-fail") or {}).get("leads", 0) >= 1)
s1.p.send_signal(signal.SIGKILL)
s1.p.wait()
s2 = Server("fail-2", db, env_for(recv["url"], PROSPECT_RECOVERY="fail", **mock))
j = wait_for("the interrupted job to be ended", lambda: s2.delivered("wh-fail"), 60)
events = s2.replay("wh-fail")
last = events[-1][1] if events else {}
if (j or {}).get("status") != "failed" or last.get("event_type") != "pipeline_error" or \
        last.get("error_type") != "interrupted":
    fail("recovery=fail: %s, last event %s" % ((j or {}).get("status"), last))
code, leads = s2.call("GET", "/api/v2/jobs/wh-fail/leads")
if not (leads or {}).get("leads") or "kept" not in last.get("error_message", ""):
    fail("recovery=fail lost the leads: %s / %s" % (leads, last.get("error_message")))
contract("fail", events, "--end", "pipeline_error")
check_delivery("fail", recv, events, "wh-fail")
s2.stop()

# ---- the retry schedule ----
recv = receiver("retry")
answers(recv, [500, 503])
s = Server("retry", os.path.join(TMP, "retry.db"),
           env_for(recv["url"], PROSPECT_WEBHOOK_SCHEDULE="300ms,600ms"))
s.start("wh-retry", 3)
j = wait_for("retried deliveries", lambda: s.delivered("wh-retry"))
events = s.replay("wh-retry")
recs = check_delivery("retry", recv, events, "wh-retry")
first = [r for r in recs if r["seq"] == 1]
if [r["status"] for r in first] != [500, 503, 200]:
    fail("retry: attempts of the first event: %s" % [r["status"] for r in first])
elif first[1]["at"] - first[0]["at"] < 0.27 or first[2]["at"] - first[1]["at"] < 0.54:
    fail("retry: attempts came sooner than the schedule: %s" % [r["at"] for r in first])
if (j or {}).get("webhooks", {}).get("delivered") != len(events):
    fail("retry: status says %s" % (j or {}).get("webhooks"))
s.stop()

# ---- dead letters, and their redelivery ----
recv = receiver("dead")
answers(recv, [500, 500, 500])
denv = env_for(recv["url"], PROSPECT_WEBHOOK_SCHEDULE="100ms,100ms")
ddb = os.path.join(TMP, "dead.db")
s = Server("dead", ddb, denv)
s.start("wh-dead", 3)
j = wait_for("a dead letter", lambda: s.delivered("wh-dead"))
w = (j or {}).get("webhooks", {})
events = s.replay("wh-dead")
if w.get("dead_letters") != 1 or w.get("delivered") != len(events) - 1:
    fail("dead: status says %s for %d events" % (w, len(events)))
with urllib.request.urlopen(s.base + "/metrics") as r:
    metrics = r.read().decode()
for line in ("prospect_webhook_dead_letters_total 1", 'prospect_webhook_outbox{state="dead"} 1'):
    if line not in metrics:
        fail("dead: metrics lack %r" % line)
if [r["status"] for r in records(recv) if r["seq"] == 1] != [500, 500, 500]:
    fail("dead: the first event was not tried exactly three times")
others = [r["seq"] for r in records(recv) if r["status"] == 200]
if others != sorted(others) or set(others) != set(range(2, len(events) + 1)):
    fail("dead: the job's other events did not follow in order: %s" % others)
r = cli(denv, "webhooks", "enable", "--redeliver-dead", "--db", ddb)
if r.returncode or "1 delivery queued" not in r.stdout:
    fail("dead: webhooks enable: %s %s" % (r.stdout, r.stderr))
wait_for("the dead letter redelivered", lambda: any(x["seq"] == 1 and x["status"] == 200 for x in records(recv)))
s.stop()

# ---- 410 Gone disables the receiver until it is enabled again ----
recv = receiver("gone")
answers(recv, [200, 410])
genv = env_for(recv["url"])
gdb = os.path.join(TMP, "gone.db")
s = Server("gone", gdb, genv)
s.start("wh-gone", 3)
j = wait_for("the job", lambda: s.finished("wh-gone"))
time.sleep(0.5)
w = s.job("wh-gone").get("webhooks", {})
events = s.replay("wh-gone")
if len(records(recv)) != 2 or w.get("disabled") != len(events) - 1 or w.get("pending"):
    fail("gone: %d requests after 410, status %s" % (len(records(recv)), w))
r = cli(genv, "webhooks", "status", "--db", gdb)
if "receiver disabled" not in r.stdout or "410" not in r.stdout:
    fail("gone: webhooks status says %r" % r.stdout)
s.start("wh-gone-2", 2)  # later jobs are held too
wait_for("the second job", lambda: s.finished("wh-gone-2"))
time.sleep(0.3)
if len(records(recv)) != 2:
    fail("gone: a disabled receiver got more requests")
r = cli(genv, "webhooks", "enable", "--db", gdb)
if r.returncode:
    fail("gone: enable: %s" % r.stderr)
wait_for("held deliveries", lambda: s.delivered("wh-gone") and s.delivered("wh-gone-2"))
check_delivery("gone", recv, events, "wh-gone")
check_delivery("gone-2", recv, s.replay("wh-gone-2"), "wh-gone-2")
s.stop()

# ---- a receiver that is down at first, and no secret: unsigned ----
port = free_port()
url = "http://127.0.0.1:%d/hook" % port
# (the attempts must outlast the job, which the receiver waits for: under the
# sanitizers a job takes seconds, and five attempts in six seconds made its
# first event a dead letter before the receiver was up)
s = Server("down", os.path.join(TMP, "down.db"),
           env_for(url, WEBHOOK_SECRET="",
                   PROSPECT_WEBHOOK_SCHEDULE="200ms,400ms,800ms,1600ms,3s,6s,12s,12s,12s"))
s.start("wh-down", 3)
wait_for("the job", lambda: s.finished("wh-down"))
time.sleep(0.3)
recv = receiver("down", port, secret="")
wait_for("deliveries once the receiver is up", lambda: s.delivered("wh-down"), 30)
events = s.replay("wh-down")
recs = [r for r in records(recv)]
if sorted({r["seq"] for r in recs}) != [seq for seq, _ in events]:
    fail("down: delivered %s of %d" % (sorted({r["seq"] for r in recs}), len(events)))
if [r["seq"] for r in recs] != sorted(r["seq"] for r in recs) or any(r["signed"] for r in recs):
    fail("down: out of order, or signed without a secret")
s.stop()

# ---- retention at start ----
rdb = os.path.join(TMP, "fail.db")  # wh-fail finished there; it is made 3 days old
con = sqlite3.connect(rdb)
con.execute("UPDATE jobs SET finished_at = finished_at - 3 * 86400000 WHERE id = 'wh-fail'")
con.commit()
con.close()
recv = receiver("retention")
s = Server("retention", rdb, env_for(recv["url"], PROSPECT_RETENTION_DAYS="2"))
s.start("wh-recent", 2)
wait_for("the recent job", lambda: s.finished("wh-recent"))
wait_for("the old job purged", lambda: s.call("GET", "/api/v2/jobs/wh-fail")[0] == 404, 10)
if s.call("GET", "/api/v2/jobs/wh-recent")[0] != 200:
    fail("retention purged a recent job")
s.stop()

lib.finish("webhooks")
