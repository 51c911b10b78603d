#!/usr/bin/env bash
# The README's two commands work as printed, as root without sudo (a fresh
# Debian container) and as a user with sudo: install-deps.sh is run against
# stand-ins for dpkg-query, apt-get, id and sudo that record what they are
# asked, with nothing else on the PATH.
set -uo pipefail
root="$1"
status=0
fail() { echo "scripts: $*" >&2; status=1; }

# The commands as the README prints them: no "sudo" in front.
commands=$(sed -n '/^## Two commands/,/^## /p' "$root/README.md" | sed -n '/^```sh/,/^```/p' | grep -v '^```')
[[ -n "$commands" ]] || fail "README.md has no two commands under '## Two commands'"
while read -r line; do
  [[ -z "$line" ]] && continue
  [[ "$line" == sudo* ]] && fail "README command starts with sudo (root without sudo cannot run it): $line"
  [[ "$line" == "bash scripts/"* ]] || fail "README command is not a script of the repository: $line"
done <<< "$commands"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run <uid> <with sudo: yes|no> -> leaves the calls in $work/calls, the exit code in $rc
run() {
  local bin="$work/bin-$1-$2"
  mkdir -p "$bin"
  rm -f "$work/calls"
  for tool in grep dirname cat; do ln -sf "$(command -v "$tool")" "$bin/$tool"; done
  printf '#!%s\necho "$*" >/dev/null; exit 1\n' "$BASH" > "$bin/dpkg-query"  # nothing installed
  printf '#!%s\necho "apt-get $*" >> "%s/calls"\n' "$BASH" "$work" > "$bin/apt-get"
  printf '#!%s\necho %s\n' "$BASH" "$1" > "$bin/id"
  if [[ "$2" == yes ]]; then
    printf '#!%s\necho "sudo $1" >> "%s/calls"; "$@"\n' "$BASH" "$work" > "$bin/sudo"
  fi
  chmod +x "$bin"/*
  PATH="$bin" "$BASH" "$root/scripts/install-deps.sh" > "$work/out" 2>&1
  rc=$?
}

run 0 no
[[ $rc -eq 0 ]] || fail "as root without sudo, install-deps.sh failed: $(cat "$work/out")"
grep -q '^apt-get install' "$work/calls" 2>/dev/null || fail "as root, apt-get install was not run"
grep -q '^sudo' "$work/calls" 2>/dev/null && fail "as root, sudo was used"

run 1000 yes
[[ $rc -eq 0 ]] || fail "as a user with sudo, install-deps.sh failed: $(cat "$work/out")"
grep -q '^sudo apt-get' "$work/calls" 2>/dev/null || fail "as a user, apt-get did not go through sudo"

run 1000 no
[[ $rc -ne 0 ]] || fail "as a user without sudo, install-deps.sh should stop"
grep -q 'as root, or install sudo' "$work/out" || fail "as a user without sudo, no clear message: $(cat "$work/out")"

exit $status
