#!/usr/bin/env bash
# The 5,000,000-row spend benchmark: build the file by replicating Trafford
# 2024-25 24 times (shifted dates, distinct transaction numbers), import it
# with the CLI on SQLite (and PostgreSQL when SVHUB_TEST_POSTGRES names a
# server) recording wall time and peak memory, then time the CLES report
# for one buyer-year and for all GM on the imported database, and load the
# /spend page and /spend/report.json for one buyer-year under wrk
# (bench/spendpage.sh: 16 connections, 10 s, whole HTTP requests).
#
# Then DuckDB (bench/duckdb/report.mjs, installed with npm ci on first use)
# loads the same file as text and typed, in memory, and typed into a
# database file (durable, as svhub's imports are: the CHECKPOINT counts),
# and the script prints svhub's import time over each DuckDB load. Each import line gives wall and CPU
# seconds (user + system) and peak memory; on PostgreSQL also the CPU of
# the server process that ran the import (read from /proc, so only for a
# server on this machine).
#
# SPEND5M_IMPORT_ONLY=1 skips the reports and the page loads (the import
# figures and DuckDB alone take about 2 minutes on a quiet machine).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=${TMPDIR:-/tmp}/svhub-spend5m
mkdir -p "$tmp"
CGO_ENABLED=0 go build -o "$tmp/svhub" ./cmd/svhub
[ -f "$tmp/spend-5m.csv" ] || go run ./bench/spendgen -in ../shared/data/spend/trafford/trafford-supplier-spend-2024-25.zip -copies 24 -out "$tmp/spend-5m.csv"
rows=$(($(wc -l <"$tmp/spend-5m.csv") - 1))

# import DB LABEL: one whole CLI import; the wall time goes to $tmp/wall.LABEL.
import() {
  local watch=""
  if [ "$2" = postgres ]; then
    # The server's CPU for the import: the backends of the database,
    # sampled until the import ends (each keeps its last reading).
    (
      declare -A cpu
      trap 'tot=0; for p in "${!cpu[@]}"; do tot=$((tot + cpu[$p])); done; echo "$tot" >"$tmp/servercpu"; exit 0' TERM
      while :; do
        for p in $(psql "$SVHUB_TEST_POSTGRES" -Atc "SELECT pid FROM pg_stat_activity WHERE datname = 'svhub_big5m'" 2>/dev/null); do
          t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || true)
          [ -n "$t" ] && cpu[$p]=$t
        done
        sleep 0.2
      done
    ) &
    watch=$!
  fi
  /usr/bin/time -o "$tmp/time" -f '%e %U %S %M' "$tmp/svhub" import spend --buyer "Trafford Council" --db "$1" --format table "$tmp/spend-5m.csv"
  read -r wall user sys rss <"$tmp/time"
  echo "$wall" >"$tmp/wall.$2"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  echo "svhub import ($2): wall $wall s, CPU $cpu s (user $user + sys $sys), max RSS $((rss / 1024)) MB, $(awk -v n="$rows" -v w="$wall" 'BEGIN { printf "%d", n / w }') rows/s"
  if [ -n "$watch" ]; then
    kill "$watch"; wait "$watch" 2>/dev/null || true
    server=$(awk -v t="$(cat "$tmp/servercpu")" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }')
    echo "PostgreSQL server CPU for the import: $server s"
    cpu=$(awk -v a="$cpu" -v b="$server" 'BEGIN { printf "%.2f", a + b }')
  fi
  echo "$cpu" >"$tmp/cpu.$2"
  [ "${SPEND5M_IMPORT_ONLY:-}" = 1 ] && return
  SVHUB_BENCH_DB="$1" SVHUB_BENCH_BUYER="Trafford Council" go test ./internal/store -run XXX -bench SpendReportExisting -benchtime 30x | grep Benchmark
  SVHUB_BIN="$tmp/svhub" bash bench/spendpage.sh "$1" trafford-council 2024-04-01 2025-03-31 10
}

rm -f "$tmp"/wall.* "$tmp"/cpu.*
echo "## SQLite"
rm -f "$tmp/big.db" "$tmp/big.db-wal" "$tmp/big.db-shm" "$tmp/big.db.sealkey"
import "sqlite:$tmp/big.db" sqlite
if [ -n "${SVHUB_TEST_POSTGRES:-}" ]; then
  echo "## PostgreSQL"
  psql "$SVHUB_TEST_POSTGRES" -qc "DROP DATABASE IF EXISTS svhub_big5m" -c "CREATE DATABASE svhub_big5m"
  pg=$(python3 -c "import sys,urllib.parse as u; p=u.urlparse(sys.argv[1]); print(p._replace(path='/svhub_big5m').geturl())" "$SVHUB_TEST_POSTGRES")
  "$tmp/svhub" migrate up --db "$pg" >/dev/null
  SVHUB_SEAL_KEY=$(head -c32 /dev/urandom | base64) import "$pg" postgres
fi
if command -v node >/dev/null; then
  echo "## DuckDB, the same file"
  [ -d bench/duckdb/node_modules ] || (cd bench/duckdb && npm ci --no-audit --no-fund >/dev/null)
  node bench/duckdb/report.mjs "$tmp/spend-5m.csv" | tee "$tmp/duckdb.txt"
  times() { sed -n "s/^Load $1 times for the ratios: as text \([0-9.]*\) s, read_csv_auto \([0-9.]*\) s, typed as svhub reads it \([0-9.]*\) s, typed into a file \([0-9.]*\) s\$/\1 \2 \3 \4/p" "$tmp/duckdb.txt"; }
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
  for what in wall CPU; do
    read -r text auto typed tofile < <(times "$what")
    echo "## svhub import over DuckDB's load, $what time (the target, <= 1.5, is on wall time; CPU includes the PostgreSQL server's)"
    echo "| svhub | $what | / DuckDB as text ($text s) | / DuckDB typed as svhub reads it ($typed s) | / DuckDB typed into a database file ($tofile s) | / DuckDB read_csv_auto ($auto s) |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: |"
    for e in sqlite postgres; do
      f="$tmp/wall.$e"
      [ "$what" = CPU ] && f="$tmp/cpu.$e"
      [ -f "$f" ] || continue
      w=$(cat "$f")
      echo "| $e | $w s | $(ratio "$w" "$text") | $(ratio "$w" "$typed") | $(ratio "$w" "$tofile") | $(ratio "$w" "$auto") |"
    done
  done
fi
