"""--endpoint and push against misbehaving servers the tests start on loopback."""

from __future__ import annotations

import hashlib
import http.server
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import pytest

from ofsted_kg.errors import RemoteError
from ofsted_kg.store.remote import RemoteEndpoint

from .servers import free_port

pytestmark = pytest.mark.corpus


def run(*args, env=None, stdin=None):
    return subprocess.run([sys.executable, "-m", "ofsted_kg", *args], capture_output=True, text=True,
                          env=env, input=stdin, timeout=120)


@contextmanager
def misbehaving(behaviour: str):
    """A loopback HTTP server that answers every request in one bad way; yields its base URL."""
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            if behaviour == "invalid-json":
                body = b'{"head": {"vars": ["n"]}, "results": {"bindings": [ {"n": '
                self._send(200, "application/sparql-results+json", body)
            elif behaviour == "html":
                self._send(200, "text/html", b"<!doctype html><html><body>Welcome</body></html>")
            elif behaviour == "huge":
                self._send(200, "application/sparql-results+json", b" " * 2_000_000)
            elif behaviour == "drip":
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                for _ in range(100):  # 20 s at most, then the server gives up by itself
                    try:
                        self.wfile.write(b" ")
                        self.wfile.flush()
                    except OSError:
                        return
                    time.sleep(0.2)

        def _send(self, status, media, body):
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = answer  # noqa: N815

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_invalid_json_is_one_line():
    with misbehaving("invalid-json") as url:
        result = run("query", "stats", "--endpoint", f"{url}/sparql")
    assert result.returncode == 2
    assert result.stderr.startswith(f"Error: {url}/sparql: the endpoint's answer is not SPARQL results JSON "
                                    "(application/sparql-results+json: ")
    assert len(result.stderr.splitlines()) == 1


def test_a_dripping_server_does_not_defeat_the_timeout():
    with misbehaving("drip") as url:
        started = time.monotonic()
        result = run("query", "stats", "--endpoint", f"{url}/sparql", "--timeout", "1")
        seconds = time.monotonic() - started
    assert (result.returncode, result.stderr) == (2, f"Error: {url}/sparql: no complete answer within 1 s\n")
    assert seconds < 1 + 5  # the interpreter's start included


def test_an_answer_over_the_cap_is_not_read():
    with misbehaving("huge") as url, pytest.raises(RemoteError) as error:
        RemoteEndpoint(f"{url}/sparql", timeout=10, max_bytes=1_000_000).query("ASK {}")
    assert str(error.value) == f"{url}/sparql: the answer is over 1,000,000 bytes; not read further"


def test_credentials_in_a_url_are_never_printed():
    port = free_port()
    result = run("query", "stats", "--endpoint", f"http://analyst:s3cret@127.0.0.1:{port}/sparql")
    assert result.stderr == (f"Error: http://127.0.0.1:{port}/sparql: cannot reach the endpoint "
                             "([Errno 111] Connection refused)\n")


def test_a_web_page_answering_every_put_is_no_push(known_store):
    with misbehaving("html") as url:
        result = run("push", "--endpoint", f"http://analyst:s3cret@{url[7:]}/store", "--store", str(known_store))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("0 graphs sent, 0 unchanged, 13 failed in ")
    assert lines[0].endswith(f"({url}/store)")
    assert lines[1].endswith(">: the server answered with a web page, not as a Graph Store does (HTTP 200 "
                             "text/html); nothing is recorded as sent")
    assert "s3cret" not in result.stderr
    digests = known_store / f"push-{hashlib.sha256(f'{url}/store'.encode()).hexdigest()[:16]}.json"
    assert not digests.exists()


def test_push_to_a_dripping_server_ends_by_its_timeout(known_store):
    with misbehaving("drip") as url:
        started = time.monotonic()
        result = run("push", "--endpoint", f"{url}/store", "--store", str(known_store), "--timeout", "1",
                     "--retries", "0")
        seconds = time.monotonic() - started
    assert result.returncode == 1
    assert result.stderr.splitlines()[1].endswith(">: no complete answer within 1 s")
    assert seconds < 13 * 1 + 1 + 10  # one second a graph (and the probe), not hours
