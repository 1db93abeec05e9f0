"""Every write takes one path, so the order of loads and builds changes nothing: a file
loaded before the reports it describes, or after, leaves the same derived graphs and the
same answer to every stored query."""

import shutil
import subprocess
import sys

import pytest

from ofsted_kg.store import open_store

from .test_load import answers

pytestmark = pytest.mark.corpus

GREENWICH = ["children's services inspection - 05 august 2016.pdf",
             "children's services inspection - 27 january 2020.pdf"]
# Greenwich's 2019 ILACS inspection as its report (published 24 January 2020) grades it.
GREENWICH_2019 = ("authority,framework,kind,start_date,end_date,publication_date,overall-effectiveness,"
                  "impact-of-leaders,help-and-protection,children-in-care-and-care-leavers\n"
                  "Greenwich,ilacs,inspection,2019-12-09,2019-12-13,2020-01-24,good,good,good,good\n")
DERIVED = ("graph/derived>", "graph/links>", "graph/reconciliation>")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ofsted_kg", *args], capture_output=True, text=True)


def quads(store_path) -> list[str]:
    store = open_store(store_path, read_only=True, keep_answers=False)
    try:
        return sorted(str(q) for q in store.quads())
    finally:
        store.close()


@pytest.fixture(scope="module")
def files(corpus, tmp_path_factory):
    """The two Greenwich reports (the 2020 one mentions the 2016 inspection, so there are
    links to derive), a CSV row of the 2019 inspection, and the 2016 report's graph as
    Turtle, exported from a store that holds only it."""
    folder = tmp_path_factory.mktemp("files")
    reports = folder / "reports"
    reports.mkdir()
    for name in GREENWICH:
        shutil.copy(corpus / "80495_greenwich" / name, reports / name)
    (folder / "greenwich-2019.csv").write_text(GREENWICH_2019)
    scratch = folder / "scratch"
    (scratch / "in").mkdir(parents=True)
    shutil.copy(reports / GREENWICH[0], scratch / "in" / GREENWICH[0])
    assert run("build", str(scratch / "in"), "--store", str(scratch / "graph"), "-j", "1").returncode == 0
    exported = run("export", "--store", str(scratch / "graph"), "--authority", "Greenwich")
    assert exported.returncode == 0, exported.stderr
    (folder / "greenwich-2016.ttl").write_text(exported.stdout)
    return folder


def test_load_then_build_is_build_then_load(files, tmp_path):
    loaded = [str(files / "greenwich-2019.csv"), str(files / "greenwich-2016.ttl")]
    first, second = tmp_path / "load-first", tmp_path / "build-first"

    result = run("load", *loaded, "--store", str(first))
    assert result.returncode == 0, result.stderr
    assert [line.split(":")[0] for line in result.stderr.splitlines()] == [
        "loaded greenwich-2019.csv", "loaded greenwich-2016.ttl"]
    result = run("build", str(files / "reports"), "--store", str(first), "-j", "1")
    assert result.returncode == 0, result.stderr
    # The 2016 report is stored already (the Turtle holds its graph); the 2020 one is read,
    # and takes the place of the CSV row, whose facts it states.
    assert result.stderr.startswith("1 ingested, 0 stored with problems, 1 unchanged, 0 failed"), result.stderr

    assert run("build", str(files / "reports"), "--store", str(second), "-j", "1").returncode == 0
    result = run("load", *loaded, "--store", str(second))
    assert result.returncode == 0, result.stderr
    assert [line.split(":")[0] for line in result.stderr.splitlines()] == [
        "unchanged greenwich-2019.csv", "unchanged greenwich-2016.ttl"]

    derived_first = [q for q in quads(first) if q.endswith(DERIVED)]
    # Paragraph 32 of Greenwich 2020 (page 7) names "the previous inspection in 2016".
    assert [q.split()[0] for q in derived_first if q.endswith("graph/links>")] == [
        "<https://w3id.org/ofsted-kg/id/inspection/80495/ilacs/2019-12-09/finding/32/mentions/2016>"]
    assert derived_first == [q for q in quads(second) if q.endswith(DERIVED)]
    assert answers(first) == answers(second)
    # Nothing of the CSV row is left beside the report that states it.
    assert not [q for q in quads(first) if "greenwich-2019-csv" in q]


def test_a_replaced_inspection_stays_replaced_and_is_described_once(files, tmp_path):
    store = tmp_path / "graph"
    assert run("build", str(files / "reports"), "--store", str(store), "-j", "1").returncode == 0
    other = tmp_path / "other.csv"
    other.write_text(GREENWICH_2019.replace("good,good,good,good", "good,outstanding,good,good"))
    result = run("load", str(other), "--replace", "--store", str(store))
    assert result.returncode == 0, result.stderr
    # Nothing of the report's description remains: not its report node, nor its findings.
    stored = quads(store)
    assert not [q for q in stored if "/report/" in q and "2019-12-09" in q]
    assert not [q for q in stored if "inspection/80495/ilacs/2019-12-09/finding/" in q]

    # A rebuild reads the report again, but does not store it beside the loaded row.
    result = run("build", str(files / "reports"), "--store", str(store), "-j", "1")
    assert result.returncode == 0, result.stderr
    assert ("is not stored: a loaded file states otherwise an inspection it describes (unload <"
            in result.stderr)
    assert quads(store) == stored
    history = run("query", "authority-history", "-p", "authority=Greenwich", "--store", str(store),
                  "--format", "csv").stdout.splitlines()
    assert len(history) == 3
    assert "impact-of-leaders=outstanding" in history[2]
