#!/usr/bin/env bash
# The Debian package, as an administrator gets it: built with CPack from
# BUILD_DIR, checked by lintian (no error, no warning), installed with apt,
# its systemd unit verified, the installed binary checked and started with
# the packaged configuration, then purged. Changes the machine it runs on
# (installs and removes the package "ruche"), so CI runs it, not the README's
# test command. As root, or as a user with sudo.
#
#   bash tests/package_install.sh build/ci
set -euo pipefail
build="${1:?usage: $0 BUILD_DIR}"
as_root=()
[[ $(id -u) -eq 0 ]] || as_root=(sudo)

(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/ruche_*_*.deb)
echo "package: $deb"
lintian --fail-on error,warning "$deb"

DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "$(realpath "$deb")" >/dev/null
work=$(mktemp -d)
server=""
cleanup() {
  [[ -n "$server" ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get purge -y -qq ruche >/dev/null || true
}
trap cleanup EXIT

test -f /etc/ruche/ruche.toml
systemd-analyze verify /usr/lib/systemd/system/ruche.service
zcat /usr/share/man/man1/ruche.1.gz | grep -q '^\.TH RUCHE 1'
/usr/bin/ruche --version
/usr/bin/ruche check-config --config /etc/ruche/ruche.toml

# The packaged configuration as the service would use it, on a free port and
# a temporary data directory (no systemd needed).
/usr/bin/ruche --config /etc/ruche/ruche.toml --port 0 --data-dir "$work/data" >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 100); do
  grep -q "ready" "$work/out" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$work/err" >&2; exit 1; }
  sleep 0.1  # polling for the ready line, bounded above
done
url=$(grep -o 'http://[0-9.:]*' "$work/out")
[[ -n "$url" ]] || { echo "the installed server printed no URL" >&2; cat "$work/err" >&2; exit 1; }
curl -fsS "$url/healthz" | grep -q '"status":"ok"'
curl -fsS "$url/" | grep -q '<html'
curl -fsS -X POST -H 'Content-Type: application/json' -d '{"title": "Paquet"}' "$url/api/sessions" | grep -q join_code
echo "package_install: lintian clean; installed, configured, served and purged: ok"
