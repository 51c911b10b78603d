#!/usr/bin/env bash
# A sanitizer build of the server under hostile load: ops flowing while
# connections drop mid-write and come back, new people join, readers stall,
# and sessions are created and deleted (ruche_load --scenario churn), on two
# network threads so that threads meet. Fails on any sanitizer report, on a
# crash, or if the server does not stop cleanly.
#
#   benchmarks/sanitized_load.sh build/tsan/server/ruche [seconds] [connections]
#   benchmarks/sanitized_load.sh build/sanitize/server/ruche 20
set -euo pipefail
cd "$(dirname "$0")/.."

server=${1:?usage: sanitized_load.sh SERVER [seconds] [connections]}
seconds=${2:-15}
connections=${3:-1000}
load=${RUCHE_LOAD:-build/ci/benchmarks/ruche_load}

data=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$data" "$log"' EXIT

export TSAN_OPTIONS="halt_on_error=0 history_size=4 suppressions=$PWD/benchmarks/tsan.supp ${TSAN_OPTIONS:-}"
export ASAN_OPTIONS="detect_leaks=1 ${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1 ${UBSAN_OPTIONS:-}"

# The load generator connects from one address: per-address shares lifted.
"$server" --port 0 --data-dir "$data" --threads 2 --max-connections 40000 \
  --connections-per-address 40000 --unjoined-per-address 40000 --reserved-for-joined 0 \
  --joins-per-minute 1000000 --participants-per-session 1000000 \
  --ops-per-second 1000000 --sessions-per-hour 1000000 --log-level warn >"$log" 2>&1 &
pid=$!
port=""
for _ in $(seq 300); do
  port=$(grep -o '127\.0\.0\.1:[0-9]*' "$log" | head -1 | cut -d: -f2 || true)
  [[ -n "$port" ]] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [[ -z "$port" ]]; then
  cat "$log"
  echo "sanitized_load: the server did not start" >&2
  exit 1
fi

status=0
"$load" --port "$port" --server-pid "$pid" --scenario churn --connections "$connections" \
  --session-size 50 --rates 1500 --duration "$seconds" --lines || status=$?
kill -TERM "$pid" 2>/dev/null || true
server_status=0
wait "$pid" || server_status=$?

reports=$(grep -c -E "WARNING: ThreadSanitizer|ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:" "$log" || true)
if [[ "$reports" != 0 || "$server_status" != 0 || "$status" != 0 ]]; then
  grep -v "closing a connection" "$log" | head -200
  echo "sanitized_load: $reports sanitizer reports, server exit $server_status, load exit $status" >&2
  exit 1
fi
echo "sanitized_load: $(basename "$(dirname "$(dirname "$server")")") build, $connections connections, ${seconds}s of churn: no report, clean exit"
