"""Full-text search: ranked hits with authority, date, page and matched words; filters; the
HTTP route; and an index that never disagrees with the store, even after a killed build."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest

from ofsted_kg import open_graph
from ofsted_kg.build import build
from ofsted_kg.search import index_path, search
from ofsted_kg.store import open_store, read_generation

from .servers import free_port, wait_for

GREENWICH_2020 = "80495_greenwich/children's services inspection - 27 january 2020.pdf"


@pytest.fixture(scope="module")
def greenwich(tmp_path_factory, sample_reports):
    """The three sample reports of Greenwich (tests/sample_reports.py)."""
    path = tmp_path_factory.mktemp("search") / "store"
    summary = build([sample_reports / "80495_greenwich"], path, workers=1)
    assert (len(summary.ingested), summary.failed) == (3, [])
    return path


def test_care_leavers_accommodation_ranks_the_paragraph_that_says_so_first(greenwich):
    hits = search(greenwich, "care leavers accommodation", authority="Greenwich", since="2019-01-01")
    # Greenwich 2024 paragraph 6 (page 2) says that personal advisers help care leavers to
    # find suitable accommodation; 2020 paragraph 4 is about care leavers, not accommodation,
    # and the 2016 report is older than the date given.
    assert [(h.authority, h.date, h.kind, h.paragraph, h.page) for h in hits] == [
        ("Greenwich", "2024-06-03", "finding", 6, 2)]
    assert hits[0].matched == ["accommodation", "care", "leavers"]
    assert "[accommodation]" in hits[0].snippet
    assert all(hit.date >= "2019-01-01" for hit in hits)


def test_filters_by_polarity_service_and_latest(greenwich):
    hits = search(greenwich, "multi agency safeguarding hub", service="mash", limit=50)
    assert hits and all("mash" in hit.services for hit in hits)
    latest = search(greenwich, "social workers", latest=True, limit=200)
    assert {hit.date for hit in latest} == {"2024-06-03"}
    weaknesses = search(greenwich, "social workers", polarity="area-for-improvement", limit=200)
    assert weaknesses and {hit.polarity for hit in weaknesses} == {"area-for-improvement"}
    with open_graph(greenwich) as graph:
        found = graph.search("social workers", limit=200)
    assert len(found) == len(search(greenwich, "social workers", limit=200))


def _get(url: str) -> tuple[int, object]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_serve_answers_a_search_over_http(greenwich, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "ofsted_kg", "serve", "--store", str(greenwich),
                                    "--port", str(port)], stdout=sink, stderr=subprocess.STDOUT)
    try:
        wait_for(port, process, log)
        query = urllib.parse.urlencode({"q": "care leavers accommodation", "authority": "Greenwich",
                                        "since": "2019-01-01", "limit": "1"})
        status, hits = _get(f"http://127.0.0.1:{port}/api/search?{query}")
        assert status == 200
        assert [(h["paragraph"], h["page"], h["matched"]) for h in hits] == [
            (6, 2, ["accommodation", "care", "leavers"])]
        assert _get(f"http://127.0.0.1:{port}/api/search")[0] == 400
        assert _get(f"http://127.0.0.1:{port}/api/search?q=x&polarity=nice")[0] == 400
    finally:
        process.terminate()
        process.wait(10)


_CONTAINING = """
PREFIX ofsted: <https://w3id.org/ofsted-kg/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?node WHERE {
  { ?i ofsted:finding ?node } UNION { ?i ofsted:recommendation ?node }
  ?node dcterms:description ?text . FILTER (REGEX(?text, "(^|[^a-z])cafcass([^a-z]|$)", "i"))
}"""


def _store_nodes(path) -> set[str]:
    """What a reader of the store finds (during a write, or after one killed part way, the
    store as it was before the write began)."""
    store = open_store(path, read_only=True, keep_answers=False)
    nodes = {row["node"].value for row in store.query(_CONTAINING)}
    store.close()
    return nodes


def _report_graphs(path) -> int:
    try:
        store = ox.Store.read_only(str(path))
    except (OSError, RuntimeError):  # opened beside the writer at a bad moment: ask again
        return 0
    count = sum(1 for g in store.named_graphs() if "/report/" in g.value)
    del store
    return count


def test_the_index_never_disagrees_with_the_store_after_a_killed_build(tmp_path, sample_reports):
    path = tmp_path / "store"
    assert build([sample_reports / GREENWICH_2020], path, workers=1).failed == []
    before = search(path, "Cafcass", limit=10_000)
    assert {hit.iri for hit in before} == _store_nodes(path)
    indexed_at = read_generation(path)

    reports = [*sorted((sample_reports / "80563_stockton-on-tees").glob("*.pdf")),
               *sorted((sample_reports / "80556_south gloucestershire").glob("*.pdf"))]
    process = subprocess.Popen([sys.executable, "-m", "ofsted_kg", "build", *map(str, reports),
                                "--store", str(path), "-j", "1"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        # The sample reports build in a fraction of a second each: kill as soon as one more
        # report is stored, with five still to come, so the kill lands mid-build.
        while _report_graphs(path) < 2 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    stored = _report_graphs(path)
    assert 2 <= stored < 1 + len(reports)
    assert read_generation(path) != indexed_at

    # Readers, the index included, see the store as it was before the killed build.
    after = search(path, "Cafcass", limit=10_000)
    assert {hit.iri for hit in after} == _store_nodes(path) == {hit.iri for hit in before}
    assert index_path(path).exists()
    # The next build completes the store, and the index follows it.
    assert build(reports, path, workers=1).failed == []
    done = search(path, "Cafcass", limit=10_000)
    assert {hit.iri for hit in done} == _store_nodes(path)
    assert len(done) > len(before)


def test_search_command_prints_csv_and_refuses_a_bad_date(greenwich):
    command = [sys.executable, "-m", "ofsted_kg", "search", "care leavers accommodation",
               "--store", str(greenwich), "--authority", "Greenwich", "--since", "2019-01-01", "--limit", "2",
               "--format", "csv"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "authority,date,kind,paragraph,page,polarity,services,matched,snippet,iri"
    assert [line.split(",")[:5] for line in lines[1:]] == [["Greenwich", "2024-06-03", "finding", "6", "2"]]
    bad = subprocess.run([*command[:-2], "--since", "last year"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert "'last year' is not a date (YYYY-MM-DD)" in bad.stderr
