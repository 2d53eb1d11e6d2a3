"""realpages.py: what the evaluations of tests/realpages share: the labels,
the hand fit labels, and the pages written out as a folder of saved pages
that give no address of their own."""
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

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


def extract_pages(binary, pages, with_url, path_of=None):
    """`binary extract --format json` of each page ({id, url?}; its gzip file is path_of(id),
    page_path by default), with the page's address when with_url, in parallel: {id: JSON}."""
    path_of = path_of or page_path
    tmp = tempfile.mkdtemp(prefix="realpages-")
    # no DNS for the e-mail checks: nothing here is judged on them, and it stays off the network
    env = dict(os.environ, PROSPECT_LOG_LEVEL="error", PROSPECT_DNS_TIMEOUT_MS="0")

    def one(p):
        path = os.path.join(tmp, p["id"] + ".html")
        with open(path, "wb") as f:
            f.write(gzip.open(path_of(p["id"])).read())
        cmd = [binary, "extract", "--format", "json"]
        if with_url and p.get("url"):
            cmd += ["--url", p["url"]]
        res = subprocess.run(cmd + [path], capture_output=True, text=True, env=env)
        os.unlink(path)
        if res.returncode != 0:
            sys.exit("prospect extract failed on %s: %s" % (p["id"], res.stderr.strip()))
        return p["id"], json.loads(res.stdout)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
        out = dict(ex.map(one, pages))
    os.rmdir(tmp)
    return out
