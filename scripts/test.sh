#!/usr/bin/env bash
# Installs what is missing (Debian packages), builds, and runs every test
# through ctest. Usage: scripts/test.sh   (BUILD_DIR=build-test by default)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build_dir="${BUILD_DIR:-build-test}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTURNAROUND_BUILD_BENCH=ON >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
cd "$build_dir"
ctest --output-on-failure -j "$(nproc)" --timeout 900
