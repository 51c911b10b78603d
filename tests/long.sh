#!/usr/bin/env bash
# The suite's long versions, by one command; their last figures are in
# tests/RELIABILITY.md. CI and the README's test command run short versions
# of each. Hours on two cores; builds what it needs.
#
#   bash tests/long.sh              # everything below, in this order
#   SEED=12 bash tests/long.sh      # other kill moments and network faults
set -euo pipefail
cd "$(dirname "$0")/.."
seed=${SEED:-11}
jobs=$(nproc)

cmake --preset ci >/dev/null
cmake --build --preset ci -j "$jobs"

echo "::: 1,000 SIGKILL cycles per durability mode"
/usr/bin/python3 tests/crash_cycles.py build/ci/server/ruche --cycles 1000 --durability both --seed "$seed"

echo "::: convergence through a faulty network, 20,000 seeds"
(cd client-web && node tests/sim/convergence.mjs ../build/ci/server/ruche --seeds 20000 --seed "$((seed * 100000))")

echo "::: fuzzing, 10 million inputs per target"
bash tests/fuzz/run.sh --runs 10000000

echo "::: ten minutes of hostile load under ASan + UBSan, then under ThreadSanitizer"
cmake --preset sanitize >/dev/null
cmake --build --preset sanitize -j "$jobs" --target ruche
bash benchmarks/sanitized_load.sh build/sanitize/server/ruche 600 1000
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j "$jobs"
bash benchmarks/sanitized_load.sh build/tsan/server/ruche 600 1000
