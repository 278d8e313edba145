#!/usr/bin/env bash
# Exact siting against a reference oracle: PySAL spopt's maximal covering (MCLP, PuLP + CBC) on
# the very coverage matrix Repère solves (`repere suggest --export-matrix`): the best k places
# for a permanence in the Métropole, every QPV cell and host structure of a suitable kind as
# candidates, T min on foot. Asserts the same objective value and prints the speed ratio.
# Creates a Python venv (PyPI: spopt pulp) under target/ on first run; reference oracle only.
# Usage: benches/compare_spopt.sh [GROUP] [MINUTES] [K]      (default: ML 20 5)
# REPERE_BIN=path uses that binary (default: builds target/release/repere); VENV=path reuses a venv.
set -euo pipefail
cd "$(dirname "$0")/.."
GROUP="${1:-ML}"
MINUTES="${2:-20}"
K="${3:-5}"
VENV="${VENV:-target/spopt-venv}"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import spopt, pulp' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet spopt pulp
fi
if [ -z "${REPERE_BIN:-}" ]; then
  cargo build --quiet --release -p repere-server --bin repere
  REPERE_BIN=target/release/repere
fi
OUT="target/compare_spopt"
mkdir -p "$OUT"
"$REPERE_BIN" suggest --group "$GROUP" --minutes "$MINUTES" --k "$K" --curve-k 1 \
  --export-matrix "$OUT/matrix.json" > "$OUT/suggest.txt"
grep -E '^(Certificat|Où)' "$OUT/suggest.txt"
"$VENV/bin/python" benches/compare_spopt.py "$OUT/matrix.json"
