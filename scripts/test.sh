#!/usr/bin/env bash
# Runs every test: the Rust workspace (unit, integration on the real default data, HTTP via
# oneshot, doctests) and the browser test of the web map in headless Chromium.
# On a fresh machine it installs what the tests need (npm packages; Debian's chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f web/package-lock.json ]; then
  npm ci --prefix web --no-audit --no-fund
fi
if [ -x scripts/install-browser.sh ]; then
  scripts/install-browser.sh
fi
cargo test --workspace
if [ -d web/tests ]; then
  cargo build --release -p repere-server --bin repere
  node --test web/tests/
fi
