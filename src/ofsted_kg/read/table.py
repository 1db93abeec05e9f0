"""The CSV template: one inspection per row, for people who do not write RDF.

A file is read into its rows of cells, as written: wrong values (an unknown authority,
a misspelt grade, a date that is not a date) are kept, for mapping to turn into RDF and
validation to say what is wrong and where. Only a file whose structure is broken
(missing or unknown columns, not UTF-8) is refused outright.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ofsted_kg.errors import ReadError
from ofsted_kg.read.files import read_utf8
from ofsted_kg.vocabulary import template_areas

REQUIRED = ["authority", "framework", "start_date", "end_date"]
OPTIONAL = ["kind", "publication_date", "lead_inspector"]
# Each row costs some 90 KB to validate, so a file's rows are bounded: every inspection
# of every English authority since 2009 fits in fewer. Larger files are refused (split
# them), a file over MAX_CSV_MB before it is read, one with more rows at the first row too many.
MAX_ROWS = 5000
MAX_CSV_MB = 10


def columns() -> list[str]:
    """The template's columns: the inspection's, then a grade column per judgement area."""
    return REQUIRED[:2] + ["kind"] + REQUIRED[2:] + OPTIONAL[1:] + list(template_areas())


def template() -> str:
    """The header alone: example rows of real inspections, left in by a user, would be
    loaded as data (README "Validating data" shows a filled-in row)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(columns())
    return out.getvalue()


@dataclass
class Table:
    """A CSV file's rows, each a dict of its cells by column, by line number (1 is the header)."""

    name: str
    sha256: str
    rows: dict[int, dict[str, str]] = field(default_factory=dict)


def read_table(path: Path) -> Table:
    """The rows of a CSV file in the template's layout; ``ReadError`` if it is not one."""
    data, text = read_utf8(path, max_mb=MAX_CSV_MB)
    reader = csv.reader(io.StringIO(text))
    try:
        return _table(path.name, hashlib.sha256(data).hexdigest(), reader)
    except csv.Error as error:  # what the csv module cannot read
        raise ReadError(f"line {reader.line_num}: not CSV the template's way ({error})", path.name) from error


def _table(name: str, sha256: str, reader: Iterator[list[str]]) -> Table:
    first = next(reader, None)
    if first is None:
        raise ReadError("the file is empty", name)
    header = [h.strip() for h in first]
    known = columns()
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c and c not in known]
    problems = [f"{what} column(s) {', '.join(found)}"
                for what, found in (("missing", missing), ("unknown", unknown)) if found]
    if problems:
        raise ReadError(f"line 1: {'; '.join(problems)}; the template's columns are {', '.join(known)} "
                        "(ofsted-kg validate --template)", name)
    table = Table(name, sha256)
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(table.rows) and number > MAX_ROWS + 1:
            raise ReadError(f"line {number}: more than {MAX_ROWS:,} rows; split the file into files of at most "
                            f"{MAX_ROWS:,} rows", name)
        if len(cells) > len(header):
            raise ReadError(f"line {number}: {len(cells)} cells for {len(header)} columns", name)
        table.rows[number] = dict(zip(header, [c.strip() for c in cells] + [""] * (len(header) - len(cells)),
                                      strict=True))
    if not table.rows:
        raise ReadError("no rows under the header", name)
    return table
