#!/usr/bin/env bash
# Installs what is missing, builds Ruche and starts it with its op log in ./data.
# Extra arguments go to the server, e.g. `--bind 0.0.0.0` for phones on the
# room's Wi-Fi (see `build/default/server/ruche --help`).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset default
cmake --build --preset default -j "$(nproc)" --target ruche
exec build/default/server/ruche --data-dir ./data --static-dir client-web "$@"
