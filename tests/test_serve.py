"""serve: the real server started as a user starts it, asked over HTTP."""

import csv
import io
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from ofsted_kg.query import stored_queries

from .servers import free_port, wait_for
from .stored import param_options, required_examples


@pytest.fixture(scope="module")
def served(sample_store, tmp_path_factory):
    """(base URL, the server's process id)."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "ofsted_kg", "serve", "--store", str(sample_store), "--port", str(port),
             "--timeout", "1", "--max-rows", "5000"], stdout=sink, stderr=subprocess.STDOUT)
    wait_for(port, process, log)
    yield f"http://127.0.0.1:{port}", process.pid
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def server(served):
    return served[0]


def cpu_seconds(pid: int) -> float:
    """Processor time used so far by a process and its children (Linux /proc)."""
    def own(stat: str) -> tuple[int, float]:
        fields = stat.rsplit(")", 1)[1].split()
        return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent, seconds = own((entry / "stat").read_text())
            except OSError:
                continue
            if int(entry.name) == pid or parent == pid:
                total += seconds
    return total


def get(url, accept="text/csv", data=None, method=None, content_type=None):
    request = urllib.request.Request(url, data=data, method=method, headers={"Accept": accept})
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def cli_csv(store, name):
    result = subprocess.run([sys.executable, "-m", "ofsted_kg", "query", name, *param_options(name),
                             "--store", str(store), "--format", "csv"], capture_output=True, text=True)
    return sorted(csv.reader(io.StringIO(result.stdout)))


@pytest.mark.parametrize("name", sorted(stored_queries()))
def test_every_stored_query_over_http_equals_the_command_line(server, sample_store, name):
    status, body = get(f"{server}/api/queries/{name}?{urllib.parse.urlencode(required_examples(name))}")
    assert status == 200, body
    assert sorted(csv.reader(io.StringIO(body))) == cli_csv(sample_store, name)


def test_sparql_protocol_get_and_post_with_content_negotiation(server):
    query = "SELECT (COUNT(*) AS ?reports) WHERE { ?r a <https://w3id.org/ofsted-kg/def#Report> }"
    status, body = get(f"{server}/sparql?{urllib.parse.urlencode({'query': query})}",
                       accept="application/sparql-results+json")
    assert status == 200
    assert json.loads(body)["results"]["bindings"][0]["reports"]["value"] == "9"
    status, body = get(f"{server}/sparql", data=query.encode(), content_type="application/sparql-query",
                       accept="text/tab-separated-values")
    assert (status, body.splitlines()[0]) == (200, "?reports")
    construct = ("CONSTRUCT { ?a <http://www.w3.org/2004/02/skos/core#prefLabel> ?n } WHERE { ?a "
                 "<https://w3id.org/ofsted-kg/def#ofstedUrn> \"80495\" ; "
                 "<http://www.w3.org/2004/02/skos/core#prefLabel> ?n }")
    status, body = get(f"{server}/sparql", data=urllib.parse.urlencode({"query": construct}).encode(),
                       content_type="application/x-www-form-urlencoded", accept="application/n-triples")
    assert (status, body) == (200, '<https://w3id.org/ofsted-kg/id/authority/80495> '
                                   '<http://www.w3.org/2004/02/skos/core#prefLabel> "Greenwich"@en .\n')


def test_updates_are_refused(server):
    assert get(f"{server}/sparql", data=urllib.parse.urlencode({"update": "DROP ALL"}).encode(),
               content_type="application/x-www-form-urlencoded")[0] == 403
    assert get(f"{server}/sparql", data=b"DROP ALL", content_type="application/sparql-update")[0] == 403
    for method in ("PUT", "POST", "DELETE"):
        assert get(f"{server}/store?graph=urn:x", data=b"<a> <b> <c> .", method=method,
                   content_type="application/n-triples")[0] == 405
    status, body = get(f"{server}/api/queries/stats")
    assert "reports,9" in body.replace("\r", "")


def test_malformed_query_gets_400_and_the_parsers_message(server):
    status, body = get(f"{server}/sparql?{urllib.parse.urlencode({'query': 'SELECT * WHERE { ?s ?p }'})}")
    assert status == 400
    assert body.startswith("the query does not parse: error at 1:")


def test_a_query_over_the_time_limit_is_stopped(served):
    """The answer is 503 after the limit, and the query's work stops with it: the server
    uses (almost) no processor time afterwards, and still answers."""
    server, pid = served
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    status, body = get(f"{server}/sparql?{urllib.parse.urlencode({'query': slow})}")
    assert (status, body) == (503, "the query was stopped at its time limit (1 s)\n")
    time.sleep(1)  # the replacement worker opens the store
    before = cpu_seconds(pid)
    time.sleep(2)
    assert cpu_seconds(pid) - before < 0.3
    assert get(f"{server}/api/queries/stats")[0] == 200


def test_too_many_rows_are_refused(server):
    status, body = get(f"{server}/sparql?{urllib.parse.urlencode({'query': 'SELECT * WHERE { ?s ?p ?o }'})}")
    assert (status, body) == (413, "more than 5000 rows; narrow the query or add a LIMIT\n")


def test_a_hostile_parameter_is_harmless(server):
    hostile = 'x" ) } DROP ALL; #'
    query = urllib.parse.urlencode({"theme": hostile})
    status, body = get(f"{server}/api/queries/recommendations-by-theme?{query}")
    assert (status, len(body.splitlines())) == (200, 1)
    status, body = get(f"{server}/api/queries/authority-history?{urllib.parse.urlencode({'authority': hostile})}")
    assert status == 400 and body.startswith("no authority called")
    assert get(f"{server}/api/queries/stats")[1].replace("\r", "").count("judgements,48") == 1


def test_openapi_describes_every_stored_query(server):
    status, body = get(f"{server}/openapi.json", accept="application/json")
    document = json.loads(body)
    assert set(document["paths"]) == {f"/api/queries/{name}" for name in stored_queries()}
    history = document["paths"]["/api/queries/authority-history"]["get"]
    assert history["parameters"] == [{
        "name": "authority", "in": "query", "required": False,
        "schema": {"type": "string", "default": "Greenwich"},
        "example": "Stockton-on-Tees",
        "description": "an authority by name, Ofsted URN, DfE LA code or ONS GSS code"}]
    assert get(f"{server}/api/queries/no-such-query")[0] == 404


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(server):
    """As on the command line: a CSV download never hands a spreadsheet a formula; numbers
    stay numbers, and TSV keeps the value as it is."""
    query = ('SELECT ?cell ?number WHERE { VALUES (?cell ?number) '
             '{ ("=HYPERLINK(\\"http://x\\")" -3) ("@SUM(A1)" 2) ("plain" 1) } } ORDER BY ?number')
    status, body = get(f"{server}/sparql?{urllib.parse.urlencode({'query': query})}")
    assert status == 200
    assert list(csv.reader(io.StringIO(body))) == [
        ["cell", "number"], ['\'=HYPERLINK("http://x")', "-3"], ["plain", "1"], ["'@SUM(A1)", "2"]]
    status, body = get(f"{server}/sparql?{urllib.parse.urlencode({'query': query})}",
                       accept="text/tab-separated-values")
    assert body.splitlines()[1] == '"=HYPERLINK(\\"http://x\\")"\t"-3"^^<http://www.w3.org/2001/XMLSchema#integer>'
