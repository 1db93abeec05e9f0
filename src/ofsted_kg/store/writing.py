"""The one way to change the store: ``with write(store) as writer: ...``.

Build, load, load --replace, unload and corrections all write through a ``Writer``, and
entering and leaving the ``with`` block do what must come with every write, so no
command can forget a step. First, the reference graphs are made again if what they are
made from changed (so a load is compared with them). At the end, the derived graphs and
the reconciliation of articles are made again from what is stored, the store is
flushed, and only then is the new generation named and the derived mark written.
Readers meanwhile read the snapshot taken when the first write began (see
``generation``), so they see report graphs and derived answers change together.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pyoxigraph as ox

from ofsted_kg.errors import StoreError
from ofsted_kg.store import derived
from ofsted_kg.store.generation import (
    derived_from,
    drop_snapshot,
    forget_generation,
    mark_derived,
    new_generation,
    read_generation,
    snapshot,
    snapshot_target,
)
from ofsted_kg.store.oxigraph import OxigraphStore, first_line

# RocksDB keeps what is written in memory until it flushes it to disk: a build of 285
# reports (110 MB of N-Quads) grew the process to 526 MB. Flushing after every 16 MB
# written keeps it near 130 MB and took no measurable time.
FLUSH_EVERY_BYTES = 16 * 2**20


class Writer:
    """Writes to one store; each method is one Oxigraph transaction."""

    def __init__(self, store: OxigraphStore) -> None:
        if store.read_only:
            raise StoreError("the store was opened read-only", str(store.path))
        self.store = store
        self._engine: ox.Store = store._store  # noqa: SLF001 - the writer is the store's own
        self.began = False
        self.written = 0  # bytes of RDF written
        self._unflushed = 0

    def _begin(self) -> None:
        """Before the first write: a snapshot for readers, then the generation goes."""
        if self.began:
            return
        path = self.store.path
        generation = read_generation(path)
        # A snapshot left by a write cut short is the last whole state: it is kept.
        if generation is not None or snapshot(path) is None:
            drop_snapshot(path)
            try:
                target = snapshot_target(path, generation)
                target.parent.mkdir(exist_ok=True)
                self._engine.backup(str(target))
            except (OSError, RuntimeError) as error:
                raise StoreError(f"cannot write the store ({first_line(error)})", str(path)) from error
        forget_generation(path)
        self.began = True

    def _wrote(self, size: int) -> None:
        self.written += size
        self._unflushed += size
        if self._unflushed >= FLUSH_EVERY_BYTES:
            self._engine.flush()
            self._unflushed = 0

    def _run(self, action: Any, size: int, what: str) -> None:
        self._begin()
        try:
            action()
        except (OSError, SyntaxError, ValueError, RuntimeError) as error:
            raise StoreError(f"cannot write {what} ({first_line(error)})", str(self.store.path)) from error
        self._wrote(size)

    def put_graph(self, graph: str, nquads: bytes) -> None:
        """The quads (all in ``graph``) replace what the graph held, in one transaction."""
        if self.store.has_graph(graph):  # as N-Triples: a line ends in " <graph> .\n" only (see Triples)
            self.replace_graph(graph, nquads.replace(f" <{graph}> .\n".encode(), b" .\n").decode("utf-8"))
        else:  # one transaction, parsed in Rust (quads made in Python cost 8 ms a report); each
            # term was written by pyoxigraph (see Triples): checking them again cost 10%
            self._run(lambda: self._engine.load(nquads, format=ox.RdfFormat.N_QUADS, lenient=True),
                      len(nquads), f"<{graph}>")

    def add_graphs(self, graphs: dict[str, bytes]) -> dict[str, str]:
        """Named graphs the store does not hold yet (each one's quads in its graph), added
        together; returns those that could not be stored, with why.

        Oxigraph's bulk loader writes them as sorted files that RocksDB takes in at once
        (one ingestion of every index, below its million-quad chunk): a reader or a kill
        sees all of them or none. For a whole corpus this costs half the CPU of one
        transaction a report, and leaves less for the compaction at the end."""
        self._begin()
        try:
            self._engine.bulk_load(b"".join(graphs.values()), format=ox.RdfFormat.N_QUADS, lenient=True)
        except (OSError, SyntaxError, ValueError, RuntimeError):
            failed = {}
            for graph, nquads in graphs.items():  # one transaction each: which could not be stored
                try:
                    self.put_graph(graph, nquads)
                except StoreError as error:
                    failed[graph] = str(error)
            return failed
        self._wrote(sum(map(len, graphs.values())))
        return {}

    def replace_graph(self, graph: str, ntriples: str) -> None:
        """The triples replace what the named graph held, in one transaction."""
        if self.store.has_graph(graph):
            update = f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{ntriples}\n}} }}"
            self._run(lambda: self._engine.update(update), len(update), f"<{graph}>")
            return
        self._run(lambda: self._engine.load(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES,
                                            to_graph=ox.NamedNode(graph)), len(ntriples), f"<{graph}>")

    def change(self, remove: list[ox.Quad], add: list[ox.Quad]) -> None:
        """Remove some quads and add others, in one transaction."""
        if not remove and not add:
            return
        if not remove:
            self._run(lambda: self._engine.extend(add), sum(len(str(q)) for q in add), "the store")
            return
        # One update is one transaction: never the removal without the addition.
        text = " ;\n".join(f"{verb} DATA {{ {_quads_text(quads)} }}"
                           for verb, quads in (("DELETE", remove), ("INSERT", add)) if quads)
        self._run(lambda: self._engine.update(text), len(text), "the store")

    def drop_graphs(self, graphs: list[str]) -> int:
        """Remove whole named graphs in one transaction; returns the quads they held."""
        if not graphs:
            return 0
        names = [ox.NamedNode(g) for g in graphs]
        count = sum(1 for name in names for _ in self._engine.quads_for_pattern(None, None, None, name))
        self._run(lambda: self._engine.update(" ;\n".join(f"DROP SILENT GRAPH {n}" for n in names)), 0,
                  "the store")
        return count

    def update(self, sparql: str) -> None:
        """Run a SPARQL update (one transaction)."""
        self._run(lambda: self._engine.update(sparql), len(sparql), "the store")

    def query(self, sparql: str) -> Any:
        return self.store.query(sparql)

    def finish(self) -> None:
        """What follows every write: the derived graphs, then the new generation."""
        path = self.store.path
        inputs = derived.derivation_inputs()
        if not self.began and derived_from(path) == inputs:
            return  # nothing written, and the derived graphs describe what is stored
        self._begin()
        derived.derive(self)
        self._engine.flush()
        if self.written >= FLUSH_EVERY_BYTES:  # a large build, not one report added
            self._engine.optimize()
        new_generation(path)
        mark_derived(path, inputs)
        self.store.generation = read_generation(path)
        drop_snapshot(path)


@contextmanager
def write(store: OxigraphStore) -> Iterator[Writer]:
    """Change the store; on leaving, what is derived is made again (even when the block
    ends by an error: what it wrote is stored, and must not be left underived)."""
    writer = Writer(store)
    try:
        # First, so that what is written is compared with the vocabulary and the registry.
        if derived_from(store.path, exact=False) != derived.derivation_inputs():
            for name, ntriples in derived.reference_graphs().items():
                writer.replace_graph(name, ntriples)
        yield writer
    finally:
        writer.finish()


def _quads_text(quads: list[ox.Quad]) -> str:
    """Quads in the syntax of INSERT DATA / DELETE DATA, graph by graph."""
    by_graph: dict[str, list[str]] = {}
    for quad in quads:
        by_graph.setdefault(str(quad.graph_name), []).append(f"{quad.subject} {quad.predicate} {quad.object} .")
    return "\n".join(f"GRAPH {graph} {{\n" + "\n".join(lines) + "\n}" for graph, lines in by_graph.items())
