"""Queries run in worker processes that can be killed, can die, and follow the store.

Oxigraph cannot interrupt a running query, and a thread cannot be stopped from outside,
so ``serve`` runs each query in one of a few worker processes, each with the store open
read-only. What can happen to a worker, and what the request then gets:

- the query runs past its deadline: the worker is killed (its work stops at once) and
  the request gets ``QueryTimeout``;
- the worker dies (its address space is capped with ``RLIMIT_AS``, so a query that
  allocates gigabytes ends it; a crash in the engine ends it too): the request gets
  ``QueryFailed`` "resources" (or "too_complex" for a stack overflow);
- either way a fresh worker takes its place, and a dead worker is never handed out.

A stored query that misses its deadline (on a busy machine a query of two seconds of
processor can take longer than the time limit, and each build makes every kept answer
cold again) is *finished* instead of killed, when ``run`` is told it may be: its request
gets ``QueryTimeout`` at the deadline as before, but the worker goes on, for at most
``finish_seconds`` more, so that its answer is kept (``store.answers``), and requests for
the same query meanwhile wait for that rather than work it out again. Killed, it would
be asked again and killed again for as long as the machine stays busy: the server would
not recover by itself. At least one worker is always left to the other requests.

And when the store's generation changes while serving (a build, a load, an unload), the
queries of ``warm`` (the stored queries with their default and example values) are worked
out, one at a time, in a worker taken in turn as a request takes one (with two workers or
more): their answers are kept, so the first requests after a build find them.

Fresh answers: before each query a worker reads the store's generation (see
``store.generation``); when it has changed, the worker opens the store again, which
then holds exactly that generation, and each answer names it. While a write is under
way (no generation file) the worker answers from the generation it has.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import anyio

from ofsted_kg.errors import OfstedKgError, ResultTooLarge, StoreError
from ofsted_kg.query_safety import QueryTooComplex
from ofsted_kg.store import open_store, read_generation

# A worker handed out with less time left than this is not given the query (it would
# only be killed at the deadline, and a new one started).
MIN_QUERY_SECONDS = 0.2
FINISHING_MESSAGE = ("the query did not finish within the time limit; its answer is being worked out "
                     "and kept: ask again in a few seconds")
FINISHING_RETRY_SECONDS = 5


class QueryTimeout(Exception):
    """The query could not be answered by its deadline (its worker, if any, was killed, or
    goes on to keep the answer: then ``retry_after`` says in how many seconds to ask again)."""

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class QueryFailed(Exception):
    """No answer; ``kind`` is "too_large", "bad", "too_complex", "resources", "busy" or "error"."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _work(store_path: str, answer: Callable[[Any, str, str, int], Any], keep_answers: bool,
          memory_bytes: int | None, limits: Any, connection: Connection) -> None:
    import resource

    # A worker that runs out of memory dies with one line on the server's log, not a
    # backtrace of sixty (repeated on purpose, that would fill the disk).
    os.environ["RUST_BACKTRACE"] = "0"
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    store = open_store(store_path, read_only=True, keep_answers=keep_answers, limits=limits)
    generation = store.generation  # exactly what the store holds (None: not known)
    connection.send(("ready", generation))
    while True:
        try:
            sparql, accept, max_rows = connection.recv()
        except EOFError:
            return
        current = read_generation(Path(store_path))
        if current is not None and current != generation:
            try:
                fresh = open_store(store_path, read_only=True, keep_answers=keep_answers, limits=limits)
            except OfstedKgError:
                fresh = None  # the store is being rewritten: answer from the one held
            if fresh is not None and fresh.generation is not None:
                store.close()
                store, generation = fresh, fresh.generation
            elif fresh is not None:
                fresh.close()
        try:
            connection.send(("ok", answer(store, sparql, accept, max_rows), generation))
        except ResultTooLarge as error:
            connection.send(("too_large", str(error), generation))
        except QueryTooComplex as error:
            connection.send(("too_complex", str(error), generation))
        except StoreError:
            connection.send(("resources", "the store cannot be read just now; try again", generation))
        except OfstedKgError as error:
            connection.send(("bad", str(error), generation))
        except MemoryError:
            connection.send(("resources", "the query needs more memory than a query may have", generation))
        except Exception as error:  # noqa: BLE001 - the server answers 500 and goes on
            connection.send(("error", type(error).__name__, generation))


def _death(exitcode: int | None) -> QueryFailed:
    if exitcode == -signal.SIGSEGV:
        return QueryFailed("too_complex", "the query is too complex to run (its worker ran out of stack)")
    return QueryFailed("resources", "the query needs more memory than a query may have (its worker "
                                    "was stopped); narrow the query")


class Worker:
    """One query worker process; ``ask`` gives it a query with a deadline, and kills it
    when the deadline passes (``serve`` keeps a few in ``QueryWorkers``, ``bench/`` one)."""

    def __init__(self, store_path: str, answer: Callable[..., Any], keep_answers: bool,
                 memory_bytes: int | None, limits: Any) -> None:
        context = multiprocessing.get_context("spawn")  # no copy of the server's threads
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_work, daemon=True,
                                       args=(store_path, answer, keep_answers, memory_bytes, limits, child))
        self.process.start()
        child.close()
        self.ready = False
        self.killed = False
        self.finishing = False  # its deadline passed, and it goes on to keep the answer
        self.generation: str | None = None

    def alive(self) -> bool:
        return self.process.is_alive()

    def ask(self, request: tuple[str, str, int], deadline: float,
            may_finish: Callable[[], bool] | None = None) -> tuple[Any, str | None]:
        """(the answer, the generation it answers) by ``deadline`` (time.monotonic()).

        At the deadline the worker is killed, unless ``may_finish()`` says it may go on
        (it is then ``finishing``: its answer is still to be read from ``connection``)."""
        try:
            if not self.wait_ready(deadline):
                raise QueryTimeout("the server could not start the query in time; try again")
            self.connection.send(request)
            if not self.connection.poll(max(0.0, deadline - time.monotonic())):
                if may_finish is not None and may_finish():
                    self.finishing = True
                    raise QueryTimeout(FINISHING_MESSAGE, retry_after=FINISHING_RETRY_SECONDS)
                self.process.kill()  # its work stops now; it is reaped after the answer goes
                self.killed = True
                raise QueryTimeout("the query was stopped at its time limit")
            status, payload, self.generation = self.connection.recv()
        except (EOFError, OSError) as error:
            self.killed = True
            self.process.join(2)  # dead already: only its exit status is wanted
            raise _death(self.process.exitcode) from error
        if status == "ok":
            return payload, self.generation
        raise QueryFailed(status, payload)

    def wait_ready(self, deadline: float) -> bool:
        """Whether the worker has opened the store, waiting until ``deadline`` at most."""
        if not self.ready and self.connection.poll(max(0.0, deadline - time.monotonic())):
            _, self.generation = self.connection.recv()
            self.ready = True
        return self.ready

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


class QueryWorkers:
    """A fixed number of workers; at most ``max_waiting`` requests wait for a free one.

    ``finish_seconds``: how long past its deadline a query ``run`` with ``finish`` may go
    on so that its answer is kept (0: never; only with ``keep_answers``, and only in
    ``size - 1`` workers at once)."""

    def __init__(self, store_path: Path | str, answer: Callable[[Any, str, str, int], Any], size: int = 2,
                 keep_answers: bool = True, memory_bytes: int | None = None, max_waiting: int = 64,
                 limits: Any = None, finish_seconds: float = 0.0,
                 warm: Callable[[], list[str]] | None = None) -> None:
        self.store_path, self.size, self.max_waiting = str(store_path), size, max_waiting
        # A fresh worker. `answer` runs in it: a module-level function, so that it can be pickled.
        self._new = functools.partial(Worker, self.store_path, answer, keep_answers, memory_bytes, limits)
        self.finish_seconds = finish_seconds if keep_answers else 0.0
        self.waiting = 0
        # Not with one worker: the requests would wait behind the warming.
        self.warm = warm if self.finish_seconds > 0 and size > 1 else None
        self._tasks: list[asyncio.Task[None]] = []
        self._idle: asyncio.Queue[Worker] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        # Threads of their own: a query never waits for a thread behind pages or searches.
        self._threads: anyio.CapacityLimiter | None = None
        # Queries being finished (or warmed), and the futures the requests for them wait on:
        # both only read and written on the event loop.
        self._finishing: dict[str, Worker] = {}
        self._finished: dict[str, asyncio.Future[None]] = {}

    def start(self) -> None:
        if self._idle is None:
            self._loop = asyncio.get_running_loop()
            self._idle = asyncio.Queue()
            self._threads = anyio.CapacityLimiter(self.size)
            if self.warm is not None:
                self._tasks.append(self._loop.create_task(self._follow()))
            for _ in range(self.size):
                self._idle.put_nowait(self._new())

    def wait_ready(self, seconds: float) -> None:
        """Wait (in a thread) until every worker has opened the store, or ``seconds`` pass."""
        assert self._idle is not None
        deadline = time.monotonic() + seconds
        for worker in list(self._idle._queue):  # type: ignore[attr-defined]
            with contextlib.suppress(EOFError, OSError):
                worker.wait_ready(deadline)

    async def run(self, sparql: str, accept: str, max_rows: int, deadline: float,
                  finish: bool = False) -> tuple[Any, str | None]:
        """(the answer, its generation), or QueryTimeout / QueryFailed by ``deadline``.
        With ``finish`` (a query whose cost is known to be bounded: a stored one), a query
        still running at the deadline may go on in its worker so that its answer is kept."""
        self.start()
        assert self._idle is not None
        if self.waiting >= self.max_waiting and self._idle.empty():
            raise QueryFailed("busy", "the server has too many queries waiting; try again shortly")
        self.waiting += 1
        try:
            if (pending := self._finished.get(sparql)) is not None:
                # A worker is working this very query out: its answer, once kept, is read in
                # milliseconds, where working it out again would take another worker as long.
                try:
                    await asyncio.wait_for(asyncio.shield(pending), max(0.0, deadline - time.monotonic()))
                except (asyncio.TimeoutError, TimeoutError) as error:
                    raise QueryTimeout(FINISHING_MESSAGE, retry_after=FINISHING_RETRY_SECONDS) from error
            worker = await asyncio.wait_for(self._idle.get(), max(0.0, deadline - time.monotonic()))
        except (asyncio.TimeoutError, TimeoutError) as error:
            raise QueryTimeout("no query worker was free before the time limit; try again shortly") from error
        finally:
            self.waiting -= 1
        # Everything that can take time (starting a process, stopping one) runs in a thread,
        # so that the server goes on reading and answering other requests meanwhile.
        return await anyio.to_thread.run_sync(self._ask, worker, (sparql, accept, max_rows), deadline,
                                              finish and self.finish_seconds > 0, limiter=self._threads)

    async def _follow(self) -> None:
        """Each new generation of the store gets its ``warm`` queries worked out."""
        # Not the generation the server starts with: its answers were kept when it was asked
        # (kept answers outlive a server), and the first requests would wait behind the warming.
        seen = read_generation(Path(self.store_path))
        warming: asyncio.Task[None] | None = None
        while True:
            generation = read_generation(Path(self.store_path))
            if generation is not None and generation != seen:
                seen = generation
                if warming is not None:
                    warming.cancel()
                warming = asyncio.get_running_loop().create_task(self._warm_up(generation))
                self._tasks.append(warming)
            await asyncio.sleep(1.0)

    async def _warm_up(self, generation: str) -> None:
        assert self.warm is not None and self._idle is not None and self._loop is not None
        for sparql in await anyio.to_thread.run_sync(self.warm):
            if read_generation(Path(self.store_path)) != generation:
                return  # written again: the next round has begun
            if sparql in self._finished:
                continue  # being worked out already
            pending = self._finished[sparql] = self._loop.create_future()
            try:
                worker = await self._idle.get()  # in turn, as a request would
                with contextlib.suppress(QueryTimeout, QueryFailed):
                    await anyio.to_thread.run_sync(self._ask, worker, (sparql, "", 1), time.monotonic()
                                                   + self.finish_seconds, False, limiter=self._threads)
            finally:
                if self._finished.get(sparql) is pending:
                    self._settle(sparql)

    def _may_finish(self, sparql: str, worker: Worker) -> bool:
        """Whether a worker whose deadline for ``sparql`` has passed may go on (on the loop)."""
        assert self._loop is not None
        if sparql in self._finishing or len(self._finishing) >= self.size - 1:
            return False
        self._finishing[sparql] = worker
        self._finished.setdefault(sparql, self._loop.create_future())
        return True

    def _settle(self, sparql: str) -> None:
        future = self._finished.pop(sparql, None)
        if future is not None and not future.done():
            future.set_result(None)

    def _finish(self, worker: Worker, sparql: str, finish_by: float) -> None:
        """Wait (in a thread of its own) for a worker past its deadline to answer; then it is
        handed out again, or killed and replaced at ``finish_by``."""
        assert self._loop is not None and self._idle is not None
        try:
            answered = worker.connection.poll(max(0.0, finish_by - time.monotonic()))
            if answered:
                _, _, worker.generation = worker.connection.recv()  # kept by the worker; nobody waits
        except (EOFError, OSError):
            answered = False
        worker.finishing = False
        if not (answered and worker.alive()):
            worker.stop()
            worker = self._new()
        self._loop.call_soon_threadsafe(self._finished_with, sparql, worker)

    def _finished_with(self, sparql: str, worker: Worker) -> None:
        assert self._idle is not None
        self._finishing.pop(sparql, None)
        self._idle.put_nowait(worker)
        self._settle(sparql)  # after the worker is back

    def _ask(self, worker: Worker, request: tuple[str, str, int], deadline: float,
             finish: bool = False) -> tuple[Any, str | None]:
        """Run in a thread: the worker's answer; with ``finish`` it may go on past the deadline."""
        assert self._idle is not None and self._loop is not None
        if not worker.alive():
            worker.stop()
            worker = self._new()
        may_finish = (lambda: anyio.from_thread.run_sync(self._may_finish, request[0], worker)) if finish else None
        try:
            if deadline - time.monotonic() < MIN_QUERY_SECONDS and worker.ready:
                # Too little time left to be worth a worker killed at its end.
                raise QueryTimeout("no query worker was free before the time limit; try again shortly")
            return worker.ask(request, deadline, may_finish)
        finally:
            if worker.finishing:
                threading.Thread(target=self._finish, args=(worker, request[0], deadline + self.finish_seconds),
                                 daemon=True).start()
            elif worker.killed or not worker.alive():
                # The answer goes now; the dead one is reaped and replaced meanwhile.
                threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
            else:
                self._loop.call_soon_threadsafe(self._idle.put_nowait, worker)

    def _replace(self, dead: Worker) -> None:
        dead.stop()
        assert self._loop is not None and self._idle is not None
        self._loop.call_soon_threadsafe(self._idle.put_nowait, self._new())

    def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for worker in self._finishing.values():
            worker.process.kill()
        if self._idle is not None:
            while not self._idle.empty():
                self._idle.get_nowait().stop()
