#!/usr/bin/env python3
"""extract_corpus.py BIN CORPUS: `prospect extract` over every page of the
sample corpus, compared with labels.json: per company, the union of the
e-mail addresses and phone numbers found on its pages against the ones the
generator wrote (in any of its forms: mailto, plain, [at]/[dot], entities,
Cloudflare, tel: links, national and international formats), and company
names. Prints precision and recall; fails below the floors."""
import collections
import json
import subprocess
import sys

binary, corpus = sys.argv[1], sys.argv[2]
labels = json.load(open(corpus + "/labels.json", encoding="utf-8"))
rows = [l.rstrip("\n").split("\t") for l in open(corpus + "/manifest.tsv", encoding="utf-8") if not l.startswith("#")]
by_site = collections.defaultdict(list)
for path, url in rows:
    by_site[path.split("/")[0]].append(path)
files = [corpus + "/" + p for p, _ in rows]
found = collections.defaultdict(lambda: {"emails": set(), "phones": set(), "names": set()})
for i in range(0, len(files), 400):
    chunk = files[i:i + 400]
    out = subprocess.run([binary, "extract"] + chunk, capture_output=True, text=True, check=True).stdout
    for f, line in zip(chunk, out.splitlines()):
        d = json.loads(line)
        site = f[len(corpus) + 1:].split("/")[0]
        found[site]["emails"].update(d["emails"])
        found[site]["phones"].update(d["phones"])
        if d["company_name"]:
            found[site]["names"].add(d["company_name"])
tp = collections.Counter()
fp = collections.Counter()
fn = collections.Counter()
misses = []
for c in labels["companies"]:
    f = found[c["site"]]
    for kind in ("emails", "phones"):
        want, got = set(c[kind]), f[kind]
        tp[kind] += len(want & got)
        fp[kind] += len(got - want)
        fn[kind] += len(want - got)
        if want != got and len(misses) < 8:
            misses.append((c["site"], kind, sorted(want - got), sorted(got - want)))
    tp["name"] += c["name"] in f["names"]
    fn["name"] += c["name"] not in f["names"]
ok = True
for kind in ("emails", "phones"):
    p = tp[kind] / max(1, tp[kind] + fp[kind])
    r = tp[kind] / max(1, tp[kind] + fn[kind])
    print("%-7s precision %.3f recall %.3f (%d found, %d wrong, %d missed)" % (kind, p, r, tp[kind], fp[kind], fn[kind]))
    ok = ok and p >= 0.99 and r >= 0.98
print("names   %d of %d companies named right on some page" % (tp["name"], tp["name"] + fn["name"]))
ok = ok and fn["name"] == 0
for m in misses:
    print("  %s %s missed %s extra %s" % m)
sys.exit(0 if ok else 1)
