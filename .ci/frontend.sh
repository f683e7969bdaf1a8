#!/usr/bin/env bash
# Checks that frontend/build.sh reproduces the committed vendored assets:
# rebuilds them into the tree and fails if anything under
# internal/web/static/vendor (or the lockfile) differs from the commit.
# Without Node and npm there is nothing to check. Run it on a clean checkout
# (.ci/run's clone): it rewrites internal/web/static/vendor.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "frontend: Node and npm not found, vendored assets not rebuilt"
  exit 0
fi
vendor=internal/web/static/vendor
bash frontend/build.sh
status=0
if ! git diff --exit-code --stat -- "$vendor" frontend/package-lock.json; then
  echo "frontend/build.sh does not reproduce the committed $vendor (diff above): rebuild and commit it, or pin what changed" >&2
  status=1
fi
extra=$(git ls-files --others --exclude-standard -- "$vendor")
if [ -n "$extra" ]; then
  echo "frontend/build.sh made files that are not committed:" >&2
  echo "$extra" >&2
  status=1
fi
exit "$status"
