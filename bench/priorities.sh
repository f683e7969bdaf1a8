#!/usr/bin/env bash
# People's Priorities benchmarks: aggregation of 1,000,000 ballots × 6
# priorities (Go benchmark, and the CLI end to end with peak memory), and
# ballot submission over HTTP with 32 concurrent voters on SQLite and, when
# SVHUB_TEST_POSTGRES names a server, PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CGO_ENABLED=0 go build -o "$tmp/svhub" ./cmd/svhub

echo "## Aggregation (Go benchmark, aggregation only)"
go test ./internal/priorities -run XXX -bench IndependentMarketsMillion -benchmem -benchtime 5x | grep Benchmark

echo
echo "## CLI end to end: read a 1,000,000-row CSV and aggregate"
awk 'BEGIN { srand(42); print "ballot_id,P1,P2,P3,P4,P5,P6"; for (i = 0; i < 1000000; i++) { left = 100; line = "b" i; for (j = 1; j < 6; j++) { p = int(rand() * (left + 1)); left -= p; line = line "," p } print line "," left } }' > "$tmp/ballots.csv"
ls -la "$tmp/ballots.csv" | awk '{print "file size: " $5 " bytes"}'
/usr/bin/time -f 'wall %e s, max RSS %M KB' "$tmp/svhub" priorities aggregate --format table "$tmp/ballots.csv"

echo
echo "## Ballot submission over HTTP (32 concurrent voters, 10 s)"
echo "| engine | voters | ballots | ballots/s | p50 | p99 | errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
go run ./bench/ballots -bin "$tmp/svhub" -db "sqlite:$tmp/bench.db" -voters 32 -duration 10s
if [ -n "${SVHUB_TEST_POSTGRES:-}" ]; then
  db="svhub_bench_$$"
  psql "$SVHUB_TEST_POSTGRES" -qc "CREATE DATABASE $db" >/dev/null
  pg=$(python3 -c "import sys,urllib.parse as u; p=u.urlparse(sys.argv[1]); print(p._replace(path='/$db').geturl())" "$SVHUB_TEST_POSTGRES")
  go run ./bench/ballots -bin "$tmp/svhub" -db "$pg" -voters 32 -duration 10s
  psql "$SVHUB_TEST_POSTGRES" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
fi
