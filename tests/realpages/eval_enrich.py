#!/usr/bin/env python3
"""eval_enrich.py BIN [--check]: `prospect enrich` on a list of every real
site of tests/realpages, named by its bare host:port as a sales team's list
names companies, against the hand labels (labels.json).

The sites are served on loopback by tests/stubs/realweb.py --home (each
site's labelled page is also its home page). Prints, over the sites:
  enriched          share of the companies with a lead (success true);
                    the others by error type
  order             whether the leads come one per company, in the order given
  company name      share of labelled companies named right (case,
                    punctuation and legal suffixes aside)
  phones, e-mails   share of the labelled values found (recall)
and the wall time. --check fails (exit 1) below the floors in FLOORS."""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse

import realpages
from eval_fields import norm_name

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "../integration"))
import lib  # noqa: E402

# a little under what it scores, so that a regression fails and noise does not
FLOORS = {"enriched": 0.90, "name": 0.85, "phones": 0.85, "emails": 0.85}


def host_of(url):
    host = urllib.parse.urlsplit(url).hostname or ""
    host = host[4:] if host.startswith("www.") else host
    return re.sub(r"[^a-z0-9]+", "-", host.lower()).strip("-") + ".localhost"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    port_file = os.path.join(lib.TMP, "web.port")
    lib.spawn(sys.executable, os.path.join(HERE, "../stubs/realweb.py"),
              os.path.join(HERE, "pages"), port_file, os.path.join(lib.TMP, "web.log"), "--home")
    lib.wait_for("web", lambda: os.path.exists(port_file) and open(port_file).read().strip(),
                 timeout=120)
    port = open(port_file).read().strip()
    sites = {}
    for p in realpages.labels():
        if p.get("url") and host_of(p["url"]) != ".localhost":
            sites.setdefault(host_of(p["url"]), p)
    targets = ["%s:%s" % (h, port) for h in sites]
    listfile = os.path.join(lib.TMP, "companies.txt")
    open(listfile, "w").write("\n".join(targets) + "\n")
    env = lib.clean_env(PROSPECT_FETCH_ALLOW_PRIVATE="1", PROSPECT_LLM="heuristic",
                        PROSPECT_CACHE_TTL_S="0", PROSPECT_BUDGET_FETCHES="100000",
                        PROSPECT_BUDGET_SECONDS="3000")
    t0 = time.monotonic()
    r = subprocess.run([a.binary, "enrich", "--db", os.path.join(tempfile.mkdtemp(), "e.db"),
                        "--format", "json", listfile], capture_output=True, text=True, env=env,
                       timeout=1200)
    wall = time.monotonic() - t0
    if r.returncode:
        print(r.stderr[-2000:])
        sys.exit(1)
    leads = json.loads(r.stdout)["leads"]
    order = [l["lead_data"].get("target") for l in leads] == targets
    ok = [l for l in leads if l.get("success")]
    errors = {}
    for l in leads:
        if not l.get("success"):
            t = (l.get("error") or {}).get("type", "?")
            errors[t] = errors.get(t, 0) + 1
    named = labelled = 0
    found = {"phones": [0, 0], "emails": [0, 0]}
    for host, l in zip(sites, leads):
        lab = sites[host]
        d = l["lead_data"]
        if lab.get("company_name"):
            labelled += 1
            names = {norm_name(lab["company_name"])} | {norm_name(v) for v in
                                                       lab.get("name_variants", [])}
            named += norm_name(d.get("company_name")) in names
        x = d.get("adk1_enrichment", {})
        for field, key in (("phones", "contact_phones"), ("emails", "contact_emails")):
            want = set(lab.get(field, []))
            got = set(v.lower() if field == "emails" else v for v in x.get(key, []))
            want = {v.lower() if field == "emails" else v for v in want}
            found[field][0] += len(want & got)
            found[field][1] += len(want)
    figures = {
        "enriched": len(ok) / len(leads) if leads else 0,
        "name": named / labelled if labelled else 0,
        "phones": found["phones"][0] / found["phones"][1] if found["phones"][1] else 0,
        "emails": found["emails"][0] / found["emails"][1] if found["emails"][1] else 0,
    }
    print("companies %d, leads %d, in the order given: %s" % (len(targets), len(leads), order))
    print("enriched      %.3f  (failed: %s)" % (figures["enriched"], errors or "none"))
    print("company name  %.3f  (%d of %d labelled)" % (figures["name"], named, labelled))
    print("phones        %.3f  (%d of %d labelled)" % (figures["phones"], *found["phones"]))
    print("e-mails       %.3f  (%d of %d labelled)" % (figures["emails"], *found["emails"]))
    print("wall          %.1f s (%.0f ms a company)" % (wall, 1000 * wall / max(1, len(targets))))
    for l in leads:
        if (l.get("error") or {}).get("type") == "unreachable":
            print("unreachable: %s (%s)" % (l["lead_data"].get("target"), l["error"]["message"]))
    if a.check:
        low = [k for k, v in FLOORS.items() if figures[k] < v]
        if low or not order:
            print("below the floor: %s%s" % (low, "" if order else "; leads out of order"))
            sys.exit(1)


if __name__ == "__main__":
    main()
