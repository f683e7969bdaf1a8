#!/usr/bin/env bash
# Static checks that must report nothing: gofmt, go mod tidy and staticcheck
# (a pinned release, installed into a temporary GOBIN so it never becomes a
# module dependency). Any finding fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

# staticcheck release that supports Go 1.26; bump deliberately.
STATICCHECK_VERSION=v0.8.2

fail=0

unformatted=$(gofmt -l cmd internal .ci ./*.go)
if [ -n "$unformatted" ]; then
  echo "gofmt needed:" >&2
  echo "$unformatted" >&2
  fail=1
fi

# go mod tidy -diff prints the changes tidy would make and exits non-zero
# if there are any, without touching go.mod or go.sum.
if ! go mod tidy -diff; then
  echo "go.mod/go.sum are not tidy: run 'go mod tidy' and commit the result" >&2
  fail=1
fi

bin=$(mktemp -d /tmp/svhub-lint.XXXXXX)
trap 'rm -rf "$bin"' EXIT
GOBIN="$bin" go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION"
# ./... skips folders starting with a dot: name the CI's own Go code too.
pkgs=(./...)
for d in .ci/*/; do
  if compgen -G "$d*.go" >/dev/null; then pkgs+=("./${d%/}"); fi
done
if ! "$bin/staticcheck" "${pkgs[@]}"; then
  echo "staticcheck $STATICCHECK_VERSION reported findings (above)" >&2
  fail=1
fi

exit "$fail"
