#!/usr/bin/env python3
"""eval-extract.py [DATA_DIR] [--bin build/prospect]: main-text quality of
`prospect extract` on the WCXB dev pages in ../shared/data/wcxb-dev (see its
README for the metric): word-level precision, recall and F1, macro-averaged
over pages, overall and per page type, with the share of `with` snippets
found and `without` snippets leaked; and the same for the floor of keeping
all visible text (--all-text). Prints a table."""
import argparse
import collections
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile

WORD = re.compile(r"\w+", re.UNICODE)


def bag(text):
    return collections.Counter(WORD.findall((text or "").lower()))


def prf(pred, ref):
    p, r = bag(pred), bag(ref)
    if not r:
        return (1.0, 1.0, 1.0) if not p else (0.0, 0.0, 0.0)
    if not p:
        return (0.0, 0.0, 0.0)
    overlap = sum((p & r).values())
    prec, rec = overlap / sum(p.values()), overlap / sum(r.values())
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def run(binary, files, extra):
    out = {}
    for i in range(0, len(files), 200):
        chunk = files[i:i + 200]
        res = subprocess.run([binary, "extract", "--format", "json"] + extra + [f for _, f in chunk],
                             capture_output=True, text=True, env=dict(os.environ, PROSPECT_LOG_LEVEL="error"))
        lines = [l for l in res.stdout.split("\n") if l.strip()]
        if len(chunk) == 1:
            lines = [res.stdout]
        for (fid, _), line in zip(chunk, lines):
            out[fid] = json.loads(line).get("main_text") or ""
    return out


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("data", nargs="?", default=os.path.join(here, "..", "..", "shared", "data", "wcxb-dev"))
    ap.add_argument("--bin", default=os.path.join(here, "..", "build", "prospect"))
    args = ap.parse_args()
    meta = json.load(open(os.path.join(args.data, "metadata-dev.json")))["files"]
    tmp = tempfile.mkdtemp(prefix="wcxb-")
    files, truth = [], {}
    for fid in sorted(meta):
        gt = json.load(open(os.path.join(args.data, "ground-truth", fid + ".json")))["ground_truth"]
        truth[fid] = gt
        path = os.path.join(tmp, fid + ".html")
        with gzip.open(os.path.join(args.data, "html", fid + ".html.gz")) as src, open(path, "wb") as dst:
            dst.write(src.read())
        files.append((fid, path))
    results = {"prospect": run(args.bin, files, []), "all visible text": run(args.bin, files, ["--all-text"])}
    for name, preds in results.items():
        by_type = collections.defaultdict(list)
        for fid in meta:
            gt = truth[fid]
            pred = preds.get(fid, "")
            p, r, f = prf(pred, gt.get("main_content") or "")
            low = pred.lower()
            with_ = gt.get("with") or []
            without = gt.get("without") or []
            w = sum(s.lower() in low for s in with_) / len(with_) if with_ else None
            wo = sum(s.lower() in low for s in without) / len(without) if without else None
            row = (p, r, f, w, wo)
            by_type[meta[fid]["page_type"]].append(row)
            by_type["ALL"].append(row)
        print("\n%s" % name)
        print("%-14s %5s %6s %6s %6s %6s %6s" % ("type", "pages", "P", "R", "F1", "with", "without"))
        for t in ["ALL"] + sorted(k for k in by_type if k != "ALL"):
            rows = by_type[t]
            avg = lambda i: sum(x[i] for x in rows if x[i] is not None) / max(1, sum(1 for x in rows if x[i] is not None))
            print("%-14s %5d %6.3f %6.3f %6.3f %6.3f %6.3f" % (t, len(rows), avg(0), avg(1), avg(2), avg(3), avg(4)))


if __name__ == "__main__":
    main()
