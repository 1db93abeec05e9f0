"""Loading data: what is already stored is not stored again, whatever file or graph it came
from; what differs is refused, fact by fact, unless replaced; a load can be undone; no two
files share a graph. Every stored query's answer is the check that nothing was doubled."""

import io
import shutil
import subprocess
import sys

import pyoxigraph as ox
import pytest

from ofsted_kg.errors import QueryError
from ofsted_kg.query import prepare, stored_queries
from ofsted_kg.results import write_results
from ofsted_kg.store import open_store

ID = "https://w3id.org/ofsted-kg/id/"
HEADER = ("authority,framework,kind,start_date,end_date,publication_date,overall-effectiveness,"
          "impact-of-leaders,help-and-protection,children-in-care,care-leavers\n")
# Stockton-on-Tees's 2023 ILACS inspection as its report (9 May 2023) gives it.
STOCKTON_2023 = "Stockton-on-Tees,ilacs,inspection,2023-03-06,2023-03-17,2023-05-05," + ",".join(
    ["requires-improvement"] * 5) + "\n"
BROMLEY = "Bromley,ilacs,inspection,2024-01-08,2024-01-19,2024-03-01,good,good,good,good,outstanding\n"


def run(*args):
    return subprocess.run([sys.executable, "-m", "ofsted_kg", *args], capture_output=True, text=True)


def answers(store_path) -> dict[str, list[str]]:
    """Every stored query's rows, with its defaults and with its examples."""
    store = open_store(store_path, read_only=True, keep_answers=False)
    found = {}
    try:
        for name, stored in stored_queries().items():
            examples = {p.name: p.example for p in stored.parameters if p.example}
            for label, values in (("defaults", {}), ("examples", examples)):
                out = io.StringIO()
                try:
                    write_results(store.query(prepare(name, values)), "csv", out)
                except QueryError as error:  # a parameter with no default and no example
                    out.write(f"error: {error}")
                found[f"{name} ({label})"] = sorted(out.getvalue().splitlines())
    finally:
        store.close()
    return found


def export(store, *flags) -> bytes:
    result = subprocess.run([sys.executable, "-m", "ofsted_kg", "export", "--store", str(store), *flags],
                            capture_output=True, check=True)
    return result.stdout


@pytest.fixture
def store(sample_store, tmp_path):
    copy = tmp_path / "graph"
    shutil.copytree(sample_store, copy)
    return copy


def test_an_export_loaded_back_changes_no_answer(store, tmp_path):
    before = answers(store)
    assert len(before) == 2 * len(stored_queries())
    assert sum(not rows or not rows[0].startswith("error:") for rows in before.values()) > 40
    assert len(before["national-table (defaults)"]) == 4  # the header and three authorities
    for name, flags in (("stockton.ttl", ["--authority", "Stockton-on-Tees"]), ("all.ttl", []),
                        ("all.nq", ["--format", "nquads"])):
        path = tmp_path / name
        path.write_bytes(export(store, *flags))
        result = run("load", str(path), "--store", str(store))
        assert result.returncode == 0, result.stderr
        assert result.stderr.startswith(f"unchanged {name}: its "), result.stderr
        assert result.stderr.endswith(" facts are already stored; nothing added\n")
        assert answers(store) == before, name


def test_a_csv_row_of_a_stored_inspection(store, tmp_path):
    before = answers(store)
    same = tmp_path / "same.csv"
    same.write_text(HEADER + STOCKTON_2023)
    result = run("load", str(same), "--store", str(store))
    assert (result.returncode, result.stderr) == (0, "unchanged same.csv: its 31 facts are already stored; "
                                                     "nothing added\n")
    assert answers(store) == before
    checked = run("validate", str(same), "--store", str(store))
    assert (checked.returncode, checked.stderr) == (0, "same.csv: every fact of it is already stored (load adds "
                                                       "nothing)\n")

    # Another publication date and another grade of one area: refused, one line each.
    other = tmp_path / "other.csv"
    other.write_text(HEADER + STOCKTON_2023.replace("2023-05-05,requires-improvement,requires-improvement",
                                                    "2023-05-04,requires-improvement,good"))
    result = run("load", str(other), "--store", str(store))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "refused other.csv: it states otherwise 2 fact(s) already stored (--replace replaces them); "
        "nothing of it was stored",
        "  inspection/80563/ilacs/2023-03-06 publication date: stored 2023-05-05; file 2023-05-04",
        "  inspection/80563/ilacs/2023-03-06/judgement/impact-of-leaders ofsted:grade: "
        "stored grade:requires-improvement; file grade:good",
    ]
    assert answers(store) == before
    checked = run("validate", str(other), "--store", str(store))
    assert checked.returncode == 1
    assert checked.stderr.splitlines()[1:] == result.stderr.splitlines()[1:]

    # --replace: the file's description takes the place of the stored one, never beside it.
    result = run("load", str(other), "--store", str(store), "--replace")
    assert result.returncode == 0, result.stderr
    history = run("query", "authority-history", "-p", "authority=Stockton-on-Tees", "--store", str(store),
                  "--format", "csv").stdout.splitlines()
    assert len(history) == 4
    assert history[3] == (
        'Stockton-on-Tees,ilacs,inspection,2023-03-06,2023-03-17,2023-05-04,requires-improvement,'
        '"care-leavers=requires-improvement, children-in-care=requires-improvement, '
        'help-and-protection=requires-improvement, impact-of-leaders=good, '
        'overall-effectiveness=requires-improvement",other.csv')
    after = answers(store)
    assert len(after["national-table (defaults)"]) == 4
    assert {name: len(rows) for name, rows in after.items() if "national" in name or "stats" in name} == {
        name: len(rows) for name, rows in before.items() if "national" in name or "stats" in name}
    assert run("validate", "--store", str(store)).returncode == 0


def test_the_same_inspection_under_another_iri_is_the_stored_one(store, tmp_path):
    """A partner's own IRI for a stored inspection: the same facts add nothing."""
    before = answers(store)
    turtle = tmp_path / "partner.ttl"
    turtle.write_text(
        "@prefix ofsted: <https://w3id.org/ofsted-kg/def#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        f"<http://partner.example/insp/1> a ofsted:Inspection ; ofsted:authority <{ID}authority/80563> ;\n"
        "  ofsted:framework <https://w3id.org/ofsted-kg/def/framework/ilacs> ;\n"
        "  ofsted:inspectionKind <https://w3id.org/ofsted-kg/def/kind/inspection> ;\n"
        '  ofsted:startDate "2023-03-06"^^xsd:date ; ofsted:endDate "2023-03-17"^^xsd:date .\n')
    result = run("load", str(turtle), "--store", str(store))
    assert (result.returncode, result.stderr) == (0, "unchanged partner.ttl: its 6 facts are already stored; "
                                                     "nothing added\n")
    turtle.write_text(turtle.read_text().replace('"2023-03-17"', '"2023-03-18"'))
    result = run("load", str(turtle), "--store", str(store))
    assert result.returncode == 1
    assert result.stderr.splitlines()[1:] == [
        "  inspection/80563/ilacs/2023-03-06 ofsted:endDate: stored 2023-03-17; file 2023-03-18"]
    assert answers(store) == before


def test_loading_the_vocabulary_or_the_registry_again_adds_nothing(store, tmp_path):
    before = answers(store)
    vocabulary = tmp_path / "vocabulary.nt"
    registry = tmp_path / "registry.nt"
    raw = ox.Store.read_only(str(store))
    for path, graph in ((vocabulary, "graph/vocabulary"), (registry, "graph/authorities")):
        quads = raw.quads_for_pattern(None, None, None, ox.NamedNode(ID + graph))
        path.write_bytes(ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads),
                                      format=ox.RdfFormat.N_TRIPLES))
    del raw
    result = run("load", str(vocabulary), str(registry), "--store", str(store))
    assert result.returncode == 0, result.stderr
    assert [line.split(":")[0] for line in result.stderr.splitlines()] == [
        "unchanged vocabulary.nt", "unchanged registry.nt"]
    assert answers(store) == before


def test_unload_returns_the_store_to_what_it_was(store, tmp_path):
    before = export(store, "--format", "nquads")
    new = tmp_path / "bromley.csv"
    new.write_text(HEADER + BROMLEY)
    loaded = run("load", str(new), "--store", str(store))
    assert loaded.returncode == 0, loaded.stderr
    graph = loaded.stderr.split("<", 1)[1].split(">", 1)[0]
    assert graph.startswith(f"{ID}graph/loaded/bromley-csv-")
    assert export(store, "--format", "nquads") != before
    unloaded = run("unload", graph, "--store", str(store))
    assert unloaded.returncode == 0, unloaded.stderr
    assert unloaded.stderr == f"unloaded <{graph}>\n43 triples removed ({graph})\n"
    assert export(store, "--format", "nquads") == before

    # By the file's path, too; an unknown name is a one-line error.
    assert run("load", str(new), "--store", str(store)).returncode == 0
    assert run("unload", str(new), "--store", str(store)).returncode == 0
    assert export(store, "--format", "nquads") == before
    missing = run("unload", str(tmp_path / "never.ttl"), "--store", str(store))
    assert missing.returncode == 2
    assert missing.stderr == (f"Error: {tmp_path / 'never.ttl'}: nothing in the store was loaded from this "
                              "file, and no graph has this name (load prints the graph of each file)\n")
    derived = run("unload", f"{ID}graph/derived", "--store", str(store))
    assert derived.returncode == 2
    assert derived.stderr == f"Error: <{ID}graph/derived> is made by ofsted-kg itself and cannot be unloaded\n"


def test_files_of_one_name_never_share_a_graph(store, tmp_path):
    rows = {"partner a.csv": BROMLEY,
            "partner-a.csv": BROMLEY.replace("Bromley", "Croydon"),
            "2025/partner-a.csv": BROMLEY.replace("Bromley", "Barnet")}
    paths = []
    for name, row in rows.items():
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(HEADER + row)
        paths.append(str(path))
    result = run("load", *paths, "--store", str(store))
    assert result.returncode == 0, result.stderr
    graphs = [line.split("<", 1)[1].split(">", 1)[0] for line in result.stderr.splitlines()]
    assert len(set(graphs)) == 3
    assert all(g.startswith(f"{ID}graph/loaded/partner-a-csv-") for g in graphs)
    national = run("query", "authority-history", "-p", "authority=Croydon", "--store", str(store),
                   "--format", "csv").stdout.splitlines()
    assert len(national) == 2
    for authority in ("Bromley", "Barnet"):
        rows = run("query", "authority-history", "-p", f"authority={authority}", "--store", str(store),
                   "--format", "csv").stdout.splitlines()
        assert len(rows) == 2, authority


def test_validate_store_catches_two_descriptions_of_one_inspection(store):
    raw = ox.Store(str(store))
    inspection = ox.NamedNode(f"{ID}inspection/80563/ilacs/2023-03-06")
    raw.add(ox.Quad(inspection, ox.NamedNode("https://w3id.org/ofsted-kg/def#describedIn"),
                    ox.NamedNode(f"{ID}source/elsewhere"), ox.NamedNode("urn:example:elsewhere")))
    del raw
    result = run("validate", "--store", str(store))
    assert result.returncode == 1
    assert (f"    Violation: The inspection is described twice: {ID}source/elsewhere describes it too, or is "
            "the same inspection (same authority, framework, kind and start date).") in result.stdout.splitlines()
