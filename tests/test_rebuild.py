"""Rebuilds: the derived graphs are made again exactly when a report is stored or what
they are made from changes, and an unchanged rebuild leaves them alone."""

import shutil

import pytest

from ofsted_kg.build import build
from ofsted_kg.store import open_store, write
from ofsted_kg.store.derived import derivation_inputs
from ofsted_kg.store.generation import derived_from

from .conftest import CORPUS

pytestmark = pytest.mark.corpus

GREENWICH = CORPUS / "80495_greenwich"
REPORTS = ["children's services inspection - 05 august 2016.pdf",
           "children's services inspection - 27 january 2020.pdf",
           "children's services inspection - 16 july 2024.pdf"]


def derived(store) -> set[str]:
    """Every quad of the graphs built after the reports (links, derived shortcuts)."""
    return {str(q) for q in store.quads() if q.graph_name.value.endswith(("graph/links", "graph/derived"))}


def test_derived_graphs_follow_the_reports(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in REPORTS[:2]:
        shutil.copy(GREENWICH / name, folder / name)
    store = open_store(tmp_path / "store")
    mark = store.path / "ofsted-kg-derived-from"
    assert len(build([folder], store, workers=1).ingested) == 2
    generation = (store.path / "ofsted-kg-generation").read_text().strip()
    assert mark.read_text().split() == [derivation_inputs(), generation]
    assert derived_from(store.path) == derivation_inputs()

    written = mark.stat().st_mtime_ns
    again = build([folder], store, workers=1)
    assert (len(again.ingested), len(again.unchanged)) == (0, 2)
    assert mark.stat().st_mtime_ns == written  # nothing derived again

    shutil.copy(GREENWICH / REPORTS[2], folder / REPORTS[2])
    assert len(build([folder], store, workers=1).ingested) == 1
    fresh = open_store(tmp_path / "fresh")
    build([folder], fresh, workers=1)
    assert derived(store) == derived(fresh)
    # Paragraph 32 of Greenwich 2020 (page 7) names "the previous inspection in 2016".
    links = sorted((q.subject.value.rsplit("/inspection/", 1)[1], q.object.value.rsplit("/inspection/", 1)[1])
                   for q in store.quads() if q.graph_name.value.endswith("graph/links"))
    assert links == [("80495/ilacs/2019-12-09/finding/32/mentions/2016", "80495/sif/2016-05-23")]

    # Any other write (a load, say) derives again too, and marks the new generation.
    with write(store) as writer:
        writer.replace_graph("urn:example:graph", "<urn:example:a> <urn:example:b> <urn:example:c> .")
        assert derived_from(store.path) is None  # under way: no generation
    generation = (store.path / "ofsted-kg-generation").read_text().strip()
    assert mark.read_text().split() == [derivation_inputs(), generation]
    assert derived(store) == derived(fresh)
