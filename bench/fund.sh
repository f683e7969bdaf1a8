#!/usr/bin/env bash
# Collaboration Fund allocation benchmarks: MES-Add1 with exact arithmetic on
# synthetic elections (Go benchmarks), the CLI end to end on a generated
# 100,000-voter, 150-project Pabulib file with its peak memory, and — when
# PABULIB_DIR names a folder of real Pabulib .pb files (such as a clone of
# github.com/pabulib/pabulib_files) — MES-Add1 on every approval election in
# it, the ten slowest printed (CHECK=1 also compares each with the exact
# reference, which takes minutes on the large ones).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test ./internal/fund -run XXX -bench MESAdd1 -benchmem -benchtime 5x | grep Benchmark
CGO_ENABLED=0 go build -o "$tmp/svhub" ./cmd/svhub
awk 'BEGIN { srand(7); np = 150; nv = 100000; total = 0
  for (p = 1; p <= np; p++) { cost[p] = 5000 + int(rand() * 195001); total += cost[p]; w[p] = 1 / (1 + int(rand() * 20)) }
  print "META"; print "key;value"; print "description;synthetic benchmark"; print "num_projects;" np; print "num_votes;" nv; print "budget;" int(total / 5); print "vote_type;approval"
  print "PROJECTS"; print "project_id;cost"; for (p = 1; p <= np; p++) print p ";" cost[p]
  print "VOTES"; print "voter_id;vote"
  for (v = 1; v <= nv; v++) { k = 1 + int(rand() * 10); n = 0; line = ""; delete seen
    while (n < k) { p = 1 + int(rand() * np); if (!(p in seen) && rand() < w[p] * 4) { seen[p] = 1; line = line (n ? "," : "") p; n++ } }
    print v ";" line } }' > "$tmp/big.pb"
ls -la "$tmp/big.pb" | awk '{print "file size: " $5 " bytes"}'
/usr/bin/time -f 'wall %e s, max RSS %M KB' "$tmp/svhub" fund allocate --rule mes-add1 --format table "$tmp/big.pb"
go run ./bench/mesadd1 "$tmp/big.pb"
if [ -n "${PABULIB_DIR:-}" ]; then
  go run ./bench/mesadd1 ${CHECK:+-check} -top 10 "$PABULIB_DIR"
else
  echo "PABULIB_DIR is not set: skipping the real Pabulib elections"
fi
