"""Kept answers: a query's answer is read back until the store is next written, never after."""

import hashlib
import shutil
import subprocess
import sys

import pytest

from ofsted_kg.build import build
from ofsted_kg.query import prepare
from ofsted_kg.store import open_store, write
from ofsted_kg.store.answers import ANSWERS_FOLDER
from ofsted_kg.store.generation import GENERATION_FILE

from .conftest import CORPUS

pytestmark = pytest.mark.corpus

GREENWICH = CORPUS / "80495_greenwich"
REPORTS = ["children's services inspection - 05 august 2016.pdf",
           "children's services inspection - 27 january 2020.pdf",
           "children's services inspection - 16 july 2024.pdf"]
HISTORY = prepare("authority-history", {"authority": "Greenwich"})


def starts(store, sparql=HISTORY):
    return [row["start_date"].value for row in store.query(sparql)]


def kept(path):
    return sorted(p.relative_to(path / ANSWERS_FOLDER).parts[0] for p in (path / ANSWERS_FOLDER).glob("*/*.tsv"))


@pytest.fixture
def two_reports(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in REPORTS[:2]:
        shutil.copy(GREENWICH / name, folder / name)
    path = tmp_path / "store"
    build([folder], path, workers=1)
    return folder, path


def test_an_answer_is_kept_until_the_store_is_written(two_reports):
    folder, path = two_reports
    generation = (path / GENERATION_FILE).read_text().strip()
    assert starts(open_store(path, read_only=True)) == ["2016-05-23", "2019-12-09"]
    assert kept(path) == [generation]

    # The next reader gets the kept answer, not the engine's: shown by altering it (with
    # its digest; one altered without is refused, as the next test shows).
    answer = next((path / ANSWERS_FOLDER / generation).glob("*.tsv"))
    rows = answer.read_bytes().partition(b"\n")[2].replace(b"2016-05-23", b"2016-05-24")
    answer.write_bytes(hashlib.sha256(rows).hexdigest().encode() + b"\n" + rows)
    assert starts(open_store(path, read_only=True)) == ["2016-05-24", "2019-12-09"]
    assert starts(open_store(path, read_only=True, keep_answers=False)) == ["2016-05-23", "2019-12-09"]

    shutil.copy(GREENWICH / REPORTS[2], folder / REPORTS[2])
    assert len(build([folder], path, workers=1).ingested) == 1
    renamed = (path / GENERATION_FILE).read_text().strip()
    assert renamed != generation
    assert starts(open_store(path, read_only=True)) == ["2016-05-23", "2019-12-09", "2024-06-03"]
    assert kept(path) == [renamed]  # the answers of the earlier generation are gone


def test_an_unchanged_rebuild_keeps_the_answers(two_reports):
    folder, path = two_reports
    starts(open_store(path, read_only=True))
    generation = (path / GENERATION_FILE).read_text()
    assert len(build([folder], path, workers=1).unchanged) == 2
    assert (path / GENERATION_FILE).read_text() == generation
    assert len(kept(path)) == 1


def test_a_reader_opened_before_a_write_keeps_nothing(two_reports):
    folder, path = two_reports
    early = open_store(path, read_only=True)
    with write(open_store(path)) as writer:
        writer.replace_graph("urn:example:graph", "<urn:example:a> <urn:example:b> <urn:example:c> .")
    assert starts(early) == ["2016-05-23", "2019-12-09"]  # the write did not touch these
    assert kept(path) == []


def test_a_damaged_answer_is_ignored(two_reports):
    _, path = two_reports
    starts(open_store(path, read_only=True))
    (answer,) = (path / ANSWERS_FOLDER).glob("*/*.tsv")
    original = answer.read_bytes()
    answer.write_bytes(original.replace(b"2016-05-23", b"2016-05-24"))  # the digest no longer matches
    assert starts(open_store(path, read_only=True)) == ["2016-05-23", "2019-12-09"]
    answer.write_bytes(original[: len(original) // 2])  # cut short
    assert starts(open_store(path, read_only=True)) == ["2016-05-23", "2019-12-09"]


def test_a_store_without_a_generation_keeps_nothing(two_reports):
    _, path = two_reports
    (path / GENERATION_FILE).unlink()
    assert starts(open_store(path, read_only=True)) == ["2016-05-23", "2019-12-09"]
    assert not (path / ANSWERS_FOLDER).exists()
    open_store(path).close()  # opening it for writing names a generation again
    assert len((path / GENERATION_FILE).read_text().strip()) == 32


@pytest.mark.parametrize("sparql", [
    "SELECT (NOW() AS ?now) WHERE {}",
    "SELECT (STRUUID() AS ?id) WHERE {}",
    "SELECT (NOW #x\n() AS ?now) WHERE {}",  # a comment between the name and its bracket
    "SELECT (rand ( ) AS ?r) WHERE {}",
    "CONSTRUCT { ?i <urn:example:start> ?day } WHERE {"
    " ?i a <https://w3id.org/ofsted-kg/def#Inspection> ; <https://w3id.org/ofsted-kg/def#startDate> ?day }",
])
def test_answers_that_change_by_themselves_and_graphs_are_not_kept(two_reports, sparql):
    _, path = two_reports
    store = open_store(path, read_only=True)
    answer = list(store.query(sparql))
    if "CONSTRUCT" in sparql:
        assert sorted(t.object.value for t in answer) == ["2016-05-23", "2019-12-09"]
    else:
        assert len(answer) == 1
    assert kept(path) == []


def test_no_cache_on_the_command_line(two_reports):
    _, path = two_reports

    def stats(*flags):
        return subprocess.run([sys.executable, "-m", "ofsted_kg", "query", "stats", "--store", str(path),
                               "--format", "csv", *flags], capture_output=True, text=True, check=True).stdout

    assert stats("--no-cache").endswith("judgements,11\nrecommendations,16\nreports,2\n")
    assert kept(path) == []
    assert stats() == stats("--no-cache")
    assert len(kept(path)) == 1


def test_an_answer_with_a_value_over_16_mib_is_handed_on_and_not_kept(two_reports):
    """Counted before anything is written: no MemoryError, and the whole value comes back."""
    _, path = two_reports
    doubling = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(21))
    sparql = f'SELECT ?s21 WHERE {{ BIND("0123456789abcdef" AS ?s0) {doubling} }}'
    rows = list(open_store(path, read_only=True).query(sparql))
    assert [len(row["s21"].value) for row in rows] == [16 * 2**21]
    assert kept(path) == []
