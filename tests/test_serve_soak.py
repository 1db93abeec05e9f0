"""The soak test of issue 17: 200 clients for 60 s against `serve` on the whole corpus while
a build adds reports. Stored queries, hostile queries and bodies that never finish, mixed.

The server must never answer 500, never answer later than its deadline plus one second,
give one answer per (request, store generation), follow the build, and be whole at the
end without a restart. Everything is bounded: the clients stop at 60 s, the build and
the server are waited for and stopped by the test.

Lateness is measured twice: by the client, from sending to the whole answer, and by the
server, from the request's arrival to its answer (its ``Server-Timing`` header). Both must
be within the deadline plus one second. OFSTED_KG_SOAK_CLIENTS and OFSTED_KG_SOAK_SECONDS
shorten the test, and OFSTED_KG_SOAK_SLACK adds seconds to the client's measure only, on a
machine shared far beyond its cores (where a client may wait seconds for the processor);
CI runs it as the issue says, without slack. OFSTED_KG_SOAK_BASE may name a store already built from every
authority but the last eight (it is copied, never written).
"""

from __future__ import annotations

import collections
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from ofsted_kg.query import stored_queries

from .conftest import CORPUS
from .servers import free_port, wait_for
from .stored import required_examples

pytestmark = [pytest.mark.corpus, pytest.mark.soak]

CLIENTS = int(os.environ.get("OFSTED_KG_SOAK_CLIENTS", "200"))
SECONDS = float(os.environ.get("OFSTED_KG_SOAK_SECONDS", "60"))
TIMEOUT = 5.0  # the server's --timeout: every answer within TIMEOUT + 1 s of being asked
SLACK = float(os.environ.get("OFSTED_KG_SOAK_SLACK", "0"))
HELD_BACK = 8  # authorities the build adds during the soak
REPORTS = "SELECT (COUNT(*) AS ?n) WHERE { ?r a <https://w3id.org/ofsted-kg/def#Report> }"
DEEP = "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
HOSTILE = [
    ("POST", "/sparql", DEEP.encode(), "application/sparql-query"),
    ("GET", "/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}),
     None, None),
    ("GET", "/api/queries/recommendations-by-theme?" + urllib.parse.urlencode(
        {"framework": "ilacs", "theme": '") } #?__framework_string'}), None, None),
    ("POST", "/sparql", b"ASK {} \xff", "application/sparql-query"),
    ("GET", "/sparql?" + urllib.parse.urlencode({"query": SLOW}), None, None),
]


def stored_path(name: str) -> str:
    """A stored query's URL, with an example for each parameter it needs."""
    return f"/api/queries/{name}?{urllib.parse.urlencode(required_examples(name))}"


def authority_folders() -> list[Path]:
    return sorted(path for path in CORPUS.iterdir() if path.is_dir())


@pytest.fixture(scope="module")
def soak_store(tmp_path_factory):
    """A store of every authority's reports but the last eight's."""
    path = tmp_path_factory.mktemp("soak") / "graph"
    base = os.environ.get("OFSTED_KG_SOAK_BASE")
    if base:
        shutil.copytree(base, path)
    else:
        from ofsted_kg.build import build

        build(authority_folders()[:-HELD_BACK], path, workers=2)
    return path


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: collections.Counter[int] = collections.Counter()
        self.slowest = 0.0
        self.slowest_served = 0.0
        self.late: list[tuple[str, int, float, float]] = []
        self.answers: dict[tuple[str, str], set[bytes]] = collections.defaultdict(set)
        self.failures: list[str] = []
        self.unavailable: list[tuple[str, int, bytes]] = []  # what the 5xx answers said, to tell why

    def record(self, label: str, status: int, seconds: float, generation: str | None = None,
               body: bytes = b"", timing: str | None = None) -> None:
        served = float(timing.partition("dur=")[2]) / 1000 if timing else 0.0
        with self.lock:
            self.statuses[status] += 1
            self.slowest = max(self.slowest, seconds)
            self.slowest_served = max(self.slowest_served, served)
            if seconds > TIMEOUT + 1 + SLACK or served > TIMEOUT + 1:
                self.late.append((label[:40], status, round(seconds, 2), round(served, 2)))
            if status == 200 and generation:
                self.answers[(label, generation)].add(body)
            if status >= 500 and len(self.unavailable) < 20:
                self.unavailable.append((label[:60], status, body[:120]))


def ask(base: str, method: str, path: str, body: bytes | None, content_type: str | None, tally: Tally) -> None:
    request = urllib.request.Request(base + path, data=body, method=method, headers={"Accept": "text/csv"})
    if content_type:
        request.add_header("Content-Type", content_type)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT + 30) as response:
            data = response.read()
            tally.record(path, response.status, time.monotonic() - started,
                         response.headers.get("X-Ofsted-KG-Generation"), data,
                         response.headers.get("Server-Timing"))
    except urllib.error.HTTPError as error:
        tally.record(path, error.code, time.monotonic() - started, body=error.read(),
                     timing=error.headers.get("Server-Timing"))
    except OSError as error:  # a refused or cut connection is a failure of the server too
        with tally.lock:
            tally.failures.append(f"{path[:60]}: {error}")


def slow_body(port: int, tally: Tally) -> None:
    """Headers, a piece of the body, then nothing: the server must answer 408 in time."""
    started = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT + 30) as sock:
            sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                         b"Content-Length: 1000\r\n\r\nSELECT")
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
        status = int(received.split(b" ", 2)[1]) if received.startswith(b"HTTP/1.1 ") else 0
        tally.record("slow body", status, time.monotonic() - started)
    except OSError as error:
        with tally.lock:
            tally.failures.append(f"slow body: {error}")


def too_large(port: int, tally: Tally) -> None:
    """A body declared larger than the server takes: 413 before any of it is read."""
    started = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT + 30) as sock:
            sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                         b"Content-Length: 2000000\r\n\r\n")
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
        status = int(received.split(b" ", 2)[1]) if received.startswith(b"HTTP/1.1 ") else 0
        tally.record("too large", status, time.monotonic() - started)
    except OSError as error:
        with tally.lock:
            tally.failures.append(f"too large: {error}")


def client(base: str, port: int, until: float, seed: int, tally: Tally) -> None:
    rng = random.Random(seed)
    names = sorted(stored_queries())
    while time.monotonic() < until:
        roll = rng.random()
        if roll < 0.6:
            ask(base, "GET", stored_path(rng.choice(names)), None, None, tally)
        elif roll < 0.7:
            ask(base, "GET", "/sparql?" + urllib.parse.urlencode({"query": REPORTS}), None, None, tally)
        elif roll < 0.92:
            ask(base, *rng.choice(HOSTILE), tally)
        elif roll < 0.95:
            too_large(port, tally)
        else:
            slow_body(port, tally)


def test_two_hundred_clients_for_a_minute_while_a_build_adds_reports(soak_store, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "ofsted_kg", "serve", "--store", str(soak_store), "--port", str(port),
             "--timeout", str(TIMEOUT), "--workers", "2", "--worker-memory", "1024", "--max-body", "1048576"],
            stdout=sink, stderr=subprocess.STDOUT)
    wait_for(port, server, log, seconds=120)
    base = f"http://127.0.0.1:{port}"
    tally = Tally()
    build_log = tmp_path / "build.log"
    try:
        until = time.monotonic() + SECONDS
        threads = [threading.Thread(target=client, args=(base, port, until, seed, tally), daemon=True)
                   for seed in range(CLIENTS)]
        for thread in threads:
            thread.start()
        time.sleep(min(5, SECONDS / 4))
        with build_log.open("wb") as sink:
            build = subprocess.run([sys.executable, "-m", "ofsted_kg", "build", *map(str, authority_folders()),
                                    "--store", str(soak_store), "-j", "1"], stdout=sink, stderr=subprocess.STDOUT,
                                   timeout=900)
        for thread in threads:
            thread.join(TIMEOUT + 60)
        assert not any(thread.is_alive() for thread in threads)

        # Whole again, without a restart: the stored queries answer, from the build's generation.
        generation = (soak_store / "ofsted-kg-generation").read_text().strip()
        final = Tally()
        for name in sorted(stored_queries()):
            ask(base, "GET", stored_path(name), None, None, final)
        ask(base, "GET", "/sparql?" + urllib.parse.urlencode({"query": REPORTS}), None, None, final)
    finally:
        server.terminate()
        server.wait(30)

    summary = (f"{sum(tally.statuses.values())} requests, statuses {dict(sorted(tally.statuses.items()))}, "
               f"slowest {tally.slowest:.2f} s as the clients saw it, {tally.slowest_served:.2f} s as the server "
               f"did, build exit {build.returncode}")
    print(summary)
    assert build.returncode in (0, 1), build_log.read_text()[-500:]
    assert tally.failures == [], summary
    assert set(tally.statuses) <= {200, 400, 408, 413, 503}, summary
    assert tally.late == [], f"{summary}; late: {tally.late[:10]}"
    assert {key: len(bodies) for key, bodies in tally.answers.items() if len(bodies) > 1} == {}, summary
    assert final.statuses == {200: len(stored_queries()) + 1}, final.unavailable
    assert {g for (_, g) in final.answers} == {generation}
    reports = subprocess.run([sys.executable, "-m", "ofsted_kg", "sparql", "-", "--store", str(soak_store),
                              "--format", "csv", "--no-cache"], input=REPORTS, capture_output=True, text=True)
    assert final.answers[("/sparql?" + urllib.parse.urlencode({"query": REPORTS}), generation)] == {
        reports.stdout.replace("\n", "\r\n").encode()}
