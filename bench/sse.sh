#!/usr/bin/env bash
# bench/sse.sh [COUNTS...]: thousands of SSE streams held by `prospect serve`
# and, side by side, by the seed's stack (FastAPI + uvicorn, bench/peer_sse.py):
# resident memory per stream, CPU per broadcast, delivery latency p50/p99.
# Streams default to 1000 5000 10000; one event a second is broadcast 5
# times. Server and clients are separate processes (20,000 open files each).
# Needs a Release build in build/ (its prospect-test, the build with the
# benchmark's publish routes) and Debian's python3-fastapi and
# python3-uvicorn.
set -euo pipefail
cd "$(dirname "$0")/.."
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1000 5000 10000)
events=5
[ -x build/prospect-test ] && [ -x build/bench/sse_clients ] || { echo "build first"; exit 1; }
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
ulimit -n 20000

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
user_ticks() { awk '{print $14}' "/proc/$1/stat"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

run() { # run SIDE N -> "rss_per_stream_kb cpu_ms_per_broadcast p50 p99 user_ms_per_broadcast"
  local side=$1 n=$2 port pid path pub
  port=$(free_port)
  if [ "$side" = prospect ]; then
    PROSPECT_BENCH_ROUTES=1 PROSPECT_LOG_LEVEL=error MCP_SERVER_PORT=$port \
      PROSPECT_MAX_CONNECTIONS_PER_IP=0 PROSPECT_RATE_REQUESTS=0 \
      build/prospect-test serve --db "$work/b-$n.db" 2>/dev/null &
    pid=$!
    path=/api/v2/jobs/bench/events
    pub="http://127.0.0.1:$port/bench/publish/bench"
  else
    /usr/bin/python3 bench/peer_sse.py "$port" 2>/dev/null &
    pid=$!
    path=/events
    pub="http://127.0.0.1:$port/publish"
  fi
  for i in $(seq 100); do curl -s "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
  [ "$side" = prospect ] && curl -s -X POST "http://127.0.0.1:$port/bench/open/bench" >/dev/null
  sleep 0.5
  local rss0 cpu0 cpu1 rss1 usr0 usr1
  rss0=$(rss_kb $pid)
  build/bench/sse_clients "$port" "$path" "$n" "$events" > "$work/out" &
  local clients=$!
  for i in $(seq 600); do grep -q ready "$work/out" && break; sleep 0.1; done
  sleep 1
  rss1=$(rss_kb $pid)
  cpu0=$(cpu_ticks $pid)
  usr0=$(user_ticks $pid)
  for e in $(seq $events); do
    curl -s -X POST --data "t=$(date +%s%6N)" "$pub" >/dev/null
    sleep 1
  done
  wait $clients || true
  cpu1=$(cpu_ticks $pid)
  usr1=$(user_ticks $pid)
  kill $pid; wait $pid 2>/dev/null || true
  local lat
  lat=$(tail -1 "$work/out")
  echo "$(( (rss1 - rss0) * 1000 / n )) $(( (cpu1 - cpu0) * 10 / events )) $(echo "$lat" | sed 's/.*p50_ms=\([0-9.]*\) p99_ms=\([0-9.]*\).*/\1 \2/') $(( (usr1 - usr0) * 10 / events ))"
}

printf '%-8s | %-34s | %-34s | %s\n' "streams" "prospect: B/stream cpu-ms p50 p99" "peer: B/stream cpu-ms p50 p99" "ratios mem cpu p99"
kernel=()
for n in "${counts[@]}"; do
  read -r pm pc p50 p99 pu < <(run prospect "$n")
  read -r qm qc q50 q99 qu < <(run peer "$n")
  kernel+=("$n: prospect user $pu ms + kernel $((pc - pu)) ms; peer user $qu ms + kernel $((qc - qu)) ms")
  printf '%-8s | %8s %8s %7s %7s | %8s %8s %7s %7s | %5sx %5sx %5sx\n' "$n" "$pm" "$pc" "$p50" "$p99" "$qm" "$qc" "$q50" "$q99" \
    "$(echo "scale=1; $qm / ($pm + 1)" | bc)" "$(echo "scale=1; $qc / ($pc + 1)" | bc)" "$(echo "scale=1; $q99 / ($p99 + 0.01)" | bc)"
done
echo "(B/stream: resident bytes per open stream; cpu-ms: server CPU per broadcast; p50/p99: delivery latency in ms; ratios: peer / prospect)"
echo "CPU per broadcast split into user and kernel time (the kernel's share is loopback TCP, paid per send by any server):"
printf '  %s\n' "${kernel[@]}"
