#!/bin/sh
# run-validate.sh BIN CASE.json: runs `BIN validate CASE.json` (with
# --config CASE.env when that file exists) and compares the exit code and
# standard output with CASE.out: line 1 is "exit N", the rest is stdout.
set -u
bin=$1 case=$2
dir=$(dirname "$case") name=$(basename "$case" .json)
expected=$dir/$name.out
[ -f "$expected" ] || { echo "missing $expected"; exit 1; }
set -- validate "$name.json"
[ -f "$dir/$name.env" ] && set -- --config "$name.env" "$@"
out=$(cd "$dir" && PROSPECT_LOG_LEVEL=error "$bin" "$@" 2>/dev/null)
code=$?
actual=$(printf 'exit %s\n%s' "$code" "$out")
[ "$actual" = "$(cat "$expected")" ] && exit 0
echo "--- expected ($expected)"
cat "$expected"
echo "--- actual"
printf '%s\n' "$actual"
exit 1
