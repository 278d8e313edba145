#!/usr/bin/env sh
# Installs the web map's npm packages (MapLibre GL JS; playwright-core for the browser test) into
# web/node_modules from web/package-lock.json, when they are missing or older than the lock file.
# Needs node >= 20 and npm. Run from anywhere; idempotent.
set -eu
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
web="$root/web"
marker="$web/node_modules/.package-lock.json"
if [ -f "$web/node_modules/maplibre-gl/dist/maplibre-gl.mjs" ] && [ -f "$marker" ] && [ ! "$web/package-lock.json" -nt "$marker" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "setup-web: npm is missing; install Node.js >= 20 (Debian: apt-get install -y nodejs npm)" >&2
  exit 1
fi
echo "setup-web: npm ci --prefix web" >&2
npm ci --prefix "$web" --no-audit --no-fund
