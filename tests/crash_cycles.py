#!/usr/bin/python3
"""Crash cycles: no acknowledged op is ever lost or doubled.

Starts `ruche` on 127.0.0.1 with a fresh data directory and a session.
Writers (participants, each with its own connection) send note.add ops as
fast as their acks come back, each op with a unique op_id and text, and
record every ack. At a random moment the server is killed with SIGKILL;
every few cycles it is killed again during its recovery, before it is ready.
It is restarted, the writers reconnect with their participant tokens and
resend what was not acknowledged, with the same op_ids. Every 20 cycles
(the board grows with every op, and each welcome carries it whole), every op
is sent until acknowledged, the session's export is read, and the writers
move to a new session on the same data directory. In each export:

- its log's seqs are dense, 1..n;
- every op sent appears exactly once;
- every ack said the seq where the op is in the log (a retried op is
  answered with its first seq).

    /usr/bin/python3 tests/crash_cycles.py build/ci/server/ruche --cycles 1000 --durability both

(Debian's python3 with its python3-websockets package.) Seeded: the same
--seed gives the same kill moments. Exits non-zero on any loss.
"""
import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

import websockets

from ruche_process import start_ruche

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class server:
    def __init__(self, binary, data, durability):
        self.cmd = [binary, "--port", "0", "--data-dir", data, "--durability", durability,
                    "--ops-per-second", "100000", "--log-level", "warn",
                    "--static-dir", os.path.join(ROOT, "client-web")]
        self.proc = None
        self.port = None

    def start(self, kill_after=None):
        """Starts the server and waits until it is ready; with `kill_after`,
        kills it that many seconds after the start instead (maybe before it
        is ready): a crash during recovery."""
        if kill_after is not None:
            self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(kill_after)
            self.kill()
            return
        try:
            self.proc, self.port, _ = start_ruche(self.cmd)
        except RuntimeError as e:
            sys.exit(str(e))

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"


class writer:
    def __init__(self, index):
        self.index = index
        self.token = None
        self.next = 0
        self.outbox = {}  # op_id -> text, sent and not acknowledged
        self.acked = {}   # op_id -> seq of its first ack
        self.conflicts = []

    def new_op(self):
        op_id = f"w{self.index}-{self.next}"
        self.next += 1
        self.outbox[op_id] = f"note {op_id}"
        return op_id

    async def send(self, ws, op_id):
        op = {"kind": "note.add", "text": self.outbox[op_id], "color": "yellow", "x": 0, "y": 0}
        await ws.send(json.dumps({"type": "op", "op_id": op_id, "op": op}))

    async def run(self, port, join_code, window, final):
        """Writes until the connection drops; `final`: only resends the
        outbox, and returns once it is empty."""
        try:
            async with websockets.connect(f"ws://127.0.0.1:{port}/ws", open_timeout=5,
                                          close_timeout=0.2, max_size=None) as ws:
                hello = {"type": "hello", "join_code": join_code}
                if self.token:
                    hello["participant_token"] = self.token
                await ws.send(json.dumps(hello))
                while True:
                    message = json.loads(await ws.recv())
                    if message["type"] == "welcome":
                        self.token = message["participant_token"]
                        break
                    if message["type"] == "error":
                        return
                in_flight = set(self.outbox)
                for op_id in sorted(in_flight):
                    await self.send(ws, op_id)
                while True:
                    if final and not self.outbox:
                        return
                    while not final and len(in_flight) < window:
                        op_id = self.new_op()
                        in_flight.add(op_id)
                        await self.send(ws, op_id)
                    message = json.loads(await ws.recv())
                    if message.get("type") == "ack":
                        op_id, seq = message["op_id"], message["seq"]
                        if op_id in self.acked and self.acked[op_id] != seq:
                            self.conflicts.append((op_id, self.acked[op_id], seq))
                        self.acked.setdefault(op_id, seq)
                        self.outbox.pop(op_id, None)
                        in_flight.discard(op_id)
        except (websockets.ConnectionClosed, OSError, asyncio.TimeoutError):
            return


def create_session(srv):
    body = json.dumps({"title": "Cycles", "private_writing": False}).encode()
    req = urllib.request.Request(srv.url("/api/sessions"), data=body,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as reply:
        return json.load(reply)


def export(srv, session):
    req = urllib.request.Request(srv.url(f"/api/sessions/{session['session_id']}/minutes.json"),
                                 headers={"Authorization": f"Bearer {session['facilitator_token']}"})
    with urllib.request.urlopen(req, timeout=60) as reply:
        return json.load(reply)


async def write_until_killed(srv, session, writers, window, delay):
    tasks = [asyncio.create_task(w.run(srv.port, session["join_code"], window, False)) for w in writers]
    await asyncio.sleep(delay)
    srv.kill()
    await asyncio.gather(*tasks)


async def flush(srv, session, writers, window):
    for _ in range(20):
        await asyncio.gather(*(w.run(srv.port, session["join_code"], window, True) for w in writers))
        if not any(w.outbox for w in writers):
            return
    sys.exit("the outbox could not be emptied")


def check(log, writers):
    """Problems found, as text; empty when nothing was lost or doubled."""
    problems = []
    seqs = [entry["seq"] for entry in log]
    if seqs != list(range(1, len(seqs) + 1)):
        problems.append("seqs are not dense")
    where = {}
    for entry in log:
        op = entry["op"]
        if op.get("kind") == "note.add":
            where.setdefault(op["text"], []).append(entry["seq"])
    lost = doubled = wrong_seq = 0
    for w in writers:
        for op_id, seq in w.acked.items():
            found = where.get(f"note {op_id}", [])
            if not found:
                lost += 1
            elif len(found) > 1:
                doubled += 1
            elif found[0] != seq:
                wrong_seq += 1
        if w.conflicts:
            problems.append(f"writer {w.index}: an op acked with two seqs: {w.conflicts[:3]}")
    if lost:
        problems.append(f"{lost} acknowledged ops lost")
    if doubled:
        problems.append(f"{doubled} ops in the log twice")
    if wrong_seq:
        problems.append(f"{wrong_seq} acks gave another seq than the log's")
    return problems, lost, doubled


def run(args, durability, rng):
    """The cycles on one data directory; a new session (and new writers)
    every --cycles-per-session cycles, each checked when its turn ends, so
    that welcomes (the whole board) stay the size of a workshop's."""
    data = tempfile.mkdtemp(prefix="ruche-crash-")
    srv = server(args.binary, data, durability)
    started = time.time()
    recoveries_killed = acked = logged = lost = doubled = 0
    problems = []
    try:
        srv.start()
        cycle = 0
        while cycle < args.cycles:
            session = create_session(srv)
            writers = [writer(i) for i in range(args.writers)]
            for _ in range(min(args.cycles_per_session, args.cycles - cycle)):
                asyncio.run(write_until_killed(srv, session, writers, args.window, rng.uniform(0.1, 0.8)))
                if cycle % 5 == 4:
                    # Killed again while it opens the database and loads the index.
                    srv.start(kill_after=rng.uniform(0.0, 0.1))
                    recoveries_killed += 1
                srv.start()
                cycle += 1
            asyncio.run(flush(srv, session, writers, args.window))
            log = export(srv, session)["log"]
            found, session_lost, session_doubled = check(log, writers)
            problems += [f"session {session['session_id']}: {p}" for p in found]
            acked += sum(len(w.acked) for w in writers)
            logged += len(log)
            lost += session_lost
            doubled += session_doubled
        srv.stop()
    except BaseException:
        if srv.proc and srv.proc.poll() is None:
            srv.proc.kill()
        raise
    finally:
        shutil.rmtree(data, ignore_errors=True)
    print(f"| {durability} | {args.cycles} | {recoveries_killed} | {acked} | {logged} | {lost} | {doubled} "
          f"| {time.time() - started:.0f} s |", flush=True)
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary")
    ap.add_argument("--cycles", type=int, default=20)
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--cycles-per-session", type=int, default=20,
                    help="cycles on one session before the next (the board grows with every ack)")
    ap.add_argument("--window", type=int, default=4, help="ops in flight per writer")
    ap.add_argument("--durability", choices=["wal", "fsync", "both"], default="both")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    print("| durability | SIGKILL cycles | of which during recovery | acked ops | log length | lost | doubled | time |")
    print("|---|---|---|---|---|---|---|---|")
    problems = []
    for durability in (["wal", "fsync"] if args.durability == "both" else [args.durability]):
        problems += [f"{durability}: {p}" for p in run(args, durability, rng)]
    for p in problems:
        print("FAIL:", p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
