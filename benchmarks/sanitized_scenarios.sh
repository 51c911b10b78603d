#!/usr/bin/env bash
# Every scenario of realtime.py, at its smoke sizes, against a sanitizer
# build of the server (ASan + UBSan, or TSan): fails on any sanitizer report
# in the server's output, on a crash, or if a scenario fails.
#
#   cmake --preset tsan && cmake --build --preset tsan -j 2
#   benchmarks/sanitized_scenarios.sh build/tsan/server/ruche
#   benchmarks/sanitized_scenarios.sh build/sanitize/server/ruche
set -euo pipefail
cd "$(dirname "$0")/.."

server=$(realpath "${1:?usage: sanitized_scenarios.sh SERVER}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export TSAN_OPTIONS="halt_on_error=0 history_size=4 suppressions=$PWD/benchmarks/tsan.supp ${TSAN_OPTIONS:-}"
export ASAN_OPTIONS="detect_leaks=1 ${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1 ${UBSAN_OPTIONS:-}"

# realtime.py reads the server's address from its stdout; what it writes on
# stderr (reports included) goes to a file read at the end.
cat >"$work/ruche" <<WRAPPER
#!/usr/bin/env bash
exec "$server" "\$@" 2>>"$work/server.log"
WRAPPER
chmod +x "$work/ruche"
touch "$work/server.log"

/usr/bin/python3 benchmarks/realtime.py --quick --ruche "$work/ruche"

if grep -E "WARNING: ThreadSanitizer|ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error" "$work/server.log"; then
  echo "sanitizer reports: see above" >&2
  exit 1
fi
echo "every scenario ran against $server: no sanitizer report"
