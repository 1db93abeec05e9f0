"""Every data file loads: the ontology parses, the shapes are valid SHACL, queries parse."""

import pyoxigraph as ox
from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ofsted_kg.query import stored_queries
from ofsted_kg.resources import ontology_files
from ofsted_kg.validate import load_shapes


def test_ontology_terms_are_labelled_and_commented():
    graph = Graph()
    for path in ontology_files():
        graph.parse(path)
    terms = {
        term
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for term in graph.subjects(RDF.type, kind)
    }
    assert len(terms) >= 40
    for term in terms:
        assert graph.value(term, RDFS.label), term
        assert graph.value(term, RDFS.comment), term


def test_areas_and_grades_carry_the_notations_of_the_issue():
    graph = Graph()
    for path in ontology_files():
        graph.parse(path)
    notations = {str(n) for n in graph.objects(None, SKOS.notation)}
    assert {"overall-effectiveness", "impact-of-leaders", "help-and-protection",
            "children-in-care-and-care-leavers", "children-in-care", "care-leavers",
            "looked-after-and-permanence", "adoption-performance",
            "leadership-management-governance", "lscb", "outstanding", "good",
            "requires-improvement", "inadequate", "adequate"} <= notations


def test_shapes_are_valid_shacl():
    conforms, _, text = validate(load_shapes(), meta_shacl=True, shacl_graph=Graph())
    assert conforms, text


def test_every_stored_query_parses_and_lists_its_parameters():
    store = ox.Store()
    for query in stored_queries().values():
        store.query(query.text)  # raises SyntaxError if it does not parse
        assert query.summary
        for parameter in query.parameters:
            assert parameter.variable in query.text
