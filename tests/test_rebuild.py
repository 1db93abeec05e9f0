"""Rebuilds: the derived graphs are made again exactly when a report is stored or what
they are made from changes, and an unchanged rebuild leaves them alone."""

import shutil

from ofsted_kg.build import build
from ofsted_kg.store import open_store, write
from ofsted_kg.store.derived import derivation_inputs
from ofsted_kg.store.generation import derived_from

REPORTS = ["children's services inspection - 05 august 2016.pdf",
           "children's services inspection - 27 january 2020.pdf",
           "children's services inspection - 16 july 2024.pdf"]


def derived(store) -> set[str]:
    """Every quad of the graphs built after the reports (links, derived shortcuts)."""
    return {str(q) for q in store.quads() if q.graph_name.value.endswith(("graph/links", "graph/derived"))}


def test_derived_graphs_follow_the_reports(tmp_path, sample_reports):
    greenwich = sample_reports / "80495_greenwich"
    folder = tmp_path / "in"
    folder.mkdir()
    for name in REPORTS[:2]:
        shutil.copy(greenwich / name, folder / name)
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

    shutil.copy(greenwich / REPORTS[2], folder / REPORTS[2])
    assert len(build([folder], store, workers=1).ingested) == 1
    fresh = open_store(tmp_path / "fresh")
    build([folder], fresh, workers=1)
    assert derived(store) == derived(fresh)
    # Paragraph 7 of the sample's Greenwich 2020 names "the previous inspection in 2016".
    links = sorted((q.subject.value.rsplit("/inspection/", 1)[1], q.object.value.rsplit("/inspection/", 1)[1])
                   for q in store.quads() if q.graph_name.value.endswith("graph/links"))
    assert links == [("80495/ilacs/2019-12-09/finding/7/mentions/2016", "80495/sif/2016-05-23")]

    # Any other write (a load, say) derives again too, and marks the new generation.
    with write(store) as writer:
        writer.replace_graph("urn:example:graph", "<urn:example:a> <urn:example:b> <urn:example:c> .")
        assert derived_from(store.path) is None  # under way: no generation
    generation = (store.path / "ofsted-kg-generation").read_text().strip()
    assert mark.read_text().split() == [derivation_inputs(), generation]
    assert derived(store) == derived(fresh)



def test_one_worker_or_two_store_the_same_graphs(tmp_path, monkeypatch):
    """With one worker the main process maps and validates each report itself; with two,
    the workers do. The stored graphs are the same, problems included: a copy of Halton
    2024 (as if of 2023) whose help and protection grade is a word no framework uses is
    stored with the problem."""
    from dataclasses import replace
    from datetime import date

    from ofsted_kg.export import export

    from . import sample_reports
    from .sample_reports import EXTRA_SAMPLES, SAMPLES, write_samples

    monkeypatch.setitem(sample_reports._GRADE, "excellent", "Excellent")
    chosen = [s for s in SAMPLES + EXTRA_SAMPLES if s.key in ("halton-2024", "manchester-2014")]
    halton = chosen[-1]
    odd = replace(halton, file="children's services inspection - 14 july 2023.pdf", dates="15 to 26 May 2023",
                  start=date(2023, 5, 15), end=date(2023, 5, 26), metadata=date(2023, 7, 14),
                  grades={**halton.grades, "help-and-protection": "excellent"})
    written = write_samples(tmp_path / "in", [*chosen, odd])
    exported = []
    for workers in (1, 2):
        summary = build([tmp_path / "in"], tmp_path / f"store-{workers}", workers=workers)
        assert len(summary.ingested) == 3
        assert [f.file for f in summary.with_problems] == [str(written[-1])]
        out = tmp_path / f"export-{workers}.nq"
        with out.open("wb") as file:
            export(open_store(tmp_path / f"store-{workers}", read_only=True), "nquads", file)
        exported.append(out.read_bytes())
    assert exported[0] == exported[1]


def test_a_batch_stores_what_one_report_at_a_time_stores(tmp_path, sample_reports, monkeypatch):
    """A build of many reports stores the new ones in batches; the graphs and the summary
    are those of a build that stores each report alone, with a report in two files (if
    the other download is read first, Greenwich's own file replaces it while it waits in
    the batch) and a file copied byte for byte."""
    from ofsted_kg import build as build_module
    from ofsted_kg.export import export

    folder = tmp_path / "in"
    shutil.copytree(sample_reports, folder)
    greenwich = folder / "80495_greenwich" / REPORTS[1]
    (folder / "z-other-download.pdf").write_bytes(greenwich.read_bytes() + b"\n% another download\n")
    (folder / "99_copies").mkdir()
    (folder / "99_copies" / "copy.pdf").write_bytes(greenwich.read_bytes())
    outcomes = []
    for smallest in (10**9, 1):
        monkeypatch.setattr(build_module, "BATCH_FROM_REPORTS", smallest)
        summary = build([folder], tmp_path / f"store-{smallest}", workers=2)  # batches need 2
        out = tmp_path / f"export-{smallest}.nq"
        with out.open("wb") as file:
            export(open_store(tmp_path / f"store-{smallest}", read_only=True), "nquads", file)
        outcomes.append((sorted(summary.ingested), sorted(summary.unchanged), summary.notes, summary.failed,
                         out.read_bytes()))
    assert outcomes[0] == outcomes[1]
    ingested, unchanged, notes, failed, _ = outcomes[1]
    # Greenwich's own file, first by path, is the copy of the report stored.
    assert (len(ingested), failed) == (9, [])
    assert str(greenwich) in ingested
    assert unchanged == [f"{folder / '99_copies' / 'copy.pdf'} (same content as {greenwich.name})",
                         f"{folder / 'z-other-download.pdf'} (the same report as {greenwich.name})"]
    assert notes == [f"z-other-download.pdf and {greenwich.name} are the same report (<https://w3id.org/"
                     f"ofsted-kg/id/report/80495/ilacs/2019-12-09>); {greenwich.name} is stored (first by path)"]


def test_a_batch_that_cannot_be_stored_names_the_file_and_keeps_the_others(tmp_path):
    """When the bulk load of a batch fails, each report is tried alone: the one the store
    refuses fails with its file's name, the others are stored."""
    from collections import defaultdict

    from ofsted_kg.build import BuildSummary, Built, _store_batch

    good, bad = "urn:example:graph/good", "urn:example:graph/bad"
    batch = {good: Built("in/good.pdf", good, f"<urn:example:a> <urn:example:b> \"1\" <{good}> .\n".encode()),
             bad: Built("in/bad.pdf", bad, f"<urn:example:a> <urn:example:b> \"2 <{bad}> .\n".encode())}
    summary = BuildSummary()
    store = open_store(tmp_path / "store")
    with write(store) as writer:
        _store_batch(writer, batch, summary, defaultdict(list), {})
    assert summary.ingested == ["in/good.pdf"]
    assert [failure.file for failure in summary.failed] == ["in/bad.pdf"]
    assert summary.failed[0].reason.startswith(f"bad.pdf: {store.path}: cannot write <{bad}> (")
    assert "\n" not in summary.failed[0].reason
    assert [q.graph_name.value for q in store.quads()
            if q.graph_name.value.startswith("urn:example:")] == [good]
    assert batch == {}
