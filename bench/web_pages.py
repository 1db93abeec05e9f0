"""Page render time: the national table and authority pages, over HTTP, on a built store.

    python bench/web_pages.py STORE [--runs 10] [--authorities 80495,80563,80556]

Starts ``ofsted-kg serve`` on loopback, asks each page once to warm it (the first answer
of a query on a store is computed by the engine and then kept until the store is next
written), then times ``--runs`` requests of each and prints the median, the slowest and
the first (cold) time in milliseconds, as JSON. The target is a median under 200 ms on
the whole-corpus store.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> float:
    request = urllib.request.Request(url, headers={"Accept": "text/html"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: {response.status}")
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--authorities", default="80495,80563,80556")
    args = parser.parse_args()
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "ofsted_kg", "serve", "--store", str(args.store),
                                "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        base = f"http://127.0.0.1:{port}"
        pages = {"national": "/national",
                 **{f"authority {urn}": f"/id/authority/{urn}" for urn in args.authorities.split(",")}}
        figures = {}
        for name, path in pages.items():
            cold = fetch(base + path)
            times = [fetch(base + path) for _ in range(args.runs)]
            figures[name] = {"path": path, "cold_ms": round(cold, 1), "runs": args.runs,
                             "median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}
        print(json.dumps({"store": str(args.store), "pages": figures}, indent=2))
    finally:
        process.terminate()
        process.wait(10)


if __name__ == "__main__":
    main()
