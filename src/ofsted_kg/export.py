"""Serialise the stored graph (or one authority's part of it) by rdflib format name."""

from __future__ import annotations

from typing import IO

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import BNode

from ofsted_kg.errors import OfstedKgError
from ofsted_kg.mapping.graph import new_graph
from ofsted_kg.namespaces import PREFIXES
from ofsted_kg.store import OxigraphStore

FORMATS = {"turtle": "turtle", "ntriples": "nt", "nt": "nt", "jsonld": "json-ld",
           "json-ld": "json-ld", "trig": "trig", "nquads": "nquads", "xml": "xml"}
QUAD_FORMATS = {"trig", "nquads"}


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


_AUTHORITY_GRAPHS = """
PREFIX ofsted: <https://w3id.org/ofsted-kg/def#>
SELECT DISTINCT ?g WHERE { GRAPH ?g { ?i ofsted:authority ?authority } }
"""


def export(store: OxigraphStore, fmt: str, out: IO[bytes], authority: str | None = None) -> int:
    """Write the graph to ``out``; returns the number of triples (or quads) written.

    A triple held by several report graphs (an inspector, say) is written once in
    triple formats and once per graph in quad formats.
    """
    if fmt not in FORMATS:
        raise OfstedKgError(f"unknown format {fmt!r}; choose from {', '.join(sorted(FORMATS))}")
    rdf_format = FORMATS[fmt]
    graphs: set[str] | None = None
    if authority:
        from ofsted_kg.lookup import authority_iri

        iri = authority_iri(authority)
        rows = store.query(_AUTHORITY_GRAPHS.replace("?authority", str(ox.NamedNode(iri))))
        graphs = {row["g"].value for row in rows}
    if rdf_format in QUAD_FORMATS:
        target: Dataset | Graph = Dataset()
    else:
        target = new_graph()
    for prefix, namespace in PREFIXES.items():
        target.bind(prefix, namespace, replace=True)
    for quad in store.quads():
        graph = quad.graph_name
        name = graph.value if isinstance(graph, ox.NamedNode) else None
        # One authority: its reports' graphs, and its own entry in the registry graph.
        own_entry = bool(authority) and quad.subject.value == iri
        if graphs is not None and name not in graphs and not own_entry:
            continue
        triple = (_term(quad.subject), URIRef(quad.predicate.value), _term(quad.object))
        if isinstance(target, Dataset):
            target.graph(URIRef(name) if name else None).add(triple)
        else:
            target.add(triple)
    out.write(target.serialize(format=rdf_format, encoding="utf-8"))
    return sum(1 for _ in target.quads()) if isinstance(target, Dataset) else len(target)
