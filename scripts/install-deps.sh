#!/usr/bin/env bash
# Installs the Debian packages Turnaround needs to build and test, if any are missing.
# Usage: scripts/install-deps.sh [--bench]
# Works as root or through sudo; does nothing when everything is already installed.
set -euo pipefail

packages=(g++ cmake ninja-build pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-program-options1.81-dev
  libsqlitecpp-dev libsqlite3-dev sqlite3 libhowardhinnant-date-dev tzdata
  libyaml-cpp-dev doctest-dev curl ca-certificates python3
  chromium chromium-driver)  # the web page's end-to-end test (tests/web/web_e2e.py)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(wrk hyperfine time)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
