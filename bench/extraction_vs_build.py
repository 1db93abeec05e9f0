"""Raw PDF text extraction against a full build of the same folder, in one run.

Usage: python bench/extraction_vs_build.py [REPORTS_FOLDER]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

from ofsted_kg.build import build, find_reports


def raw_extraction(paths: list[Path]) -> tuple[float, int]:
    started, pages = time.perf_counter(), 0
    for path in paths:
        try:
            doc = pdfium.PdfDocument(path)
        except pdfium.PdfiumError:
            continue
        for index in range(len(doc)):
            doc[index].get_textpage().get_text_range()
            pages += 1
    return time.perf_counter() - started, pages


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/ofsted-reports")
    paths = find_reports([folder])
    raw, pages = raw_extraction(paths)
    print(f"raw text extraction, 1 process: {raw:.1f} s for {len(paths)} files, {pages} pages")
    for findings in (False, True):
        for workers in (1, 2):
            with tempfile.TemporaryDirectory() as tmp:
                summary = build([folder], Path(tmp) / "store", workers=workers, findings=findings)
                print(f"full build {'with' if findings else 'without'} findings, {workers} worker(s): "
                      f"{summary.seconds:.1f} s ({summary.seconds / raw:.2f}x raw extraction); "
                      f"{len(summary.ingested)} ingested, {len(summary.failed)} failed")
                again = build([folder], Path(tmp) / "store", workers=workers, findings=findings)
                print(f"  rebuild, nothing changed: {again.seconds:.2f} s")


if __name__ == "__main__":
    main()
