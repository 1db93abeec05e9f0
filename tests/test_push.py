"""push: the graph of real reports sent to a real Oxigraph server, then queried there."""

import subprocess
import sys

import pytest

from .servers import free_port, oxigraph_server


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "ofsted_kg", *args], capture_output=True, text=True, env=env)


def triples(url):
    out = subprocess.run([sys.executable, "-m", "ofsted_kg", "sparql", "-", "--endpoint", f"{url}/query",
                          "--format", "csv"], input="SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                         capture_output=True, text=True)
    return int(out.stdout.splitlines()[1])


@pytest.fixture(scope="module")
def pushed(sample_store, tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("server") / "data") as url:
        first = run("push", "--endpoint", f"{url}/store", "--store", str(sample_store))
        yield url, first


def test_push_sends_one_graph_per_report_and_the_reference_graphs(pushed):
    url, first = pushed
    assert first.returncode == 0, first.stderr
    # Nine reports, the vocabulary, the registry, the links between reports and the derived
    # graph (the reconciliation graph is empty: no articles here, so it is no graph).
    assert first.stderr.startswith("13 graphs sent, 0 unchanged, 0 failed in ")


def test_pushing_again_duplicates_nothing_and_only_changed_sends_nothing(pushed, sample_store):
    url, _ = pushed
    before = triples(url)
    again = run("push", "--endpoint", f"{url}/store", "--store", str(sample_store))
    assert again.stderr.startswith("13 graphs sent, 0 unchanged, 0 failed")
    assert triples(url) == before
    changed = run("push", "--endpoint", f"{url}/store", "--store", str(sample_store), "--only-changed")
    assert changed.stderr.startswith("0 graphs sent, 13 unchanged, 0 failed")


def test_sparql_update_fallback(sample_store, tmp_path):
    with oxigraph_server(tmp_path / "data") as url:
        result = run("push", "--endpoint", f"{url}/store", "--update-endpoint", f"{url}/update",
                     "--store", str(sample_store))
        assert result.returncode == 0, result.stderr
        assert result.stderr.startswith("13 graphs sent")
        assert triples(url) > 5000


def test_a_server_that_is_down_fails_cleanly_and_names_no_secret(sample_store):
    url = f"http://127.0.0.1:{free_port()}/store"
    env = {**__import__("os").environ, "OFSTED_KG_ENDPOINT_USER": "analyst",
           "OFSTED_KG_ENDPOINT_PASSWORD": "s3cret-pass"}
    result = run("push", "--endpoint", url, "--store", str(sample_store), "--retries", "1", env=env)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("0 graphs sent, 0 unchanged, 13 failed")
    assert "cannot reach the server after 2 tries ([Errno 111] Connection refused)" in lines[1]
    assert all(line.endswith("not sent: the server stopped answering") for line in lines[2:])
    assert "s3cret-pass" not in result.stderr and "analyst" not in result.stderr
