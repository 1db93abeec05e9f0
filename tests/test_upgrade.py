"""Upgrading the reader upgrades the graph: a store made by an earlier reader is read again.

The previous release (the commit below, taken from this repository's history) builds a
store of five reports: it stores three and refuses the two of 2026 whose layout it did
not know. The current reader, run on that store, reads every report again and ends with
the graph a fresh build makes, to the byte.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

import pytest

from tests.conftest import CORPUS

#: The last release before reports were stored with their problems (issue 15).
PREVIOUS_RELEASE = "48312bf"
REPOSITORY = Path(__file__).resolve().parents[1]
REPORTS = [
    "80495_greenwich/children's services inspection - 05 august 2016.pdf",
    "80495_greenwich/children's services inspection - 27 january 2020.pdf",
    "80495_greenwich/children's services inspection - 16 july 2024.pdf",
    "80449_bradford/children's services inspection - 21 may 2026.pdf",  # a trust in the title
    "2637539_north northamptonshire/children's services inspection - 07 july 2026.pdf",  # no overall grade
]


def _previous_release(into: Path) -> Path:
    """The previous release's package and data files, unpacked from git."""
    archive = subprocess.run(["git", "-C", str(REPOSITORY), "archive", "--format=tar", PREVIOUS_RELEASE,
                              "src", "ontology", "shapes", "queries"], capture_output=True)
    if archive.returncode != 0:
        pytest.skip(f"the previous release {PREVIOUS_RELEASE} is not in this clone's history")
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def _run(*args: str, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run([sys.executable, "-m", "ofsted_kg", *args], capture_output=True, text=True, env=env)


def _export(store: Path) -> bytes:
    command = [sys.executable, "-m", "ofsted_kg", "export", "--format", "nquads", "--store", str(store)]
    return subprocess.run(command, capture_output=True, check=True).stdout


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reports")
    for number, report in enumerate(REPORTS):
        (folder / f"report-{number}.pdf").symlink_to(CORPUS / report)
    return folder


@pytest.mark.corpus
def test_a_store_of_the_previous_release_is_read_again(tmp_path, folder):
    old = _previous_release(tmp_path / "previous")
    store = tmp_path / "store"
    before = _run("build", str(folder), "--store", str(store), pythonpath=old)
    assert before.returncode == 1
    assert before.stderr.startswith("3 ingested, 0 unchanged, 2 failed")
    after = _run("build", str(folder), "--store", str(store))
    assert after.returncode == 0, after.stderr
    assert after.stderr.startswith("5 ingested (3 re-read by a new reader), 0 stored with problems, 0 unchanged, "
                                   "0 failed")
    fresh = tmp_path / "fresh"
    assert _run("build", str(folder), "--store", str(fresh)).returncode == 0
    assert _export(store) == _export(fresh)
    again = _run("build", str(folder), "--store", str(store))
    assert again.stderr.startswith("0 ingested, 0 stored with problems, 5 unchanged, 0 failed")


def test_a_full_build_after_no_findings_reads_the_findings(tmp_path, sample_reports):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "greenwich-2016.pdf").symlink_to(sample_reports / REPORTS[0])
    store = tmp_path / "store"
    assert _run("build", str(folder), "--store", str(store), "--no-findings").returncode == 0
    count = ["sparql", "-", "--store", str(store), "--format", "csv"]
    findings = "SELECT (COUNT(*) AS ?n) WHERE { ?f a <https://w3id.org/ofsted-kg/def#Finding> }"
    assert subprocess.run([sys.executable, "-m", "ofsted_kg", *count], input=findings, capture_output=True,
                          text=True).stdout.split() == ["n", "0"]
    rebuilt = _run("build", str(folder), "--store", str(store))
    assert rebuilt.stderr.startswith("1 ingested (1 re-read by a new reader), 0 stored with problems")
    fresh = tmp_path / "fresh"
    assert _run("build", str(folder), "--store", str(fresh)).returncode == 0
    assert _export(store) == _export(fresh)
