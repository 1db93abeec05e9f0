"""Reading files in worker processes that no file can take down with it.

A hostile or broken file can make a reader use gigabytes of memory (a page stream that
inflates to 400 MB), run for ever, or crash inside PDFium. Each file is therefore read
in a worker process under an address-space limit (``RLIMIT_AS``) and a time limit (an
alarm whose default action ends the process, so it holds even inside C code). A worker
that dies is replaced and its file reported as failed with the reason; the other files
go on. ``concurrent.futures`` is not used: one dead worker breaks its whole pool.

Each worker has up to two files in hand, so it never waits for the main process, which
writes to the store between results.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import resource
import signal
import stat
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

_IN_HAND = 2

# A worker's youngest objects are collected every 700 new ones by default: about 4 times a
# report, 2-3 ms of CPU a report (most of what a report makes is gone by the next). Every
# 5,000 they cost 0.1-0.4 ms (every 8th report of the corpus, build_one, collections timed
# with gc.callbacks, interleaved with 700 report by report on a loaded machine).
_YOUNG_COLLECTION = 5000


@dataclass(frozen=True)
class Limits:
    """What one file may cost. Reading a report of the corpus took under 2 s and under
    300 MB; the defaults leave room for far larger reports on a slow machine."""

    seconds: int = 120  # per file
    memory_mb: int = 1536  # address space a worker may add to what it starts with
    file_mb: int = 200  # files larger than this are not read at all


def _address_space() -> int:
    """The address space this process uses now (VmSize), in bytes."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _limit_memory(extra: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = _address_space() + extra
    for ceiling in (soft, hard):
        if ceiling != resource.RLIM_INFINITY:
            wanted = min(wanted, ceiling)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def _serve(connection: Connection, work: Callable[[str], Any], limits: Limits) -> None:
    """A worker: read each path it is sent, send back what ``work`` made of it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides when to stop
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    _limit_memory(limits.memory_mb * 2**20)
    gc.set_threshold(_YOUNG_COLLECTION, *gc.get_threshold()[1:])
    while True:
        try:
            path = connection.recv()
        except (EOFError, OSError):
            return
        if path is None:
            return
        signal.alarm(max(1, limits.seconds))
        result = work(path)
        signal.alarm(0)
        connection.send(result)


@dataclass
class _Worker:
    process: Any
    connection: Connection
    in_hand: deque[str] = field(default_factory=deque)


def _reason(exitcode: int | None, limits: Limits) -> str:
    if exitcode is not None and exitcode < 0:
        number = -exitcode
        if number == signal.SIGALRM:
            return f"reading it took longer than {limits.seconds} s (stopped)"
        name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else str(number)
        return (f"the reader stopped on it ({name}): the file needs more than the {limits.memory_mb} MB a "
                "reader may use, or is damaged")
    return f"the reader stopped on it (exit status {exitcode})"


def run_all(paths: list[str], work: Callable[[str], Any], failed: Callable[[str, str], Any],
            workers: int, limits: Limits) -> Iterator[Any]:
    """``work(path)`` for every path, each in a worker process, as each is done (not in
    order); ``failed(path, reason)`` stands for the result of a file whose worker died."""
    if not paths:
        return
    context = multiprocessing.get_context("fork")  # the workers start with the code loaded
    todo = deque(paths)
    pool: list[_Worker] = []

    def start() -> _Worker:
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(theirs, work, limits), daemon=True)
        # What a worker inherits (the findings model, the shapes) is never its garbage:
        # frozen, the worker's collections skip it and leave its pages shared.
        gc.freeze()
        process.start()
        gc.unfreeze()
        theirs.close()
        return _Worker(process, ours)

    def give(worker: _Worker) -> None:
        while todo and len(worker.in_hand) < _IN_HAND:
            path = todo.popleft()
            worker.in_hand.append(path)
            worker.connection.send(path)

    try:
        pool = [start() for _ in range(max(1, min(workers, len(paths))))]
        for worker in pool:
            give(worker)
        while any(worker.in_hand for worker in pool):
            busy = {worker.connection: worker for worker in pool if worker.in_hand}
            for connection in wait(list(busy)):
                worker = busy[connection]  # type: ignore[index]
                try:
                    result = connection.recv()
                except (EOFError, OSError):
                    worker.process.join()
                    path = worker.in_hand.popleft()
                    todo.extendleft(reversed(worker.in_hand))  # not read yet: give them to another
                    connection.close()
                    index = pool.index(worker)
                    pool[index] = start()
                    give(pool[index])
                    yield failed(path, _reason(worker.process.exitcode, limits))
                    continue
                worker.in_hand.popleft()
                give(worker)
                yield result
    finally:
        for worker in pool:
            with contextlib.suppress(OSError):
                worker.connection.send(None)
        for worker in pool:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.connection.close()


def too_large(path: Path, limits: Limits) -> str | None:
    """Why a file is not read at all: larger than a file may be, or no regular file (a
    FIFO named on the command line would wait for a writer for ever)."""
    try:
        status = path.stat()
    except OSError:
        return None  # the reader says why it cannot be read
    if not stat.S_ISREG(status.st_mode):
        return "is not a regular file (a pipe or a device)"
    size = status.st_size
    if size > limits.file_mb * 2**20:
        return f"the file is {size / 2**20:,.0f} MB; files over {limits.file_mb} MB are not read"
    return None


__all__ = ["Limits", "run_all", "too_large"]
