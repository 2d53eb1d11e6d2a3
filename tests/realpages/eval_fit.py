#!/usr/bin/env python3
"""eval_fit.py BIN [--web] [--check] [--show]: the share of returned leads
that fit, for the business contexts of contexts/ over the real pages, by
the hand fit labels of fit.json.

By default the pages are a local corpus: written as a folder of saved pages
without their addresses, indexed by `prospect index`, searched by `prospect
run` on the local provider. With --web they are the open web: each served on
a loopback site of its own by tests/stubs/realweb.py, found through its
Tavily mock, fetched by Prospect's fetcher.

Prints per context the leads returned, how many fit, and how many were
qualified; --show lists each lead with its score and fit. --check fails
when a context returns fewer than MIN_LEADS leads or a share that fits
below MIN_SHARE (regression floors, under the aim of 5 leads, 80% fitting)."""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

import realpages

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MIN_LEADS, MIN_SHARE = 5, 0.45


def run_context(binary, ctx_path, db, env):
    res = subprocess.run([binary, "--db", db, "run", "--format", "json", ctx_path],
                         capture_output=True, text=True, env=env, timeout=600)
    if res.returncode not in (0,):
        sys.exit("prospect run %s failed (%d): %s" % (ctx_path, res.returncode, res.stderr[-2000:]))
    return json.loads(res.stdout)["leads"]


def slug_of(url):
    host = urllib.parse.urlsplit(url).hostname or ""
    if host.startswith("www."):
        host = host[4:]
    return re.sub(r"[^a-z0-9]+", "-", host.lower()).strip("-")


def key(name):
    """A name's letters and digits, lower case: "Housecall Pro" -> "housecallpro"."""
    return re.sub(r"[^0-9a-z]+", "", (name or "").lower())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--web", action="store_true")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--show", action="store_true")
    a = ap.parse_args()
    labels = realpages.labels()
    fits = realpages.fit()
    work = tempfile.mkdtemp(prefix="realpages-fit-")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TAVILY", "SEARXNG", "GOOGLE", "GEMINI", "OPENAI", "PROSPECT_"))}
    # the e-mail checks ask no DNS: the fit is not judged on them, and it stays off the network
    env.update(PROSPECT_LOG_LEVEL="error", PROSPECT_LLM="heuristic", PROSPECT_DNS_TIMEOUT_MS="0")
    server = None
    ids_of = {}  # what a lead's pages or site say -> page ids
    try:
        if a.web:
            portfile, log = os.path.join(work, "port"), os.path.join(work, "web.log")
            server = subprocess.Popen(["/usr/bin/python3", os.path.join(ROOT, "tests/stubs/realweb.py"),
                                       os.path.join(HERE, "pages"), portfile, log])
            for _ in range(600):
                if os.path.exists(portfile):
                    break
                time.sleep(0.05)
            port = open(portfile).read().strip()
            env.update(PROSPECT_SEARCH="tavily", TAVILY_API_KEY="tvly-realweb-0123456789",
                       TAVILY_BASE_URL="http://127.0.0.1:%s" % port, PROSPECT_FETCH_ALLOW_PRIVATE="1",
                       PROSPECT_CACHE_TTL_S="0")
            for p in labels:
                if p.get("url"):
                    ids_of.setdefault(slug_of(p["url"]) + ".localhost", []).append(p["id"])
        else:
            folder = os.path.join(work, "pages")
            realpages.write_saved_folder(folder)
            db = os.path.join(work, "corpus.db")
            res = subprocess.run([a.binary, "--db", db, "index", "--quiet", folder],
                                 capture_output=True, text=True, env=env)
            if res.returncode:
                sys.exit("prospect index failed: " + res.stderr)
        print("%-22s %5s %4s %6s %9s" % ("context", "leads", "fit", "share", "qualified"))
        failed = []
        for name in sorted(k for k in fits):
            db = os.path.join(work, "corpus.db") if not a.web else os.path.join(work, name + ".db")
            context = os.path.join(HERE, "contexts", name + ".json")
            competitors = {key(c) for c in json.load(open(context))["business_context"]["competitors"]}
            leads = run_context(a.binary, context, db, env)
            n_fit = n_qual = 0
            rows = []
            for l in leads:
                ld = l["lead_data"]
                if a.web:
                    ids = ids_of.get(ld.get("site", ""), [])
                else:
                    ids = [os.path.basename(u)[:-5] for u in ld.get("pages", []) if u.startswith("file:")]
                    ids += [p["id"] for p in labels if p.get("url") and slug_of(p["url"]) ==
                            slug_of("http://" + ld.get("site", "x"))]
                ok = any(fits[name].get(i) == 1 for i in ids)
                intel = l.get("final_package", {}).get("analyzed_lead", {}).get("ai_intelligence", {})
                score = intel.get("prospect_score", 0)
                qual = l.get("final_package", {}).get("analyzed_lead", {}).get("qualified", score >= 0.5)
                n_fit += ok
                n_qual += bool(qual)
                if key(ld.get("company_name", "")) in competitors:
                    failed.append("%s: the competitor %s is a lead" % (name, ld.get("company_name")))
                rows.append("  %s %.2f %-32s %-24s %s" % ("fit" if ok else " - ", score,
                            ld.get("company_name", "")[:32], ld.get("site", "")[:24],
                            ",".join(ids) or "?"))
            share = n_fit / len(leads) if leads else 0.0
            print("%-22s %5d %4d %6.2f %9d" % (name, len(leads), n_fit, share, n_qual))
            if a.show:
                print("\n".join(rows))
            if len(leads) < MIN_LEADS or share < MIN_SHARE:
                failed.append("%s: below %d leads or %.0f%% fitting" % (name, MIN_LEADS, MIN_SHARE * 100))
        if failed:
            print("\n".join(failed))
        if a.check and failed:
            sys.exit(1)
    finally:
        if server:
            server.send_signal(signal.SIGTERM)
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
