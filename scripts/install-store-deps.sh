#!/usr/bin/env bash
# Installs what the store tests need on a fresh Debian machine: GDAL's ogrinfo (reads the
# GeoPackage back) and PostgreSQL 15 with PostGIS 3 (the tests start their own throwaway cluster
# on a free port as the `postgres` user, and stop it at the end), and poppler's pdftotext and
# pdfinfo (read back the project report's PDF). Nothing is installed when present.
set -euo pipefail
missing=()
command -v ogrinfo >/dev/null 2>&1 || missing+=(gdal-bin)
{ command -v pdftotext && command -v pdfinfo; } >/dev/null 2>&1 || missing+=(poppler-utils)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || missing+=(postgresql-15-postgis-3)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
