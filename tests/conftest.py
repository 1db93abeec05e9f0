"""Shared fixtures: the real corpus beside the repository, and a store built from it once."""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import pytest

CORPUS = Path(os.environ.get("OFSTED_REPORTS", Path(__file__).resolve().parents[2] / "shared" / "ofsted-reports"))
EXPECTED = Path(__file__).parent / "expected"
# The findings tagger's training code is development tooling beside its benchmark, not
# part of the installed package; its tests import it from there.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))


def pytest_collection_modifyitems(config, items):
    if CORPUS.is_dir():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"the corpus is missing at {CORPUS}; CI must have ../shared")
    skip = pytest.mark.skip(reason=f"the report corpus is not at {CORPUS}")
    for item in items:
        if "corpus" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def corpus() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The whole corpus built once into an on-disk store: (store path, summary)."""
    from ofsted_kg.build import build

    path = tmp_path_factory.mktemp("store") / "graph"
    summary = build([CORPUS], path, workers=2)
    return path, summary


KNOWN_AUTHORITIES = ("80495_greenwich", "80563_stockton-on-tees", "80556_south gloucestershire")


@pytest.fixture(scope="session")
def known_store(tmp_path_factory):
    """Every report of Greenwich, Stockton-on-Tees and South Gloucestershire (nine, all read
    by hand into tests/expected/), built into a store."""
    from ofsted_kg.build import build

    path = tmp_path_factory.mktemp("known") / "graph"
    summary = build([CORPUS / folder for folder in KNOWN_AUTHORITIES], path, workers=1)
    assert (len(summary.ingested), summary.failed) == (9, [])
    return path


@pytest.fixture(scope="session")
def sample_reports(tmp_path_factory) -> Path:
    """The nine sample reports (tests/sample_reports.py), made once per run: a folder laid
    out as the corpus is, one folder per authority."""
    from .sample_reports import write_samples

    folder = tmp_path_factory.mktemp("sample-reports")
    write_samples(folder)
    return folder


@pytest.fixture(scope="session")
def sample_store(sample_reports, tmp_path_factory) -> Path:
    """The nine sample reports built into a store once per run; they carry the facts of
    the nine reports of ``known_store``, so the answers about grades, dates and inspectors
    are the same."""
    from ofsted_kg.build import build

    path = tmp_path_factory.mktemp("sample") / "graph"
    summary = build([sample_reports], path, workers=1)
    assert (len(summary.ingested), summary.failed, summary.with_problems) == (9, [], [])
    return path


@pytest.fixture(scope="session")
def sample_graph(tmp_path_factory) -> Path:
    """All thirteen sample reports and the written articles (tests/articles) in one store,
    built once per run: every stored query has rows on it (the README's examples and the
    servers' tests use it)."""
    from .readme_examples import graph

    return graph(tmp_path_factory.mktemp("sample-graph"))


@pytest.fixture(scope="session")
def judgement_rows(built):
    """The inspection-judgements table of the whole corpus, as the CLI's CSV gives it."""
    import io

    from ofsted_kg.query import prepare
    from ofsted_kg.results import write_results
    from ofsted_kg.store import open_store

    store = open_store(built[0], read_only=True)
    out = io.StringIO()
    write_results(store.query(prepare("inspection-judgements")), "csv", out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def read_expected(name: str) -> list[dict[str, str]]:
    with (EXPECTED / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
