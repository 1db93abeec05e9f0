"""Raw PDF text extraction against a full build of the same folder, in one run.

Usage: python bench/extraction_vs_build.py [REPORTS_FOLDER]

Prints each figure and writes bench/extraction-vs-build.json and .md (with the load
average at the start and the end: the ratios are only comparable within one run).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import pypdfium2 as pdfium

from ofsted_kg.build import build, find_reports

OUT = Path(__file__).resolve().parent


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
    result = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "cpus": os.cpu_count(),
              "load_at_start": os.getloadavg()[0], "files": len(paths), "builds": []}
    raw, pages = raw_extraction(paths)
    result.update(raw_seconds=round(raw, 1), pages=pages)
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
                result["builds"].append({"findings": findings, "workers": workers,
                                         "seconds": round(summary.seconds, 1),
                                         "x_raw": round(summary.seconds / raw, 2),
                                         "ingested": len(summary.ingested), "failed": len(summary.failed),
                                         "unchanged_rebuild_seconds": round(again.seconds, 2)})
    result["load_at_end"] = os.getloadavg()[0]
    (OUT / "extraction-vs-build.json").write_text(json.dumps(result, indent=1) + "\n")
    lines = [f"# Build against raw text extraction, one run ({result['when']})", "",
             f"{result['files']} files, {pages} pages, {result['cpus']} CPUs; load average "
             f"{result['load_at_start']:.1f} at the start, {result['load_at_end']:.1f} at the end. "
             f"Raw text extraction (pypdfium2, 1 process): {result['raw_seconds']} s.", "",
             "| build | workers | seconds | x raw | unchanged rebuild, s |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {'with' if b['findings'] else 'without'} findings | {b['workers']} | {b['seconds']} | "
              f"{b['x_raw']:.2f} | {b['unchanged_rebuild_seconds']} |" for b in result["builds"]]
    (OUT / "extraction-vs-build.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
