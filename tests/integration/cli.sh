#!/bin/sh
# cli.sh BIN SRCDIR: the real binary's command line: help, version, exit
# codes, configuration precedence and errors, secret masking, global flags.
set -u
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() { # check NAME EXPECTED_EXIT COMMAND...: runs, keeps output in $out
  name=$1 want=$2
  shift 2
  out=$("$@" 2>&1)
  got=$?
  if [ "$got" != "$want" ]; then
    echo "FAIL $name: exit $got, want $want"; echo "$out" | head -20; fails=$((fails + 1))
  fi
}
has() { # has NAME TEXT: $out contains TEXT
  case $out in *"$2"*) ;; *) echo "FAIL $1: output lacks '$2'"; echo "$out" | head -20; fails=$((fails + 1)) ;; esac
}
lacks() {
  case $out in *"$2"*) echo "FAIL $1: output has '$2'"; fails=$((fails + 1)) ;; esac
}

check help 0 "$bin" --help
has help "validate"
has help "exit codes"
check no-args 2 "$bin"
check version 0 "$bin" --version
has version "prospect "
check unknown-command 2 "$bin" frobnicate
has unknown-command "no command named 'frobnicate'"
check command-help 0 "$bin" help validate
has command-help "usage: prospect validate"
check command-help-flag 0 "$bin" validate --help
has command-help-flag "usage: prospect validate"

check seed-valid 0 "$bin" validate "$src/examples/seed-request.json"
has seed-valid "valid"
check seed-json 0 "$bin" validate --format json "$src/examples/seed-request.json"
has seed-json '"valid": true'
check stdin 2 sh -c "echo '{\"business_context\":{}}' | '$bin' validate -"
has stdin "business_context: needs at least one of"
check invalid-json-format 2 sh -c "echo '[1]' | '$bin' validate --format json -"
has invalid-json-format '"error": "invalid_request"'
check missing-file 1 "$bin" validate "$tmp/none.json"
has missing-file "cannot open"
check no-file 2 "$bin" validate
check two-files 2 "$bin" validate a.json b.json
check bad-format 2 "$bin" validate --format xml x.json

# Configuration: precedence, sources, errors naming the variable, masking.
printf 'MCP_SERVER_PORT=6001\nPROSPECT_DB=/from/file.db\nTAVILY_API_KEY=tvly-file-secret-1\n' > "$tmp/p.env"
check config-file 0 env -u MCP_SERVER_PORT -u PROSPECT_DB "$bin" --config "$tmp/p.env" config
has config-file "/from/file.db"
has config-file "6001"
lacks config-file "tvly-file-secret-1"
check config-dburl 0 env PROSPECT_DB=postgres://bob:pg-secret-42@db:5432/x "$bin" config
has config-dburl "postgres://bob:********@db:5432/x"
lacks config-dburl "pg-secret-42"
check config-env 0 env MCP_SERVER_PORT=7001 "$bin" --config "$tmp/p.env" config --format json
has config-env '"value": "7001"'
has config-env '"source": "env"'
check config-flag 0 env MCP_SERVER_PORT=7001 "$bin" config --port 8001 --db=/flag.db
has config-flag "8001"
has config-flag "/flag.db"
check bad-port 2 env MCP_SERVER_PORT=abc "$bin" config
has bad-port "MCP_SERVER_PORT (from env): 'abc' is not an integer"
check bad-bool 2 env WEBAPP_WEBHOOK_ENABLED=maybe "$bin" config
has bad-bool "WEBAPP_WEBHOOK_ENABLED"
check bad-limit 2 env PROSPECT_MAX_LIST_ITEMS=-1 "$bin" config
has bad-limit "PROSPECT_MAX_LIST_ITEMS"
check bad-flag-value 2 "$bin" config --search bing
has bad-flag-value "PROSPECT_SEARCH (from flag)"
check flag-needs-value 2 "$bin" config --db
check missing-config-file 1 "$bin" --config "$tmp/none.env" config
check secret-env-masked 0 env GOOGLE_API_KEY=AIza-env-secret-42 "$bin" --log-level debug config
lacks secret-env-masked "AIza-env-secret-42"
check config-extra-arg 2 "$bin" config extra
check ignored-seed-vars 0 env HF_HOME=/x TRANSFORMERS_CACHE=/y "$bin" --log-level debug config
has ignored-seed-vars "ignored"
check unknown-prospect-var 0 env PROSPECT_SERACH=local "$bin" config
has unknown-prospect-var "PROSPECT_SERACH"
check json-logs 1 env PROSPECT_LOG_FORMAT=json PROSPECT_SERACH=1 "$bin" validate "$tmp/none"
has json-logs '"level":"warn"'

if [ "$fails" -ne 0 ]; then echo "$fails check(s) failed"; exit 1; fi
echo "all CLI checks passed"
