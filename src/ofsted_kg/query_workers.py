"""Queries run in worker processes that can be killed when they pass the time limit.

Oxigraph cannot interrupt a running query, and a thread cannot be stopped from outside,
so ``serve`` runs each query in one of a few worker processes, each with the store open
read-only. A query past the limit has its worker killed (its work stops at once) and a
fresh worker takes its place.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool


class QueryTimeout(Exception):
    """The query ran past the time limit, and its worker was killed."""


class QueryFailed(Exception):
    """The worker answered with an error; ``kind`` is "too_large", "bad" or "error"."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _work(store_path: str, answer: Callable[[Any, str, str, int], Any], keep_answers: bool,
          connection: Connection) -> None:
    from ofsted_kg.errors import OfstedKgError, ResultTooLarge
    from ofsted_kg.store import open_store

    store = open_store(store_path, read_only=True, keep_answers=keep_answers)
    connection.send("ready")
    while True:
        try:
            sparql, accept, max_rows = connection.recv()
        except EOFError:
            return
        try:
            connection.send(("ok", answer(store, sparql, accept, max_rows)))
        except ResultTooLarge as error:
            connection.send(("too_large", str(error)))
        except OfstedKgError as error:
            connection.send(("bad", str(error)))
        except Exception as error:  # noqa: BLE001 - the server answers 500 and goes on
            connection.send(("error", f"{type(error).__name__}: {error}"))


class _Worker:
    def __init__(self, store_path: str, answer: Callable[..., Any], keep_answers: bool) -> None:
        context = multiprocessing.get_context("spawn")  # no copy of the server's threads
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_work, args=(store_path, answer, keep_answers, child), daemon=True)
        self.process.start()
        child.close()

        self.ready = False

    def ask(self, request: tuple[str, str, int], timeout: float) -> Any:
        if not self.ready:  # opening the store does not count against the query's time
            if not self.connection.poll(60) or self.connection.recv() != "ready":
                raise QueryFailed("error", "a query worker did not start")
            self.ready = True
        self.connection.send(request)
        if not self.connection.poll(timeout):
            self.stop()
            raise QueryTimeout(f"the query was stopped after {timeout:g} s")
        status, *rest = self.connection.recv()
        if status == "ok":
            return rest[0]
        raise QueryFailed(status, rest[0])

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


class QueryWorkers:
    """A fixed number of workers; a request waits for a free one."""

    def __init__(self, store_path: Path | str, answer: Callable[[Any, str, str, int], Any], size: int = 2,
                 keep_answers: bool = True) -> None:
        # `answer` runs in the worker: a module-level function, so that it can be pickled.
        self.store_path, self.answer, self.size = str(store_path), answer, size
        self.keep_answers = keep_answers
        self._idle: asyncio.Queue[_Worker] | None = None

    async def _pool(self) -> asyncio.Queue[_Worker]:
        if self._idle is None:
            self._idle = asyncio.Queue()
            for _ in range(self.size):
                self._idle.put_nowait(_Worker(self.store_path, self.answer, self.keep_answers))
        return self._idle

    async def run(self, sparql: str, accept: str, max_rows: int, timeout: float) -> Any:
        idle = await self._pool()
        worker = await idle.get()
        try:
            return await run_in_threadpool(worker.ask, (sparql, accept, max_rows), timeout)
        except QueryTimeout:
            worker = _Worker(self.store_path, self.answer, self.keep_answers)  # the killed one's replacement
            raise
        finally:
            idle.put_nowait(worker)

    def close(self) -> None:
        if self._idle is not None:
            while not self._idle.empty():
                self._idle.get_nowait().stop()
