#!/usr/bin/env bash
# Runs every test: the Rust workspace (unit, integration on the real default data, HTTP via
# oneshot, doctests) and the browser test of the web map in headless Chromium.
# On a fresh machine it installs what the tests need (npm packages; Debian's chromium,
# gdal-bin, postgresql and postgresql-15-postgis-3, redis-server; addok from PyPI in target/).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-build-deps.sh
scripts/setup-web.sh
if [ -x scripts/install-browser.sh ]; then
  scripts/install-browser.sh
fi
# GDAL's ogrinfo and PostgreSQL + PostGIS for the store tests (they start their own cluster).
scripts/install-store-deps.sh
# redis-server and a real addok (PyPI) for the geocoder tests (they start their own on free ports).
scripts/install-geocoder-deps.sh
cargo test --workspace --no-fail-fast
# The browser test drives the `repere` binary that `cargo test` has just built.
REPERE_BIN="$PWD/target/debug/repere" node --test web/tests/
