"""Read a PDF's text, page by page, with pypdfium2 (PDFium: fast and tolerant)."""

from __future__ import annotations

import codecs
import ctypes
import hashlib
import re
from datetime import date
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ofsted_kg.errors import ReadError
from ofsted_kg.facts import Document
from ofsted_kg.read.files import read_bytes

_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})")


def sniff(data: bytes) -> str:
    """Say what a file that is not a readable PDF actually is, for the error message."""
    if not data:
        return "the file is empty (0 bytes)"
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        title = re.search(rb"<title>\s*(.*?)\s*</title>", data[:4096], re.I | re.S)
        shown = title.group(1).decode("utf-8", "replace").split(" - ")[0] if title else ""
        return f"an HTML page{f' ({shown!r})' if shown else ''}, not a PDF"
    if not data.startswith(b"%PDF"):
        return "not a PDF (no %PDF header)"
    if b"%%EOF" not in data[-2048:]:
        return "a truncated or damaged PDF"
    return "a damaged PDF"


def _metadata_date(doc: pdfium.PdfDocument) -> date | None:
    meta = doc.get_metadata_dict()
    for key in ("CreationDate", "ModDate"):
        match = _PDF_DATE.match(meta.get(key, "") or "")
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                continue
    return None


def read_pdf(path: Path | str) -> Document:
    """Return the document's pages as text; raise ``ReadError`` with a one-line reason."""
    path = Path(path)
    data = read_bytes(path, allow_empty=True)  # sniff() says what an empty file is
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise ReadError("the PDF is encrypted with a password", path.name) from error
        raise ReadError(f"cannot be opened: {sniff(data)}", path.name) from error
    try:
        pages = [_clean(_page_text(doc, index)) for index in range(len(doc))]
        published = _metadata_date(doc)
    except pdfium.PdfiumError as error:
        raise ReadError(f"the PDF is damaged ({error})", path.name) from error
    finally:
        doc.close()
    if not pages:
        raise ReadError("the PDF has no pages", path.name)
    if not any(p.strip() for p in pages):
        raise ReadError("the PDF has no text layer (a scanned document?)", path.name)
    return Document(path.name, sha256, tuple(pages), published)


def _page_text(doc: pdfium.PdfDocument, index: int) -> str:
    """A page's text, as ``doc[index].get_textpage().get_text_range()`` gives it, through
    PDFium's own functions: the helpers' page objects (a finaliser and a parent's weak
    reference each, made and closed for every page) cost 5-10% of reading a report."""
    page = pdfium_c.FPDF_LoadPage(doc, index)
    if not page:
        raise pdfium.PdfiumError("Failed to load page.")
    try:
        textpage = pdfium_c.FPDFText_LoadPage(page)
        if not textpage:
            raise pdfium.PdfiumError("Failed to load text page.")
        try:
            return _text_range(textpage)
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
    finally:
        pdfium_c.FPDF_ClosePage(page)


def _text_range(textpage: Any) -> str:
    """``PdfTextPage.get_text_range()`` of the whole page (as pypdfium2 5.15 has it): the characters
    PDFium leaves out at either end are skipped, so that it never reads past the range."""
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count == -1:
        raise pdfium.PdfiumError("Failed to get character count.")
    first, last = 0, count - 1
    while first <= last:
        start = pdfium_c.FPDFText_GetTextIndexFromCharIndex(textpage, first)
        if start == -1:
            first += 1
            continue
        end = pdfium_c.FPDFText_GetTextIndexFromCharIndex(textpage, last)
        if end == -1:
            last -= 1
            continue
        buffer = (ctypes.c_ushort * (end + 2 - start))()  # with the closing NUL
        written = pdfium_c.FPDFText_GetText(textpage, first, last + 1 - first, buffer)
        return codecs.decode(memoryview(buffer)[: written - 1], "utf-16-le", errors="ignore")
    return ""


def _clean(text: str) -> str:
    # PDFium marks hyphens it joined at line ends with U+FFFE and ends lines with CRLF.
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-").replace("\x02", "-")
