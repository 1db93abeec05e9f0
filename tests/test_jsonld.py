"""JSON-LD with the package's compact @context, from export and from an instance IRI."""

import json
import subprocess
import sys

import rdflib

from ofsted_kg.jsonld import compact_iri, context


def test_the_context_file_names_every_prefix_once():
    prefixes = context()
    assert prefixes["ofsted"] == "https://w3id.org/ofsted-kg/def#"
    assert prefixes["id"] == "https://w3id.org/ofsted-kg/id/"
    assert len(set(prefixes.values())) == len(prefixes)


def test_an_iri_takes_the_longest_namespace():
    pairs = sorted(((ns, p) for p, ns in context().items()), key=lambda pair: -len(pair[0]))
    area = "https://w3id.org/ofsted-kg/def/area/ilacs/care-leavers"
    assert compact_iri(area, pairs) == "area:ilacs/care-leavers"
    assert compact_iri("https://w3id.org/ofsted-kg/def#startDate", pairs) == "ofsted:startDate"
    assert compact_iri("https://example.org/x", pairs) == "https://example.org/x"


def test_export_as_json_ld_is_compact_and_holds_the_same_quads(sample_store, tmp_path):
    def export(fmt, name):
        path = tmp_path / name
        result = subprocess.run([sys.executable, "-m", "ofsted_kg", "export", "--store", str(sample_store),
                                 "--authority", "Greenwich", "--format", fmt, "-o", str(path)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return path

    document = json.loads(export("json-ld", "greenwich.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == context()
    assert "ofsted:startDate" in json.dumps(document)
    from_jsonld = rdflib.Dataset().parse(tmp_path / "greenwich.jsonld", format="json-ld")
    from_nquads = rdflib.Dataset().parse(export("nquads", "greenwich.nq"), format="nquads")
    assert {q for q in from_jsonld.quads()} == {q for q in from_nquads.quads()}
    assert len(list(from_nquads.quads())) > 800  # the three sample reports of Greenwich: 921 today
