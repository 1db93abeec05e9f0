"""The sample reports and the written articles pushed to real SPARQL servers (Oxigraph and
Virtuoso 7), then every stored query run on each and on the embedded store: equal rows."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ofsted_kg.errors import RemoteError
from ofsted_kg.push import Pusher, push
from ofsted_kg.query import prepare, stored_queries
from ofsted_kg.results import write_results
from ofsted_kg.store import open_store
from ofsted_kg.store.remote import RemoteEndpoint

from .servers import oxigraph_server, virtuoso_server

ARTICLES = Path(__file__).parent / "articles"
# 13 sample reports, eight articles, and the vocabulary, registry, links, derived and
# reconciliation graphs.
GRAPHS = 26
VIRTUOSO_USER = {"OFSTED_KG_ENDPOINT_USER": "dba", "OFSTED_KG_ENDPOINT_PASSWORD": "dba"}


@pytest.fixture(scope="module")
def shared_graph(sample_graph):
    """The thirteen sample reports (so that every stored query has rows to compare) and the
    eight written articles that claim grades (some wrongly, so that the conflicts query
    finds rows)."""
    return sample_graph


def _push(store_path: Path, endpoint: str, env: dict[str, str]) -> str:
    result = subprocess.run([sys.executable, "-m", "ofsted_kg", "push", "--endpoint", endpoint,
                             "--store", str(store_path)], capture_output=True, text=True,
                            env={**os.environ, **env}, timeout=600)
    assert result.returncode == 0, result.stderr
    return result.stderr


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def server(request, shared_graph, tmp_path_factory):
    """(name, query endpoint, the push command's summary) for each real server."""
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "oxigraph":
        with oxigraph_server(folder / "data") as url:
            yield request.param, f"{url}/query", _push(shared_graph, f"{url}/store", {})
    else:
        with virtuoso_server(folder) as url:
            pushed = _push(shared_graph, f"{url}/sparql-graph-crud-auth", VIRTUOSO_USER)
            yield request.param, f"{url}/sparql", pushed


def test_push_sends_every_graph(server):
    _, _, summary = server
    assert summary.startswith(f"{GRAPHS} graphs sent, 0 unchanged, 0 failed in ")


def _csv(results) -> list[str]:
    out = io.StringIO()
    write_results(results, "csv", out)
    lines = out.getvalue().splitlines()
    return lines[:1] + sorted(lines[1:])


# Only our graphs: Virtuoso keeps its own system graphs beside them.
COUNT = ("SELECT (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } "
         "FILTER (STRSTARTS(STR(?g), 'https://w3id.org/ofsted-kg/')) }")


def test_the_server_holds_exactly_the_embedded_triples(server, shared_graph):
    _, endpoint, _ = server
    store = open_store(shared_graph, read_only=True)
    try:
        local = _csv(store.query(COUNT))
    finally:
        store.close()
    assert _csv(RemoteEndpoint(endpoint).query(COUNT)) == local


def _cases() -> list[tuple[str, dict[str, str]]]:
    cases = []
    for name, query in sorted(stored_queries().items()):
        # With its defaults, unless it needs a value that has none (an authority).
        if not any(p.required and not p.default for p in query.parameters):
            cases.append((name, {}))
        example = {p.name: p.example for p in query.parameters if p.example}
        if example:
            cases.append((name, example))
    return cases


@pytest.fixture(scope="module")
def embedded(shared_graph):
    """The embedded store's rows for each case, computed once for both servers."""
    store = open_store(shared_graph, read_only=True)
    cache: dict[str, list[str]] = {}

    def rows(name: str, params: dict[str, str]) -> list[str]:
        key = f"{name} {sorted(params.items())}"
        if key not in cache:
            cache[key] = _csv(store.query(prepare(name, params)))
        return cache[key]
    yield rows
    store.close()


@pytest.mark.parametrize(("name", "params"), _cases(), ids=lambda value: str(value) if value else "defaults")
def test_every_stored_query_gives_the_same_rows_on_every_server(server, embedded, name, params):
    server_name, endpoint, _ = server
    local = embedded(name, params)
    remote = _csv(RemoteEndpoint(endpoint, timeout=120).query(prepare(name, params)))
    assert remote == local, f"{name} {params} differs on {server_name}"
    assert len(local) > 1, f"{name} {params} found nothing, so the comparison proves little"


def test_the_command_line_reads_the_server_like_the_store(server, shared_graph):
    _, endpoint, _ = server
    def run(*where):
        return subprocess.run([sys.executable, "-m", "ofsted_kg", "query", "inadequate-now", *where,
                               "--format", "csv"], capture_output=True, text=True).stdout
    assert run("--endpoint", endpoint) == run("--store", str(shared_graph))


# Nine reports and the vocabulary, registry, links and derived graphs.
KNOWN_GRAPHS = 13


def test_virtuoso_refuses_a_wrong_password_and_the_message_names_no_secret(sample_store, tmp_path):
    with virtuoso_server(tmp_path / "virtuoso") as url:
        env = {**os.environ, "OFSTED_KG_ENDPOINT_USER": "dba", "OFSTED_KG_ENDPOINT_PASSWORD": "wrong-s3cret"}
        result = subprocess.run([sys.executable, "-m", "ofsted_kg", "push", "--endpoint",
                                 f"{url}/sparql-graph-crud-auth", "--store", str(sample_store)],
                                capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"0 graphs sent, 0 unchanged, {KNOWN_GRAPHS} failed in ")
    assert all(": HTTP 401" in line for line in lines[1:]), lines[1]
    assert "wrong-s3cret" not in result.stderr


def test_a_push_cut_short_is_completed_by_running_it_again(sample_store, tmp_path, monkeypatch):
    """The first push stops after 5 graphs (the server goes away, as the test says);
    --only-changed then sends exactly the other 7, and the server holds every triple."""
    for key, value in VIRTUOSO_USER.items():
        monkeypatch.setenv(key, value)
    store = open_store(sample_store, read_only=True)
    try:
        with virtuoso_server(tmp_path / "virtuoso") as url:
            pusher = Pusher(f"{url}/sparql-graph-crud-auth", retries=0)
            send = pusher.put
            sent: list[str] = []

            def put_five_then_fail(graph, ntriples):
                if len(sent) == 5:
                    raise RemoteError("cannot reach the server after 1 tries (cut by the test)", url)
                send(graph, ntriples)
                sent.append(graph)

            pusher.put = put_five_then_fail
            first = push(store, pusher, only_changed=True)
            assert (len(first.sent), len(first.failed)) == (5, KNOWN_GRAPHS - 5)
            second = push(store, Pusher(f"{url}/sparql-graph-crud-auth"), only_changed=True)
            assert (len(second.sent), len(second.unchanged), second.failed) == (KNOWN_GRAPHS - 5, 5, [])
            assert _csv(RemoteEndpoint(f"{url}/sparql").query(COUNT)) == _csv(store.query(COUNT))
    finally:
        store.close()
