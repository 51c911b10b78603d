#!/usr/bin/python3
"""HTTPS and WSS served by Ruche itself, with certificates made for the test.

Starts `ruche --tls-cert --tls-key` on 127.0.0.1 and checks, over real
sockets:

- pages and the API answer over HTTPS with HSTS; plain HTTP on the same
  port is sent to the https:// address (308), but /healthz answers;
- TLS 1.1 is refused; what is agreed is TLS 1.2 or 1.3 with an AEAD suite;
- a workshop over WSS: a participant's note is acknowledged and reaches the
  facilitator;
- SIGHUP after the certificate files are replaced: new connections get the
  new certificate, the participant connected before it goes on writing;
- SIGHUP with a broken key: refused with a log line, the previous
  certificate stays, nobody is dropped;
- a key that is not the certificate's: the server does not start, and says
  why.

    /usr/bin/python3 tests/tls.py build/ci/server/ruche

(Debian's python3 with python3-websockets, and the openssl command.) Every
wait is bounded; exits non-zero on the first failure.
"""
import argparse
import asyncio
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import warnings

import websockets

from ruche_process import start_ruche as start_process
from workshop_client import join, note

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fail(message):
    sys.exit(f"tls: {message}")


def make_certificate(work, name):
    """A self-signed certificate for 127.0.0.1 whose common name is `name`."""
    cert, key = os.path.join(work, f"{name}.crt"), os.path.join(work, f"{name}.key")
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                           "-nodes", "-days", "1", "-subj", f"/CN={name}",
                           "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
                          capture_output=True, text=True)
    if made.returncode != 0:
        fail(f"openssl could not make a test certificate: {made.stderr[-500:]}")
    return cert, key


def start_ruche(binary, data, cert, key, log):
    out = open(log, "w")
    try:
        proc, port, url = start_process([binary, "--port", "0", "--data-dir", data, "--log-level", "info",
                                         "--tls-cert", cert, "--tls-key", key,
                                         "--static-dir", os.path.join(ROOT, "client-web")], stderr=out)
    except RuntimeError as e:
        fail(str(e))
    if not url.startswith("https://"):
        proc.kill()
        fail(f"ruche did not start on https://: {url}")
    return proc, port


def client_context(*certs, maximum=None):
    ctx = ssl.create_default_context()
    for cert in certs:
        ctx.load_verify_locations(cert)
    if maximum is not None:
        # The client would refuse old versions by itself: let it offer them,
        # so that a refusal is the server's.
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        with warnings.catch_warnings():  # deprecated versions, on purpose
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.minimum_version = ssl.TLSVersion.TLSv1
            ctx.maximum_version = maximum
    return ctx


def handshake(port, ctx):
    """(common name of the server's certificate, TLS version, suite)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            subject = dict(item[0] for item in tls.getpeercert()["subject"])
            return subject["commonName"], tls.version(), tls.cipher()[0]


def request(port, method, path, body=None, ctx=None):
    if ctx is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    else:
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=ctx)
    try:
        conn.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
        reply = conn.getresponse()
        return reply.status, dict(reply.getheaders()), reply.read()
    finally:
        conn.close()


def expect(status, wanted, what):
    if status != wanted:
        fail(f"{what}: status {status}, expected {wanted}")


def wait_for(predicate, what, timeout=10):
    """Polls `predicate` until it holds: the server reloads on its own time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    fail(f"{what} did not happen within {timeout} s")


async def workshop_across_reloads(port, session, ctx, on_open):
    """A facilitator and a participant over WSS, one note before and one
    after `on_open` (which reloads the server's certificate)."""
    url = f"wss://127.0.0.1:{port}/ws"
    async with websockets.connect(url, ssl=ctx, open_timeout=10, close_timeout=1) as facilitator, \
            websockets.connect(url, ssl=ctx, open_timeout=10, close_timeout=1) as participant:
        await join(facilitator, participant, session)
        await note("tls", participant, facilitator, "c1", "Un banc à l'arrêt de bus")
        await asyncio.get_running_loop().run_in_executor(None, on_open)
        await note("tls", participant, facilitator, "c2", "Des toilettes publiques au parc")


def log_has(log, text):
    with open(log) as f:
        return text in f.read()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ruche")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="ruche-tls-")
    ruche = None
    try:
        one_cert, one_key = make_certificate(work, "ruche-one")
        two_cert, two_key = make_certificate(work, "ruche-two")
        # The files the server is given; a renewal rewrites them in place.
        cert, key = os.path.join(work, "server.crt"), os.path.join(work, "server.key")
        shutil.copy(one_cert, cert)
        shutil.copy(one_key, key)
        log = os.path.join(work, "ruche.log")
        ruche, port = start_ruche(args.ruche, os.path.join(work, "data"), cert, key, log)
        trusting = client_context(one_cert, two_cert)

        status, headers, body = request(port, "GET", "/healthz", ctx=trusting)
        expect(status, 200, "/healthz over HTTPS")
        if headers.get("Strict-Transport-Security") != "max-age=31536000":
            fail(f"no HSTS over HTTPS: {headers}")
        status, headers, _ = request(port, "GET", "/", ctx=trusting)
        expect(status, 200, "the start page over HTTPS")
        if not headers.get("Content-Type", "").startswith("text/html"):
            fail(f"the start page is {headers.get('Content-Type')}")

        status, headers, _ = request(port, "GET", "/tableau?x=1")
        expect(status, 308, "a page over plain HTTP")
        if headers.get("Location") != f"https://127.0.0.1:{port}/tableau?x=1":
            fail(f"plain HTTP redirected to {headers.get('Location')}")
        if "Strict-Transport-Security" in headers:
            fail("HSTS sent over plain HTTP")
        expect(request(port, "GET", "/healthz")[0], 200, "/healthz over plain HTTP")

        name, version, suite = handshake(port, trusting)
        if name != "ruche-one" or version not in ("TLSv1.2", "TLSv1.3"):
            fail(f"handshake: {name} {version}")
        _, version, suite = handshake(port, client_context(one_cert, maximum=ssl.TLSVersion.TLSv1_2))
        if version != "TLSv1.2" or not ("GCM" in suite or "CHACHA20" in suite):
            fail(f"TLS 1.2 agreed on {version} {suite}")
        try:
            handshake(port, client_context(one_cert, maximum=ssl.TLSVersion.TLSv1_1))
            fail("a TLS 1.1 client was served")
        except ssl.SSLError:
            pass

        status, _, body = request(port, "POST", "/api/sessions",
                                  json.dumps({"title": "En HTTPS", "private_writing": False}), ctx=trusting)
        expect(status, 201, "creating a session over HTTPS")
        session = json.loads(body)
        if not session["join_url"].startswith(f"https://127.0.0.1:{port}/j/"):
            fail(f"join link {session['join_url']}")

        def renew():
            shutil.copy(two_cert, cert)
            shutil.copy(two_key, key)
            ruche.send_signal(signal.SIGHUP)
            wait_for(lambda: handshake(port, trusting)[0] == "ruche-two",
                     "a new connection getting the renewed certificate")

        asyncio.run(workshop_across_reloads(port, session, trusting, renew))

        # A renewal half-written: refused, the previous certificate stays.
        with open(key, "w") as f:
            f.write("-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n")
        ruche.send_signal(signal.SIGHUP)
        wait_for(lambda: log_has(log, "HTTPS certificate not reloaded"), "the refusal of a broken key in the log")
        if handshake(port, trusting)[0] != "ruche-two" or ruche.poll() is not None:
            fail("a broken renewal changed the certificate or stopped the server")
        ruche.terminate()
        ruche.wait(timeout=10)

        # A key that is not the certificate's: no start, and the reason.
        refused = subprocess.run([args.ruche, "--port", "0", "--data-dir", os.path.join(work, "data"),
                                  "--tls-cert", one_cert, "--tls-key", two_key,
                                  "--static-dir", os.path.join(ROOT, "client-web")],
                                 capture_output=True, text=True, timeout=30)
        if refused.returncode == 0 or "does not match" not in refused.stderr:
            fail(f"started with another certificate's key: {refused.returncode} {refused.stderr[-300:]}")
        print("tls: HTTPS with HSTS, plain HTTP redirected, TLS 1.2+, a workshop over WSS across a "
              "certificate reload, a broken renewal refused: ok")
    finally:
        if ruche and ruche.poll() is None:
            ruche.kill()
            ruche.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
