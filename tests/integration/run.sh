#!/bin/sh
# run.sh BIN SRCDIR CORPUS: `prospect run` end to end on the sample corpus:
# first-use indexing, the event contract, the lead count, formats, the
# fallback of an unavailable provider and its announcement, budget stops,
# a job that finds nothing, the same leads on a second run, the notice that
# the sample corpus's companies are fictional.
set -u
bin=$1 src=$2 corpus=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
export PROSPECT_SAMPLE_CORPUS="$corpus" PROSPECT_LOG_LEVEL=error
check="python3 $src/tests/integration/check_events.py"

# First use: an empty store is filled with the sample corpus, then 5 leads.
"$bin" run --db "$tmp/a.db" --format ndjson "$src/examples/seed-request.json" > "$tmp/seed.ndjson" 2> "$tmp/err" || fail "seed run: $(cat "$tmp/err")"
grep -q "indexing the bundled sample corpus" "$tmp/seed.ndjson" || fail "first-use indexing not announced"
$check "$tmp/seed.ndjson" --leads 5 || fail "seed event contract"
grep -q '"job_id":"job_456"' "$tmp/seed.ndjson" || fail "job_id not kept"
grep -q '"agent_name":"ADK1HarvesterAgent"' "$tmp/seed.ndjson" || fail "harvester agent name"
grep -q '"agent_name":"business_context_to_query_agent"' "$tmp/seed.ndjson" || fail "query agent name"

# The sample corpus says its companies are fictional, once.
[ "$(grep -c '"sample_corpus":true' "$tmp/seed.ndjson")" = 1 ] || fail "the sample corpus notice: want it once"
# The same corpus and context give the same leads in the same order,
# whatever order the workers read the sites in.
sites() { grep '"event_type":"lead_generated"' "$1" | grep -o '"website":"[^"]*"'; }
"$bin" run --db "$tmp/a.db" --format ndjson "$src/examples/seed-request.json" > "$tmp/again.ndjson" 2>/dev/null || fail "second seed run"
[ -n "$(sites "$tmp/seed.ndjson")" ] && [ "$(sites "$tmp/seed.ndjson")" = "$(sites "$tmp/again.ndjson")" ] ||
  fail "two runs gave different leads: $(sites "$tmp/seed.ndjson") / $(sites "$tmp/again.ndjson")"

for ex in clinic-security fleet-eu; do
  "$bin" run --db "$tmp/a.db" --format ndjson --max-leads 8 "$src/examples/$ex.json" > "$tmp/$ex.ndjson" 2>/dev/null || fail "$ex run"
  $check "$tmp/$ex.ndjson" --leads 8 || fail "$ex contract"
done

# Formats.
out=$("$bin" run --db "$tmp/a.db" --format csv --max-leads 3 "$src/examples/seed-request.json" 2>/dev/null) || fail "csv"
[ "$(echo "$out" | wc -l)" = 4 ] || fail "csv: want a header and 3 rows: $out"
echo "$out" | head -1 | grep -q "^Company Name,Domain,Website,Industry" || fail "csv header"
# CRM profiles: the import's own labels first, bare domains, every e-mail and phone.
out=$("$bin" run --db "$tmp/a.db" --csv-profile hubspot --max-leads 3 "$src/examples/seed-request.json" 2>/dev/null) || fail "hubspot csv"
echo "$out" | head -1 | grep -q "^Company name,Company Domain Name,Website URL,Phone Number,Street Address,City,State/Region,Postal Code,Country/Region,Industry,Number of Employees,Description,First Name,Last Name,Job Title,Email,Prospect Score," || fail "hubspot header: $(echo "$out" | head -1)"
python3 - "$out" <<'PY' || fail "hubspot rows: $out"
import csv, io, sys
rows = list(csv.DictReader(io.StringIO(sys.argv[1])))
assert len(rows) == 3, rows
for r in rows:
    d = r["Company Domain Name"]
    assert d and "/" not in d and not d.startswith("www.") and ":" not in d, d
    assert r["Website URL"].startswith("http"), r
    assert r["City"] and r["Postal Code"] and r["Country/Region"], r
assert any("; " in r["Emails"] for r in rows), [r["Emails"] for r in rows]
assert all(r["Number of Employees"].isdigit() or r["Number of Employees"] == "" for r in rows)
PY
out=$("$bin" run --db "$tmp/a.db" --csv-profile salesforce --max-leads 2 "$src/examples/seed-request.json" 2>/dev/null) || fail "salesforce csv"
echo "$out" | head -1 | grep -q "^Account Name,Website,Phone,Billing Street,Billing City,Billing State/Province,Billing Zip/Postal Code,Billing Country,Industry,Employees,Description,First Name,Last Name,Title,Email,Prospect Score," || fail "salesforce header: $(echo "$out" | head -1)"
"$bin" run --db "$tmp/a.db" --csv-profile zoho "$src/examples/seed-request.json" >/dev/null 2>&1; [ $? = 2 ] || fail "an unknown CSV profile is not a usage error"
"$bin" run --db "$tmp/a.db" --format json --output "$tmp/leads.json" --max-leads 2 "$src/examples/fleet-eu.json" 2>/dev/null || fail "json"
python3 -c "import json,sys; d=json.load(open('$tmp/leads.json')); assert len(d['leads'])==2 and d['leads'][0]['final_package']['analyzed_lead']['ai_intelligence']['evidence']" || fail "json output"
out=$("$bin" run --db "$tmp/a.db" --max-leads 2 "$src/examples/seed-request.json" 2>/dev/null) || fail "table"
echo "$out" | head -1 | grep -q "COMPANY.*WEBSITE.*SCORE" || fail "table header: $out"
# The table: best first, long values cut with an ellipsis, columns aligned.
"$bin" run --db "$tmp/a.db" --max-leads 5 "$src/examples/seed-request.json" 2>/dev/null > "$tmp/table.txt" || fail "table run"
python3 - "$tmp/table.txt" <<'PY' || fail "table: $(cat "$tmp/table.txt")"
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
scores = [float(l.split()[-1]) for l in lines[1:]]
assert len(scores) == 5 and scores == sorted(scores, reverse=True), scores
assert len({len(l) for l in lines}) == 1, [len(l) for l in lines]
assert any("\u2026" in l for l in lines[1:]), "nothing was cut"
PY

# The CRM's companies are left out: a HubSpot-like export, found by its header.
printf '\357\273\277Company name,Company Domain Name,Phone Number\n"Orchard Consulting, Inc.",orchard-consulting.example,1\nRosewood,,\nIsle,https://www.isle-apps.example/,\n' > "$tmp/crm.csv"
"$bin" run --db "$tmp/a.db" --format ndjson --exclude "$tmp/crm.csv" "$src/examples/seed-request.json" > "$tmp/ex.ndjson" 2>"$tmp/ex.err" || fail "exclude run"
grep -q "2 companies to leave out from column \"Company Domain Name\" (1 row without a domain" "$tmp/ex.err" || fail "exclude file not summed up: $(cat "$tmp/ex.err" | head -3)"
! sites "$tmp/ex.ndjson" | grep -q "orchard-consulting\|isle-apps" || fail "an excluded company was returned: $(sites "$tmp/ex.ndjson")"
grep -q '"sites_excluded":2' "$tmp/ex.ndjson" || fail "pipeline_end does not count the exclusions"
$check "$tmp/ex.ndjson" || fail "exclude contract"
printf 'Name,Phone\nAcme,1\n' > "$tmp/nocol.csv"
"$bin" run --db "$tmp/a.db" --exclude "$tmp/nocol.csv" "$src/examples/seed-request.json" > /dev/null 2>"$tmp/nocol.err"
[ $? = 2 ] && grep -q "no column of domains" "$tmp/nocol.err" || fail "a file without a domain column: $(cat "$tmp/nocol.err")"
printf 'acme.example\nteam@orchard-consulting.example\n' > "$tmp/list.txt"
"$bin" run --db "$tmp/a.db" --format ndjson --exclude "$tmp/list.txt" "$src/examples/seed-request.json" > "$tmp/ex2.ndjson" 2>/dev/null || fail "exclude text run"
! sites "$tmp/ex2.ndjson" | grep -q "orchard-consulting" || fail "an e-mail's domain was not left out"

# An unavailable provider falls back, and says so.
PROSPECT_SEARCH=tavily "$bin" run --db "$tmp/a.db" --format ndjson --max-leads 2 "$src/examples/seed-request.json" > "$tmp/fb.ndjson" 2>/dev/null || fail "fallback run"
grep -q '"degraded":true' "$tmp/fb.ndjson" || fail "fallback not announced"
grep -q "searching the local corpus instead" "$tmp/fb.ndjson" || fail "fallback message"
$check "$tmp/fb.ndjson" --leads 2 || fail "fallback contract"

# Budgets end the job gracefully and say which.
PROSPECT_BUDGET_FETCHES=4 "$bin" run --db "$tmp/a.db" --format ndjson --max-leads 10 "$src/examples/seed-request.json" > "$tmp/b.ndjson" 2>/dev/null
$check "$tmp/b.ndjson" || fail "budget contract"
grep -q '"stopped_by":"fetch_budget"' "$tmp/b.ndjson" || fail "fetch budget not named"
PROSPECT_BUDGET_SEARCH_CALLS=1 "$bin" run --db "$tmp/a.db" --format ndjson --max-leads 50 "$src/examples/seed-request.json" > "$tmp/s.ndjson" 2>/dev/null
grep -q '"stopped_by":"search_budget"' "$tmp/s.ndjson" || fail "search budget not named"

# Nothing to find: pipeline_error with a message a user can act on, exit 1.
echo '{"business_context":{"business_description":"zqxj vbnm quux","industry_focus":["Underwater basket weaving"],"location":"Antarctica","ideal_customer":"penguin colonies of 5-9 employees"},"user_id":"u"}' > "$tmp/none.json"
"$bin" run --db "$tmp/a.db" --format ndjson "$tmp/none.json" > "$tmp/none.ndjson" 2>/dev/null && fail "empty job succeeded"
$check "$tmp/none.ndjson" --end pipeline_error || fail "error contract"
grep -q '"error_type":"no_results"' "$tmp/none.ndjson" || fail "error type"

# Usage errors.
"$bin" run 2>/dev/null; [ $? = 2 ] || fail "run without a file: want 2"
"$bin" run --max-leads 0 "$src/examples/seed-request.json" 2>/dev/null; [ $? = 2 ] || fail "--max-leads 0: want 2"
"$bin" run --format xml "$src/examples/seed-request.json" 2>/dev/null; [ $? = 2 ] || fail "--format xml: want 2"
echo '{"business_context":{"max_leads_to_generate":0}}' | "$bin" run - 2>/dev/null; [ $? = 2 ] || fail "invalid request: want 2"

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "all run checks passed"
