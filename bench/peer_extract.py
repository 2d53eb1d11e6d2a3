#!/usr/bin/python3
"""peer_extract.py FILE...: the seed's extraction stack on the same pages as
bench_extract: BeautifulSoup with the lxml parser, get_text(), and e-mail and
phone patterns over the text. One core, best of three rounds."""
import re
import sys
import time
import warnings

from bs4 import BeautifulSoup

warnings.filterwarnings("ignore")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}[\s.-]?\d{3,4}[\s.-]?\d{3,4}")

pages = [open(p, "rb").read() for p in sys.argv[1:]]
total = sum(len(p) for p in pages)
best = 1e9
for _ in range(3):
    t0 = time.perf_counter()
    emails = phones = 0
    for raw in pages:
        soup = BeautifulSoup(raw, "lxml")
        text = soup.get_text(" ", strip=True)
        emails += len(set(EMAIL.findall(text)))
        phones += len(set(PHONE.findall(text)))
    best = min(best, time.perf_counter() - t0)
print("peer_extract pages_per_s=%.1f mb_per_s=%.2f emails=%d phones=%d" % (len(pages) / best, total / 1e6 / best, emails, phones))
