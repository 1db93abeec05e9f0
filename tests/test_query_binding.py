"""Binding parameters: whatever the values, the prepared query has the stored query's shape.

rdflib's SPARQL parser (not ours, and not the engine that runs the query) turns both
texts into algebra; the prepared one must equal the stored one with each bound variable
replaced by its term (and BOUND of it by true), for every stored query with parameters.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from ofsted_kg.query import bind_values, bindings_for, stored_queries

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
WITH_PARAMETERS = sorted(name for name, query in stored_queries().items() if query.parameters)
# Every parameter's variable, as ? and as $, and everything that could end a literal or
# a group or start a comment, if a value were ever read again as query text.
PIECES = sorted({f"{mark}{p.variable}" for q in stored_queries().values() for p in q.parameters
                 for mark in "?$"} | {'"', "'", '"""', "'''", "\\", "{", "}", "(", ")", "#", "\n", "\r",
                                       "\u2028", "<", ">", ".", ";", " ", "BOUND(", "SERVICE", "x"})
strings = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)


def value_for(kind: str) -> st.SearchStrategy[str]:
    if kind == "iri":
        return st.lists(st.sampled_from(sorted({p for p in PIECES if p.startswith(("?", "$"))} | {"x", "#"})),
                        max_size=4).map(lambda parts: "http://example.org/" + "".join(parts))
    if kind == "integer":
        return st.integers(-10**6, 10**6).map(str)
    if kind == "date":
        return st.dates(date(2000, 1, 1), date(2030, 12, 31)).map(date.isoformat)
    if kind == "authority":
        return st.sampled_from(["Greenwich", "80495", "E09000011", "Stockton-on-Tees"])
    return strings


def to_rdflib(term: ox.NamedNode | ox.Literal) -> URIRef | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def shape(node, terms):
    """The algebra as comparable values, bound variables replaced by their terms."""
    if isinstance(node, CompValue):
        if node.name == "Builtin_BOUND" and isinstance(node.get("arg"), Variable) and node["arg"] in terms:
            return Literal(True)
        items = {key: shape(value, terms) for key, value in node.items() if not key.startswith("_")}
        if node.name == "BGP":  # rdflib orders a pattern's triples by how many terms are bound
            items["triples"] = tuple(sorted(items["triples"], key=repr))
        return (node.name, tuple(sorted(items.items(), key=repr)))
    if isinstance(node, Variable):
        return terms.get(node, node)
    if isinstance(node, BNode):
        return "bnode"  # rdflib mints a fresh label per parse
    if isinstance(node, dict):
        return tuple(sorted(((shape(k, terms), shape(v, terms)) for k, v in node.items()), key=repr))
    if isinstance(node, (list, tuple)):
        return tuple(shape(item, terms) for item in node)
    if isinstance(node, (set, frozenset)):
        return tuple(sorted((shape(item, terms) for item in node), key=repr))
    return node


@cache
def stored_algebra(name: str):
    return translateQuery(parseQuery(stored_queries()[name].text)).algebra


@pytest.mark.parametrize("name", WITH_PARAMETERS)
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.generate])  # shrinking re-parses for minutes
@given(data=st.data())
def test_prepared_query_is_the_stored_query_with_terms_in_place(name, data):
    query = stored_queries()[name]
    values = {p.name: data.draw(value_for(p.type), label=p.name) for p in query.parameters
              if p.required or data.draw(st.booleans(), label=f"give {p.name}")}
    bindings = bindings_for(query, values)
    prepared = bind_values(query.text, bindings)
    terms = {Variable(variable): to_rdflib(term) for variable, term in bindings.items()}
    assert shape(translateQuery(parseQuery(prepared)).algebra, {}) == shape(stored_algebra(name), terms)


def test_a_value_holding_another_parameters_name_stays_inside_its_literal():
    """The injection of issue 17: the framework's value names the theme's variable."""
    query = stored_queries()["recommendations-by-theme"]
    prepared = bind_values(query.text, bindings_for(query, {"framework": 'X?_theme_string', "theme": '") } #'}))
    assert 'LCASE("\\") } #")' in prepared
    assert '"X?_theme_string"' in prepared
    assert shape(translateQuery(parseQuery(prepared)).algebra, {}) == shape(
        stored_algebra("recommendations-by-theme"),
        {Variable("_theme_string"): Literal('") } #'), Variable("__framework_string"): Literal("X?_theme_string")})
