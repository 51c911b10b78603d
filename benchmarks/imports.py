#!/usr/bin/python3
"""Imports at their limit, and what they cost everyone else.

Starts `ruche` on an ephemeral port of 127.0.0.1 with a fresh data directory,
writes a session of N notes over a WebSocket (20,000 by default: the most an
import may hold), exports it, then measures, from this separate process:

- baseline: /healthz and a participant's note.add ack in another session,
  while nothing is imported;
- one import of that export: its time, and the server's peak memory;
- two imports at once from two addresses (127.0.0.2 and 127.0.0.3), with the
  same /healthz and ack probes running meanwhile;
- 16 uploads at once from one address: how many are refused from their
  header (before their body is sent) and how much memory the server gains.

    /usr/bin/python3 benchmarks/imports.py build/ci/server/ruche [--notes 20000]

(Debian's python3 with its python3-websockets package.)
"""
import argparse
import asyncio
import http.client
import json
import os
import select
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.request

import websockets

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from ruche_process import start_ruche  # noqa: E402


def start_server(binary, data):
    try:
        proc, port, _ = start_ruche(
            [binary, "--port", "0", "--data-dir", data, "--ops-per-second", "100000",
             "--sessions-per-hour", "1000", "--log-level", "warn",
             # The minutes' words are in the client's catalogs.
             "--static-dir", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "client-web")],
            stderr=None)
    except RuntimeError as e:
        sys.exit(str(e))
    return proc, port


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def call(port, method, path, body=None, token=None, source="127.0.0.1", timeout=120):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=body, headers=headers)
    reply = conn.getresponse()
    data = reply.read()
    conn.close()
    return reply.status, data


def create_session(port, title):
    status, body = call(port, "POST", "/api/sessions",
                        json.dumps({"title": title, "private_writing": False}).encode())
    assert status == 201, (status, body)
    return json.loads(body)


async def write_notes(port, code, count, window=64):
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws", max_size=None, close_timeout=1) as ws:
        await ws.send(json.dumps({"type": "hello", "join_code": code, "name": "Scribe"}))
        while json.loads(await ws.recv())["type"] != "welcome":
            pass
        sent = acked = 0
        while acked < count:
            while sent < count and sent - acked < window:
                op = {"kind": "note.add", "text": f"Idée numéro {sent} : un café des aidants le samedi",
                      "color": "yellow", "x": sent % 1000, "y": sent // 1000}
                await ws.send(json.dumps({"type": "op", "op_id": f"n{sent}", "op": op}))
                sent += 1
            message = json.loads(await ws.recv())
            if message["type"] == "ack":
                acked += 1
            elif message["type"] == "error":
                sys.exit(f"note refused: {message}")


class probes:
    """/healthz and a note.add ack in another session, every 50 ms, in a thread."""

    def __init__(self, port, code):
        self.port, self.code = port, code
        self.health, self.acks = [], []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self.run()))

    async def run(self):
        async with websockets.connect(f"ws://127.0.0.1:{self.port}/ws", close_timeout=1) as ws:
            await ws.send(json.dumps({"type": "hello", "join_code": self.code, "name": "Sonde"}))
            while json.loads(await ws.recv())["type"] != "welcome":
                pass
            i = 0
            while not self.stop.is_set():
                t = time.perf_counter()
                await asyncio.to_thread(call, self.port, "GET", "/healthz")
                self.health.append(time.perf_counter() - t)
                t = time.perf_counter()
                op = {"kind": "note.add", "text": f"sonde {i}", "color": "blue", "x": 0, "y": 0}
                await ws.send(json.dumps({"type": "op", "op_id": f"p{i}", "op": op}))
                while json.loads(await ws.recv()).get("op_id") != f"p{i}":
                    pass
                self.acks.append(time.perf_counter() - t)
                i += 1
                await asyncio.sleep(0.05)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def upload(port, body, source):
    """An import sent as curl would: the header, then the body unless the
    answer came first. Returns (status, whether the body was sent)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=120, source_address=(source, 0))
    head = (f"POST /api/sessions/import HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    sock.sendall(head)
    sent_body = False
    if not select.select([sock], [], [], 0.2)[0]:
        try:
            sock.sendall(body)
            sent_body = True
        except OSError:
            pass
    answer = b""
    try:
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    except OSError:
        pass
    sock.close()
    status = int(answer.split()[1]) if answer.startswith(b"HTTP/") else 0
    return status, sent_body


def ms(values, q):
    if not values:
        return "n/a"
    values = sorted(values)
    return f"{values[min(len(values) - 1, int(q * len(values)))] * 1000:.1f} ms"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary")
    ap.add_argument("--notes", type=int, default=20000)
    args = ap.parse_args()
    data = tempfile.mkdtemp(prefix="ruche-imports-")
    proc, port = start_server(args.binary, data)
    rows = []
    try:
        big = create_session(port, "Grand atelier")
        t = time.perf_counter()
        asyncio.run(write_notes(port, big["join_code"], args.notes))
        rows.append(("session written", f"{args.notes} notes in {time.perf_counter() - t:.1f} s"))
        status, export = call(port, "GET", f"/api/sessions/{big['session_id']}/minutes.json",
                              token=big["facilitator_token"])
        assert status == 200, status
        rows.append(("export size", f"{len(export) / 2**20:.1f} MiB"))
        probe_session = create_session(port, "Sondes")

        with probes(port, probe_session["join_code"]) as quiet:
            time.sleep(2)
        rows.append(("baseline /healthz p50 / max", f"{ms(quiet.health, 0.5)} / {ms(quiet.health, 1)}"))
        rows.append(("baseline ack p50 / max", f"{ms(quiet.acks, 0.5)} / {ms(quiet.acks, 1)}"))

        before = rss_mib(proc.pid)
        t = time.perf_counter()
        status, _ = call(port, "POST", "/api/sessions/import", export)
        assert status == 201, status
        rows.append(("one import", f"{time.perf_counter() - t:.2f} s, server peak RSS "
                                   f"{peak_rss_mib(proc.pid):.0f} MiB (was {before:.0f} MiB)"))

        with probes(port, probe_session["join_code"]) as busy:
            results = [None, None]
            threads = [threading.Thread(target=lambda i=i, s=s: results.__setitem__(
                i, call(port, "POST", "/api/sessions/import", export, source=s)[0]))
                for i, s in enumerate(("127.0.0.2", "127.0.0.3"))]
            t = time.perf_counter()
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            elapsed = time.perf_counter() - t
        rows.append(("two imports at once", f"{elapsed:.2f} s, answers {results}"))
        rows.append(("meanwhile /healthz p50 / max", f"{ms(busy.health, 0.5)} / {ms(busy.health, 1)}"))
        rows.append(("meanwhile ack p50 / max", f"{ms(busy.acks, 0.5)} / {ms(busy.acks, 1)}"))

        before = rss_mib(proc.pid)
        outcomes = [None] * 16
        threads = [threading.Thread(target=lambda i=i: outcomes.__setitem__(i, upload(port, export, "127.0.0.4")))
                   for i in range(16)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        statuses = sorted(s for s, _ in outcomes)
        refused_early = sum(1 for s, sent in outcomes if s == 429 and not sent)
        rows.append(("16 uploads from one address", f"answers {statuses}; {refused_early} refused "
                                                    f"before their body was sent"))
        rows.append(("server RSS after them", f"{rss_mib(proc.pid):.0f} MiB (was {before:.0f} MiB)"))
        ok = proc.poll() is None
        rows.append(("server still up", "yes" if ok else f"no (exit {proc.returncode})"))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)
    print("| figure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
