#!/usr/bin/env bash
# Property fuzzers for the files people hand to svhub (issue 19): each runs
# for ${FUZZTIME:-10s} (longer locally, e.g. FUZZTIME=5m bash .ci/fuzz.sh).
# A failure prints the input and writes it under the package's
# testdata/fuzz/, where it then runs as a test: commit it with the fix.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZTIME=${FUZZTIME:-10s}

# package  fuzz target  property
targets=(
  "./internal/priorities FuzzBallotCSV"  # a ballot CSV fails naming a line, or its totals equal an independent recount
  "./internal/fund FuzzPabulib"          # a .pb file fails naming a line, or its voters, approvals and budget equal a recount
  "./internal/spend FuzzCSVGuard"        # the spend-file size guard never refuses a file encoding/csv reads within the limits
  "./internal/spend FuzzCSVReaderMatchesEncodingCSV" # the spend importer's CSV reader gives encoding/csv's records and lines
  "./internal/geo FuzzDirectoryRow"      # a postcode directory row with the normaliser: never a panic, a kept row is well formed
)

# A property failure writes its input under the package's testdata/fuzz and
# fails at once. Go's fuzzing engine can also stop with "context deadline
# exceeded" when a worker is busy at the deadline, writing no input: that
# run is repeated once, and a second failure of any kind fails the script.
for t in "${targets[@]}"; do
  read -r pkg name <<<"$t"
  corpus="${pkg#./}/testdata/fuzz/$name"
  echo "fuzz $name ($pkg) for $FUZZTIME"
  if go test -run='^$' -fuzz="^${name}\$" -fuzztime="$FUZZTIME" "$pkg"; then continue; fi
  if [ -n "$(git status --porcelain --untracked-files=all -- "$corpus")" ]; then
    echo "fuzz $name found a failing input (above; written under $corpus)" >&2
    exit 1
  fi
  echo "fuzz $name stopped without a failing input; running it once more"
  go test -run='^$' -fuzz="^${name}\$" -fuzztime="$FUZZTIME" "$pkg"
done
