#!/usr/bin/env bash
# Exports the default territory to PMTiles and reads it back with the pmtiles JS library (npm,
# installed into target/pmtiles-js): the archive a planner hosts statically must open in the
# browser's reader.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=target/pmtiles-js
mkdir -p "$WORK"
if [ ! -d "$WORK/node_modules/pmtiles" ]; then
  npm install --prefix "$WORK" --no-audit --no-fund --silent pmtiles@4 >/dev/null
fi
cargo run --quiet -p repere-server --bin repere -- tiles export --out "$WORK/repere.pmtiles"
cp benches/check_pmtiles_js.mjs "$WORK/check.mjs"
node "$WORK/check.mjs" "$WORK/repere.pmtiles"
