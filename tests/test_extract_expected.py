"""Extraction against facts a person read from the PDFs (tests/expected/, see its README)."""

from collections import defaultdict
from functools import cache

import pytest

from ofsted_kg.extract import extract_report
from ofsted_kg.read import read_pdf

from .conftest import CORPUS, read_expected

pytestmark = pytest.mark.corpus

INSPECTIONS = read_expected("inspections.csv")
JUDGEMENTS: dict[str, set[tuple[str, str, int]]] = defaultdict(set)
for _row in read_expected("judgements.csv"):
    JUDGEMENTS[_row["file"]].add((_row["area"], _row["grade"], int(_row["page"])))


@cache
def extracted(file: str):
    return extract_report(read_pdf(CORPUS / file)).inspection


def test_the_table_covers_every_kind():
    kinds = {(row["framework"], row["kind"]) for row in INSPECTIONS}
    assert len(INSPECTIONS) >= 40
    assert {("ilacs", "inspection"), ("sif", "inspection"), ("sif", "reinspection"),
            ("sif", "lscb-review"), ("lac", "inspection")} <= kinds


@pytest.mark.parametrize("row", INSPECTIONS, ids=[r["file"] for r in INSPECTIONS])
def test_inspection_facts(row):
    inspection = extracted(row["file"])
    assert inspection.authority.ofsted_urn == row["authority_urn"]
    assert (inspection.framework, inspection.kind) == (row["framework"], row["kind"])
    assert inspection.start_date.isoformat() == row["start_date"]
    assert inspection.end_date.isoformat() == row["end_date"]
    if row["published"]:
        assert inspection.published.isoformat() == row["published"]
        assert inspection.publication_basis == "printed"
    else:
        assert inspection.publication_basis == "pdf-metadata"
    assert "; ".join(inspection.lead_inspectors) == row["lead_inspectors"]


@pytest.mark.parametrize("row", INSPECTIONS, ids=[r["file"] for r in INSPECTIONS])
def test_judgements(row):
    inspection = extracted(row["file"])
    found = {(j.area, j.grade, j.page) for j in inspection.judgements}
    assert found == JUDGEMENTS[row["file"]]


@pytest.mark.parametrize(
    "row", [r for r in INSPECTIONS if r["recommendations"]],
    ids=[r["file"] for r in INSPECTIONS if r["recommendations"]],
)
def test_recommendation_counts(row):
    inspection = extracted(row["file"])
    assert len(inspection.recommendations) == int(row["recommendations"])
    assert [r.order for r in inspection.recommendations] == list(
        range(1, int(row["recommendations"]) + 1)
    )
