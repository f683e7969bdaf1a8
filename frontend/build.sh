#!/usr/bin/env bash
# Rebuild the vendored front-end assets. Needs Node and npm; go build does not.
# Reproducible: every package is pinned to an exact version and npm ci installs
# exactly the lockfile, so the output is byte for byte the committed copy
# (.ci/frontend.sh checks it). To upgrade, change a version in package.json,
# run 'npm install --package-lock-only', then this script, and commit all three.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
out=../internal/web/static/vendor
rm -rf "$out"; mkdir -p "$out/govuk" "$out/leaflet"
npx sass --no-source-map --style=compressed --load-path=node_modules --quiet-deps --silence-deprecation=import,global-builtin svhub.scss "$out/govuk/svhub.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/govuk/"
# GOV.UK Frontend's images (crown, crest, icons) are GOV.UK's brand: not copied.
cp node_modules/htmx.org/dist/htmx.min.js "$out/"
cp node_modules/d3/dist/d3.min.js "$out/"
cp node_modules/@observablehq/plot/dist/plot.umd.min.js "$out/"
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css "$out/leaflet/"
cp -r node_modules/leaflet/dist/images "$out/leaflet/"
# Licences travel with the code.
printf 'GOV.UK Frontend %s, MIT licence, (c) Crown copyright. https://github.com/alphagov/govuk-frontend\n' "$(node -p 'require("govuk-frontend/package.json").version')" > "$out/govuk/LICENSE.txt"
cp node_modules/htmx.org/LICENSE "$out/htmx.LICENSE"
cp node_modules/d3/LICENSE "$out/d3.LICENSE"
cp node_modules/@observablehq/plot/LICENSE "$out/plot.LICENSE"
cp node_modules/leaflet/LICENSE "$out/leaflet/LICENSE"
echo "built $(du -sh "$out" | cut -f1) into $out"
