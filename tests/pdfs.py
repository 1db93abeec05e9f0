"""PDFs made by the tests: a text PDF, a password-protected copy, a report with part of
its judgement table removed. Made with PDFium (pypdfium2) and pypdf, never stored."""

import ctypes
import zlib
from collections.abc import Iterable
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as raw


def text_pdf(path: Path, pages: list[list[str]]) -> None:
    """A PDF with a text layer: one list of lines per page, in Helvetica."""
    doc = pdfium.PdfDocument.new()
    for lines in pages:
        page = doc.new_page(595, 842)
        for number, line in enumerate(lines):
            text = raw.FPDFPageObj_NewTextObj(doc.raw, b"Helvetica", ctypes.c_float(11))
            wide = ctypes.create_string_buffer((line + "\0").encode("utf-16-le"))
            raw.FPDFText_SetText(text, ctypes.cast(wide, ctypes.POINTER(raw.FPDF_WCHAR)))
            raw.FPDFPageObj_Transform(text, 1, 0, 0, 1, 50, 800 - 16 * number)
            raw.FPDFPage_InsertObject(page.raw, text)
        raw.FPDFPage_GenerateContent(page.raw)
    doc.save(path)


def password_protected(source: Path, path: Path, password: str = "secret") -> None:
    writer = pypdf.PdfWriter(clone_from=source)
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    writer.write(path)


def _text(obj: pdfium.PdfObject, textpage: pdfium.PdfTextPage) -> str:
    size = raw.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
    buffer = ctypes.create_string_buffer(size * 2)
    raw.FPDFTextObj_GetText(obj.raw, textpage.raw, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)), size)
    return buffer.raw.decode("utf-16-le").rstrip("\0").strip()


def first_page_without_rows(source: Path, path: Path, first_row: str, last_row: str) -> None:
    """Page 1 of a report alone, with the text of the table rows from the one starting
    `first_row` to the one starting `last_row` removed: a judgement table cut off."""
    doc = pdfium.PdfDocument(source)
    page = doc[0]
    textpage = page.get_textpage()
    texts = [(obj, _text(obj, textpage), obj.get_bounds()) for obj in page.get_objects()
             if obj.type == raw.FPDF_PAGEOBJ_TEXT]
    top = next(bounds[3] for _, text, bounds in texts if text.startswith(first_row))
    bottom = next(bounds[1] for _, text, bounds in texts if text.startswith(last_row))
    for obj, _, (_, low, _, high) in texts:
        if low >= bottom - 1 and high <= top + 1:  # bounds are (left, bottom, right, top)
            page.remove_obj(obj)
    page.gen_content()
    textpage.close()
    cut = pdfium.PdfDocument.new()
    cut.import_pages(doc, [0])
    cut.save(path)


def repeated(path: Path, lines: list[str], count: int) -> None:
    """A PDF of `count` copies of one text page (copied pages, which PDFium makes fast)."""
    one = path.with_suffix(".one.pdf")
    text_pdf(one, [lines])
    doc = pdfium.PdfDocument.new()
    doc.import_pages(pdfium.PdfDocument(one), [0] * count)
    doc.save(path)
    one.unlink()


def raw_pdf(path: Path, content: Iterable[bytes]) -> None:
    """A one-page PDF written byte by byte, its page's content stream deflated as it is
    made: ``content`` may add up to far more than memory holds (a decompression bomb)."""
    deflate = zlib.compressobj(1)
    stream = b"".join([*(deflate.compress(chunk) for chunk in content), deflate.flush()])
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
