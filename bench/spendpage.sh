#!/usr/bin/env bash
# The spend pages as users feel them at volume: serve a database built by
# bench/spend5m.sh and load /spend and /spend/report.json for one
# buyer-year with wrk (16 connections, 10 s each), as whole HTTP requests.
# Prints per page the requests/s, the p50 and p99 latency, and the server
# process's CPU time per request (user+system from /proc, so the figure
# means something on a loaded machine). On PostgreSQL the database
# server's CPU is not included.
# Usage: bash bench/spendpage.sh DB [BUYER-SLUG] [FROM] [TO] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:?database DSN}
buyer=${2:-trafford-council}
from=${3:-2024-04-01}
to=${4:-2025-03-31}
dur=${5:-10}
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
bin=${SVHUB_BIN:-}
if [ -z "$bin" ]; then bin=$tmp/svhub; CGO_ENABLED=0 go build -o "$bin" ./cmd/svhub; fi
SVHUB_SEAL_KEY=${SVHUB_SEAL_KEY:-$(head -c32 /dev/urandom | base64)} "$bin" serve --db "$db" --addr 127.0.0.1:0 --ready-file "$tmp/ready" >"$tmp/log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do [ -f "$tmp/ready" ] && break; sleep 0.1; done
[ -f "$tmp/ready" ] || { cat "$tmp/log"; exit 1; }
url=$(cat "$tmp/ready")
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; } # clock ticks
tick=$(getconf CLK_TCK)
echo "| page | requests/s | p50 ms | p99 ms | server CPU ms/request |"
echo "|---|---|---|---|---|"
for page in /spend /spend/report.json; do
  u="$url$page?buyer=$buyer&from=$from&to=$to"
  code=$(curl -s -o /dev/null -w '%{http_code}' "$u")
  [ "$code" = 200 ] || { echo "$page: HTTP $code" >&2; exit 1; }
  c0=$(cpu)
  out=$(wrk -t2 -c16 -d"${dur}s" --latency "$u")
  c1=$(cpu)
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  ms() { echo "$out" | awk -v p="$1" '$1 == p {v=$2; if (v ~ /us$/) {sub(/us$/, "", v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v*=1000}; printf "%.0f", v}'; }
  errs=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}')
  [ -z "$errs" ] || echo "$page: $errs" >&2
  echo "| $page | $rps | $(ms 50%) | $(ms 99%) | $(awk -v a="$c0" -v b="$c1" -v n="$n" -v t="$tick" 'BEGIN {printf "%.1f", (b-a)*1000/t/n}') |"
done
