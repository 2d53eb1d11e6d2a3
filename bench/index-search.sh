#!/usr/bin/env bash
# bench/index-search.sh [COMPANIES]: index throughput and query latency of the
# embedded search engine on a corpus scaled to ~50,000 pages (COMPANIES,
# default 12400), side by side with the seed's stack (BeautifulSoup + lxml
# into SQLite FTS5, bench/peer_index_search.py). Needs a Release build in
# build/ and Debian's python3-bs4 and python3-lxml.
set -euo pipefail
cd "$(dirname "$0")/.."
companies=${1:-12400}
work=${BENCH_DIR:-/tmp/prospect-bench-index}
mkdir -p "$work"
[ -x build/prospect ] && [ -x build/bench/bench_search ] || { echo "build first: cmake --build build"; exit 1; }
/usr/bin/python3 -c 'import bs4, lxml' 2>/dev/null || { echo "needs python3-bs4 and python3-lxml (apt-get install)"; exit 1; }

if [ ! -f "$work/corpus-$companies/manifest.tsv" ]; then
  python3 scripts/gen-sample-corpus.py --companies "$companies" "$work/corpus-$companies"
fi
corpus=$work/corpus-$companies
pages=$(grep -vc '^#' "$corpus/manifest.tsv")
mb=$(find "$corpus" -name '*.html' -printf '%s\n' | awk '{s+=$1} END {printf "%.1f", s/1e6}')
echo "corpus: $pages pages, $mb MB of HTML ($corpus)"

# Queries: 800 page titles and the example contexts' generated queries.
awk -F'\t' 'NR > 1 && NR % 60 == 0 {print $1}' "$corpus/manifest.tsv" | head -800 |
  while read -r p; do sed -n 's:.*<title>\(.*\)</title>.*:\1:p' "$corpus/$p" | head -1; done > "$work/queries.txt"
for f in examples/*.json; do build/prospect queries "$f" | cut -c11-; done >> "$work/queries.txt"
echo "queries: $(wc -l < "$work/queries.txt")"

rm -f "$work/prospect.db"*
start=$(date +%s.%N)
build/prospect index --quiet --db "$work/prospect.db" "$corpus"
end=$(date +%s.%N)
p_secs=$(echo "$end - $start" | bc -l)
p_rate=$(echo "$mb / $p_secs" | bc -l)
p_q=$(build/bench/bench_search "$work/prospect.db" "$work/queries.txt" 10)

peer=$(/usr/bin/python3 bench/peer_index_search.py "$corpus" "$work/peer.db" "$work/queries.txt")
peer_idx=$(echo "$peer" | sed -n 1p)
peer_q=$(echo "$peer" | sed -n 2p)
peer_rate=$(echo "$peer_idx" | sed 's/.*mb_per_s=\([0-9.]*\).*/\1/')
get() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

printf '\n%-34s %12s %12s %8s\n' "" "prospect" "peer" "ratio"
printf '%-34s %12.2f %12.2f %7.1fx\n' "index throughput (MB/s)" "$p_rate" "$peer_rate" "$(echo "$p_rate / $peer_rate" | bc -l)"
for k in p50_ms p99_ms mean_ms; do
  a=$(get "$p_q" $k); b=$(get "$peer_q" $k)
  printf '%-34s %12.3f %12.3f %7.1fx\n' "query latency $k" "$a" "$b" "$(echo "$b / $a" | bc -l)"
done
echo
echo "prospect: index ${p_secs}s; search: $p_q"
echo "peer:     $peer_idx; search: $peer_q"
echo "(ratio: how many times faster Prospect is)"
