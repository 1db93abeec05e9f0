"""Validation: each example file gives exactly its expected results, with both engines;
the command's formats, exit codes and errors; loading; the corpus conforms."""

import csv
import json
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import SH

from ofsted_kg.extract import extract_report
from ofsted_kg.mapping import Triples, map_data, map_report
from ofsted_kg.read import read_data, read_pdf
from ofsted_kg.validate import load_shapes, validate_triples

EXAMPLES = Path(__file__).parent / "validation"
ID = "https://w3id.org/ofsted-kg/id/"
SHAPES = "https://w3id.org/ofsted-kg/shapes/"
PREFIXES = {"ofsted:": "https://w3id.org/ofsted-kg/def#", "skos:": "http://www.w3.org/2004/02/skos/core#",
            "dcterms:": "http://purl.org/dc/terms/"}
FILES = sorted(p.name for p in EXAMPLES.iterdir() if p.suffix in (".ttl", ".csv") and p.name != "expected.csv")


def expected_results() -> dict[str, set]:
    expected = defaultdict(set)
    with (EXAMPLES / "expected.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            focus = row["focus"] if row["focus"].startswith("http") else ID + row["focus"]
            prefix, _, local = row["path"].partition(":")
            path = PREFIXES[prefix + ":"] + local
            expected[row["file"]].add((row["severity"], SHAPES + row["check"], focus, path))
    return expected


EXPECTED = expected_results()


def triples(file: str) -> list:
    return map_data(read_data(EXAMPLES / file)).triples


def found(file: str, engine: str) -> set:
    outcome = validate_triples(triples(file), engine)
    return {(p.severity_name, (p.constraint or p.shape).strip("<>"), p.focus.strip("<>"),
             (p.path or "").strip("<>")) for p in outcome.problems}


@pytest.mark.parametrize("file", FILES)
def test_example_gives_the_same_results_as_lines_as_as_terms(file):
    # A build's lines (Triples) have their subjects read off in Python; terms' are found in the store.
    terms = triples(file)
    lines = Triples(f"{t.subject} {t.predicate} {t.object}" for t in terms)
    assert validate_triples(lines, keep_store=False).problems == validate_triples(terms).problems


@pytest.mark.corpus
def test_a_real_report_made_not_to_conform_gets_the_same_violation_either_way(corpus):
    pdf = corpus / "2532283_dorset" / "children's services inspection - 19 november 2021.pdf"
    data = map_report(extract_report(read_pdf(str(pdf))))
    assert validate_triples(data, keep_store=False).conforms
    recommendation = "<https://w3id.org/ofsted-kg/id/inspection/2532283/ilacs/2021-09-27/recommendation/1>"
    text = f"{recommendation} <http://purl.org/dc/terms/description> "
    broken = Triples(line for line in data if not line.startswith(text))
    assert len(broken) == len(data) - 1
    violations = validate_triples(broken, keep_store=False).violations
    assert [(p.focus, p.path, p.component, p.message) for p in violations] == [
        (recommendation, "<http://purl.org/dc/terms/description>",
         "<http://www.w3.org/ns/shacl#MinCountConstraintComponent>", "A recommendation needs its text.")]
    assert violations == validate_triples(broken.terms()).violations


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "ofsted_kg", *args], capture_output=True, text=True, input=stdin)


@pytest.mark.parametrize("file", FILES)
def test_example_gives_exactly_its_expected_results(file):
    assert found(file, "oxigraph") == EXPECTED.get(file, set())


@pytest.mark.parametrize("file", FILES)
def test_pyshacl_agrees_with_the_compiled_shapes(file):
    ours = validate_triples(triples(file), "oxigraph").problems
    reference = validate_triples(triples(file), "pyshacl").problems
    assert {p.key() for p in ours} == {p.key() for p in reference}
    assert {p.message for p in ours} == {p.message for p in reference}


def test_every_node_shape_and_sparql_constraint_has_an_example():
    shapes = load_shapes()
    checks = {check for results in EXPECTED.values() for _, check, _, _ in results}
    for node_shape in set(shapes.subjects(SH.targetClass, None)):
        parts = {str(p) for p in shapes.objects(node_shape, SH.property)}
        parts |= {str(c) for c in shapes.objects(node_shape, SH.sparql)}
        assert parts & checks, f"no example for {node_shape}"
    for constraint in shapes.objects(None, SH.sparql):
        assert str(constraint) in checks, f"no example for {constraint}"


def test_exit_codes():
    assert run("validate", str(EXAMPLES / "valid.ttl")).returncode == 0
    assert run("validate", str(EXAMPLES / "report-no-date.ttl")).returncode == 0  # a warning only
    assert run("validate", str(EXAMPLES / "inspection-overlap.ttl")).returncode == 1
    assert run("validate", str(EXAMPLES / "valid.ttl"), str(EXAMPLES / "invalid.csv")).returncode == 1


def test_text_report_groups_by_inspection_with_csv_rows():
    result = run("validate", str(EXAMPLES / "invalid.csv"))
    lines = result.stdout.splitlines()
    assert lines[0] == "invalid.csv: does not conform (7 violations, 1 warning)"
    assert f"  inspection <{ID}inspection/80563/ilacs/2023-03-17> (CSV row 4)" in lines
    assert "    Violation: The inspection ends (2023-03-06) before it starts (2023-03-17)." in lines
    assert "    Violation: The ilacs framework does not give the grade adequate." in lines
    assert ("      focus <https://w3id.org/ofsted-kg/id/inspection/80495/ilacs/2024-06-03/judgement/"
            "help-and-protection>; path ofsted:grade; value grade:adequate; "
            "shape shape:JudgementShape (sh:SPARQL)") in lines


def test_json_report():
    data = json.loads(run("validate", "--format", "json", str(EXAMPLES / "invalid.csv")).stdout)
    assert [(d["file"], d["conforms"], d["violations"], d["warnings"]) for d in data] == [
        ("invalid.csv", False, 7, 1)]
    atlantis = [r for r in data[0]["results"] if "atlantis" in r["focus_node"]]
    assert {(r["row"], r["source_constraint"].rsplit("/", 1)[1]) for r in atlantis} == {
        (3, "Inspection-authorityInRegistry"), (3, "Inspection-publishedBeforeItEnds")}


def test_turtle_report_is_a_w3c_validation_report():
    result = run("validate", "--format", "turtle", str(EXAMPLES / "judgement-adequate-in-ilacs.ttl"))
    report = Graph().parse(data=result.stdout, format="turtle")
    [node] = report.subjects(None, SH.ValidationReport)
    assert report.value(node, SH.conforms).toPython() is False
    [result_node] = report.objects(node, SH.result)
    assert str(report.value(result_node, SH.focusNode)) == (
        ID + "inspection/80495/ilacs/2019-12-09/judgement/help-and-protection")
    assert str(report.value(result_node, SH.value)) == "https://w3id.org/ofsted-kg/def/grade/adequate"
    assert report.value(result_node, SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent
    assert report.value(result_node, SH.resultSeverity) == SH.Violation


def test_template_is_the_header_of_the_valid_example_and_no_row():
    # Example rows of real inspections, left in a template by a user, would be loaded.
    header = (EXAMPLES / "valid.csv").read_text().splitlines()[0]
    assert run("validate", "--template").stdout == header + "\n"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("broken.ttl", b'@prefix : <http://x/> .\n:a :b "unterminated .\n',
     "broken.ttl: line 2 column 7: Unexpected end of file"),
    ("broken.jsonld", b'{"@id": "http://x/a", "http://x/b": ',
     "broken.jsonld: line 1 column 37: Unexpected end of file, a value was expected"),
    ("latin1.ttl", "@prefix : <http://x/> .\n:a :b \"Caf\xe9\" .\n".encode("latin-1"),
     "latin1.ttl: line 2 column 11: Invalid UTF-8: incomplete utf-8 byte sequence"),
    ("empty.ttl", b"", "empty.ttl: the file is empty"),
    ("empty.csv", b"", "empty.csv: the file is empty"),
    ("latin1.csv", "authority,framework,start_date,end_date\nBromley,ilacs,2024-01-01,2024-01-05 caf\xe9\n"
     .encode("latin-1"), "latin1.csv: line 2: not UTF-8 text (byte 0xe9)"),
    ("columns.csv", b"authority,framework,start\nGreenwich,ilacs,2024-06-03\n",
     "columns.csv: line 1: missing column(s) start_date, end_date; unknown column(s) start; the template's "
     "columns are "),
    ("notes.txt", b"hello", "notes.txt: unknown kind of file; give one of "),
])
def test_unreadable_input_exits_2_naming_the_file_and_place(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    result = run("validate", str(path), str(EXAMPLES / "valid.ttl"))
    assert result.returncode == 2
    assert result.stderr.startswith("Error: " + message), result.stderr
    assert result.stdout.startswith("valid.ttl: conforms")  # the readable file is still checked


@pytest.mark.corpus
def test_the_corpus_graph_conforms(built):
    result = run("validate", "--store", str(built[0]))
    assert result.returncode == 0, result.stdout[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0] == f"{built[0]}: conforms (0 violations, 3 warnings)"
    # The three running headers that give other dates than page 1 (tests/expected/problems.csv).
    assert sorted(line.strip() for line in lines if line.strip().startswith("Warning:")) == [
        "Warning: Page 2: the running header gives the dates 2022-05-10 to 2022-05-20, page 1 2022-05-09 to "
        "2022-05-20; page 1 was used (text seen: '10 May to 20 May 2022 2')",
        "Warning: Page 2: the running header gives the dates 2024-12-06 to 2024-12-12, page 1 2024-12-02 to "
        "2024-12-06; page 1 was used (text seen: '6 to 12 December 2024 2')",
        "Warning: Page 2: the running header gives the dates 2026-04-17 to 2026-05-01, page 1 2026-04-27 to "
        "2026-05-01; page 1 was used (text seen: '17 April to 1 May 2026 2')",
    ]


def test_the_sample_graph_conforms(sample_store):
    result = run("validate", "--store", str(sample_store))
    assert result.returncode == 0, result.stdout[-2000:]
    assert result.stdout.splitlines()[0] == f"{sample_store}: conforms (0 violations, 0 warnings)"


def test_load_adds_valid_data_and_refuses_invalid_whole(sample_store, tmp_path):
    store = tmp_path / "graph"
    shutil.copytree(sample_store, store)

    def count():
        return run("query", "stats", "--store", str(store), "--format", "csv").stdout

    before = count()
    # Greenwich's 2019 ILACS inspection is already stored (from its PDF): valid.ttl states
    # otherwise its report's digest and page count, and a recommendation's text.
    refused = run("load", str(EXAMPLES / "valid.ttl"), "--store", str(store))
    assert refused.returncode == 1
    lines = refused.stderr.splitlines()
    assert lines[0] == ("refused valid.ttl: it states otherwise 3 fact(s) already stored (--replace replaces "
                        "them); nothing of it was stored")
    assert lines[3] == "  report/80495/ilacs/2019-12-09 ofsted:pageCount: stored 2; file 14"  # the sample: 2 pages
    assert count() == before

    # An inspection the store does not have yet loads; loading it again adds nothing.
    new = tmp_path / "bromley.csv"
    new.write_text("authority,framework,start_date,end_date,publication_date,overall-effectiveness,"
                   "impact-of-leaders,help-and-protection,children-in-care,care-leavers\n"
                   "Bromley,ilacs,2024-01-08,2024-01-19,2024-03-01,good,good,good,good,outstanding\n")
    for first in (True, False):
        loaded = run("load", str(new), "--store", str(store))
        assert loaded.returncode == 0, loaded.stderr
        assert loaded.stderr.startswith("loaded bromley.csv: " if first else "unchanged bromley.csv: ")
    rows = run("query", "authority-history", "-p", "authority=Bromley", "--store", str(store), "--format",
               "csv").stdout.splitlines()
    assert len(rows) == 2 and rows[1].startswith("Bromley,ilacs,inspection,2024-01-08,2024-01-19,2024-03-01,good")


def test_load_with_broken_files_stores_the_good_one_and_exits_2(sample_store, tmp_path):
    store = tmp_path / "graph"
    shutil.copytree(sample_store, store)
    broken_ttl = tmp_path / "broken.ttl"
    broken_ttl.write_bytes(b'@prefix : <http://x/> .\n:a :b "unterminated .\n')
    broken_csv = tmp_path / "broken.csv"
    broken_csv.write_text("authority,framework,start_date,end_date\nBromley,ilacs,2024-01-08,2024-01-19,x\n")
    good = tmp_path / "bromley.csv"
    good.write_text("authority,framework,start_date,end_date,publication_date,overall-effectiveness,"
                    "impact-of-leaders,help-and-protection,children-in-care,care-leavers\n"
                    "Bromley,ilacs,2024-01-08,2024-01-19,2024-03-01,good,good,good,good,outstanding\n")
    result = run("load", str(broken_ttl), str(broken_csv), str(good), "--store", str(store))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert [line for line in lines if line.startswith("Error: ")] == [
        "Error: broken.ttl: line 2 column 7: Unexpected end of file",
        "Error: broken.csv: line 2: 5 cells for 4 columns",
    ]
    assert any(line.startswith("loaded bromley.csv: ") for line in lines)
    rows = run("query", "authority-history", "-p", "authority=Bromley", "--store", str(store), "--format",
               "csv").stdout.splitlines()
    assert len(rows) == 2
