#!/usr/bin/env bash
# Compares Repère's commune x QPV areas, actor counts per commune and nearest-actor distances
# with a GeoPandas/Shapely reference on the same data files, and reports agreement and speed.
# Creates a Python venv (PyPI: geopandas shapely pyproj pyogrio) on first run; reference oracle only.
# Usage: benches/compare_geopandas.sh              the Métropole (embedded data/)
#        benches/compare_geopandas.sh --national   France: the national files of ../shared/data
#                                                  (SHARED_DATA=folder to use another one)
# VENV=path reuses another venv.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-target/geopandas-venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet geopandas shapely pyproj pyogrio
fi
OUT="target/compare_geopandas"
mkdir -p "$OUT"
if [ "${1:-}" = "--national" ]; then
  SHARED_DATA="${SHARED_DATA:-$(cd .. && pwd)/shared/data}"
  if [ ! -f "$SHARED_DATA/national/communes_france_2018.geojson" ]; then
    echo "fichiers nationaux introuvables : $SHARED_DATA/national (donnez SHARED_DATA=dossier)" >&2
    exit 2
  fi
  # The France manifest with its paths pointed at SHARED_DATA.
  sed "s#\.\./\.\./\.\./shared/data#$SHARED_DATA#g" benches/territories/france.toml > "$OUT/france.toml"
  cargo run --quiet --release -p repere-benches --example export_overlays -- --national "$OUT/france.toml" > "$OUT/repere_national.json"
  "$VENV/bin/python" benches/compare_geopandas_national.py "$SHARED_DATA" "$OUT/repere_national.json"
else
  cargo run --quiet --release -p repere-benches --example export_overlays > "$OUT/repere.json"
  "$VENV/bin/python" benches/compare_geopandas.py data "$OUT/repere.json"
fi
