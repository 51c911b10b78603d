#!/usr/bin/env bash
# The dependency rules of DESIGN.md, checked on the sources (CMake target links
# enforce what may be linked; this catches headers reachable from /usr/include).
set -uo pipefail
root="$1"
status=0

forbid() {  # forbid <folder> <regex> <reason>
  local hits
  hits=$(grep -rnE --include='*.cpp' --include='*.hpp' "$2" "$root/$1" || true)
  if [[ -n "$hits" ]]; then
    echo "layering: $3" >&2
    echo "$hits" >&2
    status=1
  fi
}

forbid protocol '#include *[<"](rocksdb/|boost/|thread|mutex|chrono|random|fstream|iostream|cstdio|filesystem|ctime|sys/|unistd)' \
  "protocol/ is pure: no I/O, clock, randomness, threads or other libraries"
forbid protocol/board '#include *[<"](nlohmann/|ruche/wire/|ruche/minutes/)' \
  "protocol/board is the domain: no JSON, no wire, no minutes"
forbid protocol/wire '#include *[<"]ruche/minutes/' "protocol/wire knows nothing of the minutes"
forbid protocol/minutes '#include *[<"](nlohmann/|ruche/wire/)' \
  "protocol/minutes reads the board and its ops, not their wire form"
forbid storage '#include *[<"](boost/|thread|sys/socket|netinet|ruche/board|ruche/wire|ruche/minutes|ruche/server)' \
  "storage/ stores opaque records: no sockets, threads, protocol or server"
for dir in server tests benchmarks; do
  forbid "$dir" '#include *[<"]rocksdb/' "only storage/ includes RocksDB"
done
exit $status
