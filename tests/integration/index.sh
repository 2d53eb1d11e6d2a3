#!/bin/sh
# index.sh BIN SRCDIR CORPUS: `prospect index` and `prospect search` on the
# sample corpus and on WARC files: counts, incremental re-indexing, title
# searches finding their page in the top 3, damaged and foreign input.
set -u
bin=$1 src=$2 corpus=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
export PROSPECT_LOG_LEVEL=warn

pages=$(grep -vc '^#' "$corpus/manifest.tsv")
out=$("$bin" index --db "$tmp/c.db" "$corpus" 2>&1) || fail "index exit $?"
echo "$out" | grep -q "$pages added, 0 updated, 0 unchanged, 0 skipped" || fail "first index: $out"
out=$("$bin" index --db "$tmp/c.db" "$corpus" 2>&1) || fail "re-index exit $?"
echo "$out" | grep -q "0 added, 0 updated, $pages unchanged" || fail "re-index: $out"

# Every 15th page: its title words find it (as a site's best page or one of
# its further pages) within the top 3 sites.
python3 - "$bin" "$tmp/c.db" "$corpus" <<'PY' || fails=$((fails + 1))
import html, json, re, subprocess, sys
bin, db, corpus = sys.argv[1:4]
rows = [l.rstrip("\n").split("\t") for l in open(corpus + "/manifest.tsv", encoding="utf-8") if not l.startswith("#")]
misses, tried = [], 0
for path, url in rows[::15]:
    text = open(corpus + "/" + path, encoding="utf-8").read()
    title = html.unescape(re.search(r"<title>(.*?)</title>", text, re.S).group(1))
    tried += 1
    res = json.loads(subprocess.run([bin, "search", "--db", db, "--format", "json", "--limit", "3", title],
                                    capture_output=True, text=True, check=True).stdout)
    found = any(url == r["url"] or url in r["more_pages"] for r in res["results"])
    if not found:
        misses.append((title, url))
print("title search: %d of %d pages in the top 3" % (tried - len(misses), tried))
for m in misses[:5]:
    print("  missed:", m)
sys.exit(0 if not misses else 1)
PY

# WARC input: gzip per record, chunked and gzip bodies, Latin-1, non-HTML,
# non-2xx, a damaged header, a truncated file, garbage.
n=$(python3 "$src/tests/integration/make-warc.py" "$corpus" "$tmp/warc") || fail "make-warc"
out=$("$bin" index --db "$tmp/w.db" "$tmp/warc" 2>&1) || fail "warc index exit $?"
echo "$out" | grep -q "indexed 4 files" || fail "warc files: $out"
echo "$out" | grep -q "plain.warc: damaged WARC header" || fail "damaged header not reported: $out"
echo "$out" | grep -q "truncated.warc.gz" || fail "truncated file not reported: $out"
echo "$out" | grep -q "garbage.warc: no WARC record at offset 0" || fail "garbage not reported: $out"
added=$(echo "$out" | sed -n 's/.*: \([0-9]*\) added.*/\1/p')
# good: n pages + Latin-1 page; plain: 2 resources; truncated: the records before the cut
[ "$added" -ge $((n + 3)) ] || fail "warc pages added: $added, want at least $((n + 3)): $out"
out=$("$bin" search --db "$tmp/w.db" --format json backerei zurich) || fail "search latin-1"
echo "$out" | grep -q '"title": "Zürich Bäckerei"' || fail "Latin-1 page not converted: $out"
out=$("$bin" search --db "$tmp/w.db" wombat) || fail "search after damage"
echo "$out" | grep -q "after.example" || fail "record after a damaged one lost: $out"
out=$("$bin" search --db "$tmp/w.db" missing gone) || true
echo "$out" | grep -q "missing.example" && fail "a 404 page was indexed"

# Nothing usable: exit 1 with a message per input.
mkdir "$tmp/empty"
out=$("$bin" index --db "$tmp/e.db" "$tmp/empty" 2>&1) && fail "empty folder succeeded"
echo "$out" | grep -q "no .html, .htm, .warc or .warc.gz files found" || fail "empty folder: $out"
out=$("$bin" index --db "$tmp/e.db" "$tmp/missing" 2>&1) && fail "missing path succeeded"
out=$("$bin" index 2>&1); [ $? -eq 2 ] || fail "index without paths: want exit 2"
out=$("$bin" search --db "$tmp/c.db" 2>&1); [ $? -eq 2 ] || fail "search without query: want exit 2"
out=$("$bin" search --db "$tmp/c.db" the of and 2>&1); [ $? -eq 2 ] || fail "stop-word query: want exit 2"
echo "$out" | grep -q "no searchable words" || fail "stop-word query message: $out"
out=$("$bin" search --db "$tmp/c.db" --limit 0 crm 2>&1); [ $? -eq 2 ] || fail "--limit 0: want exit 2"

# An empty store searched with no provider configured indexes the sample corpus.
out=$(PROSPECT_SAMPLE_CORPUS="$corpus" "$bin" search --db "$tmp/auto.db" dental 2>&1) || fail "auto index"
echo "$out" | grep -q "indexing the sample corpus" || fail "auto index not announced: $out"

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "all index checks passed"
