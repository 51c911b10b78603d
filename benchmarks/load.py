#!/usr/bin/python3
"""Whole-server load, measured from a separate process.

Starts `ruche` on an ephemeral port of 127.0.0.1 with a fresh data directory,
creates a session, connects N participants and has each of them send ops as
fast as acknowledgements come back, with W ops in flight each. Two runs in the
same script:

- baseline: a message the server refuses at once (an op on an unknown note):
  a full WebSocket round trip through the room, but no op-log write and no
  broadcast;
- notes: `note.add`, which is validated, appended to the op log (durable),
  acknowledged and broadcast to every participant.

It prints acknowledged ops per second and acknowledgement latency for each,
and the ratio notes/baseline: what durability and broadcast cost.

    /usr/bin/python3 benchmarks/load.py build/ci/server/ruche --clients 20 --ops 500

(Debian's python3 with its python3-websockets package.)
"""
import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request

import websockets

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from ruche_process import start_ruche  # noqa: E402


def start_server(binary, data, durability):
    try:
        proc, _, url = start_ruche(
            [binary, "--port", "0", "--data-dir", data, "--durability", durability,
             "--ops-per-second", "100000", "--send-queue-bytes", str(64 << 20),
             "--sessions-per-hour", "1000", "--log-level", "warn"], stderr=None)
    except RuntimeError as e:
        sys.exit(str(e))
    return proc, url


def create_session(url):
    body = json.dumps({"title": "Charge", "private_writing": False, "note_max_length": 500}).encode()
    req = urllib.request.Request(url + "/api/sessions", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as reply:
        return json.load(reply)


async def participant(ws_url, code, index, ops, window, kind, latencies, ready, go, finished):
    async with websockets.connect(ws_url, max_size=None, close_timeout=1) as ws:
        await ws.send(json.dumps({"type": "hello", "join_code": code, "name": f"P{index}"}))
        while json.loads(await ws.recv())["type"] != "welcome":
            pass
        ready.release()
        await go.wait()
        sent_at = {}
        next_op = 0
        done = 0

        async def send_one():
            nonlocal next_op
            op_id = f"c{index}-{next_op}"
            if kind == "baseline":
                op = {"kind": "note.delete", "note": "n999999999"}
            else:
                op = {"kind": "note.add", "text": f"Idée {next_op} de P{index}", "color": "yellow",
                      "x": next_op % 1000, "y": index * 10}
            sent_at[op_id] = time.perf_counter()
            next_op += 1
            await ws.send(json.dumps({"type": "op", "op_id": op_id, "op": op}))

        for _ in range(min(window, ops)):
            await send_one()
        while done < ops:
            message = json.loads(await ws.recv())
            op_id = message.get("op_id")
            if message["type"] in ("ack", "error") and op_id in sent_at:
                latencies.append(time.perf_counter() - sent_at.pop(op_id))
                done += 1
                if next_op < ops:
                    await send_one()
        finished.append(time.perf_counter())


async def run(url, code, clients, ops, window, kind):
    ws_url = url.replace("http://", "ws://") + "/ws"
    latencies = []
    finished = []
    ready = asyncio.Semaphore(0)
    go = asyncio.Event()
    tasks = [asyncio.create_task(participant(ws_url, code, i, ops, window, kind, latencies, ready, go, finished))
             for i in range(clients)]
    for _ in range(clients):
        await ready.acquire()
    started = time.perf_counter()
    go.set()
    await asyncio.gather(*tasks)
    elapsed = max(finished) - started  # until the last ack, not the goodbyes
    latencies.sort()
    return {
        "ops_per_s": len(latencies) / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[int(len(latencies) * 0.99) - 1],
        "mean_ms": 1000 * statistics.fmean(latencies),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--ops", type=int, default=500, help="ops per client")
    parser.add_argument("--window", type=int, default=4, help="ops in flight per client")
    parser.add_argument("--durability", choices=["wal", "fsync"], default="wal")
    args = parser.parse_args()

    data = tempfile.mkdtemp(prefix="ruche-load-")
    proc, url = start_server(args.binary, data, args.durability)
    try:
        results = {}
        for kind in ("baseline", "notes"):
            session = create_session(url)  # a fresh board each time
            results[kind] = asyncio.run(run(url, session["join_code"], args.clients, args.ops, args.window, kind))
        print(f"{args.clients} clients × {args.ops} ops, {args.window} in flight each, durability {args.durability}")
        for kind, r in results.items():
            print(f"  {kind:8} {r['ops_per_s']:9.0f} ops/s   ack p50 {r['p50_ms']:6.2f} ms   "
                  f"p99 {r['p99_ms']:6.2f} ms   mean {r['mean_ms']:6.2f} ms")
        print(f"  notes / baseline throughput: {results['notes']['ops_per_s'] / results['baseline']['ops_per_s']:.2f}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
