"""The package's layout: imports follow the pipeline, and the data files are the one
source of what the code knows. Reads only the source tree and ontology/ (no corpus).

Stages, in the order dependencies run (a module may import its own stage and earlier ones):

0. shared leaves, which any stage may use and which import only each other: the errors,
   the settings, where the data files live, the facts, the namespaces, what the
   vocabulary and the authority registry say, and two helpers that import nothing of
   the package (a SPARQL tokeniser, a pool of worker processes);
1. read: documents and data files to text, rows or triples (the ``read`` package);
2. extract: text to facts (the ``extract`` package);
3. mapping: facts to triples, and every IRI (the ``mapping`` package);
4. store: the embedded store, what is kept beside it, corrections, a remote endpoint,
   push and export;
5. validate and query: SHACL, loading (which validates a file before it stores it), the
   stored queries and their parameters, result formats;
6. serve and cli: the server, its pages, the Python API, the build command, the command line.

A stage package has one face: its ``__init__`` (and the submodules its ``__all__``
names, such as ``mapping.iris``); modules outside it import nothing else of it.
"""

from __future__ import annotations

import ast
import re
import shutil
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "ofsted_kg"
ONTOLOGY = ROOT / "ontology"

STAGES: dict[str, int] = {
    **dict.fromkeys(["errors", "config", "resources", "facts", "namespaces", "vocabulary", "registry",
                     "sparql_text", "workers", "formats"], 0),
    "read": 1,
    "extract": 2,
    "mapping": 3,
    **dict.fromkeys(["store", "query_safety", "results", "http_client", "corrections", "push", "export",
                     "jsonld"], 4),
    **dict.fromkeys(["validate", "shacl", "validation_output", "loading", "query", "parameters", "coverage",
                     "search", "query_workers"], 5),
    **dict.fromkeys(["serve", "search_route", "web", "api", "build", "cli", "__main__", "__init__"], 6),
}
PACKAGES = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "models" not in p.parts)


def _top(path: Path) -> str:
    """The stage name of a module: its package, or its own name at the top level."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _public(package: str) -> set[str]:
    """The submodules a package's face names in its ``__all__``."""
    tree = ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
            names = set(ast.literal_eval(node.value))
            return {n for n in names if (PACKAGE / package / f"{n}.py").is_file()}
    return set()


def _imports(path: Path) -> list[tuple[int, list[str]]]:
    """(line, dotted path below ``ofsted_kg``) of every import of the package, also
    those inside functions; ``from ofsted_kg.x import y`` gives x.y when y is a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name.split(".")[1:]) for a in node.names if a.name.startswith("ofsted_kg.")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "ofsted_kg":
            base = node.module.split(".")[1:]
            for alias in node.names:
                below = PACKAGE.joinpath(*base, alias.name)
                module = below.with_suffix(".py").is_file() or (below / "__init__.py").is_file()
                found.append((node.lineno, [*base, alias.name] if module else base))
    return found


def test_every_module_has_a_stage():
    assert {_top(p) for p in _modules()} - set(STAGES) == set()


def violations() -> list[str]:
    found: dict[str, None] = {}  # in order, each once
    for path in _modules():
        own = _top(path)
        where = path.relative_to(PACKAGE.parent)
        for line, target in _imports(path):
            if not target:  # the package root: only its version is taken from it
                target = ["__init__"]
            other = target[0]
            if STAGES[other] > STAGES[own]:
                found[f"{where}:{line}: {own} (stage {STAGES[own]}) imports {'.'.join(target)} "
                      f"(stage {STAGES[other]}), a later stage"] = None
            if other in PACKAGES and other != own and len(target) > 1 and target[1] not in _public(other):
                found[f"{where}:{line}: imports {'.'.join(target)}, inside the {other} package; "
                      f"import it from ofsted_kg.{other}"] = None
    return list(found)


def test_imports_run_one_way_and_through_each_package_face():
    assert violations() == []


def test_the_check_finds_a_later_stage_and_a_package_internal(tmp_path, monkeypatch):
    # The check itself can fail: in a copy of the package, a read module importing mapping,
    # and reaching inside extract.
    copy = tmp_path / "ofsted_kg"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("models", "queries", "__pycache__"))
    (copy / "read" / "probe.py").write_text(
        "from ofsted_kg.mapping import map_report\nfrom ofsted_kg.extract.text import collapse\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", copy)
    assert violations() == [
        "ofsted_kg/read/probe.py:1: read (stage 1) imports mapping (stage 3), a later stage",
        "ofsted_kg/read/probe.py:2: read (stage 1) imports extract.text (stage 2), a later stage",
        "ofsted_kg/read/probe.py:2: imports extract.text, inside the extract package; "
        "import it from ofsted_kg.extract",
    ]


# rdflib where pySHACL and users expect its graphs (shapes, the W3C report) and for the
# checked names of namespaces; from reading to storing, terms are pyoxigraph's.
RDFLIB_EDGE = {"namespaces", "validate", "shacl", "validation_output"}
RDFLIB_PENDING = {"ofsted_kg/extract/services.py"}  # reads services.ttl (the findings tagger's)


def test_rdflib_only_at_the_shacl_edge():
    users = set()
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(name.split(".")[0] == "rdflib" for name in names):
                users.add(path)
    outside = {str(p.relative_to(PACKAGE.parent)) for p in users if p.stem not in RDFLIB_EDGE}
    assert outside == RDFLIB_PENDING


# --- what the data files know is not typed again in Python ---------------------------

OFSTED_NS = "https://w3id.org/ofsted-kg/def#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
# Modules that still type vocabulary or namespace IRIs while they are being changed (none
# since issue 18: each takes them from ofsted_kg.namespaces / ofsted_kg.vocabulary). The
# test fails if a module not listed here types one, and if a listed module no longer does.
PENDING: set[str] = set()
READERS = {"ofsted_kg/namespaces.py", "ofsted_kg/vocabulary.py"}
# Words that are something else where they stand.
ALLOWED = {
    ("ofsted_kg/extract/__init__.py", "Effectiveness of the Local Safeguarding Children Board"):
        "the title of a kind of report, the review of the LSCB",
    ("ofsted_kg/api.py", "Good"): "an answer shown in the module's usage example",
    # The polarity rules' English cue words: they would stay if Ofsted renamed its grades.
    **dict.fromkeys([("ofsted_kg/extract/polarity.py", word) for word in (
        "Good", "Outstanding", "Requires improvement", "Require improvement")],
        "a cue word of a strength or an area for improvement in a paragraph's prose, not a grade value"),
}


def _labels(file: str, kind: str) -> set[str]:
    store = ox.Store()
    store.load(path=str(ONTOLOGY / file), format=ox.RdfFormat.TURTLE)
    labels = f"<{SKOS}prefLabel>|<{SKOS}altLabel>|<{SKOS}hiddenLabel>"
    rows = store.query(f"SELECT ?l WHERE {{ ?c a <{kind}> ; {labels} ?l }}")
    return {row["l"].value for row in rows}


def _known_words() -> dict[str, re.Pattern[str]]:
    """Each area label, grade label and namespace IRI, as a pattern over source text."""
    words = {}
    for label in _labels("areas.ttl", f"{SKOS}Concept") - {"Overall effectiveness"}:
        words[label] = re.compile(re.escape(label), re.I)  # long phrases: anywhere
    for label in _labels("grades.ttl", f"{OFSTED_NS}Grade"):
        # A grade word as a value of its own: a string, or an alternative in a pattern.
        words[label] = re.compile(rf"""["'|(]{re.escape(label)}["'|)]""".replace(r"\ ", r"(?:\s|\\s\+)"), re.I)
    for namespace in {OFSTED_NS, "https://w3id.org/ofsted-kg/def/", "https://w3id.org/ofsted-kg/shapes/", SKOS,
                      "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
                      "http://purl.org/dc/terms/", "http://www.w3.org/ns/prov#", "http://www.w3.org/ns/shacl#",
                      "http://www.w3.org/2001/XMLSchema#", "http://statistics.data.gov.uk/id/"}:
        words[namespace] = re.compile(re.escape(namespace))
    return words


def _typed() -> dict[str, set[str]]:
    words = _known_words()
    found: dict[str, set[str]] = {}
    for path in _modules():
        name = str(path.relative_to(PACKAGE.parent))
        text = path.read_text(encoding="utf-8")
        hits = {word for word, pattern in words.items() if pattern.search(text) and (name, word) not in ALLOWED}
        if hits and name not in READERS:
            found[name] = hits
    return found


def test_no_area_label_grade_word_or_namespace_is_typed_outside_its_reader():
    typed = _typed()
    assert {name: hits for name, hits in typed.items() if name not in PENDING} == {}
    assert PENDING - set(typed) == set(), "typed no more: take these off PENDING"


def test_the_grep_finds_a_typed_label():
    words = _known_words()
    line = 'AREAS = ["Adoption performance", "requires improvement"]  # <http://purl.org/dc/terms/title>'
    assert {w for w, p in words.items() if p.search(line)} == {
        "Adoption performance", "Requires improvement", "http://purl.org/dc/terms/"}


def test_namespaces_have_every_term_the_ontology_defines_and_no_other():
    # OFSTED is made from ofsted.ttl; a term defined in another file of ontology/ would be missing.
    from ofsted_kg.namespaces import OFSTED

    defined = set()
    for path in ONTOLOGY.glob("*.ttl"):
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(OFSTED_NS):
                defined.add(quad.subject.value[len(OFSTED_NS):])
    defined.discard("")  # the ontology itself
    assert set(OFSTED.__annotations__) == defined
    assert "GradeChange" in defined and "Report" in defined
    with pytest.raises(AttributeError):
        OFSTED.Reprot  # noqa: B018


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "queries" / "internal").glob("*.rq")))
def test_internal_queries_parse_and_stay_out_of_the_stored_queries(name):
    from ofsted_kg.query import stored_queries
    from ofsted_kg.resources import internal_query

    ox.Store().query(internal_query(name))
    assert name not in stored_queries()
