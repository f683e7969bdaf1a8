#!/usr/bin/env bash
# The Companies House register import at full size (issue 16 part 3):
# write 5,500,000 synthetic companies in the published BasicCompanyData
# layout (bench/chgen, 2.2 GB, once), import them with the CLI on SQLite
# (and PostgreSQL when SVHUB_TEST_POSTGRES names a server, into a fresh
# database) recording wall time, CPU and peak memory, then time the spend
# report for Trafford 2024-25 with the register loaded (the report looks up
# register entries with near names).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=${TMPDIR:-/tmp}/svhub-register5m
mkdir -p "$tmp"
CGO_ENABLED=0 go build -o "$tmp/svhub" ./cmd/svhub
[ -f "$tmp/BasicCompanyData.csv" ] || go run ./bench/chgen -rows 5500000 -out "$tmp/BasicCompanyData.csv"
spend=internal/spend/testdata/councils/trafford/trafford-supplier-spend-2024-25.zip

run() {
  /usr/bin/time -f 'import register: wall %e s, CPU %U user + %S sys, max RSS %M KB' \
    "$tmp/svhub" import register --db "$1" --source company "$tmp/BasicCompanyData.csv" 2>&1 | tr '\r' '\n' | grep -v -e '^[-\\|/] ' -e '^[[:space:]]*$'
  "$tmp/svhub" import spend --db "$1" --buyer "Trafford Council" "$spend" >/dev/null 2>&1
  for i in 1 2 3; do
    /usr/bin/time -f 'report spend with the register loaded: wall %e s, CPU %U user + %S sys' \
      "$tmp/svhub" report spend --db "$1" --buyer "Trafford Council" --format json >/dev/null
  done
}

echo "## SQLite"
rm -f "$tmp/reg.db" "$tmp/reg.db-wal" "$tmp/reg.db-shm" "$tmp/reg.db.sealkey"
run "sqlite:$tmp/reg.db"
if [ -n "${SVHUB_TEST_POSTGRES:-}" ]; then
  echo "## PostgreSQL"
  psql "$SVHUB_TEST_POSTGRES" -qc "DROP DATABASE IF EXISTS svhub_register5m" -c "CREATE DATABASE svhub_register5m"
  pg=$(python3 -c "import sys,urllib.parse as u; p=u.urlparse(sys.argv[1]); print(p._replace(path='/svhub_register5m').geturl())" "$SVHUB_TEST_POSTGRES")
  "$tmp/svhub" migrate up --db "$pg" >/dev/null
  run "$pg"
fi
