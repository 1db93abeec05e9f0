"""The embedded on-disk store: Oxigraph (RocksDB), one named graph per report.

Opened read-only it reads exactly one generation (see ``generation``): the store itself
when it names one, else the snapshot a write under way left for readers. Opened for
writing it is changed only through ``store.writing.write``, which keeps the derived
graphs, the generation and the snapshot in step with the data.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ofsted_kg.errors import QueryError, StoreError
from ofsted_kg.query_safety import QueryLimits, check_query
from ofsted_kg.resources import internal_query
from ofsted_kg.store.answers import ResultCache
from ofsted_kg.store.generation import new_generation, read_generation, snapshot
from ofsted_kg.store.remote import GraphResult

# RocksDB errors a read-only store can meet while a writer compacts (it replaces files),
# or when the snapshot it opened is removed: they go when the store is opened again, so
# reads are tried again after a pause.
_TRANSIENT = re.compile(r"Corruption|IO error|No such file", re.IGNORECASE)
_RETRIES = 5
_PAUSE = 0.05  # seconds, doubled each time: 1.55 s in all


def first_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:300]


def _open_read_only(path: Path) -> tuple[ox.Store, str | None]:
    """The store or its snapshot, and the generation it holds exactly (None if unknown)."""
    for attempt in range(_RETRIES + 1):
        before = read_generation(path)
        taken = snapshot(path) if before is None else None
        folder, generation = taken if taken is not None else (path, before)
        try:
            store = ox.Store.read_only(str(folder))
        except (OSError, RuntimeError) as error:
            if attempt == _RETRIES or not (_TRANSIENT.search(str(error)) or folder != path):
                raise
        else:
            # The generation read before opening is the store's still: no write began
            # between, so what was opened is that generation and nothing else.
            if folder != path or generation is None or read_generation(path) == generation:
                return store, generation
            del store
        time.sleep(_PAUSE * 2**attempt)
    return ox.Store.read_only(str(path)), None


def _read_whole(answer: Any) -> Any:
    """The answer read to its end now, so that an error of the store is met here (where it
    is retried) and not by whoever reads the rows."""
    if isinstance(answer, ox.QuerySolutions | ox.QueryBoolean):
        return ox.parse_query_results(answer.serialize(format=ox.QueryResultsFormat.TSV) or b"",
                                      format=ox.QueryResultsFormat.TSV)
    return GraphResult(list(answer))


class OxigraphStore:
    """An Oxigraph store in a folder.

    Opened read-only with ``keep_answers``, it keeps the answers to SELECT and ASK
    queries until the store is next written (see ``answers``).
    """

    def __init__(self, path: Path | str, read_only: bool = False, keep_answers: bool = True,
                 limits: QueryLimits | None = None) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.limits = limits or QueryLimits.from_environment()
        self._keep_answers = keep_answers and read_only
        self._answers: ResultCache | None = None
        self.generation: str | None = None
        try:
            if read_only:
                if not (self.path / "CURRENT").exists():
                    raise StoreError("no graph store here; build one first with 'ofsted-kg build'",
                                     str(self.path))
                self._reopen()
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
                # We hold the lock: no write is under way. A store without a generation
                # or a snapshot is new (or made by an older version); one without a
                # generation but with a snapshot was cut short, and stays unnamed until
                # its next write completes.
                if read_generation(self.path) is None and snapshot(self.path) is None:
                    new_generation(self.path)
                self.generation = read_generation(self.path)
        except (OSError, RuntimeError) as error:
            raise StoreError(f"cannot open the store ({first_line(error)})", str(self.path)) from error

    def _reopen(self) -> None:
        self._store, self.generation = _open_read_only(self.path)
        self._answers = ResultCache(self.path, self.generation) if self._keep_answers else None

    def known_reports(self) -> dict[str, list[tuple[str, str | None]]]:
        """For the SHA-256 of every stored report or article: the graphs it made and the
        stamp of the reader that made each (None for a graph made before stamps)."""
        found: dict[str, list[tuple[str, str | None]]] = {}
        for row in self._store.query(internal_query("report-readings")):
            stamp = row["stamp"].value if row["stamp"] is not None else None
            found.setdefault(row["sha"].value, []).append((row["g"].value, stamp))
        return found

    def query(self, sparql: str) -> Any:
        """Run SPARQL over the union of all graphs (so queries need no GRAPH clauses).

        The text is checked first (``query_safety``): too long, too deep or a SERVICE
        to an endpoint not allowed is a one-line error, never a crash or a request out."""
        check_query(sparql, self.limits)
        if self._answers is not None and (kept := self._answers.get(sparql)) is not None:
            return kept
        for attempt in range(_RETRIES + 1):
            try:
                answer = self._store.query(sparql, use_default_graph_as_union=True)
                if self._answers is not None:
                    # Given a way to ask again: an answer too big to keep is read afresh.
                    return self._answers.keep(
                        sparql, answer, lambda: self._store.query(sparql, use_default_graph_as_union=True))
                return _read_whole(answer) if self.read_only else answer
            except SyntaxError as error:
                raise QueryError(f"the query does not parse: {error}") from error
            except (OSError, RuntimeError) as error:
                # Beside a writer, a read-only store can find a file the writer has just
                # compacted away: opened again, it reads a whole generation afresh.
                if not self.read_only or attempt == _RETRIES or not _TRANSIENT.search(str(error)):
                    if isinstance(error, OSError) or _TRANSIENT.search(str(error)):
                        raise StoreError(f"cannot read the store ({first_line(error)})", str(self.path)) from error
                    raise QueryError(f"the query failed: {error}") from error
                time.sleep(_PAUSE * 2**attempt)
                self._reopen()
            except ValueError as error:
                raise QueryError(f"the query failed: {error}") from error
        raise AssertionError("unreachable")

    def quads(self, subject: Any = None, predicate: Any = None, object: Any = None,  # noqa: A002
              graph: Any = None) -> Iterator[ox.Quad]:
        """The stored quads that match (None matches anything)."""
        return iter(self._store.quads_for_pattern(subject, predicate, object, graph))

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def has_graph(self, graph: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(graph))

    def close(self) -> None:
        del self._store


def open_store(path: Path | str, read_only: bool = False, keep_answers: bool = True,
               limits: QueryLimits | None = None) -> OxigraphStore:
    return OxigraphStore(path, read_only=read_only, keep_answers=keep_answers, limits=limits)
