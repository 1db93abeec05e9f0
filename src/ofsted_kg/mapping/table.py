"""A CSV file in the template's layout (``read.table``) as RDF: each row an inspection,
mapped as a report's inspection is (``mapping.graph``), so the shapes judge it in the
same way. Values are mapped even when they are wrong, so that validation can say what
is wrong and where."""

from __future__ import annotations

import re
from datetime import date

import pyoxigraph as ox

from ofsted_kg.errors import OfstedKgError
from ofsted_kg.mapping import iris
from ofsted_kg.mapping.graph import Triples, add_inspection, add_judgement, day, text
from ofsted_kg.namespaces import DCTERMS, OFSTED, RDF
from ofsted_kg.read import Table
from ofsted_kg.registry import find
from ofsted_kg.vocabulary import grade_of, template_areas


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.strip().lower()).strip("-") or "blank"


def _notation(value: str) -> str:
    return _slug(value.replace("_", "-"))


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _date(value: str) -> ox.Literal:
    """An xsd:date for an ISO date; anything else stays a string, for the shapes to report."""
    parsed = _day(value)
    return day(parsed) if parsed else text(value.strip())


def _authority(name: str, base: str) -> tuple[str, str]:
    try:
        urn = find(name).ofsted_urn
        return iris.authority(urn, base), urn
    except OfstedKgError:
        return iris.unknown_authority(_slug(name), base), f"unknown-{_slug(name)}"


def map_table(table: Table, base: str) -> tuple[Triples, dict[str, int]]:
    """The triples of a table's rows, and the line each node came from."""
    triples = Triples()
    add = triples.add
    lines: dict[str, int] = {}
    source_iri = iris.source(table.sha256, base)
    for number, row in table.rows.items():
        # Each row is a source of its own (the file's row), with the row's publication date.
        source = iris.row(source_iri, number)
        add((source, RDF.type, OFSTED.Report))
        add((source, OFSTED.fileName, text(table.name)))
        add((source, OFSTED.sha256, text(table.sha256)))
        add((source, DCTERMS.format, text("text/csv")))
        if row.get("publication_date"):
            add((source, DCTERMS.issued, _date(row["publication_date"])))
        lines[source] = number
        authority, urn = _authority(row["authority"], base)
        framework = _notation(row["framework"])
        start = _day(row["start_date"])
        inspection = (iris.inspection(urn, framework, start, base) if start and framework
                      else iris.row_inspection(source))
        lines[inspection] = number
        add_inspection(
            triples, inspection, framework=framework, kind=_notation(row.get("kind") or "inspection"),
            source=source, label=f"{row['authority']} {row['framework']} {row['start_date']}",
            start=_date(row["start_date"]), end=_date(row["end_date"]), authority=authority,
            inspectors=[n.strip() for n in row.get("lead_inspector", "").split(";") if n.strip()], base=base)
        for area in template_areas():
            if row.get(area):
                grade = grade_of(row[area]) or _notation(row[area])
                lines[add_judgement(triples, inspection, framework, area, grade, source)] = number
    return triples, lines
