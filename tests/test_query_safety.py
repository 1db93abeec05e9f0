"""The checks before parsing: depth, size, SERVICE, volatile functions; decided on tokens."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pyparsing import ParseResults
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from ofsted_kg.query import stored_queries
from ofsted_kg.query_safety import (
    QueryLimits,
    QueryRefused,
    QueryTooComplex,
    check_query,
    depth,
    is_volatile,
    service_endpoints,
)
from ofsted_kg.sparql_text import tokens

PATH = "SELECT * { ?s " + "/".join(["<http://p>"] * 600) + " ?o }"
PLUS = "SELECT (" + "+".join(["1"] * 10_000) + " AS ?x) {}"
# Unary NOT nests in the engine's parser as brackets do: 20,000 of them overflowed its stack
# (`ofsted-kg sparql` died with exit 139, a served query's worker with it).
NOTS = "SELECT * { FILTER(" + "!" * 20_000 + "true) }"


@pytest.mark.parametrize("name", sorted(stored_queries()))
def test_every_stored_query_passes_with_room_to_spare(name):
    text = stored_queries()[name].text
    check_query(text)
    assert depth(tokens(text)) <= 21


@pytest.mark.parametrize("query", [PATH, PLUS, NOTS, "SELECT * {" + "{" * 200 + "}" * 200 + "}"])
def test_chains_and_nestings_that_crashed_the_engine_are_refused(query):
    with pytest.raises(QueryTooComplex, match=r"^the query is too complex \(nested more than 128 deep\)$"):
        check_query(query)


def test_a_chain_of_nots_is_one_line_and_exit_2_on_the_command_line(sample_store):
    result = subprocess.run([sys.executable, "-m", "ofsted_kg", "sparql", "-", "--store", str(sample_store),
                             "--no-cache"], input=NOTS, capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout, result.stderr) == (
        2, "", "Error: the query is too complex (nested more than 128 deep)\n")


def test_a_query_too_long_is_refused():
    with pytest.raises(QueryTooComplex, match=r"^the query is too long \(100,001 characters; at most 100,000\)$"):
        check_query("#" * 100_001)


def has_service(tree) -> bool:
    """rdflib's parse tree holds a SERVICE pattern."""
    if isinstance(tree, CompValue):
        return tree.name == "ServiceGraphPattern" or any(has_service(v) for v in tree.values())
    if isinstance(tree, (list, tuple, ParseResults)):
        return any(has_service(v) for v in tree)
    return False


@pytest.mark.parametrize("query", [
    "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }",
    "select * { service silent <http://x/> { ?s ?p ?o } }",
    "SELECT * { BIND(<http://x/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "SELECT * { SERVICE#comment\n<http://x/> { ?s ?p ?o } }",
    "SELECT ?x { BIND('SERVICE <http://x/> {}' AS ?x) }",
    'SELECT ?x { BIND("""\nSERVICE <http://x/> { ?s ?p ?o }\n""" AS ?x) }',
    "SELECT ?x { BIND(<http://x/SERVICE> AS ?x) } # SERVICE <http://x/> {}",
    "PREFIX SERVICE: <http://x/> SELECT ?x { ?x SERVICE:p SERVICE:o }",
    "SELECT ?service { ?service ?p ?o }",
])
def test_service_is_found_exactly_where_rdflib_finds_it(query):
    assert bool(service_endpoints(tokens(query))) == has_service(parseQuery(query))


def test_only_named_endpoints_are_allowed():
    allowed = QueryLimits(allowed_services=frozenset({"http://x/"}))
    check_query("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", allowed)
    for query in ("SELECT * { SERVICE <http://y/> { ?s ?p ?o } }",
                  "SELECT * { BIND(<http://x/> AS ?e) SERVICE ?e { ?s ?p ?o } }"):
        with pytest.raises(QueryRefused):
            check_query(query, allowed)


@pytest.mark.parametrize(("query", "volatile"), [
    ("SELECT (NOW() AS ?t) {}", True),
    ("SELECT (NOW #x\n() AS ?t) {}", True),
    ("SELECT (struuid\t( ) AS ?t) {}", True),
    ("SELECT ?t { BIND('NOW()' AS ?t) }", False),
    ("SELECT ?now { ?now ?p ?o } # RAND()", False),
    ("PREFIX ex: <http://x/> SELECT (ex:NOW() AS ?t) {}", False),
])
def test_volatile_functions_are_found_on_tokens(query, volatile):
    assert is_volatile(query) is volatile
