#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz": clang, ASan + UBSan) and runs
# each one, from its committed seeds plus what earlier runs found
# (build/fuzz/corpus), then prints one line per target.
#
#   bash tests/fuzz/run.sh --seconds 30       # each target for 30 s
#   bash tests/fuzz/run.sh --runs 10000000    # the long run of RELIABILITY.md
#   bash tests/fuzz/run.sh --seconds 20 records import   # only these targets
#
# An input that breaks a property is saved in build/fuzz/findings/ and the
# script exits non-zero; copy it into tests/fuzz/corpus/<target>/ once fixed,
# so the regular suite keeps replaying it.
set -euo pipefail
cd "$(dirname "$0")/../.."

limit=(-max_total_time=30)
case "${1:-}" in
  --seconds) limit=(-max_total_time="$2"); shift 2 ;;
  --runs) limit=(-runs="$2"); shift 2 ;;
  -*) echo "usage: $0 [--seconds N | --runs N] [TARGET...]" >&2; exit 2 ;;
esac
targets=("$@")
if ((${#targets[@]} == 0)); then
  for seeds in tests/fuzz/corpus/*/; do targets+=("$(basename "$seeds")"); done
fi

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)" --target "${targets[@]/#/fuzz_}"

mkdir -p build/fuzz/findings
status=0
printf '| target | execs | seconds | corpus | findings |\n|---|---|---|---|---|\n'
for target in "${targets[@]}"; do
  seeds=tests/fuzz/corpus/$target
  work=build/fuzz/corpus/$target
  log=build/fuzz/$target.log
  mkdir -p "$work"
  started=$SECONDS
  # -rss_limit_mb: the server targets hold a server, its sessions and RocksDB.
  if ASAN_OPTIONS=detect_leaks=1 "build/fuzz/tests/fuzz/fuzz_$target" "${limit[@]}" \
      -max_len=65536 -rss_limit_mb=4096 -timeout=20 -print_final_stats=1 \
      -artifact_prefix="build/fuzz/findings/$target-" "$work" "$seeds" >"$log" 2>&1; then
    found=0
  else
    found=1
    status=1
  fi
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  printf '| %s | %s | %s | %s | %s |\n' "$target" "$execs" "$((SECONDS - started))" \
    "$(find "$work" -type f | wc -l)" "$found"
  if ((found)); then
    grep -E 'property broken|ERROR|SUMMARY' "$log" | head -5 >&2
  fi
done
exit "$status"
