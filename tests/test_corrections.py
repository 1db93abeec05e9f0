"""Corrections of a finding's services and polarity: stored with who and when, refused when
wrong, kept through a rebuild by a changed extractor, and read by the stored queries."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone

import pytest

from ofsted_kg import build as build_module
from ofsted_kg import open_graph
from ofsted_kg.build import build
from ofsted_kg.corrections import Correction, apply_corrections, corrections_graph, read_corrections_csv
from ofsted_kg.extract import findings as findings_module
from ofsted_kg.extract.polarity import Polarity
from ofsted_kg.store import open_store

GREENWICH_2020 = "80495_greenwich/children's services inspection - 27 january 2020.pdf"  # of the sample
INSPECTION = "https://w3id.org/ofsted-kg/id/inspection/80495/ilacs/2019-12-09"
FINDING = f"{INSPECTION}/finding/2"  # a strength of the MASH (tests/sample_reports.py: "mash+")
PROV = "http://www.w3.org/ns/prov#"


@pytest.fixture
def greenwich(tmp_path, sample_reports):
    path = tmp_path / "store"
    summary = build([sample_reports / GREENWICH_2020], path, workers=1)
    assert (len(summary.ingested), summary.failed) == (1, [])
    return path


def _criticising(path, service: str) -> list[tuple]:
    with open_graph(path) as graph:
        rows = graph.query("authorities-criticising-service", service=service, as_at="2020-03-31")
    return [(r["authority"], r["kind"], r["paragraph"], r["polarity"]) for r in rows]


def test_a_correction_survives_a_rebuild_by_a_changed_extractor(greenwich, sample_reports, monkeypatch):
    # Read in the report: paragraph 2 is a strength about the MASH; it says nothing of IROs.
    assert ("Greenwich", "finding", 2, "area-for-improvement") not in _criticising(greenwich, "iro")
    store = open_store(greenwich)
    when = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)
    problems = apply_corrections(store, [Correction(FINDING, "area-for-improvement", ("iro",), ("mash",),
                                                    "A. Reader", "test correction")], when=when)
    store.close()
    assert problems == []
    assert ("Greenwich", "finding", 2, "area-for-improvement") in _criticising(greenwich, "iro")

    # An upgrade: a new reader (its stamp differs, so build reads the report again) that
    # tags every paragraph a strength about no service.
    monkeypatch.setattr(findings_module, "tag_findings",
                        lambda texts: [([], Polarity("strength", ("+changed",)))] * len(texts))
    monkeypatch.setattr(build_module, "reader_stamp", lambda findings=True: "ofsted-kg 9.9; reader upgraded")
    summary = build([sample_reports / GREENWICH_2020], greenwich, workers=1)
    assert (len(summary.ingested), summary.failed) == (1, [])

    with open_graph(greenwich) as graph:
        tagged = graph.sparql(f"""SELECT ?cues WHERE {{ <{FINDING}> <https://w3id.org/ofsted-kg/def#polarityCues>
                                  ?cues }}""")
        assert [r["cues"] for r in tagged] == ["+changed"]  # the report graph is the new extractor's
        record = graph.sparql(f"""SELECT ?name ?at WHERE {{ GRAPH <{corrections_graph()}> {{
            ?c <https://w3id.org/ofsted-kg/def#corrects> <{FINDING}> ; <{PROV}wasAttributedTo> ?who ;
               <{PROV}generatedAtTime> ?at . ?who <http://xmlns.com/foaf/0.1/name> ?name }} }}""")
        assert [(r["name"], r["at"]) for r in record] == [("A. Reader", "2026-11-30T10:00:00Z")]
    # The correction still wins: IRO criticism, polarity as corrected; the MASH removed.
    assert ("Greenwich", "finding", 2, "area-for-improvement") in _criticising(greenwich, "iro")
    assert ("Greenwich", "finding", 2, "area-for-improvement") not in _criticising(greenwich, "mash")


def test_a_correction_whose_finding_a_new_reader_dropped_is_kept_and_named(greenwich, sample_reports,
                                                                           monkeypatch):
    store = open_store(greenwich)
    assert apply_corrections(store, [Correction(FINDING, "mixed", by="A. Reader")]) == []
    store.close()
    # An upgrade whose reader cuts the report without paragraph 2 (as a reader that moves a
    # paragraph to another section may give it another IRI): the correction applies to nothing.
    cut = findings_module._findings
    monkeypatch.setattr(findings_module, "_findings", lambda paragraphs, framework: cut(
        [p for p in paragraphs if p[1] != 2], framework))
    monkeypatch.setattr(build_module, "reader_stamp", lambda findings=True: "ofsted-kg 9.9; reader upgraded")
    summary = build([sample_reports / GREENWICH_2020], greenwich, workers=1)
    assert (len(summary.ingested), summary.failed) == (1, [])
    assert summary.notes == [f"a correction names {FINDING}, which the graph no longer holds (a new reader may "
                             "have given the paragraph a new IRI): make it again on the present one"]
    with open_graph(greenwich) as graph:  # kept, with who made it
        record = graph.sparql(f"""SELECT ?name WHERE {{ GRAPH <{corrections_graph()}> {{
            ?c <https://w3id.org/ofsted-kg/def#corrects> <{FINDING}> ; <{PROV}wasAttributedTo> ?who .
            ?who <http://xmlns.com/foaf/0.1/name> ?name }} }}""")
        assert [r["name"] for r in record] == ["A. Reader"]
    # The same reader again: nothing re-read, the note still stands.
    assert build([sample_reports / GREENWICH_2020], greenwich, workers=1).notes == summary.notes


def test_wrong_corrections_are_refused_one_by_one(greenwich, tmp_path):
    corrections = tmp_path / "corrections.csv"
    corrections.write_text(
        "finding,polarity,service,remove_service,by,note\n"
        f"{FINDING},mixed,,,B. Reader,\n"
        f"{INSPECTION}/finding/999,strength,,,B. Reader,\n"
        f"{FINDING},,no-such-service,,B. Reader,\n"
        f"{INSPECTION}/recommendation/4,strength,,,B. Reader,\n", encoding="utf-8")
    store = open_store(greenwich)
    problems = apply_corrections(store, read_corrections_csv(corrections))
    store.close()
    assert problems == [
        f"correction 2: no finding or recommendation <{INSPECTION}/finding/999> in the store",
        "correction 3: unknown service 'no-such-service' (a notation of ontology/services.ttl)",
        f"correction 4: <{INSPECTION}/recommendation/4> is a recommendation: it has no polarity to correct",
    ]
    with open_graph(greenwich) as graph:
        rows = graph.query("service-findings-over-time", authority="Greenwich", service="mash")
    assert [(r["paragraph"], r["polarity"]) for r in rows if r["kind"] == "finding"] == [(2, "mixed")]


def test_correct_command_exit_codes_and_export(greenwich, tmp_path):
    command = [sys.executable, "-m", "ofsted_kg", "correct", "--store", str(greenwich)]
    done = subprocess.run([*command, FINDING, "--polarity", "strength", "--service", "iro", "--by", "C. Reader"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "1 correction(s) stored, 0 refused" in done.stderr
    refused = subprocess.run([*command, f"{FINDING}x", "--polarity", "strength"], capture_output=True, text=True,
                             timeout=120)
    assert refused.returncode == 2
    assert f"refused: no finding or recommendation <{FINDING}x> in the store" in refused.stderr
    exported = subprocess.run([sys.executable, "-m", "ofsted_kg", "export", "--store", str(greenwich),
                               "--format", "nquads"], capture_output=True, timeout=120)
    assert exported.returncode == 0
    lines = exported.stdout.decode().splitlines()
    assert any(f"<{FINDING}> <https://w3id.org/ofsted-kg/def#correctedPolarity> "
               f"<https://w3id.org/ofsted-kg/def/polarity/strength> <{corrections_graph()}>" in line
               for line in lines)
