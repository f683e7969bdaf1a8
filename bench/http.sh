#!/usr/bin/env bash
# Pages as users feel them: the hub on SQLite with the demo data, every
# public page reachable from the home page (crawled, two links deep) and the
# main pages of three signed-in roles, each loaded by wrk with 64
# connections, uncached (a query string bypasses the anonymous page cache),
# next to a static file served by the same binary (the ceiling), measured
# first and last in the same run. Prints a Markdown table for
# bench/RESULTS.md. Needs wrk and curl (apt-get install wrk curl).
# Usage: bash bench/http.sh [seconds-per-page]
# BENCH_PAGES="/hub /network" measures only those public pages (and the
# static ceiling before and after them); with it, BENCH_SIGNED="buyer:/contracts/1
# supplier:/contracts/6" also measures those pages signed in as the demo
# account before the colon (target 3,000 req/s). The hub runs with --gc-percent 400
# (GC_PERCENT=100 for the default; see docs/operations.md).
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-5}
conns=64
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
CGO_ENABLED=0 go build -o "$tmp/svhub" ./cmd/svhub
pw=bench-password-1
"$tmp/svhub" serve --gc-percent "${GC_PERCENT:-400}" --demo --demo-password "$pw" --db "sqlite:$tmp/hub.db" --addr 127.0.0.1:0 --ready-file "$tmp/ready" >"$tmp/log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do [ -f "$tmp/ready" ] && break; sleep 0.1; done
[ -f "$tmp/ready" ] || { cat "$tmp/log"; exit 1; }
url=$(cat "$tmp/ready")

# links PATH [COOKIE]: the site's own GET links on a page (no assets, no
# sign-out, no fragments).
links() {
  curl -fsS ${2:+-H "Cookie: $2"} "$url$1" 2>/dev/null |
    grep -o 'href="/[^"#]*"' | sed 's/^href="//; s/"$//; s/&amp;/\&/g' |
    grep -v -E '^/(static|logout)|^//' | sort -u || true
}
# crawl DEPTH COOKIE: pages reachable from / in DEPTH steps, each kept once.
crawl() {
  local depth=$1 cookie=${2:-} seen="" frontier="/" next p
  for _ in $(seq 1 "$depth"); do
    next=""
    for p in $frontier; do
      for l in $(links "$p" "$cookie"); do
        case " $seen $frontier $next " in *" $l "*) ;; *) next="$next $l" ;; esac
      done
    done
    seen="$seen $frontier"; frontier=$next
  done
  printf '%s\n' $seen $frontier | sort -u | grep -v '^$' | shapes
}
# shapes: at most two pages of each shape (first segment, depth, query
# keys), so /organisations/{slug} is measured twice, not sixty times.
shapes() {
  awk '{ split($0, pq, "?"); n = split(pq[1], seg, "/"); q = pq[2]; gsub(/=[^&]*/, "=", q)
         k = seg[2] "|" n "|" q; if (++c[k] <= 2) print }'
}
signin() {
  local jar="$tmp/jar-$1"
  curl -fsS -o /dev/null -c "$jar" --data-urlencode "email=$1" --data-urlencode "password=$pw" "$url/login"
  awk '($0 !~ /^#/ || $0 ~ /^#HttpOnly_/) && NF >= 7 {printf "%s=%s; ", $6, $7}' "$jar"
}
uncached() { case "$1" in *\?*) echo "$1&bench=1" ;; *) echo "$1?bench=1" ;; esac; }

if [ -n "${BENCH_LIST:-}" ]; then # list the pages only
  crawl 2; for who in resident@example.org buyer@example.org admin@example.org; do echo "# $who"; crawl 1 "$(signin "$who")"; done
  exit 0
fi
printf '| who | path | requests/s | p50 | p99 | non-2xx | target |\n| --- | --- | ---: | ---: | ---: | ---: | --- |\n'
# load WHO PATH TARGET_RPS [COOKIE]
load() {
  local who=$1 path=$2 target=$3 cookie=${4:-} out rps p50 p99 errs ok
  wrk -t2 -c$conns -d1s ${cookie:+-H "Cookie: $cookie"} "$url$path" >/dev/null 2>&1 # warm up
  out=$(wrk -t2 -c$conns -d"${dur}s" --latency ${cookie:+-H "Cookie: $cookie"} "$url$path")
  rps=$(awk '/Requests\/sec/ {printf "%d", $2}' <<<"$out")
  p50=$(awk '/^ +50%/ {print $2}' <<<"$out")
  p99=$(awk '/^ +99%/ {print $2}' <<<"$out")
  errs=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); errs=${errs:-0}
  ok="-"
  if [ "$target" != "-" ]; then
    p99ms=$(awk -v v="$p99" 'BEGIN { if (v ~ /us$/) print v/1000; else if (v ~ /ms$/) print v+0; else print (v+0)*1000 }')
    ok=$(awk -v r="$rps" -v t="$target" -v p="$p99ms" 'BEGIN { print (r >= t && p < 50) ? "met" : "missed" }')
  fi
  printf '| %s | `%s` | %s | %s | %s | %s | %s |\n' "$who" "$path" "$rps" "$p50" "$p99" "$errs" "$ok"
}

load static /static/css/svhub.css -
if [ -n "${BENCH_PAGES:-}" ]; then # only these public pages (space-separated paths)
  for p in $BENCH_PAGES; do load anonymous "$(uncached "$p")" 5000; done
  for wp in ${BENCH_SIGNED:-}; do load "${wp%%:*}" "$(uncached "${wp#*:}")" 3000 "$(signin "${wp%%:*}@example.org")"; done
  load static /static/css/svhub.css -
  exit 0
fi
for p in $(crawl 2); do load anonymous "$(uncached "$p")" 5000; done
for who in resident@example.org buyer@example.org admin@example.org; do
  cookie=$(signin "$who")
  for p in $(crawl 1 "$cookie"); do load "${who%@*}" "$(uncached "$p")" 3000 "$cookie"; done
done
load static /static/css/svhub.css -
