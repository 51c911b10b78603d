#!/usr/bin/python3
"""Ruche against a minimal Node.js relay on `ws`, scenario by scenario.

Each scenario starts the server under test pinned to CPU 0 (`taskset -c 0`,
Ruche with `--threads 1`) and the load generator `ruche_load` pinned to CPU 1,
first against Ruche, then against the peer (benchmarks/peer/relay.js), in the
same run. It prints one Markdown table with the ratio Ruche / peer.

  /usr/bin/python3 benchmarks/realtime.py            # every scenario, full size (about 10 min)
  /usr/bin/python3 benchmarks/realtime.py --quick    # seconds-long smoke (CI)
  /usr/bin/python3 benchmarks/realtime.py --only S2,S3

See benchmarks/README.md for what each scenario measures.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Server:
    """A server under test, started pinned to CPU 0; its port read from stdout."""

    def __init__(self, kind, args, durability="wal"):
        self.kind = kind
        self.data = tempfile.mkdtemp(prefix="ruche-bench-")
        if kind == "ruche":
            cmd = [args.ruche, "--port", "0", "--data-dir", self.data, "--threads", "1",
                   "--durability", durability, "--max-connections", "40000",
                   "--ops-per-second", "1000000", "--sessions-per-hour", "1000000",
                   "--log-level", "warn", "--static-dir", os.path.join(ROOT, "client-web")]
            # The load generator connects from one address: lift the
            # per-address shares (older servers have none).
            help_text = subprocess.run([args.ruche, "--help"], capture_output=True, text=True).stdout
            if "--connections-per-address" in help_text:
                cmd += ["--connections-per-address", "40000", "--unjoined-per-address", "40000",
                        "--reserved-for-joined", "0"]
            # Sessions of thousands joined within a second: lift the join rate.
            if "--joins-per-minute" in help_text:
                cmd += ["--joins-per-minute", "1000000", "--participants-per-session", "1000000"]
            pattern = re.compile(r"http://127\.0\.0\.1:(\d+)")
        else:
            cmd = ["node", os.path.join(ROOT, "benchmarks", "peer", "relay.js"), "--port", "0"]
            pattern = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")
        self.proc = subprocess.Popen(["taskset", "-c", "0"] + cmd, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 20
        self.port = None
        while self.port is None:
            line = self.proc.stdout.readline()
            if not line or time.monotonic() > deadline:
                raise RuntimeError(f"{kind} did not start")
            m = pattern.search(line)
            if m:
                self.port = int(m.group(1))

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.data, ignore_errors=True)
        return self.proc.returncode


def generate(args, server, *options):
    options = [str(o) for o in options]
    if args.plain_frames:  # a server that does not know hello "lines" refuses it
        options = [o for o in options if o != "--lines"]
    cmd = ["taskset", "-c", "1", args.load, "--port", str(server.port),
           "--server-pid", str(server.proc.pid)] + options
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         timeout=args.timeout)
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode != 0 or not rows:
        raise RuntimeError(f"ruche_load failed against {server.kind}: {out.stderr[-2000:]}")
    return rows


def against(kind, args, *options, durability="wal"):
    server = Server(kind, args, durability)
    try:
        return generate(args, server, *options)
    finally:
        rc = server.stop()
        # A server that died under load is the one result that matters most.
        if rc not in (0, -15, 143):
            raise RuntimeError(f"{kind} exited with {rc} under load")


def fmt(v, unit=""):
    if v is None:
        return "—"
    if isinstance(v, float) and v >= 1000:
        return f"{v / 1000:.1f}k{unit}"
    if isinstance(v, float):
        return f"{v:.2f}{unit}"
    return f"{v}{unit}"


class Table:
    def __init__(self):
        self.rows = []

    def add(self, scenario, figure, ruche, peer=None, unit="", better="higher"):
        ratio = None
        if isinstance(ruche, (int, float)) and isinstance(peer, (int, float)) and peer:
            ratio = ruche / peer
        self.rows.append((scenario, figure, fmt(ruche, unit), fmt(peer, unit),
                          f"{ratio:.2f}" if ratio is not None else "—", better))
        print(f"  {scenario} {figure}: ruche {fmt(ruche, unit)}  peer {fmt(peer, unit)}",
              file=sys.stderr, flush=True)

    def markdown(self):
        lines = ["| scenario | figure | Ruche | Node `ws` peer | Ruche / peer |",
                 "|---|---|---|---|---|"]
        for s, f, r, p, ratio, better in self.rows:
            lines.append(f"| {s} | {f} ({better} is better) | {r} | {p} | {ratio} |")
        return "\n".join(lines)


def both(args, *options, **kw):
    return against("ruche", args, *options, **kw), against("peer", args, *options)


def s1_idle(args, t):
    steps = "500,1000,1500" if args.quick else "5000,10000,15000"
    r, p = both(args, "--scenario", "idle", "--connections", steps, "--lines")
    t.add("S1 idle", "RSS per idle connection", r[0].get("bytes_per_connection"),
          p[0].get("bytes_per_connection"), " B", "lower")
    at = 1 if len(r[0]["steps"]) > 1 else 0
    n = r[0]["steps"][at]["connections"]
    t.add("S1 idle", f"{n} connections set up", r[0]["steps"][at]["setup_s"],
          p[0]["steps"][at]["setup_s"], " s", "lower")


def fanout(args, connections, *extra):
    return ["--scenario", "fanout", "--connections", connections, "--session-size", "50",
            "--writers", "0.1", "--lines", "--duration", args.duration, "--warmup", args.warmup,
            *extra]


def s2_fanout(args, t):
    sizes = ["500"] if args.quick else ["2000", "10000"]
    for n in sizes:
        r, p = both(args, *fanout(args, n, "--window", "4"))
        t.add(f"S2 {n} in sessions of 50", "saturation, delivered frames/s",
              r[0]["delivered_per_s"], p[0]["delivered_per_s"], "/s")
        # Latency at 80 % (and 50 %) of Ruche's saturation, the same offered rate for both.
        for share in (0.8, 0.5):
            rate = max(10, int(share * r[0]["acked_per_s"]))
            r2, p2 = both(args, *fanout(args, n, "--rates", rate))
            for q in ("p50", "p99"):
                t.add(f"S2 {n} in sessions of 50",
                      f"delivery {q} at {rate} ops/s ({share:.0%} of Ruche's saturation)",
                      r2[0]["delivery_ms"][q], p2[0]["delivery_ms"][q], " ms", "lower")


def s3_hot(args, t):
    n = "50" if args.quick else "200"
    opts = ["--scenario", "fanout", "--connections", n, "--session-size", n, "--writers", "1",
            "--window", "2", "--lines", "--duration", args.duration, "--warmup", args.warmup]
    r, p = both(args, *opts)
    t.add(f"S3 hot session, {n} writers", "delivered frames/s", r[0]["delivered_per_s"],
          p[0]["delivered_per_s"], "/s")


def s4_slow(args, t):
    n = "500" if args.quick else "2000"
    base = fanout(args, n, "--rates", "500" if args.quick else "2000")
    # A p99 over a few seconds moves with any hiccup of the machine: the
    # growth is the median of several runs with and without slow readers.
    rounds = 1 if args.quick else 3
    growth = {"ruche": [], "peer": []}
    rss = {"ruche": [], "peer": []}
    p99 = {"ruche": [], "peer": []}
    for _ in range(rounds):
        for kind in ("ruche", "peer"):
            without = against(kind, args, *base)[0]
            with_slow = against(kind, args, *base, "--slow-readers", "0.01")[0]
            growth[kind].append(with_slow["delivery_ms"]["p99"] /
                                max(without["delivery_ms"]["p99"], 1e-3))
            rss[kind].append(with_slow.get("server_rss_mb", 0))
            p99[kind].append(with_slow["delivery_ms"]["p99"])
    median = lambda xs: sorted(xs)[len(xs) // 2]
    t.add(f"S4 {n}, 1% slow readers", f"others' delivery p99 growth (median of {rounds})",
          median(growth["ruche"]), median(growth["peer"]), "×", "lower")
    t.add(f"S4 {n}, 1% slow readers", "others' delivery p99", median(p99["ruche"]),
          median(p99["peer"]), " ms", "lower")
    t.add(f"S4 {n}, 1% slow readers", "server RSS", median(rss["ruche"]), median(rss["peer"]),
          " MB", "lower")


def s5_resume(args, t):
    n = "500" if args.quick else "2000"
    opts = ["--scenario", "resume", "--connections", n, "--session-size", "50", "--writers", "0.1",
            "--rates", "1000", "--warmup", args.warmup, "--lines"]
    r, p = both(args, *opts)
    t.add(f"S5 {n} resume at once", "welcome p95", r[0]["welcome_ms"]["p95"],
          p[0]["welcome_ms"]["p95"], " ms", "lower")


def s6_ingest(args, t):
    n = "100" if args.quick else "1000"
    opts = ["--scenario", "fanout", "--connections", n, "--session-size", "5", "--writers", "1",
            "--window", "4", "--lines", "--duration", args.duration, "--warmup", args.warmup]
    peer = against("peer", args, *opts)
    for durability in ("wal", "fsync"):
        r = against("ruche", args, *opts, durability=durability)
        t.add(f"S6 ingest, {n} writers in sessions of 5", f"acked ops/s ({durability})",
              r[0]["acked_per_s"], peer[0]["acked_per_s"], "/s")
        t.add(f"S6 ingest, {n} writers in sessions of 5", f"ack p99 ({durability})",
              r[0]["ack_ms"]["p99"], peer[0]["ack_ms"]["p99"], " ms", "lower")


def s7_state(args, t):
    n = "5000" if args.quick else "100000"
    r = against("ruche", args, "--scenario", "state", "--ops", n, "--lines")
    t.add(f"S7 one session of {n} ops", "filled by one writer, ops/s", r[0]["fill_ops_per_s"], None, "/s")
    t.add(f"S7 one session of {n} ops", "state at a random seq, p50 (HTTP)",
          r[0]["state_at_seq_ms"]["p50"], None, " ms", "lower")
    t.add(f"S7 one session of {n} ops", "state at a random seq, max (HTTP)",
          r[0]["state_at_seq_ms"]["max"], None, " ms", "lower")
    fold = os.path.join(os.path.dirname(args.ruche), "..", "benchmarks", "bench_fold")
    if os.path.exists(fold):
        out = subprocess.run(["taskset", "-c", "0", fold, "--benchmark_filter=BM_fold_from_zero",
                              "--benchmark_format=json",
                              "--benchmark_min_time=0.05" if args.quick else "--benchmark_min_time=0.5"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        rates = [b["items_per_second"] for b in json.loads(out.stdout)["benchmarks"]
                 if "items_per_second" in b]
        if rates:
            t.add("S7 fold from RocksDB", "read + decode + apply, ops/s (bench_fold)", max(rates),
                  None, "/s")


SCENARIOS = {"S1": s1_idle, "S2": s2_fanout, "S3": s3_hot, "S4": s4_slow, "S5": s5_resume,
             "S6": s6_ingest, "S7": s7_state}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ruche", default=os.path.join(ROOT, "build", "ci", "server", "ruche"))
    ap.add_argument("--load", default=os.path.join(ROOT, "build", "ci", "benchmarks", "ruche_load"))
    ap.add_argument("--quick", action="store_true", help="small and short: a smoke test")
    ap.add_argument("--only", default=",".join(SCENARIOS), help="e.g. S2,S6")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--plain-frames", action="store_true",
                    help="never ask for several messages per frame (to measure an older server)")
    args = ap.parse_args()
    args.duration = "1" if args.quick else "5"
    args.warmup = "0.5" if args.quick else "1"
    if not os.path.isdir(os.path.join(ROOT, "benchmarks", "peer", "node_modules")):
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"],
                       cwd=os.path.join(ROOT, "benchmarks", "peer"), check=True)
    t = Table()
    started = time.monotonic()
    for name in args.only.split(","):
        print(f"::: {name}", file=sys.stderr, flush=True)
        SCENARIOS[name](args, t)
    print(f"\n{time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs, server on CPU 0, "
          f"generator on CPU 1, {time.monotonic() - started:.0f} s\n")
    print(t.markdown())


if __name__ == "__main__":
    main()
