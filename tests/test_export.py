"""Export: stable Turtle that re-parses to the same graph; one authority's part."""

import io

import pyoxigraph as ox
import pytest
from rdflib import Graph

from ofsted_kg.export import export
from ofsted_kg.namespaces import OFSTED
from ofsted_kg.store import open_store


def test_turtle_is_byte_identical_and_reparses_isomorphic(sample_store):
    _turtle_round_trip(sample_store)


@pytest.mark.corpus
def test_the_whole_corpus_exports_byte_identical_turtle_that_reparses(built):
    """The same on every real report: their text, names and numbers are more varied."""
    _turtle_round_trip(built[0])


def _turtle_round_trip(path):
    store = open_store(path, read_only=True)
    first, second = io.BytesIO(), io.BytesIO()
    count = export(store, "turtle", first)
    export(store, "turtle", second)
    assert first.getvalue() == second.getvalue()
    assert first.getvalue().startswith(b"@prefix area: <https://w3id.org/ofsted-kg/def/area/> .\n")
    reparsed = set(ox.parse(first.getvalue(), format=ox.RdfFormat.TURTLE))
    nt = io.BytesIO()
    export(store, "ntriples", nt)
    expected = set(ox.parse(nt.getvalue(), format=ox.RdfFormat.N_TRIPLES))
    # No blank nodes anywhere, so equal sets of triples are isomorphic graphs.
    assert not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in expected)
    assert reparsed == expected
    assert len(reparsed) == count


def test_one_authority_export_holds_only_its_inspections(sample_store):
    store = open_store(sample_store, read_only=True)
    out = io.BytesIO()
    export(store, "turtle", out, authority="Greenwich")
    graph = Graph().parse(data=out.getvalue(), format="turtle")
    authorities = set(graph.objects(None, OFSTED.authority))
    assert [str(a).rsplit("/", 1)[1] for a in authorities] == ["80495"]
    inspections = set(graph.subjects(None, OFSTED.Inspection))
    assert len(inspections) == 3
