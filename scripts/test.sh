#!/usr/bin/env bash
# Runs every test: installs what is missing, builds with warnings as errors,
# then runs the whole suite with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh --tests
cmake --preset ci
cmake --build --preset ci -j "$(nproc)"
ctest --preset ci -j "$(nproc)"
