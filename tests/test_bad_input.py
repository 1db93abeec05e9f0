"""Bad input among good: each bad file gets its one-line reason, every good one is stored."""

import shutil
import subprocess
import sys

import pypdfium2 as pdfium
import pytest

from .conftest import CORPUS
from .pdfs import first_page_without_rows, password_protected, repeated, text_pdf

pytestmark = pytest.mark.corpus

GREENWICH_2020 = CORPUS / "80495_greenwich" / "children's services inspection - 27 january 2020.pdf"


def test_a_folder_of_bad_files_and_good_ones(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "zero.pdf").write_bytes(b"")
    (folder / "truncated.pdf").write_bytes(GREENWICH_2020.read_bytes()[:3000])
    (folder / "random.pdf").write_bytes(bytes(range(256)) * 20)
    shutil.copy(GREENWICH_2020, folder / "copy-a.pdf")
    shutil.copy(GREENWICH_2020, folder / "copy-b.pdf")
    (folder / "latin1.txt").write_bytes("Ofsted rated Greenwich \xe9 good\n".encode("latin-1"))
    scanned = pdfium.PdfDocument.new()
    scanned.new_page(595, 842)
    scanned.save(folder / "scanned.pdf")
    result = subprocess.run([sys.executable, "-m", "ofsted_kg", "build", str(folder), "--store",
                             str(tmp_path / "s")], capture_output=True, text=True)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("1 ingested, 1 unchanged, 5 failed in ")
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


def test_pdfs_that_are_not_usable_reports_among_a_good_one(tmp_path):
    """Password-protected, not an Ofsted report, a judgement table cut off, 1,000 pages."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GREENWICH_2020, folder / "good.pdf")
    password_protected(GREENWICH_2020, folder / "locked.pdf")
    text_pdf(folder / "minutes.pdf", [["Minutes of the parish council meeting, 4 March 2024",
                                       "The council agreed to repair the bus shelter."]])
    first_page_without_rows(GREENWICH_2020, folder / "cut-table.pdf",
                            "The experiences and progress of children in care", "Overall effectiveness")
    repeated(folder / "long.pdf", ["Appendix to a consultation on school transport."], 1000)
    assert len(pdfium.PdfDocument(folder / "long.pdf")) == 1000
    result = subprocess.run([sys.executable, "-m", "ofsted_kg", "build", str(folder), "--store",
                             str(tmp_path / "s")], capture_output=True, text=True)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("1 ingested, 0 unchanged, 4 failed in ")
    assert sorted(lines[1:]) == [
        "failed: cut-table.pdf: the judgement table on page 1 has no overall effectiveness grade",
        "failed: locked.pdf: the PDF is encrypted with a password",
        "failed: long.pdf: not an Ofsted children's services inspection report (no known title on page 1: "
        "'Appendix to a consultation on school transport.')",
        "failed: minutes.pdf: not an Ofsted children's services inspection report (no known title on page 1: "
        "'Minutes of the parish council meeting, 4 March 2024 The coun')",
    ]
    stats = subprocess.run([sys.executable, "-m", "ofsted_kg", "query", "stats", "--store", str(tmp_path / "s"),
                            "--format", "csv"], capture_output=True, text=True).stdout
    assert "reports,1" in stats.replace("\r", "") and "judgements,4" in stats.replace("\r", "")
