#!/usr/bin/python3
"""peer_index_search.py CORPUS DB QUERIES: the seed's stack doing the same work
as `prospect index` + the local search provider, for bench/index-search.sh.

Index: BeautifulSoup with the lxml parser (title, headings, get_text()) into
SQLite FTS5 (porter stemming) in one transaction. Search: each query's words
OR-ed, ranked by bm25 with the same field weights, grouped by site.
Prints the same figures as Prospect's side.
"""
import os
import re
import sqlite3
import sys
import time
import warnings

from bs4 import BeautifulSoup

warnings.filterwarnings("ignore")
STOP = set("a an and are as at be by for from has have in is it its of on or that the this to was were will with".split())


def main():
    corpus, db, queries = sys.argv[1:4]
    if os.path.exists(db):
        os.remove(db)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, url TEXT UNIQUE, site TEXT)")
    con.execute("CREATE VIRTUAL TABLE fts USING fts5(title, headings, body, tokenize='porter unicode61 remove_diacritics 2')")
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(corpus, "manifest.tsv"), encoding="utf-8") if not l.startswith("#")]
    t0 = time.perf_counter()
    nbytes = 0
    with con:
        for i, (path, url) in enumerate(rows):
            with open(os.path.join(corpus, path), "rb") as f:
                raw = f.read()
            nbytes += len(raw)
            soup = BeautifulSoup(raw, "lxml")
            for tag in soup(["script", "style", "noscript", "template"]):
                tag.decompose()
            title = soup.title.get_text(" ", strip=True) if soup.title else ""
            heads = "\n".join(h.get_text(" ", strip=True) for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]))
            body = soup.get_text("\n", strip=True)
            site = url.split("/")[2]
            con.execute("INSERT INTO docs (id, url, site) VALUES (?, ?, ?)", (i + 1, url, site))
            con.execute("INSERT INTO fts (rowid, title, headings, body) VALUES (?, ?, ?, ?)", (i + 1, title, heads, body))
    secs = time.perf_counter() - t0
    print("index pages=%d mb=%.1f seconds=%.2f mb_per_s=%.2f" % (len(rows), nbytes / 1e6, secs, nbytes / 1e6 / secs))
    qs = [l.strip() for l in open(queries, encoding="utf-8") if l.strip()]
    lat = []
    for rnd in range(2):
        lat = []
        for q in qs:
            t = time.perf_counter()
            words = [w for w in re.findall(r"\w+", q.lower()) if w not in STOP]
            if words:
                expr = " OR ".join('"%s"' % w.replace('"', '""') for w in words)
                hits = con.execute("SELECT d.url, d.site, bm25(fts, 8.0, 3.0, 1.0) AS r FROM fts JOIN docs d ON d.id = fts.rowid "
                                   "WHERE fts MATCH ? ORDER BY r LIMIT 80", (expr,)).fetchall()
                sites = {}
                for url, site, r in hits:
                    sites.setdefault(site, []).append(url)
            lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    n = len(lat)
    print("queries=%d p50_ms=%.3f p99_ms=%.3f mean_ms=%.3f" % (n, lat[n // 2], lat[n * 99 // 100], sum(lat) / n))


if __name__ == "__main__":
    main()
