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


def server_binary(name: str, hint: str = "pip install oxigraph") -> str:
    """The server's program; a missing one skips the test, except in CI, where it fails."""
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if not found:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed, and CI must test against it")
        pytest.skip(f"{name} is not installed ({hint})")
    return found


def wait_for(port: int, process: subprocess.Popen, log: Path, seconds: float = 20) -> None:
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
    pytest.fail(f"the server did not start: {log.read_text(errors='replace')[-300:]}")


@contextmanager
def oxigraph_server(location: Path, read_only: bool = False):
    """`oxigraph serve` (or serve-read-only) on a free port; yields its base URL."""
    port = free_port()
    command = [server_binary("oxigraph"), "serve-read-only" if read_only else "serve", "--location",
               str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    # Its messages go to a file: a pipe nobody reads fills up and stops the server.
    log = location.parent / f"{location.name}-server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    wait_for(port, process, log)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {dir}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
MaxClientConnections = 4

[SPARQL]
; No silent truncation: the tests compare every row, so no row cap and no 'anytime'
; partial answers (Virtuoso returns partial results when MaxQueryExecutionTime is hit).
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""


@contextmanager
def virtuoso_server(folder: Path):
    """Virtuoso 7 (Debian's virtuoso-opensource) on free loopback ports; yields the HTTP base URL.

    Its Graph Store endpoint is /sparql-graph-crud-auth (HTTP digest, user dba) and its
    query endpoint /sparql.
    """
    binary = server_binary("virtuoso-t", hint="apt-get install virtuoso-opensource")
    folder.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port))
    log = folder / "virtuoso-console.log"
    with log.open("wb") as sink:
        process = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=folder,
                                   stdout=sink, stderr=subprocess.STDOUT)
    wait_for(http_port, process, log, seconds=60)
    try:
        yield f"http://127.0.0.1:{http_port}"
    finally:
        process.terminate()
        process.wait(30)
