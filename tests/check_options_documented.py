#!/usr/bin/python3
"""Every option of `ruche --help` is documented where administrators look:
the README's configuration table, the man page (deploy/ruche.1.in) and the
packaged configuration file (deploy/ruche.toml, where each is at least a
commented line). The packaged file itself passes `ruche check-config` (with
this checkout's web client and a temporary data directory in place of the
package's).

    /usr/bin/python3 tests/check_options_documented.py build/ci/server/ruche
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read(*path):
    with open(os.path.join(ROOT, *path), encoding="utf-8") as f:
        return f.read()


def main():
    binary = sys.argv[1]
    help_text = subprocess.run([binary, "--help"], capture_output=True, text=True, check=True).stdout
    options = sorted(set(re.findall(r"--([a-z][a-z-]+)", help_text)) - {"help", "version", "config"})
    if len(options) < 20:
        sys.exit(f"only {len(options)} options found in --help: {options}")
    readme, man, toml = read("README.md"), read("deploy", "ruche.1.in"), read("deploy", "ruche.toml")
    missing = []
    for name in options:
        if f"| `--{name}`" not in readme:
            missing.append(f"--{name}: not in README.md's configuration table")
        if "\\-\\-" + name.replace("-", "\\-") not in man:
            missing.append(f"--{name}: not in deploy/ruche.1.in")
        if not re.search(rf"^(# )?{re.escape(name)} = ", toml, re.M):
            missing.append(f"--{name}: not in deploy/ruche.toml")
    if missing:
        sys.exit("\n".join(missing))

    with tempfile.TemporaryDirectory() as work:
        checked = subprocess.run([binary, "check-config", "--config", os.path.join(ROOT, "deploy", "ruche.toml"),
                                  "--data-dir", os.path.join(work, "data"),
                                  "--static-dir", os.path.join(ROOT, "client-web")],
                                 capture_output=True, text=True)
        if checked.returncode != 0:
            sys.exit(f"check-config refuses deploy/ruche.toml:\n{checked.stdout}{checked.stderr}")
    print(f"check_options_documented: {len(options)} options in README.md, the man page and ruche.toml: ok")


if __name__ == "__main__":
    main()
