"""Answers to read-only queries, kept beside the store until the store is next written.

The graph changes only when ofsted-kg writes it (a build, a load, an update), and
the stored queries are asked again and again of the same graph; on the corpus many
take 0.05 to 1.8 s in Oxigraph, while reading a kept answer takes 0.2 to 20 ms.

How a kept answer is never stale: a reader opens exactly one *generation* of the store
(see ``generation``), answers are filed under it, and one is kept only if the generation
is still the store's when the query has finished. A store with no generation file (made
by an older version, or by another program) keeps nothing until ofsted-kg next writes it.

Kept: SELECT and ASK answers, as W3C SPARQL results TSV after a line with their SHA-256,
up to ``MAX_ANSWER_BYTES``. The size is counted as the engine writes the answer, piece by
piece, and the writing stops at the limit, before anything is read back: a larger answer
(a single value may be gigabytes) is not kept, and the query is run again to hand its
answer on untouched.
Not kept: CONSTRUCT and DESCRIBE, and queries whose answer changes by itself (NOW(),
RAND(), UUID(), STRUUID(), BNODE()), found on the query's tokens, so a comment or a
line break between the name and its bracket changes nothing.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ofsted_kg.query_safety import is_volatile
from ofsted_kg.store.generation import read_generation

ANSWERS_FOLDER = "ofsted-kg-answers"
MAX_ANSWER_BYTES = 4 * 2**20
MAX_ANSWERS = 512  # per generation; the oldest go first

# W3C SPARQL results TSV: lossless (terms in N-Triples syntax), and Oxigraph parses it in
# half the time of JSON (14 against 30 ms for 1,523 rows of inspection-judgements).
_FORMAT = ox.QueryResultsFormat.TSV


class ResultCache:
    """The answers kept for one generation of one store, the one a reader opened."""

    def __init__(self, store_folder: Path, generation: str | None) -> None:
        self.store_folder = store_folder
        self.generation = generation
        self.folder = store_folder / ANSWERS_FOLDER / (self.generation or "none")

    def _file(self, sparql: str) -> Path:
        return self.folder / (hashlib.sha256(sparql.encode("utf-8")).hexdigest() + ".tsv")

    def get(self, sparql: str) -> Any | None:
        """The kept answer to exactly this query text, or None."""
        if self.generation is None or is_volatile(sparql):
            return None
        try:
            digest, _, data = self._file(sparql).read_bytes().partition(b"\n")
        except OSError:
            return None
        # Rows are parsed only as they are read, too late to fall back on the engine: a
        # file altered since it was written is refused whole, by its digest, before that.
        if digest != hashlib.sha256(data).hexdigest().encode("ascii"):
            return None
        try:
            return ox.parse_query_results(data, format=_FORMAT)
        except (SyntaxError, ValueError):
            return None

    def keep(self, sparql: str, answer: Any, again: Callable[[], Any]) -> Any:
        """Keep a SELECT or ASK answer if the store is still the generation read at
        opening; returns an answer to hand on (the engine's can be read only once).
        ``again`` runs the query anew, for an answer too large to keep."""
        if (self.generation is None or is_volatile(sparql)
                or not isinstance(answer, ox.QuerySolutions | ox.QueryBoolean)):
            return answer
        if isinstance(answer, ox.QueryBoolean):
            data = answer.serialize(format=_FORMAT) or b""
        else:
            data = _bounded_tsv(answer, MAX_ANSWER_BYTES)
            if data is None:
                return again()
        try:
            kept = ox.parse_query_results(data, format=_FORMAT)
        except (SyntaxError, ValueError):  # a term TSV cannot carry back (a triple term)
            return again()
        if read_generation(self.store_folder) == self.generation:
            self._write(self._file(sparql), hashlib.sha256(data).hexdigest().encode("ascii") + b"\n" + data)
        return kept

    def _write(self, target: Path, data: bytes) -> None:
        # Keeping an answer is an optimisation: a folder that cannot be written to
        # (a read-only copy of a store, a full disk) only means answers are not kept.
        try:
            fresh = not self.folder.exists()
            self.folder.mkdir(parents=True, exist_ok=True)
            # Readers in other processes or threads may keep the same answer at once.
            temporary = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}")
            temporary.write_bytes(data)
            os.replace(temporary, target)
            if fresh:
                self._forget_other_generations()
            self._trim()
        except OSError:
            pass

    def _forget_other_generations(self) -> None:
        for folder in (self.store_folder / ANSWERS_FOLDER).iterdir():
            if folder.name != self.folder.name:
                shutil.rmtree(folder, ignore_errors=True)

    def _trim(self) -> None:
        answers = list(self.folder.glob("*.tsv"))
        if len(answers) > MAX_ANSWERS:
            answers.sort(key=lambda path: path.stat().st_mtime)
            for path in answers[: len(answers) - MAX_ANSWERS]:
                path.unlink(missing_ok=True)


class _Full(Exception):
    pass


class _BoundedOutput(io.BytesIO):
    """Where the engine writes an answer: refuses (and so stops the writing) at ``limit``."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def write(self, data: Any) -> int:
        if self.tell() + len(data) > self.limit:
            raise _Full
        return super().write(data)


def _bounded_tsv(solutions: Any, limit: int) -> bytes | None:
    """The solutions as W3C SPARQL results TSV, or None once they pass ``limit`` bytes:
    the engine writes in pieces, and the writing stops at the first piece too many."""
    output = _BoundedOutput(limit)
    try:
        solutions.serialize(output, format=_FORMAT)
    except _Full:
        return None
    return output.getvalue()
