"""The README's examples of the stored queries, made from the queries' own ``#+ examples``.

Each stored query is run, as the command line runs it, with the example values its header
gives, on the graph of the sample reports (tests/sample_reports.py, all thirteen) and the
articles written for the tests (tests/articles). What it prints, cut to a few rows, is the
README's text between the two marker lines below; tests/test_readme.py checks that the
README holds exactly that, so the README cannot drift from the queries or the code.

``python -m tests.readme_examples`` writes the section into README.md again.
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

from ofsted_kg.cli import main
from ofsted_kg.query import stored_queries

README = Path(__file__).resolve().parents[1] / "README.md"
ARTICLES = Path(__file__).parent / "articles"
BEGIN = "<!-- query examples: made by `python -m tests.readme_examples`; tests/test_readme.py checks them -->"
END = "<!-- end of query examples -->"
ROWS = 3  # rows shown of each answer
CELL = 70  # characters shown of a cell


def example_values(name: str) -> dict[str, str]:
    """The example value of each parameter whose header gives one."""
    return {p.name: str(p.example) for p in stored_queries()[name].parameters if p.example}


def command(name: str) -> list[str]:
    options = (arg for key, value in example_values(name).items() for arg in ("-p", f"{key}={value}"))
    return ["query", name, *options]


def _cut(line: str) -> str:
    """Each cell of a CSV line cut to CELL characters (quoted cells stay quoted)."""
    cells = next(csv.reader([line]))
    short = [cell if len(cell) <= CELL else cell[: CELL - 3] + "..." for cell in cells]
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(short)
    return out.getvalue()


def render(store: Path) -> str:
    """The README's section: every stored query, its summary, its command and its answer."""
    runner = CliRunner()
    parts = []
    for name, query in sorted(stored_queries().items()):
        args = command(name)
        result = runner.invoke(main, [*args, "--store", str(store), "--format", "csv"])
        if result.exit_code != 0:
            raise RuntimeError(f"{' '.join(args)} exited {result.exit_code}: {result.output}")
        lines = result.stdout.replace("\r\n", "\n").splitlines()
        shown = [_cut(line) for line in lines[: 1 + ROWS]]
        if len(lines) > 1 + ROWS:
            shown.append(f"... {len(lines) - 1 - ROWS} more rows")
        summary = query.summary.rstrip(".")
        answer = "\n".join(shown)
        parts.append(f"**{name}**: {summary}.\n\n```\n$ ofsted-kg {' '.join(args)}\n{answer}\n```\n")
    return "\n".join(parts)


def section(text: str) -> str:
    """The README's text between the markers."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[start:end].strip("\n") + "\n"


def graph(folder: Path) -> Path:
    """The thirteen sample reports and the written articles, built into ``folder``."""
    from ofsted_kg.build import build

    from .sample_reports import EXTRA_SAMPLES, SAMPLES, write_samples

    reports = folder / "reports"
    write_samples(reports, SAMPLES + EXTRA_SAMPLES)
    store = folder / "graph"
    summary = build([reports, ARTICLES], store, workers=1)
    # Three articles are about no inspection (tests/articles/README.md).
    assert (len(summary.ingested), len(summary.failed), summary.with_problems) == (13 + 8, 3, []), summary
    return store


def write_readme(store: Path) -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    README.write_text(text[:start] + "\n" + render(store) + "\n" + text[end:], encoding="utf-8")


if __name__ == "__main__":
    folder = Path(tempfile.mkdtemp(prefix="readme-examples-"))
    try:
        write_readme(graph(folder))
    finally:
        shutil.rmtree(folder)
    sys.exit(0)
