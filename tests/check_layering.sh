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
forbid storage '#include *[<"](boost/|thread|sys/socket|netinet|ruche/protocol|ruche/server)' \
  "storage/ stores opaque records: no sockets, threads, protocol or server"
for dir in server tests benchmarks; do
  forbid "$dir" '#include *[<"]rocksdb/' "only storage/ includes RocksDB"
done
exit $status
