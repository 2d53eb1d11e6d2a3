#!/usr/bin/env bash
# bench/extract.sh [DATA_DIR]: extraction speed on real pages (the WCXB dev
# pages of ../shared/data), side by side: Prospect's whole extraction, a bare
# libxml2 parse (the floor), and the seed's stack (BeautifulSoup + lxml
# get_text() + e-mail and phone patterns). One core each. Needs a Release
# build in build/ and Debian's python3-bs4 and python3-lxml.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/data/wcxb-dev}
[ -x build/bench/bench_extract ] || { echo "build first: cmake --build build"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for f in "$data"/html/*.html.gz; do zcat "$f" > "$work/$(basename "$f" .gz)"; done
ours=$(taskset -c 0 build/bench/bench_extract "$work"/*.html)
peer=$(taskset -c 0 /usr/bin/python3 bench/peer_extract.py "$work"/*.html)
get() { echo "$1" | grep "^$2 " | tr ' ' '\n' | sed -n "s/^$3=//p"; }
echo "$ours" | head -1
printf '\n%-30s %12s %12s\n' "" "pages/s" "MB/s"
for k in prospect_extract libxml2_parse; do
  printf '%-30s %12s %12s\n' "$k" "$(get "$ours" $k pages_per_s)" "$(get "$ours" $k mb_per_s)"
done
printf '%-30s %12s %12s\n' "peer (bs4+lxml get_text)" "$(get "$peer" peer_extract pages_per_s)" "$(get "$peer" peer_extract mb_per_s)"
p=$(get "$ours" prospect_extract mb_per_s); b=$(get "$ours" libxml2_parse mb_per_s); q=$(get "$peer" peer_extract mb_per_s)
echo
echo "prospect / peer throughput:        $(echo "$p / $q" | bc -l | cut -c1-5)x (aim: at least 10x)"
echo "prospect cost / bare libxml2 parse: $(echo "$b / $p" | bc -l | cut -c1-5)x (aim: at most 1.5x)"
