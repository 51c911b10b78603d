"""Starting a `ruche` for the Python tests and benchmarks.

The server's first line on stdout is the address it serves, with the port it
was given (`--port 0` asks the system for a free one): reading that line is
how a script knows the server is ready and where.
"""

import re
import subprocess

_ADDRESS = re.compile(r"(https?)://127\.0\.0\.1:(\d+)")


def start_ruche(command, stderr=subprocess.DEVNULL):
    """Runs `command` (a ruche with `--port 0`) and waits for its address.

    Returns (process, port, url); raises RuntimeError, with what the server
    said and its exit status, when it does not start.
    """
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True)
    line = proc.stdout.readline()
    match = _ADDRESS.search(line)
    if not match:
        proc.kill()
        raise RuntimeError(f"ruche did not start: {line!r} (exit {proc.wait()})")
    return proc, int(match.group(2)), f"{match.group(1)}://127.0.0.1:{match.group(2)}"
