"""Bad input among good: each bad file gets its one-line reason, every good one is stored."""

import shutil
import subprocess
import sys

import pypdfium2 as pdfium
import pytest

from .pdfs import first_page_without_rows, password_protected, repeated, text_pdf

GREENWICH_2020 = "80495_greenwich/children's services inspection - 27 january 2020.pdf"  # of the sample
GREENWICH_2024 = "80495_greenwich/children's services inspection - 16 july 2024.pdf"


@pytest.fixture
def greenwich_2020(sample_reports):
    return sample_reports / GREENWICH_2020


def test_a_folder_of_bad_files_and_good_ones(tmp_path, greenwich_2020):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "zero.pdf").write_bytes(b"")
    (folder / "truncated.pdf").write_bytes(greenwich_2020.read_bytes()[:3000])
    (folder / "random.pdf").write_bytes(bytes(range(256)) * 20)
    shutil.copy(greenwich_2020, folder / "copy-a.pdf")
    shutil.copy(greenwich_2020, folder / "copy-b.pdf")
    (folder / "latin1.txt").write_bytes("Ofsted rated Greenwich \xe9 good\n".encode("latin-1"))
    scanned = pdfium.PdfDocument.new()
    scanned.new_page(595, 842)
    scanned.save(folder / "scanned.pdf")
    result = subprocess.run([sys.executable, "-m", "ofsted_kg", "build", str(folder), "--store",
                             str(tmp_path / "s")], capture_output=True, text=True)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("1 ingested, 0 stored with problems, 1 unchanged, 5 failed in ")
    assert sorted(lines[1:]) == [
        "failed: latin1.txt: line 1: not UTF-8 text (byte 0xe9)",
        "failed: random.pdf: cannot be opened: not a PDF (no %PDF header)",
        "failed: scanned.pdf: the PDF has no text layer (a scanned document?)",
        "failed: truncated.pdf: cannot be opened: a truncated or damaged PDF",
        "failed: zero.pdf: cannot be opened: the file is empty (0 bytes)",
    ]
    stats = subprocess.run([sys.executable, "-m", "ofsted_kg", "query", "stats", "--store", str(tmp_path / "s"),
                            "--format", "csv"], capture_output=True, text=True).stdout
    assert "reports,1" in stats.replace("\r", "") and "judgements,4" in stats.replace("\r", "")


def test_pdfs_that_are_not_usable_reports_among_a_good_one(tmp_path, sample_reports, greenwich_2020):
    """Password-protected, not an Ofsted report, a judgement table cut off, 1,000 pages."""
    folder = tmp_path / "in"
    folder.mkdir()
    # Another inspection than cut-table.pdf's: two files of one inspection are one report.
    shutil.copy(sample_reports / GREENWICH_2024, folder / "good.pdf")
    password_protected(greenwich_2020, folder / "locked.pdf")
    text_pdf(folder / "minutes.pdf", [["Minutes of the parish council meeting, 4 March 2024",
                                       "The council agreed to repair the bus shelter."]])
    first_page_without_rows(greenwich_2020, folder / "cut-table.pdf",
                            "The experiences and progress of children in care", "Overall effectiveness")
    repeated(folder / "long.pdf", ["Appendix to a consultation on school transport."], 1000)
    assert len(pdfium.PdfDocument(folder / "long.pdf")) == 1000
    store = str(tmp_path / "s")
    result = subprocess.run([sys.executable, "-m", "ofsted_kg", "build", str(folder), "--store", store],
                            capture_output=True, text=True)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("2 ingested, 1 stored with problems, 0 unchanged, 3 failed in ")
    # The report whose table was cut is stored with what could be read, and the problems.
    assert lines[1] == (
        "stored with problems: cut-table.pdf: 2 problems: "
        "page 1: the judgement table has no grade for children-in-care-and-care-leavers, which the framework "
        "grades ('Judgement Grade The impact of leaders on social work practice with children and '); "
        "page 1: the judgement table has no grade for overall-effectiveness, which the framework grades "
        "('Judgement Grade The impact of leaders on social work practice with children and ')")
    assert sorted(lines[2:]) == [
        "failed: locked.pdf: the PDF is encrypted with a password",
        "failed: long.pdf: not an Ofsted children's services inspection report (no known title on page 1: "
        "'Appendix to a consultation on school transport.')",
        "failed: minutes.pdf: not an Ofsted children's services inspection report (no known title on page 1: "
        "'Minutes of the parish council meeting, 4 March 2024 The coun')",
    ]
    problems = subprocess.run([sys.executable, "-m", "ofsted_kg", "query", "reports-with-problems", "--store",
                               store, "--format", "csv"], capture_output=True, text=True).stdout
    assert [line.split(",")[:7] for line in problems.replace("\r", "").splitlines()[1:]] == [
        ["cut-table.pdf", "Greenwich", "ilacs", "2019-12-09", "violation", "missing-area", "1"],
        ["cut-table.pdf", "Greenwich", "ilacs", "2019-12-09", "violation", "missing-area", "1"],
    ]
    validated = subprocess.run([sys.executable, "-m", "ofsted_kg", "validate", "--store", store],
                               capture_output=True, text=True)
    assert validated.returncode == 1
    assert ("Violation: Page 1: the judgement table has no grade for overall-effectiveness, which the framework "
            "grades (text seen: 'Judgement Grade The impact of leaders") in validated.stdout
    stats = subprocess.run([sys.executable, "-m", "ofsted_kg", "query", "stats", "--store", store,
                            "--format", "csv"], capture_output=True, text=True).stdout
    # Both reports are stored; the cut one with the two judgements it prints.
    assert "reports,2" in stats.replace("\r", "") and "judgements,7" in stats.replace("\r", "")
