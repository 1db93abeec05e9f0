"""The CSV template: one inspection per row, for people who do not write RDF.

A row becomes the same RDF as a report's inspection (``mapping.graph``), so the shapes
judge it in the same way. Values are mapped even when they are wrong (an unknown
authority, a misspelt grade, a date that is not a date) so that validation can say
what is wrong and where; only a file whose structure is broken (missing or unknown
columns, not UTF-8) is refused outright.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, XSD

from ofsted_kg.config import base_iri
from ofsted_kg.errors import OfstedKgError, ReadError
from ofsted_kg.extract.grades import GRADE, grade_notation
from ofsted_kg.mapping import iris
from ofsted_kg.mapping.graph import new_graph
from ofsted_kg.namespaces import OFSTED, area_iri, framework_iri, grade_iri, kind_iri
from ofsted_kg.read.files import read_utf8

REQUIRED = ["authority", "framework", "start_date", "end_date"]
OPTIONAL = ["kind", "publication_date", "lead_inspector"]
AREAS = [
    "overall-effectiveness", "impact-of-leaders", "help-and-protection", "children-in-care-and-care-leavers",
    "children-in-care", "care-leavers", "looked-after-and-permanence", "adoption-performance",
    "leadership-management-governance", "lscb",
]
COLUMNS = REQUIRED[:2] + ["kind"] + REQUIRED[2:] + OPTIONAL[1:] + AREAS
_NOTATION = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Each row costs some 90 KB to validate, so a file's rows are bounded: every inspection
# of every English authority since 2009 fits in fewer. Larger files are refused (split
# them), a file over MAX_CSV_MB before it is read, one with more rows at the first row too many.
MAX_ROWS = 5000
MAX_CSV_MB = 10


def template() -> str:
    """The header alone: example rows of real inspections, left in by a user, would be
    loaded as data (README "Validating data" shows a filled-in row)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(COLUMNS)
    return out.getvalue()


@dataclass
class Table:
    """The RDF of a CSV file, and the row (1 is the header) each node came from."""

    graph: Graph
    rows: dict[str, int] = field(default_factory=dict)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.strip().lower()).strip("-") or "blank"


def _notation(text: str) -> str:
    return _slug(text.replace("_", "-"))


def _date(text: str) -> Literal:
    """An xsd:date for an ISO date; anything else stays a string, for the shapes to report."""
    try:
        return Literal(date.fromisoformat(text.strip()), datatype=XSD.date)
    except ValueError:
        return Literal(text.strip())


def _grade(text: str) -> URIRef:
    cell = text.strip()
    if re.fullmatch(GRADE, cell, re.IGNORECASE):
        return grade_iri(grade_notation(cell))
    return grade_iri(_notation(cell))


def _authority(text: str, base: str) -> tuple[URIRef, str]:
    from ofsted_kg.lookup import find

    try:
        urn = find(text).ofsted_urn
        return iris.authority(urn, base), urn
    except OfstedKgError:
        slug = _slug(text)
        return URIRef(f"{base}authority/unknown/{slug}"), f"unknown-{slug}"


def _rows(reader: Any, name: str) -> Iterator[list[str]]:
    """The rows of a CSV reader; what the csv module cannot read is a ``ReadError``."""
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ReadError(f"line {reader.line_num}: not CSV the template's way ({error})", name) from error
        yield cells


def read_table(path: Path) -> Table:
    """Map a CSV file in the template's layout to RDF; ``ReadError`` if it is not one."""
    name = path.name
    data, text = read_utf8(path, max_mb=MAX_CSV_MB)
    reader = _rows(csv.reader(io.StringIO(text)), name)
    first = next(reader, None)
    if first is None:
        raise ReadError("the file is empty", name)
    header = [h.strip() for h in first]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c and c not in COLUMNS]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s) {', '.join(unknown)}")
        raise ReadError(f"line 1: {'; '.join(problems)}; the template's columns are {', '.join(COLUMNS)} "
                        "(ofsted-kg validate --template)", name)
    base = base_iri()
    digest = hashlib.sha256(data).hexdigest()
    graph = new_graph()
    table = Table(graph)
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(table.rows) and number > MAX_ROWS + 1:
            raise ReadError(f"line {number}: more than {MAX_ROWS:,} rows; split the file into files of at most "
                            f"{MAX_ROWS:,} rows", name)
        if len(cells) > len(header):
            raise ReadError(f"line {number}: {len(cells)} cells for {len(header)} columns", name)
        row = dict(zip(header, [c.strip() for c in cells] + [""] * (len(header) - len(cells)), strict=True))
        # Each row is a source of its own (the file's row), with the row's publication date.
        source = URIRef(f"{base}source/{digest}/row/{number}")
        graph.add((source, RDF.type, OFSTED.Report))
        graph.add((source, OFSTED.fileName, Literal(name)))
        graph.add((source, OFSTED.sha256, Literal(digest)))
        graph.add((source, DCTERMS.format, Literal("text/csv")))
        table.rows[str(source)] = number
        authority, urn = _authority(row["authority"], base)
        framework = _notation(row["framework"])
        start = _date(row["start_date"])
        if isinstance(start.value, date) and framework:
            inspection = iris.inspection(urn, framework, start.value, base)
        else:
            inspection = URIRef(f"{source}/inspection")
        table.rows[str(inspection)] = number
        add = graph.add
        add((inspection, RDF.type, OFSTED.Inspection))
        add((inspection, RDFS.label, Literal(f"{row['authority']} {row['framework']} {row['start_date']}")))
        add((inspection, OFSTED.authority, authority))
        add((inspection, OFSTED.framework, framework_iri(framework)))
        add((inspection, OFSTED.inspectionKind, kind_iri(_notation(row.get("kind") or "inspection"))))
        add((inspection, OFSTED.startDate, start))
        add((inspection, OFSTED.endDate, _date(row["end_date"])))
        add((inspection, OFSTED.describedIn, source))
        if row.get("publication_date"):
            add((source, DCTERMS.issued, _date(row["publication_date"])))
        for person in filter(None, (n.strip() for n in row.get("lead_inspector", "").split(";"))):
            node = iris.inspector(person, base)
            add((inspection, OFSTED.leadInspector, node))
            add((node, RDF.type, PROV.Person))
            add((node, FOAF.name, Literal(person)))
        for area in AREAS:
            if row.get(area):
                judgement = iris.judgement(inspection, area)
                table.rows[str(judgement)] = number
                add((inspection, OFSTED.judgement, judgement))
                add((judgement, RDF.type, OFSTED.Judgement))
                add((judgement, OFSTED.inspection, inspection))
                add((judgement, OFSTED.area, area_iri(framework, area)))
                add((judgement, OFSTED.grade, _grade(row[area])))
                add((judgement, PROV.wasDerivedFrom, source))
    if not table.rows:
        raise ReadError("no rows under the header", name)
    return table
