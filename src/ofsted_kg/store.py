"""The embedded on-disk store: Oxigraph (RocksDB), one named graph per report.

``Store`` is the contract the rest of the package uses; ``OxigraphStore`` is the
implementation. Replacing a report's graph is one SPARQL update, which Oxigraph
applies in a single transaction, so a crash never leaves a report half-written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from ofsted_kg.errors import QueryError, StoreError
from ofsted_kg.result_cache import ResultCache, forget_generation, new_generation, read_generation


class Store(Protocol):
    """What the rest of the package needs of a store."""

    path: Path

    def replace_graph(self, graph: str, ntriples: str) -> None: ...
    def put_graph(self, graph: str, nquads: bytes) -> None: ...
    def update(self, sparql: str) -> None: ...
    def known_digests(self) -> dict[str, str]: ...
    def known_reports(self) -> dict[str, list[tuple[str, str | None]]]: ...
    def drop_graph(self, graph: str) -> None: ...
    def derived_from(self) -> str | None: ...
    def optimize(self) -> None: ...
    def mark_derived(self, inputs: str) -> None: ...
    def query(self, sparql: str) -> Any: ...
    def quads(self) -> Iterator[ox.Quad]: ...
    def named_graphs(self) -> list[str]: ...
    def close(self) -> None: ...


_READINGS = """
SELECT ?sha ?g ?stamp WHERE { GRAPH ?g {
  ?report <https://w3id.org/ofsted-kg/def#sha256> ?sha .
  OPTIONAL { ?report <https://w3id.org/ofsted-kg/def#extractedWith> ?stamp } } }
"""

_DIGESTS = """
SELECT ?sha ?name WHERE { GRAPH ?g {
  ?report <https://w3id.org/ofsted-kg/def#sha256> ?sha ;
          <https://w3id.org/ofsted-kg/def#fileName> ?name } }
"""


# RocksDB keeps what is written in memory until it flushes it to disk: a build of 285
# reports (110 MB of N-Quads) grew the process to 526 MB. Flushing after every 16 MB
# written keeps it near 130 MB and took no measurable time.
FLUSH_EVERY_BYTES = 16 * 2**20

# A file in the store's folder holding the digest of what the derived graphs were last
# made from (see build.derivation_inputs) and the store's generation then: any later
# write names a new generation, so a build cut short, or a load, leaves the derived
# graphs to be made again.
_DERIVED_MARK = "ofsted-kg-derived-from"


class OxigraphStore:
    """An Oxigraph store in a folder; opened read-only for queries and exports.

    Opened read-only with ``keep_answers``, it keeps the answers to SELECT and ASK
    queries until the store is next written (see ``result_cache``).
    """

    def __init__(self, path: Path | str, read_only: bool = False, keep_answers: bool = True) -> None:
        self.path = Path(path)
        self._answers: ResultCache | None = None
        try:
            if read_only:
                if not (self.path / "CURRENT").exists():
                    raise StoreError(
                        "no graph store here; build one first with 'ofsted-kg build'",
                        str(self.path),
                    )
                if keep_answers:  # before opening: the snapshot is then at least that generation
                    self._answers = ResultCache(self.path)
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
                if read_generation(self.path) is None:  # we hold the lock: no write is under way
                    new_generation(self.path)
            self._unflushed = 0
            self.written = 0  # bytes of RDF written since the store was opened
        except OSError as error:
            raise StoreError(f"cannot open the store ({error})", str(self.path)) from error

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Around every write: the generation is removed first and a new one named after,
        so a write cut short (even by SIGKILL) leaves no generation, and neither kept
        answers nor the derived mark claim to describe the store."""
        try:
            forget_generation(self.path)
        except OSError as error:
            raise StoreError(f"cannot write the store ({error})", str(self.path)) from error
        try:
            yield
        finally:
            new_generation(self.path)

    def replace_graph(self, graph: str, ntriples: str) -> None:
        """Put the triples in the named graph, replacing what it held, in one transaction.

        A new graph is added with one atomic ``extend``; an existing one is replaced by
        one SPARQL update (drop, then insert), which Oxigraph also applies atomically.
        """
        name = ox.NamedNode(graph)
        with self._writing():
            try:
                if self._store.contains_named_graph(name):
                    update = f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{ntriples}\n}} }}"
                    self._store.update(update)
                    self._written(len(update))
                else:
                    triples = ox.parse(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
                    self._store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
                    self._written(len(ntriples))
            except (OSError, SyntaxError, ValueError) as error:
                raise StoreError(f"cannot write graph <{graph}> ({error})", str(self.path)) from error

    def put_graph(self, graph: str, nquads: bytes) -> None:
        """Like ``replace_graph``, from N-Quads already in the graph: a new report's quads go
        straight into the store in one atomic ``extend``."""
        name = ox.NamedNode(graph)
        try:
            if not self._store.contains_named_graph(name):
                with self._writing():
                    # One transaction, parsed in Rust (quads made in Python cost 8 ms a report).
                    self._store.load(nquads, format=ox.RdfFormat.N_QUADS)
                    self._written(len(nquads))
                return
            triples = (ox.Triple(q.subject, q.predicate, q.object)
                       for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
            ntriples = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
        except (OSError, SyntaxError, ValueError) as error:
            raise StoreError(f"cannot write graph <{graph}> ({error})", str(self.path)) from error
        self.replace_graph(graph, ntriples)

    def derived_from(self) -> str | None:
        """The digest ``mark_derived`` recorded, if the store was not written since."""
        try:
            inputs, _, generation = (self.path / _DERIVED_MARK).read_text(encoding="ascii").partition(" ")
        except OSError:
            return None
        current = read_generation(self.path)
        return inputs if current is not None and generation.strip() == current else None

    def mark_derived(self, inputs: str) -> None:
        """Record that the derived graphs are up to date with ``inputs`` (after a flush)."""
        generation = read_generation(self.path)
        if generation is not None:  # without one, the next build derives again: safe
            (self.path / _DERIVED_MARK).write_text(f"{inputs} {generation}\n", encoding="ascii")

    def _written(self, size: int) -> None:
        self.written += size
        self._unflushed += size
        if self._unflushed >= FLUSH_EVERY_BYTES:
            self._store.flush()
            self._unflushed = 0

    def update(self, sparql: str) -> None:
        """Run a SPARQL update (one transaction)."""
        with self._writing():
            try:
                self._store.update(sparql)
            except (OSError, SyntaxError) as error:
                raise StoreError(f"cannot run an update ({error})", str(self.path)) from error

    def known_digests(self) -> dict[str, str]:
        """SHA-256 of every stored report, with the file name it was read from."""
        return {row["sha"].value: row["name"].value for row in self._store.query(_DIGESTS)}

    def known_reports(self) -> dict[str, list[tuple[str, str | None]]]:
        """For the SHA-256 of every stored report or article: the graphs it made and the
        stamp of the reader that made each (None for a graph made before stamps)."""
        found: dict[str, list[tuple[str, str | None]]] = {}
        for row in self._store.query(_READINGS):
            stamp = row["stamp"].value if row["stamp"] is not None else None
            found.setdefault(row["sha"].value, []).append((row["g"].value, stamp))
        return found

    def drop_graph(self, graph: str) -> None:
        """Remove a named graph and everything in it (one transaction)."""
        self.update(f"DROP SILENT GRAPH <{graph}>")

    def query(self, sparql: str) -> Any:
        """Run SPARQL over the union of all graphs (so queries need no GRAPH clauses)."""
        if self._answers is not None and (kept := self._answers.get(sparql)) is not None:
            return kept
        try:
            answer = self._store.query(sparql, use_default_graph_as_union=True)
            return self._answers.keep(sparql, answer) if self._answers is not None else answer
        except SyntaxError as error:
            raise QueryError(f"the query does not parse: {error}") from error
        except OSError as error:
            raise StoreError(f"cannot read the store ({error})", str(self.path)) from error
        except (RuntimeError, ValueError) as error:
            raise QueryError(f"the query failed: {error}") from error

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self._store.quads_for_pattern(None, None, None, None))

    def scratch_copy(self, without: str | None = None) -> ox.Store:
        """An in-memory copy of every graph but ``without``, to validate new data against."""
        copy = ox.Store()
        skip = ox.NamedNode(without) if without else None
        copy.bulk_extend(q for q in self._store.quads_for_pattern(None, None, None, None) if q.graph_name != skip)
        return copy

    @property
    def raw(self) -> ox.Store:
        """The pyoxigraph store itself, for engines that run on it (validation)."""
        return self._store

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def flush(self) -> None:
        self._store.flush()

    def optimize(self) -> None:
        """Compact the files that writing left behind. After a build of the corpus (17
        files) it took 2.2 s and made the stored queries 20 to 30% faster."""
        self._store.optimize()

    def close(self) -> None:
        del self._store


def open_store(path: Path | str, read_only: bool = False, keep_answers: bool = True) -> OxigraphStore:
    return OxigraphStore(path, read_only=read_only, keep_answers=keep_answers)
