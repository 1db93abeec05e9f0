"""The command line, run as a user runs it, with exit codes."""

import subprocess
import sys


def run(*args):
    return subprocess.run([sys.executable, "-m", "ofsted_kg", *args], capture_output=True, text=True)


def test_query_csv_has_exactly_the_columns_of_the_contract(sample_store):
    result = run("query", "inspection-judgements", "--store", str(sample_store), "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "source,authority_urn,gss_code,framework,start_date,end_date,publication_date,"
        "lead_inspector,area,grade"
    )


def test_build_of_a_bad_file_exits_1_and_names_it(tmp_path, sample_reports):
    bad = tmp_path / "empty.pdf"
    bad.write_bytes(b"")
    good = sample_reports / "80495_greenwich" / "children's services inspection - 27 january 2020.pdf"
    result = run("build", str(bad), str(good), "--store", str(tmp_path / "s"))
    assert result.returncode == 1
    assert "failed: empty.pdf: cannot be opened: the file is empty (0 bytes)" in result.stderr
    assert "1 ingested, 0 stored with problems, 0 unchanged, 1 failed" in result.stderr
    again = run("build", str(good), "--store", str(tmp_path / "s"))
    assert again.returncode == 0
    assert "0 ingested, 0 stored with problems, 1 unchanged, 0 failed" in again.stderr


def test_unknown_query_exits_2_with_the_list(sample_store):
    result = run("query", "no-such-query", "--store", str(sample_store))
    assert result.returncode == 2
    assert result.stderr.startswith("Error: unknown query 'no-such-query'; stored queries: ")


def test_missing_store_exits_2(tmp_path):
    result = run("stats", "--store", str(tmp_path / "nothing"))
    assert result.returncode == 2
    assert "no graph store here" in result.stderr
