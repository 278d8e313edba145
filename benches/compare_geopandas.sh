#!/usr/bin/env bash
# Compares Repère's commune x QPV areas, actor counts per commune and nearest-actor distances
# with a GeoPandas/Shapely reference on the same data files, and reports agreement and speed.
# Creates a Python venv (PyPI: geopandas shapely pyproj) on first run; reference oracle only.
# Usage: benches/compare_geopandas.sh   (VENV=path to reuse another venv)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-target/geopandas-venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet geopandas shapely pyproj
fi
OUT="target/compare_geopandas"
mkdir -p "$OUT"
cargo run --quiet --release -p repere-benches --example export_overlays > "$OUT/repere.json"
"$VENV/bin/python" benches/compare_geopandas.py data "$OUT/repere.json"
