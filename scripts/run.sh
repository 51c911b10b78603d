#!/usr/bin/env bash
# Installs what is missing, builds Ruche and starts it with its data under ./data.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset default
cmake --build --preset default -j "$(nproc)"
mkdir -p data
echo "ruche: built. The board server (issue: real-time server) is not written yet;"
echo "ruche: it will serve client-web/ and the WebSocket /ws on http://127.0.0.1:8080/ with its op log in ./data."
