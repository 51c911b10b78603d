#!/usr/bin/python3
"""`ruche backup` during writes, then `ruche restore`: nothing acknowledged is lost.

Starts `ruche` with a fresh data directory and a session; writers (the
crash cycles' writers, tests/crash_cycles.py) send notes as fast as their
acks come back. Once some are acknowledged, `ruche backup DIR` runs while
they go on writing (the running server takes the backup). The server is
stopped; `ruche restore DIR` refuses the data directory, which is not empty,
and restores into a new one; a server started there must hold every op
acknowledged before the backup began, once, at the seq its ack said, with
dense seqs. Then, the server stopped, `ruche backup` backs up by itself,
copying less than the first backup did.

    /usr/bin/python3 tests/backup_restore.py build/ci/server/ruche

Every wait is bounded; exits non-zero on the first failure.
"""
import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crash_cycles  # noqa: E402  (its server, writers, session and export helpers)


def fail(message):
    sys.exit(f"backup_restore: {message}")


def ruche(binary, *args):
    done = subprocess.run([binary, *args], capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout + done.stderr


def acked(writers):
    return sum(len(w.acked) for w in writers)


async def until(condition, seconds, what):
    """Waits for `condition`, checking every 10 ms, at most `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            fail(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def back_up_while_writing(binary, srv, session, writers, backups, data):
    tasks = [asyncio.create_task(w.run(srv.port, session["join_code"], 4, False)) for w in writers]
    await until(lambda: acked(writers) >= 400, 30, "400 acknowledged notes")
    before = {op_id: seq for w in writers for op_id, seq in w.acked.items()}
    backup = await asyncio.create_subprocess_exec(binary, "backup", backups, "--data-dir", data,
                                                  stdout=asyncio.subprocess.PIPE,
                                                  stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(backup.communicate(), 120)
    if backup.returncode != 0 or b"Backup 1 done" not in out:
        fail(f"ruche backup while writing: {backup.returncode} {out.decode()[-500:]}")
    # The writing went on during the backup, and goes on after it.
    await until(lambda: acked(writers) >= len(before) + 200, 30, "notes after the backup")
    srv.stop()
    await asyncio.wait_for(asyncio.gather(*tasks), 30)
    return before


def size_of(directory):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(directory) for f in files)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ruche")
    args = ap.parse_args()
    binary = os.path.abspath(args.ruche)
    work = tempfile.mkdtemp(prefix="ruche-backup-")
    data, restored, backups = (os.path.join(work, d) for d in ("data", "restored", "backups"))
    servers = []
    try:
        srv = crash_cycles.server(binary, data, "wal")
        servers.append(srv)
        srv.start()
        session = crash_cycles.create_session(srv)
        writers = [crash_cycles.writer(i) for i in range(4)]
        before = asyncio.run(back_up_while_writing(binary, srv, session, writers, backups, data))
        written = acked(writers)
        first_size = size_of(backups)

        code, out = ruche(binary, "restore", backups, "--data-dir", data)
        if code == 0 or "not empty" not in out:
            fail(f"a restore over the data directory was not refused: {code} {out[-300:]}")
        code, out = ruche(binary, "restore", backups, "--data-dir", restored)
        if code != 0 or "Backup 1 restored" not in out:
            fail(f"ruche restore: {code} {out[-500:]}")

        again = crash_cycles.server(binary, restored, "wal")
        servers.append(again)
        again.start()
        log = crash_cycles.export(again, session)["log"]
        again.stop()
        seqs = [entry["seq"] for entry in log]
        if seqs != list(range(1, len(seqs) + 1)):
            fail("the restored log's seqs are not dense")
        where = {}
        for entry in log:
            if entry["op"].get("kind") == "note.add":
                where.setdefault(entry["op"]["text"], []).append(entry["seq"])
        lost = [op_id for op_id, seq in before.items() if where.get(f"note {op_id}") != [seq]]
        if lost:
            fail(f"{len(lost)} of {len(before)} notes acknowledged before the backup are not in its restore "
                 f"as acknowledged, e.g. {lost[:3]}")

        # No server running: `ruche backup` opens the log itself.
        code, out = ruche(binary, "backup", backups, "--data-dir", restored)
        if code != 0 or "Backup 2 done" not in out:
            fail(f"ruche backup without a server: {code} {out[-500:]}")
        # Incremental: the table files the first backup copied are shared (a
        # copy of everything would add about as much as the first; each
        # backup's own MANIFEST and OPTIONS are small but not nothing).
        added = size_of(backups) - first_size
        if added >= first_size:
            fail(f"the second backup copied {added} bytes, the first {first_size}: not incremental")
        print(f"backup_restore: {len(before)} notes acknowledged before the backup, all restored "
              f"({written} acknowledged in all, {len(seqs)} ops in the restored log); "
              f"a second backup added {added} bytes to {first_size}: ok")
    finally:
        for s in servers:
            if s.proc and s.proc.poll() is None:
                s.proc.kill()
                s.proc.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
