#!/bin/sh
# fetch.sh BIN SRCDIR: the fetcher against a real HTTP server on loopback:
# statuses, redirects, robots.txt (once per host), limits, the address guard.
set -u
bin=$1 src=$2
tmp=$(mktemp -d)
python3 "$src/tests/stubs/site_server.py" "$tmp/port" "$tmp/log" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
for i in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
base="http://127.0.0.1:$port"
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
export PROSPECT_LOG_LEVEL=error PROSPECT_FETCH_TIMEOUT_MS=1500 PROSPECT_FETCH_MAX_BYTES=1048576

# The guard first: without the test switch, loopback is refused, by address,
# whatever the name, and the server sees nothing.
out=$("$bin" extract "$base/ok" 2>&1) && fail "loopback fetched without the switch"
echo "$out" | grep -q "refused_address: refused to connect to 127.0.0.1" || fail "guard: $out"
out=$("$bin" extract "http://localhost:$port/ok" 2>&1) && fail "localhost fetched"
echo "$out" | grep -q "refused_address" || fail "guard by name: $out"
[ -s "$tmp/log" ] && fail "the server got requests past the guard: $(cat "$tmp/log")"

export PROSPECT_FETCH_ALLOW_PRIVATE=1
out=$("$bin" extract "$base/ok" 2>&1) || fail "ok: $out"
echo "$out" | grep -q '"+14155550142"' || fail "ok page fields: $out"
echo "$out" | grep -q '"company_name": "Loopback Test Co"' || fail "company name: $out"

check() { # check PATH STATUS: the fetch of PATH ends in STATUS
  o=$("$bin" extract "$base$1" 2>&1)
  echo "$o" | grep -q "$base$1: $2" || fail "$1: want $2, got: $o"
}
check /forbidden "blocked: HTTP 403"
check /limited "rate_limited: HTTP 429 with Retry-After"
check /challenge "challenge"
check /pdf "not_html: content type application/pdf"
check /empty "empty"
check /slow "timeout"
check /big "too_large"
check /loop/0 "error: more than 5 redirects"
check /missing "error: HTTP 404"
check /nope "blocked: disallowed by robots.txt for Prospect"
check /to-metadata "refused_address: refused to connect to 169.254.169.254"
check /to-private "refused_address: refused to connect to 10.1.2.3"
check /to-ipv6-mapped "refused_address"
out=$("$bin" extract "$base/nope/but-this" 2>&1) || fail "robots Allow: $out"

# Redirects are followed and the final URL recorded; gzip and Latin-1 decoded.
out=$("$bin" extract "$base/redirect" 2>&1) || fail "redirect: $out"
echo "$out" | grep -q "\"url\": \"$base/ok\"" || fail "final URL not recorded: $out"
out=$("$bin" extract "$base/gzip" 2>&1) || fail "gzip: $out"
echo "$out" | grep -q "Loopback Test Co" || fail "gzip body: $out"
out=$("$bin" extract "$base/latin1" 2>&1) || fail "latin1: $out"
echo "$out" | grep -q '"title": "Café Müller"' || fail "charset: $out"

# Several URLs of one host in one run: robots.txt is fetched once.
: > "$tmp/log"
"$bin" extract "$base/ok" "$base/redirect" "$base/gzip" > /dev/null 2>&1 || fail "three pages"
n=$(grep -c "GET /robots.txt" "$tmp/log")
[ "$n" = 1 ] || fail "robots.txt fetched $n times for one host"
lines=$("$bin" extract "$base/ok" "$base/gzip" 2>/dev/null | wc -l)
[ "$lines" = 2 ] || fail "two inputs must give two lines, got $lines"

# Only http(s).
out=$("$bin" extract "file:///etc/passwd" 2>&1) && fail "file URL accepted"

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "all fetch checks passed"
