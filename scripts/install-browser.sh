#!/usr/bin/env sh
# Installs Debian's chromium for the browser test when /usr/bin/chromium is missing (needs root or sudo).
set -eu
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
$sudo apt-get update
$sudo apt-get install -y chromium
