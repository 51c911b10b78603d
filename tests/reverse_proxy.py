#!/usr/bin/python3
"""A workshop through a reverse proxy, with the configuration Ruche ships.

Starts `ruche` on 127.0.0.1 with --trust-proxy 127.0.0.1, and Debian's nginx
(or Caddy) in front of it on another loopback port: nginx's `server` block
is deploy/nginx/ruche-locations.conf as it is, Caddy's site is the one of
deploy/Caddyfile on plain HTTP. Then, only through the proxy:

- the health check and the pages answer;
- a session is created; a participant (from 127.0.0.2) and the facilitator
  join over the WebSocket; the participant's note is acknowledged and
  reaches the facilitator;
- limits count the client nginx names, not nginx: wrong join codes from
  127.0.0.2 get it blocked, while 127.0.0.3 still joins with the right code;
- the session's export, padded over nginx's default 1 MiB body limit,
  imports as a new session.

With nginx, the site file deploy/nginx/ruche.conf also passes `nginx -t`,
with a certificate made for the test.

    /usr/bin/python3 tests/reverse_proxy.py build/ci/server/ruche --nginx /usr/sbin/nginx
    /usr/bin/python3 tests/reverse_proxy.py build/ci/server/ruche --caddy /usr/bin/caddy

(Debian's python3 with python3-websockets.) Every wait is bounded; exits
non-zero on the first failure.
"""
import argparse
import asyncio
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import websockets

from ruche_process import start_ruche as start_process
from workshop_client import join, note

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCATIONS = os.path.join(ROOT, "deploy", "nginx", "ruche-locations.conf")
SITE = os.path.join(ROOT, "deploy", "nginx", "ruche.conf")
CADDYFILE = os.path.join(ROOT, "deploy", "Caddyfile")


def fail(message):
    sys.exit(f"reverse_proxy: {message}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_ruche(binary, data):
    try:
        proc, port, _ = start_process([binary, "--port", "0", "--data-dir", data, "--log-level", "warn",
                                       "--trust-proxy", "127.0.0.1",
                                       "--static-dir", os.path.join(ROOT, "client-web")])
    except RuntimeError as e:
        fail(str(e))
    return proc, port


def nginx_conf(work, http_block):
    """A whole nginx configuration whose files all live in `work`."""
    temp = {name: os.path.join(work, name) for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    return f"""
daemon off;
master_process off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {temp['body']};
    proxy_temp_path {temp['proxy']};
    fastcgi_temp_path {temp['fastcgi']};
    uwsgi_temp_path {temp['uwsgi']};
    scgi_temp_path {temp['scgi']};
{http_block}
}}
"""


def check_site(nginx, work):
    """`nginx -t` on the site file as shipped, given a certificate made here."""
    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                           "-subj", "/CN=ruche.example.org", "-keyout", key, "-out", cert],
                          capture_output=True, text=True)
    if made.returncode != 0:
        fail(f"openssl could not make a test certificate: {made.stderr[-500:]}")
    with open(SITE) as f:
        site = f.read()
    site = (site.replace("/etc/letsencrypt/live/ruche.example.org/fullchain.pem", cert)
            .replace("/etc/letsencrypt/live/ruche.example.org/privkey.pem", key)
            .replace("snippets/ruche-locations.conf", LOCATIONS))
    conf = os.path.join(work, "site-test.conf")
    with open(conf, "w") as f:
        f.write(nginx_conf(work, site))
    checked = subprocess.run([nginx, "-t", "-p", work, "-c", conf, "-e", os.path.join(work, "error.log")],
                             capture_output=True, text=True)
    if checked.returncode != 0:
        fail(f"nginx -t refuses {SITE}: {checked.stderr[-1000:]}")


def nginx_command(nginx, work, ruche_port, port):
    conf = os.path.join(work, "nginx.conf")
    with open(conf, "w") as f:
        f.write(nginx_conf(work, f"""
    upstream ruche {{ server 127.0.0.1:{ruche_port}; keepalive 4; }}
    server {{
        listen 127.0.0.1:{port};
        include {LOCATIONS};
    }}"""))
    return [nginx, "-p", work, "-c", conf, "-e", os.path.join(work, "error.log")], {}


def caddy_command(caddy, work, ruche_port, port):
    """deploy/Caddyfile's site as it is, served on plain HTTP on `port`, with
    Caddy's state in `work` and no admin endpoint."""
    with open(CADDYFILE) as f:
        shipped = f.read()
    opening = "ruche.example.org {"
    if opening not in shipped:
        fail(f"{CADDYFILE} has no site {opening}")
    site = shipped[shipped.index(opening) + len(opening):].replace("127.0.0.1:8080", f"127.0.0.1:{ruche_port}")
    conf = os.path.join(work, "Caddyfile")
    with open(conf, "w") as f:
        f.write("{\n    admin off\n    auto_https off\n    storage file_system " + work + "/caddy\n}\n"
                f"http://127.0.0.1:{port} {{" + site)
    env = dict(os.environ, HOME=work, XDG_DATA_HOME=work, XDG_CONFIG_HOME=work)
    return [caddy, "run", "--config", conf, "--adapter", "caddyfile"], env


def start_proxy(command, work, ruche_port):
    """The proxy on a free port; a port taken between the check and the
    start is tried again, three times at most."""
    log = os.path.join(work, "proxy.log")
    for _ in range(3):
        port = free_port()
        cmd, env = command(work, ruche_port, port)
        with open(log, "w") as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env or None)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return proc, port
            except OSError:
                time.sleep(0.02)  # polling for the proxy's listening socket, bounded above
        proc.kill()
        proc.wait()
    with open(log) as f:
        fail(f"{cmd[0]} did not start: {f.read()[-1000:]}")


def request(port, method, path, body=None, headers=None, source="127.0.0.1"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        reply = conn.getresponse()
        return reply.status, reply.getheader("Content-Type", ""), reply.read()
    finally:
        conn.close()


def expect(status, wanted, what):
    if status != wanted:
        fail(f"{what}: status {status}, expected {wanted}")


async def workshop(port, session):
    url = f"ws://127.0.0.1:{port}/ws"
    async with websockets.connect(url, open_timeout=10, close_timeout=1) as facilitator, \
            websockets.connect(url, open_timeout=10, close_timeout=1,
                               local_addr=("127.0.0.2", 0)) as participant:
        await join(facilitator, participant, session)
        await note("reverse_proxy", participant, facilitator, "c1", "Un banc à l'arrêt de bus")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ruche")
    which = ap.add_mutually_exclusive_group(required=True)
    which.add_argument("--nginx", help="nginx's binary")
    which.add_argument("--caddy", help="caddy's binary")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="ruche-proxy-")
    ruche = proxy = None
    try:
        name = "nginx" if args.nginx else "caddy"
        if args.nginx:
            check_site(args.nginx, work)
            command = lambda *a: nginx_command(args.nginx, *a)
        else:
            command = lambda *a: caddy_command(args.caddy, *a)
        ruche, ruche_port = start_ruche(args.ruche, os.path.join(work, "data"))
        proxy, port = start_proxy(command, work, ruche_port)

        status, kind, body = request(port, "GET", "/healthz")
        expect(status, 200, "/healthz")
        if json.loads(body)["status"] != "ok":
            fail(f"/healthz: {body!r}")
        status, kind, _ = request(port, "GET", "/")
        expect(status, 200, "the start page")
        if not kind.startswith("text/html"):
            fail(f"the start page is {kind}")

        status, _, body = request(port, "POST", "/api/sessions",
                                  json.dumps({"title": "Derrière nginx", "private_writing": False}),
                                  {"Content-Type": "application/json"})
        expect(status, 201, "creating a session")
        session = json.loads(body)
        asyncio.run(workshop(port, session))

        # 30 wrong codes a minute per client: the 31st from 127.0.0.2 is refused.
        # (Caddy, like nginx, appends the client it sees to X-Forwarded-For.)
        statuses = [request(port, "GET", f"/api/join/ZZZ-ZZZ-Z{i:02d}", source="127.0.0.2")[0]
                    for i in range(31)]
        if statuses[:30] != [404] * 30 or statuses[30] != 429:
            fail(f"guessing from 127.0.0.2 through {name}: {statuses}")
        expect(request(port, "GET", "/api/join/ZZZ-ZZZ-ZZZ", source="127.0.0.3")[0], 404,
               "a wrong code from another client")
        expect(request(port, "GET", "/api/join/" + session["join_code"], source="127.0.0.3")[0], 200,
               "the right code from another client")

        status, _, export = request(port, "GET", f"/api/sessions/{session['session_id']}/minutes.json",
                                    headers={"Authorization": f"Bearer {session['facilitator_token']}"})
        expect(status, 200, "the export")
        padded = export[:1] + b" " * (3 << 19) + export[1:]  # 1.5 MiB more, still the same JSON
        status, _, body = request(port, "POST", "/api/sessions/import", padded,
                                  {"Content-Type": "application/json"})
        expect(status, 201, f"importing {len(padded)} bytes")
        if json.loads(body)["session_id"] == session["session_id"]:
            fail("the import gave the same session")
        print(f"reverse_proxy: a workshop, limits per client and a {len(padded) >> 10} KiB import "
              f"through {name}: ok")
    finally:
        for proc in (proxy, ruche):
            if proc and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
