#!/bin/sh
# server.sh BIN SRCDIR CORPUS: `prospect serve` on a loopback port with curl:
# the seed's streaming endpoint and its event contract, the job API, replay
# after Last-Event-ID (identical to the live stream), a job that outlives
# its client, every 4xx path, health, readiness, metrics, OpenAPI, and a
# clean stop on SIGTERM.
set -u
bin=$1 src=$2 corpus=$3
tmp=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PROSPECT_SAMPLE_CORPUS="$corpus" MCP_SERVER_PORT=$port PROSPECT_LOG_LEVEL=info "$bin" serve --db "$tmp/s.db" 2> "$tmp/log" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
b="http://127.0.0.1:$port"
for i in $(seq 100); do curl -s "$b/health" > /dev/null && break; sleep 0.1; done
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
code() { curl -s -o "$tmp/body" -w '%{http_code}' "$@"; }
check="python3 $src/tests/integration/check_events.py"
to_ndjson() { # SSE frames -> one event JSON per line, with its id as seq
  python3 -c '
import json, sys
seq = None
for line in sys.stdin:
    line = line.rstrip("\n")
    if line.startswith("id: "):
        seq = int(line[4:])
    elif line.startswith("data: "):
        e = json.loads(line[6:]); e["seq"] = seq; print(json.dumps(e))'
}

# The seed's endpoint: SSE with the seed's contract.
curl -s -N -D "$tmp/h" -X POST -H 'Content-Type: application/json' \
  --data @"$src/examples/seed-request.json" "$b/api/v2/execute_streaming_prospect" > "$tmp/live.sse"
grep -qi '^content-type: text/event-stream' "$tmp/h" || fail "not text/event-stream: $(cat "$tmp/h")"
grep -q '^retry: ' "$tmp/live.sse" || fail "no retry advice"
grep -q '^event: pipeline_start' "$tmp/live.sse" || fail "no event: lines"
to_ndjson < "$tmp/live.sse" > "$tmp/live.ndjson"
$check "$tmp/live.ndjson" --leads 5 || fail "seed stream contract"

# Replay: the whole stream again, and after an id, identical to the live one.
curl -s -N "$b/api/v2/jobs/job_456/events" | to_ndjson > "$tmp/replay.ndjson"
cmp -s "$tmp/live.ndjson" "$tmp/replay.ndjson" || fail "replay differs from the live stream"
curl -s -N -H 'Last-Event-ID: 20' "$b/api/v2/jobs/job_456/events" | to_ndjson > "$tmp/tail.ndjson"
tail -n +21 "$tmp/live.ndjson" | cmp -s - "$tmp/tail.ndjson" || fail "replay after Last-Event-ID differs"
last=$(wc -l < "$tmp/live.ndjson")
curl -s -N "$b/api/v2/jobs/job_456/events?after=$((last - 2))" | to_ndjson > "$tmp/after.ndjson"
[ "$(wc -l < "$tmp/after.ndjson")" = 2 ] || fail "?after= replay: want the last 2 events"
grep -q '"event_type": "pipeline_end"' "$tmp/after.ndjson" || fail "?after= replay"

# A real EventSource client (npm eventsource) through two network drops:
# it resumes with Last-Event-ID and misses nothing.
if [ -d "$src/tests/node/node_modules/eventsource" ]; then
  node "$src/tests/node/sse_reconnect.mjs" "$b" job_456 || fail "EventSource reconnect"
else
  fail "tests/node/node_modules is missing: run scripts/setup"
fi

# Status, leads, duplicate id.
[ "$(code "$b/api/v2/jobs/job_456")" = 200 ] || fail "status"
grep -q '"status":"succeeded"' "$tmp/body" || fail "status body: $(cat "$tmp/body")"
[ "$(code "$b/api/v2/jobs/job_456/leads")" = 200 ] || fail "leads"
python3 -c "import json; d=json.load(open('$tmp/body')); assert len(d['leads'])==5 and d['leads'][0]['final_package']" || fail "leads body"
[ "$(code "$b/api/v2/jobs/job_456/leads?format=csv")" = 200 ] || fail "csv"
[ "$(wc -l < "$tmp/body")" = 6 ] || fail "csv rows"
[ "$(code "$b/api/v2/jobs/job_456/leads?format=csv&profile=salesforce")" = 200 ] || fail "salesforce csv"
head -1 "$tmp/body" | grep -q "^Account Name,Website,Phone,Billing Street," || fail "salesforce header: $(head -1 "$tmp/body")"
[ "$(code "$b/api/v2/jobs/job_456/leads?format=csv&profile=hubspot")" = 200 ] || fail "hubspot csv"
head -1 "$tmp/body" | grep -q "^Company name,Company Domain Name,Website URL," || fail "hubspot header"
[ "$(code "$b/api/v2/jobs/job_456/leads?format=csv&profile=zoho")" = 400 ] || fail "unknown profile: want 400"
[ "$(code -X POST -H 'Content-Type: application/json' --data @"$src/examples/seed-request.json" "$b/api/v2/jobs")" = 409 ] || fail "duplicate job_id: want 409"

# A job outlives its client: start it, hang up at once, it still finishes.
[ "$(code -X POST -H 'Content-Type: application/json' -d '{"user_search_query":"dental practice patients","job_id":"bg1"}' "$b/api/v2/jobs")" = 202 ] || fail "202"
timeout 1 curl -s -N "$b/api/v2/jobs/bg1/events" > /dev/null
curl -s -N -X POST -H 'Content-Type: application/json' -d '{"user_search_query":"logistics fleet","job_id":"bg2"}' "$b/api/v2/execute_streaming_prospect" | head -c 100 > /dev/null
for i in $(seq 50); do
  s1=$(curl -s "$b/api/v2/jobs/bg1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
  s2=$(curl -s "$b/api/v2/jobs/bg2" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
  [ "$s1" = succeeded ] && [ "$s2" = succeeded ] && break
  sleep 0.2
done
[ "$s1" = succeeded ] && [ "$s2" = succeeded ] || fail "jobs did not survive their clients: $s1 $s2"
curl -s -N "$b/api/v2/jobs/bg2/events" | to_ndjson > "$tmp/bg2.ndjson"
$check "$tmp/bg2.ndjson" || fail "bg2 contract after disconnect"

# Every 4xx path.
[ "$(code -X POST -H 'Content-Type: text/plain' -d x "$b/api/v2/jobs")" = 415 ] || fail "415"
[ "$(code -X POST -d x "$b/api/v2/execute_streaming_prospect")" = 415 ] || fail "415 without a type"
head -c 70000 /dev/zero | tr '\0' a > "$tmp/big"
[ "$(code -X POST -H 'Content-Type: application/json' --data-binary @"$tmp/big" "$b/api/v2/jobs")" = 413 ] || fail "413"
[ "$(code -X POST -H 'Content-Type: application/json' -d '{"business_context":{"max_leads_to_generate":0}}' "$b/api/v2/jobs")" = 400 ] || fail "400"
grep -q 'business_context.max_leads_to_generate' "$tmp/body" || fail "400 names the field"
[ "$(code -X POST -H 'Content-Type: application/json' -d '{' "$b/api/v2/execute_streaming_prospect")" = 400 ] || fail "400 bad JSON"
[ "$(code "$b/api/v2/jobs/none")" = 404 ] || fail "404 job"
[ "$(code "$b/api/v2/jobs/none/events")" = 404 ] || fail "404 events"
[ "$(code "$b/api/v2/jobs/none/leads")" = 404 ] || fail "404 leads"
[ "$(code "$b/nothing")" = 404 ] || fail "404 path"
[ "$(code -X GET "$b/api/v2/execute_streaming_prospect")" = 405 ] || fail "405"
[ "$(code -H 'Last-Event-ID: abc' "$b/api/v2/jobs/job_456/events")" = 400 ] || fail "400 bad Last-Event-ID"
[ "$(code "$b/api/v2/jobs/job_456/leads?format=xml")" = 400 ] || fail "400 bad format"
[ "$(code -X DELETE "$b/api/v2/jobs/job_456")" = 409 ] || fail "409 cancel finished job"
[ "$(code -X DELETE "$b/api/v2/jobs/none")" = 404 ] || fail "404 cancel"

# Operations.
[ "$(code "$b/health")" = 200 ] || fail "health"
[ "$(code "$b/ready")" = 200 ] || fail "ready"
[ "$(code "$b/metrics")" = 200 ] || fail "metrics"
grep -q 'prospect_http_requests_total{route="/api/v2/execute_streaming_prospect",status="2xx"}' "$tmp/body" || fail "metrics by route"
grep -q 'process_resident_memory_bytes' "$tmp/body" || fail "process metrics"
[ "$(code "$b/openapi.json")" = 200 ] || fail "openapi"
python3 - "$tmp/body" "$b" <<'PY' || fail "OpenAPI does not describe the answers"
import json, sys, urllib.request
doc = json.load(open(sys.argv[1]))
assert doc["openapi"].startswith("3.1")
b = sys.argv[2]
# Every required field of the documented schemas is in a real answer.
def required(name):
    return doc["components"]["schemas"][name]["required"]
job = json.load(urllib.request.urlopen(b + "/api/v2/jobs/job_456"))
assert all(k in job for k in required("Job")), required("Job")
leads = json.load(urllib.request.urlopen(b + "/api/v2/jobs/job_456/leads"))
assert all(k in leads["leads"][0] for k in required("Lead"))
assert all(k in json.load(urllib.request.urlopen(b + "/ready")) for k in required("Ready"))
for path in ["/api/v2/jobs/{id}", "/api/v2/jobs/{id}/events", "/api/v2/jobs/{id}/leads", "/health", "/metrics"]:
    assert path in doc["paths"], path
PY

# SIGTERM: stops cleanly.
kill -TERM $server
for i in $(seq 50); do kill -0 $server 2>/dev/null || break; sleep 0.1; done
kill -0 $server 2>/dev/null && fail "still running after SIGTERM"
wait $server; rc=$?
[ $rc = 0 ] || fail "exit code $rc after SIGTERM"
grep -q "shutting down" "$tmp/log" || fail "no shutdown log line"

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; tail -20 "$tmp/log"; exit 1; }
echo "all server checks passed"
