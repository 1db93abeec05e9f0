"""serve under attack: the real server, real hostile clients and real misbehaving servers on loopback."""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

from .servers import free_port, wait_for
from .test_serve import get

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
DEEP = "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }"
REPORTS = "SELECT (COUNT(*) AS ?n) WHERE { ?r a <https://w3id.org/ofsted-kg/def#Report> }"


@contextmanager
def serving(store: Path, *options: str):
    """`ofsted-kg serve` on a free port with these options; yields (base URL, log path)."""
    port = free_port()
    log = store.parent / f"serve-{port}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "ofsted_kg", "serve", "--store", str(store), "--port",
                                    str(port), *options], stdout=sink, stderr=subprocess.STDOUT)
    wait_for(port, process, log)
    try:
        yield f"http://127.0.0.1:{port}", log
    finally:
        process.terminate()
        process.wait(10)


def sparql_url(server: str, query: str) -> str:
    return f"{server}/sparql?{urllib.parse.urlencode({'query': query})}"


def raw(port: int, request: bytes, wait: float = 30) -> tuple[bytes, float]:
    """Send bytes as they are; (what came back until the server closed, seconds taken)."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        sock.sendall(request)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    return received, time.monotonic() - started


@pytest.fixture(scope="module")
def server(sample_store):
    with serving(sample_store, "--timeout", "2", "--workers", "1", "--max-body", "65536",
                 "--header-timeout", "2", "--max-waiting", "2") as (url, _):
        yield url


@pytest.fixture(scope="module")
def port(server):
    return int(server.rsplit(":", 1)[1])


# --- 1. parameters -------------------------------------------------------------------------

def test_a_value_naming_another_parameter_finds_nothing(server):
    query = urllib.parse.urlencode({"framework": "ilacs", "theme": '") } UNION { ?s ?p ?o } #?__framework_string'})
    status, body = get(f"{server}/api/queries/recommendations-by-theme?{query}")
    assert (status, body.splitlines()) == (200, ["authority,authority_urn,framework,start_date,order,page,"
                                                 "recommendation"])


# --- 2. no requests out ----------------------------------------------------------------------

class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_POST(self):  # noqa: N802 - the standard library's name
        self.seen.append(self.path)
        body = b"secret internal answer"
        self.send_response(500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST  # noqa: N815

    def log_message(self, *args):
        pass


@pytest.fixture
def internal_service():
    """An 'internal' HTTP service on loopback that records every request it gets."""
    _Recorder.seen = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/sparql", _Recorder.seen
    httpd.shutdown()


def test_service_is_refused_everywhere_and_nothing_is_sent(server, sample_store, internal_service):
    target, seen = internal_service
    for query in (f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
                  f"SELECT * WHERE {{ BIND(<{target}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
                  f"select * where {{ service silent <{target}> {{ ?s ?p ?o }} }}",
                  # '<' read as less-than by the engine, as an IRI by a careless lexer
                  f"SELECT * WHERE {{ BIND(<{target}> AS ?c) BIND(1 AS ?a) BIND(2 AS ?b) "
                  "FILTER(?a<?b)SERVICE?c#>\n{ ?s ?p ?o } }"):
        status, body = get(sparql_url(server, query))
        assert status == 400, body
        assert body.startswith("SERVICE (") and "is refused" in body and "secret" not in body
        assert len(body.splitlines()) == 1
    cli = subprocess.run([sys.executable, "-m", "ofsted_kg", "sparql", "-", "--store", str(sample_store)],
                         input=f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
                         capture_output=True, text=True)
    assert (cli.returncode, cli.stderr.startswith("Error: SERVICE (<")) == (2, True)
    from ofsted_kg import open_graph
    from ofsted_kg.query_safety import QueryRefused

    with pytest.raises(QueryRefused):
        open_graph(sample_store).sparql(f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}")
    assert seen == []


def test_an_allowed_endpoint_is_called(sample_store, internal_service):
    target, seen = internal_service
    cli = subprocess.run([sys.executable, "-m", "ofsted_kg", "sparql", "-", "--store", str(sample_store),
                          "--allow-service", target],
                         input=f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
                         capture_output=True, text=True)
    assert cli.returncode == 2
    assert seen == ["/sparql"]


def test_the_host_header_must_name_the_server(port):
    for host, status in (("evil.example", 400), (f"localhost:{port}", 200), (f"127.0.0.1:{port}", 200)):
        answer, _ = raw(port, f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        assert answer.startswith(f"HTTP/1.1 {status} ".encode()), answer[:80]


def test_no_local_path_in_errors(server, sample_store):
    status, body = get(sparql_url(server, "SELECT * WHERE { ?s ?p }"))
    assert status == 400 and str(sample_store) not in body and str(sample_store.parent) not in body


# --- 3. a query cannot kill what runs it ----------------------------------------------------------

def test_ten_thousand_nested_brackets_are_refused_everywhere(server, sample_store):
    expected = "the query is too complex (nested more than 128 deep)"
    status, body = get(f"{server}/sparql", data=DEEP.encode(), content_type="application/sparql-query")
    assert (status, body) == (400, expected + "\n")
    cli = subprocess.run([sys.executable, "-m", "ofsted_kg", "sparql", "-", "--store", str(sample_store)],
                         input=DEEP, capture_output=True, text=True)
    assert (cli.returncode, cli.stderr) == (2, f"Error: {expected}\n")
    from ofsted_kg import open_graph
    from ofsted_kg.query_safety import QueryTooComplex

    with pytest.raises(QueryTooComplex, match=r"^the query is too complex \(nested more than 128 deep\)$"):
        open_graph(sample_store).sparql(DEEP)
    assert get(f"{server}/api/queries/stats")[0] == 200


def test_a_worker_that_dies_is_replaced_and_its_request_told(sample_store, tmp_path):
    """A 1 KB query doubling a string 30 times: the worker's memory cap ends it."""
    doubling = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(30))
    hungry = f'SELECT (STRLEN(?s30) AS ?n) WHERE {{ BIND("0123456789abcdef" AS ?s0) {doubling} }}'
    with serving(sample_store, "--timeout", "30", "--workers", "1", "--worker-memory", "1024") as (url, _):
        for _ in range(3):  # again and again: never a dead worker handed out, never a 500
            status, body = get(f"{url}/sparql", data=hungry.encode(), content_type="application/sparql-query")
            assert (status, body) == (503, "the query needs more memory than a query may have (its worker was "
                                           "stopped); narrow the query\n")
            status, body = get(sparql_url(url, REPORTS))
            assert (status, body.replace("\r", "")) == (200, "n\n9\n")


# --- 4. fresh and consistent ------------------------------------------------------------------------

def test_the_server_follows_a_build_at_once(tmp_path, sample_reports):
    folder = tmp_path / "in"
    shutil.copytree(sample_reports / "80495_greenwich", folder / "80495_greenwich")
    store = tmp_path / "graph"
    subprocess.run([sys.executable, "-m", "ofsted_kg", "build", str(folder), "--store", str(store), "-j", "1"],
                   check=True, capture_output=True)
    with serving(store, "--workers", "2") as (url, _):
        def ask():
            request = urllib.request.Request(sparql_url(url, REPORTS), headers={"Accept": "text/csv"})
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.read().decode().replace("\r", ""), response.headers["X-Ofsted-KG-Generation"]

        before = {ask() for _ in range(4)}
        assert len(before) == 1 and next(iter(before))[0] == "n\n3\n"
        shutil.copytree(sample_reports / "80563_stockton-on-tees", folder / "80563_stockton-on-tees")
        subprocess.run([sys.executable, "-m", "ofsted_kg", "build", str(folder), "--store", str(store), "-j", "1"],
                       check=True, capture_output=True)
        generation = (store / "ofsted-kg-generation").read_text().strip()
        after = {ask() for _ in range(4)}  # both workers, at once: no old answer from either
        assert after == {("n\n6\n", generation)}



# --- 5. limits ---------------------------------------------------------------------------------------

def test_a_body_over_the_limit_is_refused(server):
    status, body = get(f"{server}/sparql", data=b"#" * 70_000, content_type="application/sparql-query")
    assert (status, body) == (413, "the request body is over 65,536 bytes\n")


def test_a_body_that_never_completes_times_out(port):
    answer, seconds = raw(port, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/"
                                b"sparql-query\r\nContent-Length: 100\r\n\r\nSELECT")
    assert answer.startswith(b"HTTP/1.1 408 ") and answer.endswith(b"the request body did not arrive in time\n")
    assert seconds < 2 + 1


def test_headers_that_never_complete_are_cut_off(port):
    answer, seconds = raw(port, b"GET /sparql?query=ASK{} HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    assert answer == b"" and 2 <= seconds < 2 + 1


def test_the_deadline_counts_the_wait_for_a_worker(server):
    """One worker, a 2 s limit: slow queries behind each other are all answered within
    2 s (+1) of being sent; beyond the two that may wait, a 503 at once."""
    def timed(_):
        started = time.monotonic()
        status, body = get(sparql_url(server, SLOW))
        return status, body, time.monotonic() - started

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(timed, range(6)))
    assert all(seconds < 3 for _, _, seconds in answers), answers
    assert {(status, body) for status, body, _ in answers} <= {
        (503, "the query was stopped at its time limit (2 s)\n"),
        (503, "no query worker was free before the time limit; try again shortly (2 s)\n"),
        (503, "the server has too many queries waiting; try again shortly\n")}
    assert any(body.startswith("the server has too many") for _, body, _ in answers)
    time.sleep(1.5)  # the replacement worker opens the store
    assert get(f"{server}/api/queries/stats")[0] == 200


def test_limits_are_documented(server):
    help_text = subprocess.run([sys.executable, "-m", "ofsted_kg", "serve", "--help"], capture_output=True,
                               text=True).stdout
    for option in ("--timeout", "--worker-memory", "--max-waiting", "--max-connections", "--max-body",
                   "--max-query-chars", "--max-depth", "--header-timeout", "--keep-alive", "--allowed-host",
                   "--allow-service"):
        assert option in help_text
    description = json.loads(get(f"{server}/openapi.json", accept="application/json")[1])["info"]["description"]
    assert "an answer within 2 s of the request's arrival" in description
    assert "a body of 65,536 bytes" in description and "request headers within 2 s" in description


# --- 7. protocol -------------------------------------------------------------------------------------

def test_results_xml_for_select_and_ask(server):
    status, body = get(sparql_url(server, REPORTS), accept="application/sparql-results+xml")
    assert (status, body) == (200, '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                                   '\n<head><variable name="n"/></head>\n<results>\n<result><binding name="n">'
                                   '<literal datatype="http://www.w3.org/2001/XMLSchema#integer">9</literal>'
                                   '</binding></result>\n</results>\n</sparql>\n')
    status, body = get(sparql_url(server, "ASK {}"), accept="application/sparql-results+xml")
    assert body.endswith("<head/>\n<boolean>true</boolean>\n</sparql>\n")


def test_q_values_are_honoured(server):
    status, body = get(sparql_url(server, REPORTS), accept="text/csv;q=0.5, text/tab-separated-values")
    assert body == "?n\n\"9\"^^<http://www.w3.org/2001/XMLSchema#integer>\n"
    status, body = get(sparql_url(server, REPORTS), accept="text/tab-separated-values;q=0.1, text/csv;q=0.9")
    assert body.replace("\r", "") == "n\n9\n"

    # A weight that is not a qvalue ("nan" read as a number sorted as the best) wants nothing.
    status, body = get(sparql_url(server, REPORTS), accept="text/csv;q=nan, text/tab-separated-values;q=0.5")
    assert body == "?n\n\"9\"^^<http://www.w3.org/2001/XMLSchema#integer>\n"


def test_a_query_or_a_parameter_given_twice_is_400(server):
    twice = urllib.parse.urlencode([("query", "ASK {}"), ("query", REPORTS)])
    assert get(f"{server}/sparql?{twice}") == (400, "give one SPARQL query as 'query', not 2\n")
    assert get(f"{server}/sparql", data=twice.encode(), content_type="application/x-www-form-urlencoded") == (
        400, "give one SPARQL query as 'query', not 2\n")
    both = urllib.parse.urlencode([("authority", "Greenwich"), ("authority", "Stockton-on-Tees")])
    assert get(f"{server}/api/queries/authority-history?{both}") == (
        400, "give each parameter once (authority given more than once)\n")
    # format= too: the first of two was taken, where every other parameter given twice is refused.
    formats = urllib.parse.urlencode([("format", "csv"), ("format", "json")])
    assert get(f"{server}/api/queries/authorities?{formats}") == (
        400, "give each parameter once (format given more than once)\n")


@pytest.mark.parametrize("path", ["a b", '"><script>', "x>", "a\x00b", "{}"])
def test_a_path_that_makes_no_iri_is_404(server, path):
    """It was a 500 and a traceback on the log: the path is read as an IRI of the graph."""
    status, body = get(f"{server}/id/authority/{urllib.parse.quote(path)}", accept="text/turtle")
    iri = f"https://w3id.org/ofsted-kg/id/authority/{path}"
    assert (status, body) == (404, f"nothing is known about {iri!r}: it is not an IRI\n")


def test_head_is_answered(port):
    answer, _ = raw(port, b"HEAD /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 ") and b"x-ofsted-kg-generation: " in head and body == b""


def test_a_body_that_is_not_utf8_is_400(server):
    status, body = get(f"{server}/sparql", data=b"ASK {} \xff\xfe", content_type="application/sparql-query")
    assert (status, body) == (400, "the request body is not UTF-8\n")
    status, body = get(f"{server}/sparql", data=b"query=ASK%7B%7D%FF",
                       content_type="application/x-www-form-urlencoded")
    assert (status, body) == (400, "the form is not UTF-8\n")


def test_triple_terms_are_written(server):
    query = 'SELECT ?t WHERE { BIND(<<( <http://a> <http://b> "c" )>> AS ?t) }'
    status, body = get(sparql_url(server, query), accept="application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"] == [{"t": {"type": "triple", "value": {
        "subject": {"type": "uri", "value": "http://a"}, "predicate": {"type": "uri", "value": "http://b"},
        "object": {"type": "literal", "value": "c"}}}}]
    status, body = get(sparql_url(server, query), accept="text/csv")
    assert (status, body) == (200, 't\r\n"<<( <http://a> <http://b> ""c"" )>>"\r\n')


def test_a_port_in_use_is_one_line_before_serving(sample_store, port):
    result = subprocess.run([sys.executable, "-m", "ofsted_kg", "serve", "--store", str(sample_store), "--port",
                             str(port)], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (2, f"Error: cannot listen on 127.0.0.1 port {port}: "
                                                     "the port is in use\n")
