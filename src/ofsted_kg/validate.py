"""Validate data against the SHACL shapes in ``shapes/``.

Data is validated together with the reference data it points at: the vocabulary (the
frameworks' areas, grade scales and required areas) and the authority registry's entry
of every authority it names, so that an area, a grade or an authority's codes can be
checked against them. Only the data's own nodes are reported on.

Two engines give the same results (the tests hold them to it): ``oxigraph``, the
default, compiles the shapes to SPARQL (``ofsted_kg.shacl``) and takes milliseconds;
``pyshacl`` is the reference implementation of the whole of SHACL, for shapes beyond
what the compiler supports.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from ofsted_kg.errors import ValidationError
from ofsted_kg.mapping import Triples, iris, reference_graphs
from ofsted_kg.namespaces import OFSTED, XSD
from ofsted_kg.resources import internal_query, shape_files
from ofsted_kg.shacl import Problem, ShapesProgram, canonical, report_graph

DATA_GRAPH = "urn:ofsted-kg:validation:data"
_IN_DATA = {ox.Variable("data"): ox.NamedNode(DATA_GRAPH)}
ENGINES = ("oxigraph", "pyshacl")


@dataclass
class Outcome:
    problems: list[Problem]
    store: ox.Store | None = None  # what was validated, to locate the problems in

    @property
    def violations(self) -> list[Problem]:
        return [p for p in self.problems if p.severity_name == "Violation"]

    @property
    def conforms(self) -> bool:
        """No violations; warnings may remain (the W3C report's sh:conforms is stricter)."""
        return not self.violations

    @property
    def report(self) -> Graph:
        return report_graph(self.problems)

    def first_problem(self) -> str:
        """The first violation's message, for a one-line reason."""
        return self.violations[0].message if self.violations else "conforms"


@cache
def load_shapes() -> Graph:
    graph = Graph()
    for path in shape_files():
        graph.parse(path, format="turtle")
    return graph


@cache
def shapes_program() -> ShapesProgram:
    return ShapesProgram(load_shapes())


def _rdflib_term(term):
    from rdflib import BNode, Literal

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


@cache
def _reference_store() -> ox.Store:
    store = ox.Store()
    for name, graph in reference_graphs().items():
        store.bulk_extend(graph.quads(name))
    return store


# Oxigraph's in-memory store keeps what is removed from it (its transactions are
# versioned), so a store reused for report after report gets slower: after 200 reports a
# report's checks took twice as long. A fresh copy every _REUSES reports keeps them fast.
_REUSES = 16


class _SharedVocabulary:
    """A store holding only the vocabulary, reused for a few reports in turn (copying the
    vocabulary for each report was a third of a build's validation time)."""

    store: ox.Store | None = None
    served = 0

    @classmethod
    def take(cls) -> ox.Store:
        if cls.store is None or cls.served >= _REUSES:
            cls.store = ox.Store()
            vocabulary = ox.NamedNode(iris.vocabulary_graph())
            cls.store.bulk_extend(_reference_store().quads_for_pattern(None, None, None, vocabulary))
            cls.served = 0
        cls.served += 1
        return cls.store


def _with_reference(triples: list[ox.Triple] | Triples, background: Any = None, reuse: bool = False,
                    without: set[ox.Quad] | None = None) -> ox.Store:
    """A scratch store: the data in DATA_GRAPH, the vocabulary, and the registry's entries
    (with their regions) of the authorities the data names; on top of ``background``
    (the stored graph, when data is loaded into it) if given, or, with ``reuse``, the
    shared vocabulary store (which ``_release`` empties of everything else again)."""
    reference = _reference_store()
    vocabulary, registry = ox.NamedNode(iris.vocabulary_graph()), ox.NamedNode(iris.authorities_graph())
    store = _SharedVocabulary.take() if reuse else ox.Store()
    if background is not None:  # a store's quads but those a load would remove
        skip = without or set()
        store.bulk_extend(q for q in background.quads() if q not in skip)
    # Parsed in Rust: quads made one by one in Python cost twice as much. Leniently (terms
    # made in Python are valid already): that halves the time to load.
    data = triples.ntriples().encode() if isinstance(triples, Triples) else ox.serialize(
        triples, format=ox.RdfFormat.N_TRIPLES)
    store.load(data or b"", format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(DATA_GRAPH), lenient=True)
    if not reuse:
        store.bulk_extend(reference.quads_for_pattern(None, None, None, vocabulary))
    named = [row["a"] for row in store.query(internal_query("authorities-named"), substitutions=_IN_DATA)]
    regions = set()
    for authority in named:
        for quad in reference.quads_for_pattern(authority, None, None, registry):
            store.add(quad)
            if quad.predicate.value == str(OFSTED.region):
                regions.add(quad.object)
    for region in regions:
        store.bulk_extend(reference.quads_for_pattern(region, None, None, registry))
    return store


def _release(store: ox.Store) -> None:
    """Take the data and the registry entries out of the shared vocabulary store."""
    for name in (DATA_GRAPH, iris.authorities_graph()):
        store.remove_graph(ox.NamedNode(name))


def validate_triples(triples: list[ox.Triple] | Triples, engine: str = "oxigraph", background: Any = None,
                     keep_store: bool = True, without: set[ox.Quad] | None = None) -> Outcome:
    """Validate data with the reference data it points at; warnings do not fail it.

    ``background`` is a store (``ofsted_kg.store``) whose data, but the quads ``without``,
    the data must also be consistent with: no inspection overlapping one already stored. Without
    ``keep_store`` the outcome carries no store, and a shared one is reused (a build).
    """
    if engine not in ENGINES:
        raise ValidationError(f"unknown validation engine {engine!r}; choose from {', '.join(ENGINES)}")
    reuse = not keep_store and background is None and engine == "oxigraph"
    store = _with_reference(triples, background, reuse, without)
    try:
        if engine == "pyshacl":
            data = store.quads_for_pattern(None, None, None, ox.NamedNode(DATA_GRAPH))
            outcome = _validate_with_pyshacl(store, {q.subject for q in data})
        else:
            outcome = Outcome(shapes_program().run(store, focus_graph=DATA_GRAPH, subjects=_subjects(triples)))
    finally:
        if reuse:
            _release(store)
    if keep_store:
        outcome.store = store
    return outcome


def _subjects(triples: list[ox.Triple] | Triples) -> set[ox.NamedNode] | None:
    """The subjects read off the lines (each starts '<IRI> '), in a third of the store's time."""
    if not isinstance(triples, Triples):
        return None
    heads = {line.partition(" ")[0] for line in triples}
    return {ox.NamedNode(head[1:-1]) for head in heads} if all(h.startswith("<") for h in heads) else None


class _Union:
    """A store of ``ofsted_kg.store`` as the shapes program asks a pyoxigraph store (whose
    queries read the union of the graphs, as the store's always do)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def query(self, sparql: str, use_default_graph_as_union: bool = True) -> Any:
        return self.store.query(sparql)


def validate_store(store: Any, threads: int | None = None) -> Outcome:
    """Validate everything in a store (a pyoxigraph one, or one of ``ofsted_kg.store``),
    with a thread per processor unless told otherwise."""
    engine = store if isinstance(store, ox.Store) else _Union(store)
    return Outcome(shapes_program().run(engine, threads=threads or os.cpu_count() or 1), engine)


def _validate_with_pyshacl(store: ox.Store, subjects: set) -> Outcome:
    from pyshacl import validate as shacl_validate

    combined = Graph()
    for quad in store.quads_for_pattern(None, None, None, None):
        combined.add((_rdflib_term(quad.subject), _rdflib_term(quad.predicate), _rdflib_term(quad.object)))
    _, report, _ = shacl_validate(
        combined, shacl_graph=load_shapes(), inference="none", advanced=True, allow_warnings=True,
    )
    own = {_rdflib_term(s) for s in subjects}
    problems = []
    for result in report.objects(None, SH.result):
        focus = report.value(result, SH.focusNode)
        if focus not in own:
            continue
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        constraint = report.value(result, SH.sourceConstraint)
        problems.append(Problem(
            severity=report.value(result, SH.resultSeverity).n3(),
            focus=focus.n3(),
            path=path.n3() if isinstance(path, URIRef) else None,
            value=canonical(value.n3()) if value is not None else None,
            message=str(report.value(result, SH.resultMessage) or ""),
            shape=report.value(result, SH.sourceShape).n3(),
            component=report.value(result, SH.sourceConstraintComponent).n3(),
            constraint=constraint.n3() if isinstance(constraint, URIRef) else None,
        ))
    return Outcome(sorted(set(problems), key=lambda p: (p.focus, p.shape, p.path or "", p.value or "",
                                                         p.message)))
