#!/usr/bin/env bash
# The postcode directory benchmark: a synthetic 2.7 M-row ONSPD-layout CSV
# (bench/onspd gen), imported with the CLI into SQLite (and PostgreSQL when
# SVHUB_TEST_POSTGRES names a server) recording wall time, CPU time and
# peak memory, then in-process lookups timed on each imported database.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=${TMPDIR:-/tmp}/svhub-onspd
mkdir -p "$tmp"
CGO_ENABLED=0 go build -o "$tmp/svhub" ./cmd/svhub
go build -o "$tmp/onspd" ./bench/onspd
csv="$tmp/ONSPD_FEB_2025_UK.csv"
[ -f "$csv" ] || "$tmp/onspd" gen -rows 2700000 -out "$csv"

import() {
  /usr/bin/time -f 'wall %e s, user %U s, sys %S s, max RSS %M KB' "$tmp/svhub" import postcodes --db "$1" "$csv" 2>&1 | tr '\r' '\n' | grep -E 'Loaded|wall'
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## SQLite"
rm -f "$tmp/onspd.db" "$tmp/onspd.db-wal" "$tmp/onspd.db-shm" "$tmp/onspd.db.auditkey"
import "sqlite:$tmp/onspd.db"
echo "re-import of the same file:"
import "sqlite:$tmp/onspd.db"
"$tmp/onspd" lookup -db "sqlite:$tmp/onspd.db" -n 100000
if [ -n "${SVHUB_TEST_POSTGRES:-}" ]; then
  echo "## PostgreSQL"
  psql "$SVHUB_TEST_POSTGRES" -qc "DROP DATABASE IF EXISTS svhub_onspd" -c "CREATE DATABASE svhub_onspd"
  pg=$(python3 -c "import sys,urllib.parse as u; p=u.urlparse(sys.argv[1]); print(p._replace(path='/svhub_onspd').geturl())" "$SVHUB_TEST_POSTGRES")
  "$tmp/svhub" migrate up --db "$pg" >/dev/null
  import "$pg"
  echo "re-import of the same file:"
  import "$pg"
  "$tmp/onspd" lookup -db "$pg" -n 100000
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
