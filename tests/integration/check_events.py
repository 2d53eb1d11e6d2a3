#!/usr/bin/env python3
"""check_events.py NDJSON [--leads N] [--end pipeline_end|pipeline_error]: the
event contract of DESIGN.md 1.1 on a job's event stream: sequence numbers,
the seed's field sets, timestamps, order rules, score ranges, verbatim
evidence is checked by the scoring test. Exits 1 with the first problems."""
import argparse
import json
import re
import sys

TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
REQUIRED = {
    "pipeline_start": ["initial_query", "max_leads_to_generate"],
    "status_update": ["status_message"],
    "lead_generated": ["lead_id", "lead_data", "source_url", "agent_name"],
    "lead_enrichment_start": ["lead_id"],
    "lead_enrichment_end": ["lead_id", "success", "final_package"],
    "pipeline_end": ["success", "leads_generated", "leads_enriched", "leads_failed", "duration_ms"],
    "pipeline_error": ["error_message", "error_type", "stage"],
}

ap = argparse.ArgumentParser()
ap.add_argument("file")
ap.add_argument("--leads", type=int)
ap.add_argument("--end", default="pipeline_end")
args = ap.parse_args()
events = [json.loads(l) for l in open(args.file) if l.strip()]
bad = []
if not events:
    sys.exit("no events")
if events[0]["event_type"] != "pipeline_start":
    bad.append("first event is %s" % events[0]["event_type"])
if events[-1]["event_type"] != args.end:
    bad.append("last event is %s, want %s" % (events[-1]["event_type"], args.end))
state = {}
for i, e in enumerate(events):
    t = e.get("event_type")
    if e.get("seq") != i + 1:
        bad.append("event %d has seq %s" % (i + 1, e.get("seq")))
    for k in ("timestamp", "job_id", "user_id"):
        if not isinstance(e.get(k), str):
            bad.append("%s lacks %s" % (t, k))
    if not TS.match(e.get("timestamp", "")):
        bad.append("bad timestamp %r" % e.get("timestamp"))
    for k in REQUIRED.get(t, ["?"]):
        if k not in e:
            bad.append("%s lacks %s" % (t, k))
    if t in ("pipeline_end", "pipeline_error") and i != len(events) - 1:
        bad.append("%s is not last" % t)
    if t == "status_update" and "progress" in e and not 0 <= e["progress"] <= 1:
        bad.append("progress %r" % e["progress"])
    lid = e.get("lead_id")
    if t == "lead_generated":
        if lid in state:
            bad.append("lead %s generated twice" % lid)
        state[lid] = "generated"
        ae = e["lead_data"].get("adk1_enrichment", {})
        for k in ("industry", "company_size", "contact_emails", "contact_phones", "qualification_summary"):
            if k not in ae:
                bad.append("lead_data.adk1_enrichment lacks %s" % k)
    elif t == "lead_enrichment_start":
        if state.get(lid) != "generated":
            bad.append("enrichment of %s starts before it is generated" % lid)
        state[lid] = "started"
    elif t == "lead_enrichment_end":
        if state.get(lid) != "started":
            bad.append("enrichment of %s ends before it starts" % lid)
        state[lid] = "ended"
        ai = e["final_package"]["analyzed_lead"]["ai_intelligence"]
        for k in ("prospect_score", "buying_intent_score", "pain_alignment_score", "urgency_score", "icp_fit_score"):
            if not 0 <= ai.get(k, -1) <= 1:
                bad.append("%s %s = %r" % (lid, k, ai.get(k)))
        if not 2 <= len(ai.get("predictive_insights", [])) <= 5:
            bad.append("%s has %d insights" % (lid, len(ai.get("predictive_insights", []))))
        for score, evs in ai.get("evidence", {}).items():
            for ev in evs:
                if ev.get("quote") is None and not ev.get("detail"):
                    bad.append("%s %s: evidence with neither quote nor detail" % (lid, score))
leads = sum(1 for e in events if e["event_type"] == "lead_generated")
if any(v != "ended" for v in state.values()):
    bad.append("leads not enriched to the end: %s" % [k for k, v in state.items() if v != "ended"])
if args.leads is not None and leads != args.leads:
    bad.append("%d leads, want %d" % (leads, args.leads))
end = events[-1]
if end["event_type"] == "pipeline_end" and end["leads_generated"] != leads:
    bad.append("pipeline_end counts %d leads, the stream %d" % (end["leads_generated"], leads))
if bad:
    print("\n".join(bad[:20]))
    sys.exit(1)
print("%d events, %d leads: contract holds" % (len(events), leads))
