#!/usr/bin/env python3
"""providers_test.py BIN SRCDIR: `prospect run` against mock Tavily, SearXNG,
Gemini and OpenAI-compatible servers on loopback (tests/stubs/providers.py).

Asserts the exact requests sent (headers, body fields), each retry and
non-retry, each fallback and its announcement, the cache, record and
replay, and that no key appears in any output, event or recording.
"""
import atexit
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

BIN, SRC = sys.argv[1], sys.argv[2]
TMP = tempfile.mkdtemp()
KEYS = {"TAVILY_API_KEY": "tvly-test-0123456789", "GEMINI_API_KEY": "gemini-test-0123456789",
        "OPENAI_API_KEY": "sk-test-0123456789"}
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL", msg)


def start_mock(name, *extra):
    port_file, log = os.path.join(TMP, name + ".port"), os.path.join(TMP, name + ".log")
    p = subprocess.Popen([sys.executable, os.path.join(SRC, "tests/stubs/providers.py"), port_file,
                          log, *extra])
    mocks.append(p)
    for _ in range(100):
        if os.path.exists(port_file):
            break
        time.sleep(0.05)
    return p, int(open(port_file).read()), log


mocks = []
atexit.register(lambda: [m.kill() for m in mocks])
mock, port, log = start_mock("mock")
base = "http://127.0.0.1:%d" % port


def faults(route, answers):
    req = urllib.request.Request(base + "/_faults", json.dumps({"route": route, "answers": answers}).encode(),
                                 {"Content-Type": "application/json"})
    urllib.request.urlopen(req).read()


def requests(route=None):
    out = []
    if os.path.exists(log):
        for line in open(log):
            r = json.loads(line)
            if route is None or r["route"] == route:
                out.append(r)
    return out


def run(name, env, *args, db=None, leads=5):
    """Runs a job; returns (rc, events, stderr)."""
    open(log, "w").close()
    e = {k: v for k, v in os.environ.items() if not k.startswith(("PROSPECT_", "TAVILY", "GEMINI", "OPENAI", "SEARXNG", "GOOGLE"))}
    e.update({"PROSPECT_FETCH_ALLOW_PRIVATE": "1", "PROSPECT_LOG_LEVEL": "info",
              "PROSPECT_UPSTREAM_BACKOFF_MS": "50", "PROSPECT_CACHE_TTL_S": "0"})
    e.update(env)
    cmd = [BIN, "run", os.path.join(SRC, "examples/seed-request.json"), "--format", "ndjson",
           "--max-leads", str(leads), "--db", db or os.path.join(TMP, name + ".db"), *args]
    p = subprocess.run(cmd, env=e, capture_output=True, text=True, timeout=120)
    events = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
    for k in KEYS.values():  # no secret anywhere the user sees
        if k in p.stdout or k in p.stderr:
            fail("%s: a key appears in the output" % name)
    return p.returncode, events, p.stderr


def end(events):
    return events[-1] if events else {}


def statuses(events):
    return [e.get("status_message", "") for e in events if e.get("event_type") == "status_update"]


def check_order(name, events):
    if not events or events[0]["event_type"] != "pipeline_start":
        fail("%s: pipeline_start is not first" % name)
    if end(events).get("event_type") not in ("pipeline_end", "pipeline_error"):
        fail("%s: no pipeline_end or pipeline_error last" % name)
    seen = {}
    for e in events:
        t, lid = e["event_type"], e.get("lead_id")
        if t == "lead_generated":
            seen[lid] = 1
        elif t == "lead_enrichment_start" and seen.get(lid) != 1:
            fail("%s: enrichment_start before lead_generated for %s" % (name, lid))
        elif t == "lead_enrichment_start":
            seen[lid] = 2
        elif t == "lead_enrichment_end" and seen.get(lid) != 2:
            fail("%s: enrichment_end out of order for %s" % (name, lid))


tavily = {"TAVILY_API_KEY": KEYS["TAVILY_API_KEY"], "TAVILY_BASE_URL": base}
gemini = {"GEMINI_API_KEY": KEYS["GEMINI_API_KEY"], "GEMINI_BASE_URL": base}
openai = {"OPENAI_API_KEY": KEYS["OPENAI_API_KEY"], "OPENAI_BASE_URL": base + "/v1",
          "PROSPECT_LLM_MODEL": "qwen3:8b"}
searx = {"SEARXNG_URL": base}

# 1. Tavily + Gemini, every lead analysed by the LLM.
rc, ev, err = run("tavily-gemini", {**tavily, **gemini, "PROSPECT_LLM_POLICY": "all"})
check_order("tavily-gemini", ev)
leads = [e for e in ev if e["event_type"] == "lead_generated"]
s = end(ev).get("summary", {})
if rc != 0 or len(leads) != 5:
    fail("tavily-gemini: rc %d, %d leads: %s" % (rc, len(leads), err[-500:]))
if s.get("search", {}).get("provider") != "tavily" or s.get("llm", {}).get("provider") != "gemini":
    fail("tavily-gemini: providers in the summary: %s" % s.get("search"))
if s.get("leads_by_path", {}).get("llm") != 5 or s.get("quotes_dropped", 0) < 1:
    fail("tavily-gemini: paths %s, dropped %s" % (s.get("leads_by_path"), s.get("quotes_dropped")))
if not s.get("search", {}).get("credits") or not s.get("llm", {}).get("tokens_in"):
    fail("tavily-gemini: usage not accounted: %s %s" % (s.get("search"), s.get("llm")))
ends = [e for e in ev if e["event_type"] == "lead_enrichment_end"]
intel = lambda e: e["final_package"]["analyzed_lead"]["ai_intelligence"]
quotes = [q for e in ends for sc in intel(e).get("evidence", {}).values()
          for q in sc if q.get("signal", "").startswith("llm:")]
if not quotes or any("urgently need a new CRM" in (q.get("quote") or "") for q in quotes):
    fail("tavily-gemini: LLM evidence kept wrong: %s" % quotes[:3])
if len(ends) != 5 or any(intel(e).get("analyst") != "gemini" for e in ends):
    fail("tavily-gemini: analyst not gemini")
t = requests("tavily")
if not t:
    fail("tavily-gemini: no Tavily request")
else:
    b, h = t[0]["body"], t[0]["headers"]
    if h.get("authorization") != "Bearer " + KEYS["TAVILY_API_KEY"] or b.get("search_depth") != "advanced" \
            or b.get("include_raw_content") not in (True, "markdown", "text") or "linkedin.com" not in b.get("exclude_domains", []) \
            or not 1 <= b.get("max_results", 0) <= 20:
        fail("tavily-gemini: Tavily request %s %s" % (h.get("authorization", "")[:10], b))
g = requests("gemini")
if not g:
    fail("tavily-gemini: no Gemini request")
else:
    b, h = g[0]["body"], g[0]["headers"]
    gc = b.get("generationConfig", {})
    if h.get("x-goog-api-key") != KEYS["GEMINI_API_KEY"] or "key=" in g[0]["path"] \
            or gc.get("responseMimeType") != "application/json" or "responseJsonSchema" not in gc \
            or "responseSchema" in gc or not b.get("systemInstruction") or b["contents"][0]["role"] != "user" \
            or not g[0]["path"].startswith("/v1beta/models/gemini-3.5-flash:generateContent"):
        fail("tavily-gemini: Gemini request %s %s" % (g[0]["path"], list(b)))
# A site that is down and came without raw content is read by Tavily /extract:
# enough leads that the job reaches one (one site in ten is such).
rc, ev, err = run("tavily-extract", {**tavily, "PROSPECT_LLM": "heuristic"}, leads=15)
if not requests("extract"):
    fail("tavily-extract: a page that could not be fetched was not read by Tavily /extract")

# 2. SearXNG + an OpenAI-compatible server (as Ollama would be).
rc, ev, err = run("searx-openai", {**searx, **openai, "PROSPECT_LLM_POLICY": "all"})
check_order("searx-openai", ev)
s = end(ev).get("summary", {})
if rc != 0 or s.get("search", {}).get("provider") != "searxng" or s.get("llm", {}).get("provider") != "openai":
    fail("searx-openai: rc %d, summary %s / %s: %s" % (rc, s.get("search"), s.get("llm"), err[-400:]))
sx = requests("searxng")
if not sx or "format=json" not in sx[0]["path"] or "q=" not in sx[0]["path"]:
    fail("searx-openai: SearXNG request %s" % (sx[:1]))
o = requests("openai")
if not o:
    fail("searx-openai: no chat completion request")
else:
    b, h = o[0]["body"], o[0]["headers"]
    rf = b.get("response_format", {})
    if h.get("authorization") != "Bearer " + KEYS["OPENAI_API_KEY"] or b.get("model") != "qwen3:8b" \
            or "temperature" not in b or rf.get("type") != "json_schema" \
            or "schema" not in rf.get("json_schema", {}) or "schema" in rf or "max_tokens" not in b \
            or [m["role"] for m in b.get("messages", [])] != ["system", "user"]:
        fail("searx-openai: chat request %s" % b)

# 3. Transient failures are retried, honouring the server's delay.
faults("tavily", ["429", "503"])
faults("gemini", ["500", "retry_info"])
rc, ev, err = run("retries", {**tavily, **gemini, "PROSPECT_LLM_POLICY": "all"})
t, g = requests("tavily"), requests("gemini")
if rc != 0 or len([e for e in ev if e["event_type"] == "lead_generated"]) != 5:
    fail("retries: the job did not recover: rc %d %s" % (rc, err[-300:]))
s = end(ev).get("summary", {})
if s.get("degradations"):
    fail("retries: retried failures were announced as degradations: %s" % s["degradations"])
if len(t) != s.get("search", {}).get("calls", 0) + 2:
    fail("retries: %d Tavily requests for %s calls (2 retries expected)" % (len(t), s.get("search")))
if "retrying provider call" not in err:
    fail("retries: retries are not logged")

# 4. Final answers are not retried: 401 and 432 end the search.
for code in ("401", "432"):
    faults("tavily", [code] * 20)
    rc, ev, err = run("final-" + code, {**tavily})
    t = requests("tavily")
    e = end(ev)
    if e.get("event_type") != "pipeline_error" or e.get("error_type") != "search_failed":
        fail("final-%s: want pipeline_error search_failed, got %s" % (code, e.get("event_type")))
    calls = e.get("summary", {}).get("search", {}).get("calls")
    # at most one request per call (once 5 calls failed, the breaker answers
    # the rest without a request)
    if not calls or len(t) > calls:
        fail("final-%s: %d requests for %s calls: a final answer was retried" % (code, len(t), calls))
    if "HTTP %s" % code not in " ".join(statuses(ev)):
        fail("final-%s: the failure is not announced" % code)


# 5. Malformed JSON and a cut-off answer get one repair; a bad key falls back
#    to the heuristic, announced.
faults("gemini", ["malformed"])
rc, ev, err = run("repair", {**tavily, **gemini, "PROSPECT_LLM_POLICY": "all"}, leads=2)
s = end(ev).get("summary", {})
if s.get("llm", {}).get("repairs") != 1 or not any(e.get("method") == "llm" for e in ev if e.get("stage") == "queries"):
    fail("repair: malformed answer not repaired: %s" % s.get("llm"))
faults("gemini", ["max_tokens", "max_tokens"])
rc, ev, err = run("truncated", {**tavily, **gemini, "PROSPECT_LLM_POLICY": "all"}, leads=2)
g = requests("gemini")
msgs = " ".join(statuses(ev))
if "MAX_TOKENS" not in msgs or "using keyword queries" not in msgs:
    fail("truncated: a twice cut-off answer did not fall back to keywords, announced: %s" % msgs[:300])
if len(g) < 2 or g[1]["body"]["generationConfig"]["maxOutputTokens"] <= g[0]["body"]["generationConfig"]["maxOutputTokens"]:
    fail("truncated: the repair did not ask for more tokens")
rc, ev, err = run("bad-key", {**tavily, "GEMINI_API_KEY": "gemini-wrong-key-000", "GEMINI_BASE_URL": base,
                              "PROSPECT_LLM_POLICY": "all"}, leads=3)
s = end(ev).get("summary", {})
g = requests("gemini")
if rc != 0 or s.get("leads_by_path", {}).get("heuristic") != 3 or not s.get("degradations"):
    fail("bad-key: want 3 heuristic leads with degradations, got %s %s" % (s.get("leads_by_path"), s.get("degradations")))
if not g or len(g) > s.get("llm", {}).get("calls"):
    fail("bad-key: a 400 was retried (%d requests, %s calls)" % (len(g), s.get("llm", {}).get("calls")))
faults("gemini", ["quota_day"])
rc, ev, err = run("quota-day", {**tavily, **gemini, "PROSPECT_LLM_POLICY": "none"}, leads=1)
if len(requests("gemini")) != 0:
    fail("quota-day: PROSPECT_LLM_POLICY=none still called the LLM")
rc, ev, err = run("quota-day", {**tavily, **gemini, "PROSPECT_LLM_POLICY": "borderline"}, leads=1)
g = requests("gemini")
if not g or len(g) > end(ev).get("summary", {}).get("llm", {}).get("calls"):
    fail("quota-day: a spent daily quota was retried")
faults("openai", ["insufficient_quota"])
rc, ev, err = run("openai-quota", {**searx, **openai, "PROSPECT_LLM_POLICY": "all"}, leads=1)
if len(requests("openai")) > end(ev).get("summary", {}).get("llm", {}).get("calls"):
    fail("openai-quota: insufficient_quota was retried")

# 6. Tavily /extract answering 200 with failed_results: the snippet is used.
faults("extract", ["failed_results"] * 10)
rc, ev, err = run("failed-results", {**tavily}, leads=10)
if not requests("extract") or rc != 0:
    fail("failed-results: /extract not used or the job failed: %s" % err[-300:])

# 7. The cache: the same job twice, the second from the store.
db = os.path.join(TMP, "cache.db")
# One site at a time, so that both runs read the same sites in the same order.
env = {**tavily, **gemini, "PROSPECT_LLM_POLICY": "all", "PROSPECT_CACHE_TTL_S": "3600",
       "PROSPECT_SITE_CONCURRENCY": "1"}
run("cache-1", env, db=db)
first = len(requests("gemini")) + len(requests("tavily"))
rc, ev, err = run("cache-2", env, db=db)
second = len(requests("gemini")) + len(requests("tavily"))
s = end(ev).get("summary", {})
if first == 0 or second != 0 or s.get("cache_hits", 0) < first:
    fail("cache: %d then %d provider requests, %s hits" % (first, second, s.get("cache_hits")))

# 8. Record, then replay with the providers gone (the sites stay up).
sites, site_port, _ = start_mock("sites")
rec = os.path.join(TMP, "rec")
env = {**tavily, **gemini, "PROSPECT_LLM_POLICY": "all", "PROSPECT_SITE_CONCURRENCY": "1"}
api, api_port, api_log = start_mock("api", "--site-port", str(site_port))
env["TAVILY_BASE_URL"] = env["GEMINI_BASE_URL"] = "http://127.0.0.1:%d" % api_port
rc, ev1, _ = run("record", {**env, "PROSPECT_RECORD": rec})
api.kill()
api.wait()
rc2, ev2, err2 = run("replay", {**env, "PROSPECT_REPLAY": rec})
names = lambda evs: sorted(e["lead_data"]["company_name"] for e in evs if e["event_type"] == "lead_generated")
if rc != 0 or rc2 != 0 or not names(ev1) or names(ev1) != names(ev2):
    fail("replay: %s vs %s: %s" % (names(ev1), names(ev2), err2[-300:]))
recorded = os.listdir(rec) if os.path.isdir(rec) else []
if not recorded:
    fail("record: nothing recorded")
for f in recorded:
    text = open(os.path.join(rec, f)).read()
    if any(k in text for k in KEYS.values()):
        fail("record: a key appears in %s" % f)
sites.kill()

# 9. A forced provider without its key falls back, said as such.
rc, ev, err = run("forced", {"PROSPECT_SEARCH": "tavily"}, leads=2)
if rc != 0 or "needs TAVILY_API_KEY" not in " ".join(statuses(ev)):
    fail("forced: %s" % " ".join(statuses(ev))[:300])

# 10. Budgets end the job gracefully with what was found, saying which.
for key, val, want in (("PROSPECT_BUDGET_FETCHES", "8", "fetch_budget"),
                       ("PROSPECT_BUDGET_LLM_TOKENS", "2500", "llm_token_budget"),
                       ("PROSPECT_BUDGET_SEARCH_CALLS", "1", "search_budget")):
    rc, ev, err = run("budget-" + want, {**tavily, **gemini, "PROSPECT_LLM_POLICY": "all", key: val},
                      leads=10)
    e = end(ev)
    check_order("budget-" + want, ev)
    n = len([x for x in ev if x["event_type"] == "lead_generated"])
    if e.get("event_type") != "pipeline_end" or e.get("summary", {}).get("stopped_by") != want:
        fail("budget %s: %s stopped by %s" % (want, e.get("event_type"), e.get("summary", {}).get("stopped_by")))
    if want == "fetch_budget" and not n < 10:
        fail("budget %s: %d leads: the budget did not stop the job" % (want, n))
    if want == "llm_token_budget":
        llm = e["summary"]["llm"]
        if llm["tokens_in"] + llm["tokens_out"] > 2500 or not e["summary"]["leads_by_path"]["heuristic"]:
            fail("budget llm: %s tokens spent, paths %s" % (llm, e["summary"]["leads_by_path"]))
    if want == "search_budget" and e["summary"]["search"]["calls"] != 1:
        fail("budget search: %s calls" % e["summary"]["search"]["calls"])

# 11. A provider slower than the timeout is retried, and the job goes on.
faults("tavily", ["slow"])
rc, ev, err = run("slow", {**tavily, "PROSPECT_UPSTREAM_TIMEOUT_MS": "1000"}, leads=3)
s = end(ev).get("summary", {})
if rc != 0 or len(requests("tavily")) != s.get("search", {}).get("calls", 0) + 1:
    fail("slow: rc %d, %d requests for %s calls" % (rc, len(requests("tavily")), s.get("search")))

# 12. Embeddings join retrieval when a model is configured, on both wire formats.
rc, ev, err = run("embed-gemini", {**tavily, **gemini, "PROSPECT_EMBED_MODEL": "gemini-embedding-001"}, leads=3)
ge = requests("gemini_embed")
s = end(ev).get("summary", {})
if rc != 0 or not ge or not s.get("llm", {}).get("embed_calls"):
    fail("embed-gemini: rc %d, %d requests, %s: %s" % (rc, len(ge), s.get("llm"), err[-1500:]))
else:
    r0 = ge[0]["body"]["requests"][0]
    if not ge[0]["path"].endswith("/models/gemini-embedding-001:batchEmbedContents") \
            or r0.get("model") != "models/gemini-embedding-001" or r0.get("taskType") not in ("RETRIEVAL_QUERY", "RETRIEVAL_DOCUMENT") \
            or not r0["content"]["parts"][0]["text"]:
        fail("embed-gemini: request %s %s" % (ge[0]["path"], r0))
rc, ev, err = run("embed-openai", {**searx, **openai, "PROSPECT_EMBED_MODEL": "nomic-embed-text"}, leads=3)
oe = requests("openai_embed")
if rc != 0 or not oe or oe[0]["body"].get("model") != "nomic-embed-text" or not isinstance(oe[0]["body"].get("input"), list):
    fail("embed-openai: rc %d, %s" % (rc, oe[:1]))
faults("gemini_embed", ["500"] * 50)
rc, ev, err = run("embed-down", {**tavily, **gemini, "PROSPECT_EMBED_MODEL": "gemini-embedding-001",
                                 "PROSPECT_UPSTREAM_RETRIES": "0"}, leads=3)
msgs = " ".join(statuses(ev))
if rc != 0 or msgs.count("Embeddings failed") != 1 or "by words alone" not in msgs:
    fail("embed-down: not announced once: %s" % msgs[:300])

mock.kill()
print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
