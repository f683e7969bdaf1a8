#!/usr/bin/env bash
# The 5,000,000-row spend benchmark: build the file by replicating Trafford
# 2024-25 24 times (shifted dates, distinct transaction numbers), import it
# with the CLI on SQLite (and PostgreSQL when SVHUB_TEST_POSTGRES names a
# server) recording wall time and peak memory, then time the CLES report
# for one buyer-year and for all GM on the imported database, and load the
# /spend page and /spend/report.json for one buyer-year under wrk
# (bench/spendpage.sh: 16 connections, 10 s, whole HTTP requests).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=${TMPDIR:-/tmp}/svhub-spend5m
mkdir -p "$tmp"
CGO_ENABLED=0 go build -o "$tmp/svhub" ./cmd/svhub
[ -f "$tmp/spend-5m.csv" ] || go run ./bench/spendgen -in ../shared/data/spend/trafford/trafford-supplier-spend-2024-25.zip -copies 24 -out "$tmp/spend-5m.csv"

import() {
  /usr/bin/time -f 'wall %e s, max RSS %M KB' "$tmp/svhub" import spend --buyer "Trafford Council" --db "$1" --format table "$tmp/spend-5m.csv"
  SVHUB_BENCH_DB="$1" SVHUB_BENCH_BUYER="Trafford Council" go test ./internal/store -run XXX -bench SpendReportExisting -benchtime 30x | grep Benchmark
  SVHUB_BIN="$tmp/svhub" bash bench/spendpage.sh "$1" trafford-council 2024-04-01 2025-03-31 10
}

echo "## SQLite"
rm -f "$tmp/big.db" "$tmp/big.db-wal" "$tmp/big.db-shm" "$tmp/big.db.sealkey"
import "sqlite:$tmp/big.db"
if [ -n "${SVHUB_TEST_POSTGRES:-}" ]; then
  echo "## PostgreSQL"
  psql "$SVHUB_TEST_POSTGRES" -qc "DROP DATABASE IF EXISTS svhub_big5m" -c "CREATE DATABASE svhub_big5m"
  pg=$(python3 -c "import sys,urllib.parse as u; p=u.urlparse(sys.argv[1]); print(p._replace(path='/svhub_big5m').geturl())" "$SVHUB_TEST_POSTGRES")
  "$tmp/svhub" migrate up --db "$pg" >/dev/null
  SVHUB_SEAL_KEY=$(head -c32 /dev/urandom | base64) import "$pg"
fi
