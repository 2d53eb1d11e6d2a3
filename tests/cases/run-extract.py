#!/usr/bin/env python3
"""run-extract.py BIN CASE.html: `prospect extract --url URL CASE.html`
compared with CASE.json: every key there must equal the output's (lists
compared as sets). The URL is the expected file's "url"."""
import json
import subprocess
import sys

binary, case = sys.argv[1], sys.argv[2]
want = json.load(open(case[:-5] + ".json", encoding="utf-8"))
res = subprocess.run([binary, "extract", "--url", want["url"], case], capture_output=True, text=True)
if res.returncode != 0:
    sys.exit("exit %d: %s" % (res.returncode, res.stderr))
got = json.loads(res.stdout)
bad = 0
for key, value in want.items():
    g = got.get(key)
    same = sorted(g) == sorted(value) if isinstance(value, list) and isinstance(g, list) else g == value
    if not same:
        print("%s: want %s\n%s  got  %s" % (key, json.dumps(value, ensure_ascii=False), " " * len(key),
                                           json.dumps(g, ensure_ascii=False)))
        bad += 1
sys.exit(1 if bad else 0)
