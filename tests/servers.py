"""Real SPARQL servers started by the tests, on loopback."""

import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_binary(name: str) -> str:
    """The server's program; a missing one skips the test, except in CI, where it fails."""
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if not found:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed, and CI must test against it")
        pytest.skip(f"{name} is not installed (pip install oxigraph)")
    return found


def wait_for(port: int, process: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    process.kill()
    pytest.fail(f"the server did not start: {process.stderr.read().decode()[:300]}")


@contextmanager
def oxigraph_server(location: Path, read_only: bool = False):
    """`oxigraph serve` (or serve-read-only) on a free port; yields its base URL."""
    port = free_port()
    command = [server_binary("oxigraph"), "serve-read-only" if read_only else "serve", "--location",
               str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for(port, process)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)
