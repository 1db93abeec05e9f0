"""Serialise the stored graph (or one authority's part of it).

Output is sorted (triples by subject, predicate and object; quads by graph first), so
the same graph always gives byte-identical files that diff well. pyoxigraph writes
them: rdflib's serialisers take minutes on the graph of the whole corpus.
"""

from __future__ import annotations

from typing import IO

import pyoxigraph as ox

from ofsted_kg.errors import OfstedKgError
from ofsted_kg.formats import GRAPHS, named, names
from ofsted_kg.namespaces import PREFIXES
from ofsted_kg.resources import internal_query
from ofsted_kg.store import OxigraphStore


def _key(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph) -> str:
    return "" if isinstance(term, ox.DefaultGraph) else str(term)


def export(store: OxigraphStore, fmt: str, out: IO[bytes], authority: str | None = None) -> int:
    """Write the graph to ``out``; returns the number of triples (or quads) written.

    A triple held by several report graphs (an inspector, say) is written once in
    triple formats and once per graph in quad formats.
    """
    chosen = named(fmt, GRAPHS)
    if chosen is None or chosen.rdf is None:
        raise OfstedKgError(f"unknown format {fmt!r}; choose from {', '.join(names(GRAPHS))}")
    rdf_format = chosen.rdf
    graphs: set[str] | None = None
    iri = None
    if authority:
        from ofsted_kg.mapping import authority_iri

        iri = authority_iri(authority)
        rows = store.query(internal_query("authority-graphs").replace("?authority", str(ox.NamedNode(iri))))
        graphs = {row["g"].value for row in rows}
    quads = []
    for quad in store.quads():
        name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None
        # One authority: its reports' graphs, and its own entry in the registry graph.
        if graphs is not None and name not in graphs and quad.subject.value != iri:
            continue
        quads.append(quad)
    if rdf_format.supports_datasets:
        items: list = sorted(quads, key=lambda q: (_key(q.graph_name), str(q.subject), str(q.predicate),
                                                   str(q.object)))
    else:
        unique = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
        items = sorted(unique, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    if rdf_format == ox.RdfFormat.JSON_LD:
        from ofsted_kg.jsonld import serialize  # the compact @context the pages use too

        out.write(serialize(items))
        return len(items)
    if rdf_format not in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        out.write(ox.serialize(items, format=rdf_format) or b"")
        return len(items)
    text = ox.serialize(items, format=rdf_format, prefixes=dict(PREFIXES)) or b""
    # The serialiser writes its @prefix lines in an order of its own; write them sorted.
    lines = text.split(b"\n")
    body = next((i for i, line in enumerate(lines) if not line.startswith(b"@prefix")), len(lines))
    out.write(b"\n".join(sorted(lines[:body]) + lines[body:]))
    return len(items)
