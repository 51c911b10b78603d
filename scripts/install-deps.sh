#!/usr/bin/env bash
# Installs the Debian 12 packages Ruche needs to build and run, skipping those
# already present; with --tests, also what the tests need (Chromium for the
# browser tests, LibreOffice to open the minutes' ODT, the npm packages of
# client-web, clang's libFuzzer runtime, nginx, Caddy and openssl to test the
# reverse proxies' configurations, lintian and curl to test the package). Runs apt-get as root (directly, or through sudo).
set -euo pipefail

packages=(
  build-essential cmake pkg-config clang
  libboost1.81-dev nlohmann-json3-dev librocksdb-dev catch2 libcli11-dev
  libspdlog-dev libqrencode-dev libzip-dev libbenchmark-dev
  libhowardhinnant-date-dev tzdata libssl-dev libvips-dev
)
with_tests=false
if [[ "${1:-}" == "--tests" ]]; then
  with_tests=true
  packages+=(chromium libreoffice-writer-nogui python3-websockets libclang-rt-14-dev nginx-light caddy openssl lintian curl)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "ruche: installing ${missing[*]}" >&2
  # As root, apt-get runs as it is (a fresh Debian container has no sudo);
  # otherwise through sudo, which asks for the user's password.
  as_root=()
  if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null; then
      echo "ruche: ${missing[*]} must be installed: run this again as root, or install sudo" >&2
      exit 1
    fi
    as_root=(sudo)
  fi
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # The tests start their own nginx and Caddy on loopback ports: the
  # services their packages start are not left serving port 80.
  for service in nginx caddy; do
    if [[ " ${missing[*]} " == *" $service"[-\ ]* && -d /run/systemd/system ]]; then
      "${as_root[@]}" systemctl disable --now "$service" >/dev/null 2>&1 || true
    fi
  done
fi

$with_tests || exit 0

# The browser tests' npm packages (Playwright, axe-core, jsQR), exactly as
# locked. Playwright drives Debian's chromium above: it must never download
# a browser of its own.
client_web="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/client-web"
if [[ ! -d "$client_web/node_modules" || "$client_web/package-lock.json" -nt "$client_web/node_modules" ]]; then
  if command -v npm >/dev/null; then
    echo "ruche: installing the browser tests' npm packages in client-web" >&2
    (cd "$client_web" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  else
    echo "ruche: npm not found, the browser tests cannot run (they need Node.js 20)" >&2
  fi
fi
