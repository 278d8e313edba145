#!/usr/bin/env bash
# Installs what building Repère needs beyond Rust on a fresh Debian machine: cmake and a C++
# compiler, with which the `highs-sys` crate builds the HiGHS mixed-integer solver (exact siting
# and the portfolio under a budget). Nothing is installed when present.
set -euo pipefail
missing=()
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v c++ >/dev/null 2>&1 || missing+=(g++)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
