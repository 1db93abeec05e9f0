"""The query commands as a user runs them: formats, errors, hostile input, remote endpoints."""

import csv
import io
import json
import shutil
import socket
import subprocess
import sys
import threading
import time

import pytest

from ofsted_kg.errors import QueryError
from ofsted_kg.query import bindings_for, parse_query_file, stored_queries

from .servers import free_port, oxigraph_server
from .stored import param_options

INJECTION = 'Greenwich" } DROP ALL; #'


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "ofsted_kg", *args], capture_output=True, text=True,
                          input=stdin)


def stats(store):
    """The counts as the engine finds them now, not an answer kept from before."""
    return run("query", "stats", "--store", str(store), "--format", "csv", "--no-cache").stdout


def test_json_is_w3c_sparql_results_json(sample_store):
    result = run("query", "authority-history", "-p", "authority=80495", "--store", str(sample_store),
                 "--format", "json")
    data = json.loads(result.stdout)
    assert data["head"]["vars"][:3] == ["authority", "framework", "kind"]
    first = data["results"]["bindings"][0]
    assert first["start_date"] == {"type": "literal", "value": "2016-05-23",
                                   "datatype": "http://www.w3.org/2001/XMLSchema#date"}


def test_csv_when_piped_and_tsv_on_request(sample_store):
    piped = run("query", "authority-history", "-p", "authority=Greenwich", "--store", str(sample_store))
    assert piped.stdout.splitlines()[0].startswith("authority,framework,kind,start_date")
    tsv = run("query", "authority-history", "-p", "authority=Greenwich", "--store", str(sample_store),
              "--format", "tsv")
    assert tsv.stdout.splitlines()[0].startswith("?authority\t?framework\t?kind")


def test_list_shows_every_query_with_its_parameters():
    result = run("query", "--list")
    assert result.returncode == 0
    for name in stored_queries():
        assert f"\n{name}  " in "\n" + result.stdout
    assert "    --param as_at=...  (date, optional, default today, e.g. 2020-03-31)" in result.stdout


def test_unknown_parameter_lists_the_allowed_ones(sample_store):
    result = run("query", "authority-history", "-p", "council=Greenwich", "--store", str(sample_store))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Error: unknown parameter 'council' for query authority-history; allowed: authority (authority)")


def test_parameter_of_the_wrong_type(sample_store):
    result = run("query", "national-table", "-p", "as_at=31/03/2020", "--store", str(sample_store))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Error: parameter as_at='31/03/2020' is not a date as YYYY-MM-DD (or 'today')")


def test_unknown_authority(sample_store):
    result = run("query", "authority-history", "-p", "authority=Atlantis", "--store", str(sample_store))
    assert result.returncode == 2
    assert result.stderr.startswith("Error: ") and "Atlantis" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_required_parameter(tmp_path):
    path = tmp_path / "needs-theme.rq"
    path.write_text("#+ summary: x\nSELECT ?t WHERE { BIND (?_theme_string AS ?t) }\n")
    with pytest.raises(QueryError, match=r"^query needs-theme needs --param theme=<string>$"):
        bindings_for(parse_query_file(path), {})


def test_parameter_without_value_form():
    result = run("query", "authority-history", "-p", "Greenwich")
    assert result.returncode == 2
    assert "--param takes NAME=VALUE, not 'Greenwich'" in result.stderr


def test_injection_in_a_string_parameter_finds_nothing_and_changes_nothing(sample_store):
    before = stats(sample_store)
    for query in ("recommendations-by-theme", "inspections-by-inspector"):
        name = "theme" if query == "recommendations-by-theme" else "inspector"
        result = run("query", query, "-p", f"{name}={INJECTION}", "--store", str(sample_store), "--format", "csv")
        assert result.returncode == 0, result.stderr
        assert len(result.stdout.splitlines()) == 1  # the header only
    assert stats(sample_store) == before
    assert "judgements,48" in before


def test_injection_in_an_authority_parameter_is_not_an_authority(sample_store):
    before = stats(sample_store)
    result = run("query", "authority-history", "-p", f"authority={INJECTION}", "--store", str(sample_store))
    assert result.returncode == 2
    assert stats(sample_store) == before


@pytest.mark.parametrize(("query", "expected"), [
    ("ASK { ?i <https://w3id.org/ofsted-kg/def#startDate> "
     "\"2016-05-23\"^^<http://www.w3.org/2001/XMLSchema#date> }", "true\n"),
    ("SELECT (COUNT(*) AS ?reports) WHERE { ?r a <https://w3id.org/ofsted-kg/def#Report> }", "reports\n9\n"),
])
def test_sparql_from_stdin(sample_store, query, expected):
    result = run("sparql", "-", "--store", str(sample_store), "--format", "csv", stdin=query)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected


def test_sparql_construct_and_describe_give_rdf(sample_store):
    construct = run("sparql", "-", "--store", str(sample_store), "--format", "ntriples", stdin=(
        "CONSTRUCT { ?a <http://www.w3.org/2004/02/skos/core#prefLabel> ?n } WHERE { "
        "?a <https://w3id.org/ofsted-kg/def#ofstedUrn> \"80495\" ; "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?n }"))
    assert construct.stdout == (
        '<https://w3id.org/ofsted-kg/id/authority/80495> <http://www.w3.org/2004/02/skos/core#prefLabel> '
        '"Greenwich"@en .\n')
    describe = run("sparql", "-", "--store", str(sample_store), stdin=(
        "DESCRIBE <https://w3id.org/ofsted-kg/id/authority/80495>"))
    assert '"E09000011"' in describe.stdout


def test_sparql_syntax_error_is_one_line(sample_store):
    result = run("sparql", "-", "--store", str(sample_store), stdin="SELECT * WHERE { ?s ?p }")
    assert result.returncode == 2
    assert result.stderr.startswith("Error: the query does not parse: ")
    assert len(result.stderr.strip().splitlines()) == 1


# --- remote endpoints: a real Oxigraph server on loopback ---------------------------------

@pytest.fixture(scope="module")
def oxigraph_endpoint(sample_store, tmp_path_factory):
    """`oxigraph serve-read-only` over a copy of the store, union default graph as embedded."""
    copy = tmp_path_factory.mktemp("served") / "graph"
    shutil.copytree(sample_store, copy)
    with oxigraph_server(copy, read_only=True) as url:
        yield f"{url}/query"


@pytest.mark.parametrize("name", sorted(stored_queries()))
def test_every_stored_query_gives_the_same_rows_from_an_endpoint(sample_store, oxigraph_endpoint, name):
    local = run("query", name, *param_options(name), "--store", str(sample_store), "--format", "csv")
    remote = run("query", name, *param_options(name), "--endpoint", oxigraph_endpoint, "--format", "csv")
    assert remote.returncode == 0, remote.stderr
    assert sorted(csv.reader(io.StringIO(remote.stdout))) == sorted(csv.reader(io.StringIO(local.stdout)))
    # These have no rows on this graph with their defaults (nobody is inadequate now, the
    # default inspector led none of these nine inspections, it holds no articles, its
    # reports were read without a problem, and the latest inspections of its three
    # authorities praise their front doors: each such finding is tagged a strength).
    assert len(local.stdout.splitlines()) > 1 or name in {
        "inadequate-now", "inspections-by-inspector", "secondary-source-claims", "secondary-source-conflicts",
        "inspections-only-in-secondary-sources", "reports-with-problems", "authorities-criticising-service"}


def test_python_api_on_an_endpoint(oxigraph_endpoint):
    from ofsted_kg import open_graph

    rows = open_graph(endpoint=oxigraph_endpoint).query("authority-history", authority="Greenwich")
    assert [r["overall_effectiveness"] for r in rows] == ["good", "good", "outstanding"]


def test_endpoint_rejecting_a_query(oxigraph_endpoint):
    result = run("sparql", "-", "--endpoint", oxigraph_endpoint, stdin="SELECT * WHERE { ?s ?p }")
    assert result.returncode == 2
    assert result.stderr.startswith(f"Error: {oxigraph_endpoint}: the endpoint rejected the query: ")


def test_endpoint_down():
    url = f"http://127.0.0.1:{free_port()}/query"
    result = run("query", "stats", "--endpoint", url)
    assert result.returncode == 2
    assert result.stderr.strip() == f"Error: {url}: cannot reach the endpoint ([Errno 111] Connection refused)"


def test_endpoint_that_never_answers_times_out():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []
    threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/query"
    started = time.monotonic()
    result = run("query", "stats", "--endpoint", url, "--timeout", "1")
    assert time.monotonic() - started < 15
    assert result.returncode == 2
    assert result.stderr.strip() == f"Error: {url}: no complete answer within 1 s"
    listener.close()
