#!/usr/bin/env python3
"""show.py ID [--html]: a page of tests/realpages/pages (or heldout/pages) for hand labelling,
read with BeautifulSoup (independent of Prospect's own extractor): its URL
(from the WCXB ground truth when known), <title>, meta and OpenGraph names,
JSON-LD blocks, microdata scopes, <address> elements, tel: and mailto:
links, and the visible text with one line per block. --html prints the raw
HTML instead."""
import gzip
import json
import os
import re
import sys

from bs4 import BeautifulSoup

HERE = os.path.dirname(os.path.abspath(__file__))
BLOCKS = {"p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "section",
          "article", "header", "footer", "address", "td", "th", "dd", "dt", "nav", "ul", "ol",
          "form", "table", "aside", "main", "blockquote", "figcaption", "option"}


def visible_lines(soup):
    for t in soup(["script", "style", "noscript", "template", "svg"]):
        t.decompose()
    out, cur = [], []
    for el in soup.descendants:
        if getattr(el, "name", None) in BLOCKS:
            if cur:
                out.append(" ".join(cur))
                cur = []
        elif isinstance(el, str) and el.strip():
            cur.append(" ".join(el.split()))
    if cur:
        out.append(" ".join(cur))
    return [l for l in out if l.strip()]


def main():
    pid = sys.argv[1]
    path = os.path.join(HERE, "pages", pid + ".html.gz")
    if not os.path.exists(path):  # a held-out page
        path = os.path.join(HERE, "heldout", "pages", pid + ".html.gz")
    raw = gzip.open(path).read().decode("utf-8", "replace")
    if "--html" in sys.argv:
        print(raw)
        return
    soup = BeautifulSoup(raw, "lxml")
    print("== id", pid)
    labels = os.path.join(HERE, "labels.json")
    if os.path.exists(labels):
        for p in json.load(open(labels)):
            if p["id"] == pid:
                print("== url:", p["url"])
    t = soup.find("title")
    print("== title:", t.get_text(" ", strip=True) if t else None)
    for m in soup.find_all("meta"):
        k = m.get("property") or m.get("name") or ""
        if k.lower() in ("og:site_name", "og:title", "application-name", "og:url", "author"):
            print("== meta", k, "=", m.get("content"))
    for l in soup.find_all("link", rel=True):
        if "canonical" in l.get("rel") or "alternate" in l.get("rel") and l.get("hreflang"):
            print("== link", l.get("rel"), l.get("hreflang"), l.get("href"))
    html = soup.find("html")
    print("== lang:", html.get("lang") if html else None)
    for s in soup.find_all("script", type=re.compile("ld.json", re.I)):
        txt = (s.string or s.get_text() or "").strip()
        print("== JSON-LD:", txt[:3000])
    for el in soup.find_all(itemscope=True):
        print("== microdata", el.get("itemtype"), ":", " ".join(el.get_text(" ").split())[:400])
    for a in soup.find_all("address"):
        print("== <address>:", " ".join(a.get_text(" ").split()))
    seen = set()
    for a in soup.find_all("a", href=True):
        h = a["href"].strip()
        line = h + " | " + " ".join(a.get_text(" ").split())[:80]
        if h.lower().startswith(("tel:", "mailto:", "sms:")) and line not in seen:
            seen.add(line)
            print("== link", line)
    for img in soup.find_all("img", alt=True):
        if "logo" in (img.get("alt", "") + " ".join(img.get("class", [])) + img.get("src", "")).lower():
            print("== logo img alt:", img.get("alt"))
    print("== visible text:")
    for line in visible_lines(soup):
        print(line)


if __name__ == "__main__":
    main()
