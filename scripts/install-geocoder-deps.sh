#!/usr/bin/env bash
# Installs what the geocoder tests need: Debian's redis-server and a real addok (the engine behind
# the national address API) with its French plugins and the CSV batch endpoint, from PyPI, into a
# Python virtual environment under target/ (REPERE_ADDOK_VENV to put it elsewhere). The tests
# start their own redis-server and addok on free ports (scripts/addok-fixture.py). Nothing is
# installed when present.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${REPERE_ADDOK_VENV:-$PWD/target/addok-venv}"
pins="addok==1.3.2 addok-fr==1.1.0 addok-france==1.2.0 addok-csv==1.1.0"
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ -x "$venv/bin/addok" ] && [ "$(cat "$venv/.repere-pins" 2>/dev/null)" = "$pins" ]; then
  exit 0
fi
rm -rf "$venv"
python3 -m venv "$venv"
# shellcheck disable=SC2086
"$venv/bin/pip" install --quiet --disable-pip-version-check $pins
echo "$pins" > "$venv/.repere-pins"
