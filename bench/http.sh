#!/usr/bin/env bash
# HTTP throughput and latency of the hub on SQLite with demo data, under 64
# concurrent connections, next to a static file served by the same binary
# (the ceiling). Prints a Markdown table. Needs wrk (apt-get install wrk).
# Usage: bash bench/http.sh [duration-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-10}
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
CGO_ENABLED=0 go build -o "$tmp/svhub" ./cmd/svhub
"$tmp/svhub" serve --demo --demo-password bench-password-1 --db "sqlite:$tmp/hub.db" --addr 127.0.0.1:0 --ready-file "$tmp/ready" >"$tmp/log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do [ -f "$tmp/ready" ] && break; sleep 0.1; done
url=$(cat "$tmp/ready")
printf '| path | requests/s | p50 | p99 | errors |\n| --- | ---: | ---: | ---: | ---: |\n'
# "/?render=1" bypasses the anonymous page cache, to show the cost of rendering.
for path in /static/css/svhub.css / "/?render=1" /healthz /organisations; do
  wrk -t2 -c64 -d3s --latency "$url$path" >/dev/null 2>&1 # warm up
  out=$(wrk -t2 -c64 -d"${dur}s" --latency "$url$path")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '/^ +50%/ {print $2}' <<<"$out")
  p99=$(awk '/^ +99%/ {print $2}' <<<"$out")
  errs=$(awk '/Non-2xx|Socket errors/ {s=s $0 "; "} END {print (s==""?"0":s)}' <<<"$out")
  printf '| `%s` | %s | %s | %s | %s |\n' "$path" "$rps" "$p50" "$p99" "$errs"
done
