"""Hostile data files and settings: bounded parsers, one-line errors, CSV answers that a
spreadsheet shows as text. The files are made here; none is stored in the repository."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parent / "validation"
HEADER = "authority,framework,kind,start_date,end_date,publication_date,lead_inspector,overall-effectiveness," \
         "impact-of-leaders,help-and-protection,children-in-care,care-leavers\n"
BROMLEY = "Bromley,ilacs,inspection,2024-01-08,2024-01-19,2024-03-01,{inspector},good,good,good,good,outstanding\n"


def run(*args, env=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "ofsted_kg", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=timeout)


LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
  <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/a"><ex:b>&e;&e;&e;&e;&e;&e;&e;&e;</ex:b></rdf:Description>
</rdf:RDF>
"""


def test_rdf_xml_declaring_entities_is_refused_before_it_is_parsed(tmp_path):
    laughs = tmp_path / "laughs.rdf"
    laughs.write_text(LAUGHS)
    assert laughs.stat().st_size < 1500
    result = run("validate", str(laughs), str(EXAMPLES / "valid.ttl"), timeout=60)
    assert result.returncode == 2
    assert result.stderr == ("Error: laughs.rdf: declares XML entities (<!ENTITY ...>), which are refused: an "
                             "entity can expand to gigabytes; write the values out\n")
    assert result.stdout.startswith("valid.ttl: conforms")


def test_a_term_over_the_parsers_limit_fails_its_file_and_the_batch_goes_on(tmp_path):
    big = tmp_path / "big.ttl"
    big.write_text('<http://example.org/a> <http://example.org/b> "' + "x" * (17 * 2**20) + '" .\n')
    good = tmp_path / "bromley.csv"
    good.write_text(HEADER + BROMLEY.format(inspector="Jane Doe"))
    result = run("load", str(big), str(good), "--store", str(tmp_path / "s"))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == ("Error: big.ttl: a term (a literal or an IRI) is too long to read (Reached the buffer "
                        "maximal size of 16777216)")
    assert lines[1].startswith("loaded bromley.csv: ")
    assert len(lines) == 2


@pytest.mark.parametrize("name", ["valid.ttl", "valid.csv"])
def test_a_byte_order_mark_is_accepted(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + (EXAMPLES / name).read_bytes())
    result = run("validate", str(path))
    assert (result.returncode, result.stdout) == (0, f"{name}: conforms (0 violations, 0 warnings)\n")


def test_ntriples_and_json_ld_with_a_byte_order_mark(tmp_path):
    nt = tmp_path / "one.nt"
    nt.write_bytes(b'\xef\xbb\xbf<http://example.org/a> <http://example.org/b> "c" .\n')
    jsonld = tmp_path / "one.jsonld"
    jsonld.write_bytes(b'\xef\xbb\xbf{"@id": "http://example.org/a", "http://example.org/b": "c"}')
    result = run("validate", str(nt), str(jsonld))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "one.nt: conforms (0 violations, 0 warnings)\none.jsonld: conforms (0 violations, " \
                            "0 warnings)\n"


def test_a_million_row_csv_is_refused_unread(tmp_path):
    path = tmp_path / "million.csv"
    row = BROMLEY.format(inspector="Jane Doe").encode()
    with path.open("wb") as handle:
        handle.write(HEADER.encode())
        for _ in range(1000):
            handle.write(row * 1000)
    result = run("validate", str(path), timeout=60)
    assert result.returncode == 2
    assert result.stderr == "Error: million.csv: the file is 94 MB; files over 10 MB are not read\n"


def test_a_csv_of_more_rows_than_the_limit_is_refused_at_the_first_row_too_many(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text(HEADER + BROMLEY.format(inspector="Jane Doe") * 5001)
    result = run("validate", str(path), timeout=60)
    assert result.returncode == 2
    assert result.stderr == ("Error: many.csv: line 5002: more than 5,000 rows; split the file into files of at "
                             "most 5,000 rows\n")


def test_cells_that_a_spreadsheet_would_run_are_neutralised_in_csv(tmp_path):
    formula = '=HYPERLINK("http://example.org/x","click")'
    path = tmp_path / "formula.csv"
    path.write_text(HEADER + BROMLEY.format(inspector='"' + formula.replace('"', '""') + '"'))
    store = str(tmp_path / "s")
    assert run("load", str(path), "--store", store).returncode == 0
    query = tmp_path / "cells.rq"
    query.write_text('SELECT ?name ?negative ?date ?at WHERE { ?p <http://xmlns.com/foaf/0.1/name> ?name '
                     'BIND(-3 AS ?negative) BIND("2024-01-08" AS ?date) BIND("@sum(1)" AS ?at) }')
    safe = run("sparql", str(query), "--store", store, "--format", "csv")
    # (text mode reads the CSV's CRLF line ends as \n)
    assert safe.stdout == ('name,negative,date,at\n'
                           '"\'=HYPERLINK(""http://example.org/x"",""click"")",-3,2024-01-08,\'@sum(1)\n')
    raw = run("sparql", str(query), "--store", store, "--format", "csv", "--raw-csv")
    assert raw.stdout == ('name,negative,date,at\n'
                          '"=HYPERLINK(""http://example.org/x"",""click"")",-3,2024-01-08,@sum(1)\n')


def test_an_invalid_base_iri_is_one_line(tmp_path):
    result = run("validate", str(EXAMPLES / "valid.csv"), env={"OFSTED_KG_BASE_IRI": "http://exa mple/"})
    assert result.returncode == 2
    assert result.stderr == ("Error: OFSTED_KG_BASE_IRI: 'http://exa mple' is not an absolute IRI (such as "
                             "https://w3id.org/ofsted-kg/id/)\n")
    assert result.stdout == ""


def test_a_byte_that_is_not_utf8_in_a_parameter_is_one_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "ofsted_kg", "query", "authority-history", "-p",
                             b"authority=\xff", "--store", str(tmp_path / "none")], capture_output=True)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines()[-1] == "Error: --param authority: not UTF-8 text (byte 0xff)"


def test_a_store_missing_a_data_file_is_one_line(tmp_path):
    store = tmp_path / "s"
    good = tmp_path / "bromley.csv"
    good.write_text(HEADER + BROMLEY.format(inspector="Jane Doe"))
    assert run("load", str(good), "--store", str(store)).returncode == 0
    data = sorted(store.glob("*.sst"))
    assert data
    data[0].unlink()
    result = run("query", "stats", "--store", str(store), "--no-cache")
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"Error: {store}: cannot open the store (Corruption: ")


def test_a_fifo_named_on_the_command_line_does_not_hang(tmp_path):
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    result = run("validate", str(fifo), str(EXAMPLES / "valid.ttl"), timeout=60)
    assert result.returncode == 2
    assert result.stderr == "Error: pipe.ttl: is not a regular file (a pipe or a device); give a file\n"
    assert run("load", str(fifo), "--store", str(tmp_path / "s"), timeout=60).stderr == result.stderr
    pdf = tmp_path / "pipe.pdf"
    os.mkfifo(pdf)
    built = run("build", str(pdf), "--store", str(tmp_path / "s"), timeout=60)
    assert built.returncode == 1
    assert built.stderr.splitlines()[1:] == ["failed: pipe.pdf: is not a regular file (a pipe or a device)"]

