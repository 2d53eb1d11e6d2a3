"""realpages.py: what the evaluations of tests/realpages share: the labels,
the hand fit labels, and the pages written out as a folder of saved pages
that give no address of their own."""
import gzip
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))

# What gives a saved page its address away: canonical link, og:url,
# <base href>, JSON-LD urls.
STRIP = [
    re.compile(r"<link\b[^>]*\brel=[\"']?canonical[\"']?[^>]*>", re.I),
    re.compile(r"<meta\b[^>]*\bproperty=[\"']?og:url[\"']?[^>]*>", re.I),
    re.compile(r"<base\b[^>]*>", re.I),
    re.compile(r"\"(?:url|@id)\"\s*:\s*\"https?:[^\"]*\""),
]


def labels(heldout=False):
    """The hand labels: of the pages the extractor was tuned on, or of the
    held-out pages (heldout/: labelled after the tuning, never tuned on)."""
    if not heldout:
        return json.load(open(os.path.join(HERE, "labels.json")))
    out = []
    folder = os.path.join(HERE, "heldout")
    for name in sorted(os.listdir(folder)):
        if name.startswith("labels") and name.endswith(".json"):
            out += json.load(open(os.path.join(folder, name)))
    return out


def page_path(pid):
    path = os.path.join(HERE, "pages", pid + ".html.gz")
    return path if os.path.exists(path) else os.path.join(HERE, "heldout", "pages", pid + ".html.gz")


def fit():
    return json.load(open(os.path.join(HERE, "fit.json")))


def page_html(pid):
    return gzip.open(page_path(pid)).read().decode("utf-8", "replace")


def write_saved_folder(folder):
    """Writes every page as FOLDER/ID.html without its address."""
    os.makedirs(folder, exist_ok=True)
    for p in labels():
        html = page_html(p["id"])
        for r in STRIP:
            html = r.sub("", html)
        with open(os.path.join(folder, p["id"] + ".html"), "w", encoding="utf-8") as f:
            f.write(html)
