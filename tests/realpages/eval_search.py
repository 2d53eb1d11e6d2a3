#!/usr/bin/env python3
"""eval_search.py BIN [--check]: known-item search over a folder of real
pages that name no address of their own.

The 194 real pages are written to a folder without a manifest, with their
canonical links, og:url, <base href> and JSON-LD urls removed, as a folder
of saved pages would be; `prospect index` indexes it (each page's URL and
site inferred), then every labelled company is searched for by its name
(`prospect search --limit 3`). Prints how many pages were indexed, how many
distinct sites they were given, and MRR@3: the mean over the companies of
1/rank of their page within the top 3 (0 when not there). --check fails
below the floor."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

import realpages

FLOOR = 0.90


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    labels = realpages.labels()
    work = tempfile.mkdtemp(prefix="realpages-search-")
    folder = os.path.join(work, "pages")
    realpages.write_saved_folder(folder)
    db = os.path.join(work, "search.db")
    env = dict(os.environ, PROSPECT_LOG_LEVEL="error")
    res = subprocess.run([a.binary, "--db", db, "index", folder], capture_output=True, text=True, env=env)
    if res.returncode != 0:
        sys.exit("prospect index failed: " + res.stderr)
    print(res.stdout.strip())
    total, rr, top1 = 0, 0.0, 0
    for p in labels:
        name = p.get("company_name")
        if not name:
            continue
        total += 1
        out = subprocess.run([a.binary, "--db", db, "search", "--format", "json", "--limit", "3", name],
                             capture_output=True, text=True, env=env)
        results = json.loads(out.stdout)["results"] if out.returncode == 0 else []
        want = "/" + p["id"] + ".html"
        rank = 0
        for r in results:
            urls = [r["url"]] + r.get("more_pages", [])
            if any(u.endswith(want) for u in urls) or r["url"] == p.get("url"):
                rank = r["rank"]
                break
        # a page indexed under its own inferred http URL: match by that
        if not rank:
            for r in results:
                if p.get("url") and (r["url"].rstrip("/") == p["url"].rstrip("/")):
                    rank = r["rank"]
                    break
        rr += 1.0 / rank if rank else 0.0
        top1 += rank == 1
    shutil.rmtree(work)
    mrr = rr / total if total else 0.0
    print("known-item search by company name: MRR@3 %.3f over %d companies (%d first)" % (mrr, total, top1))
    if a.check and mrr < FLOOR:
        print("below the floor %.2f" % FLOOR)
        sys.exit(1)


if __name__ == "__main__":
    main()
