"""CPU time of each stage of building a report, on a fixed sample of the corpus.

Wall-clock time on a shared machine is mostly other people's work; the CPU time this
process spends is not. Each stage is timed with ``time.process_time`` around the same
calls a build makes (``build.build_one`` and the main process's ``put_graph``), on every
``--every``-th PDF of the folder (sorted by path, so the sample spreads over the years).
The tagger's parts (rules, model, polarity) are timed inside ``extract``.

    python bench/stage_cpu.py ../shared/ofsted-reports --every 8 [--repeat 2]
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ofsted_kg import build as build_module
from ofsted_kg.extract import extract_report, tagging
from ofsted_kg.mapping import iris, map_report
from ofsted_kg.read import read_pdf
from ofsted_kg.store import open_store, write
from ofsted_kg.validate import validate_triples

_SPENT: dict[str, float] = defaultdict(float)


def _timed(name: str, function: Callable) -> Callable:
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            _SPENT[name] += time.process_time() - started
    return timed


def _clock(name: str, function: Callable, *args: Any, **kwargs: Any) -> Any:
    return _timed(name, function)(*args, **kwargs)


def _raw(path: Path) -> None:
    """What bench/extraction_vs_build.py times as raw text extraction."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError:
        return
    for index in range(len(document)):
        document[index].get_textpage().get_text_range()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--every", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-findings", dest="findings", action="store_false")
    arguments = parser.parse_args()
    sample = sorted(arguments.folder.rglob("*.pdf"))[:: arguments.every]
    # Parts of the tagger, timed where the tagger calls them.
    for name, label in (("_rules", "  rules"), ("rule_polarity", "    rule polarity"),
                        ("services_by_sentence", "    services"), ("rule_polarities", "    rule polarity")):
        if hasattr(tagging, name):
            setattr(tagging, name, _timed(label, getattr(tagging, name)))
    from ofsted_kg.extract.textmodel import FindingsModel
    # The tagger scores vocabulary rows (score_rows); training scores feature names (score).
    scoring = "score_rows" if hasattr(FindingsModel, "score_rows") else "score"
    setattr(FindingsModel, scoring, _timed("  model score", getattr(FindingsModel, scoring)))
    import ofsted_kg.extract.findings as findings_module
    findings_module.tag_findings = _timed(" tag_findings", findings_module.tag_findings)
    # Warm the caches a build's workers start with (the model, the shapes, the tables).
    texts = {}
    for path in sample[:2]:
        build_module.build_one(str(path))  # a failure is returned, not raised
    _SPENT.clear()
    stored = 0
    for _ in range(arguments.repeat):
        with tempfile.TemporaryDirectory() as folder:
            store = open_store(Path(folder) / "store")
            gc.collect()
            with write(store) as writer:
                for path in sample:
                    if path not in texts:
                        _clock("raw extraction", _raw, path)
                    try:
                        text = texts.get(path) or _clock("text", read_pdf, str(path))
                    except Exception:  # noqa: BLE001
                        continue
                    texts[path] = text
                    try:
                        report = _clock("extract", extract_report, text, findings=arguments.findings)
                    except Exception:  # noqa: BLE001
                        continue
                    triples = _clock("map", map_report, report)
                    outcome = _clock("validate", validate_triples, triples, keep_store=False)
                    if not outcome.conforms:
                        print("does not conform:", path.name)
                    name = str(iris.report_of(report))
                    nquads = _clock("nquads", triples.nquads, name)
                    _clock("store (main)", writer.put_graph, name, nquads)
                    stored += 1
                started = time.process_time()
            _SPENT["derive"] += time.process_time() - started
    per = stored or 1
    print(f"{len(sample)} files sampled, {stored // arguments.repeat} stored, x{arguments.repeat}")
    total = sum(v for k, v in _SPENT.items() if not k.startswith(" ") and k != "raw extraction")
    for name, seconds in _SPENT.items():
        share = per // arguments.repeat if name in ("text", "raw extraction") else per  # read once
        print(f"{name:20} {1000 * seconds / share:8.1f} ms/report")
    print(f"{'total but text':20} {1000 * (total - _SPENT['text']) / per:8.1f} ms/report")


if __name__ == "__main__":
    main()
