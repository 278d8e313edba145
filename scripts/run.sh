#!/usr/bin/env bash
# Runs Repère on the embedded default territory (Métropole Rouen Normandie) and serves the web map
# on http://127.0.0.1:8080/. Extra arguments go to `repere serve` (e.g. --addr 127.0.0.1:9000).
# On a fresh machine it installs cmake (scripts/install-build-deps.sh, for the HiGHS solver) and the
# web page's npm packages first (scripts/setup-web.sh: maplibre-gl).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-build-deps.sh
scripts/setup-web.sh
exec cargo run --release -p repere-server --bin repere -- serve "$@"
