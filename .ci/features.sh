#!/usr/bin/env bash
# CI for the optional system-library backends of the engine: GDAL (GeoPackage, FlatGeobuf, KML,
# CSV through OGR) and PROJ (any CRS). Installs the Debian packages when missing, then lints and
# tests the engine with both features. The default build needs none of this.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for pkg in libgdal-dev libproj-dev libclang-dev pkg-config; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${missing[@]}"
fi

cargo clippy -p repere-engine --features gdal,proj --all-targets -- -D warnings
cargo test -p repere-engine --features gdal,proj
