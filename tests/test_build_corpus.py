"""Building the whole real corpus: every file is stored or fails with a one-line reason."""

from collections import Counter

import pytest

from ofsted_kg.build import find_reports
from tests.conftest import read_expected

pytestmark = pytest.mark.corpus


def test_every_report_is_stored(built, corpus):
    """All 329 reports of the corpus are stored (the 44 of 2025-26 with their new layout
    among them); only the two HTML pages are refused."""
    _, summary = built
    files = find_reports([corpus])
    assert len(files) == 331
    assert len(summary.ingested) + len(summary.unchanged) + len(summary.failed) == 331
    assert len(summary.ingested) == 329
    assert summary.unchanged == []


def test_the_reports_stored_with_problems_are_those_a_person_checked(built):
    """tests/expected/problems.csv lists every problem the corpus's reports are stored
    with, each checked by a person against the PDF: three warnings, where the running
    header of pages 2 onwards gives other inspection dates than page 1 (Durham 2022: 10 May
    for 9 May; Gateshead 2025: 6 to 12 December for 2 to 6 December; Somerset 2026: 17 April
    for 27 April). Page 1 was used; no report has a problem of severity violation."""
    from ofsted_kg.query import prepare
    from ofsted_kg.store import open_store

    _, summary = built
    store = open_store(built[0], read_only=True)
    rows = list(store.query(prepare("reports-with-problems")))
    found = sorted((row["source"].value, row["problem"].value, row["page"].value if row["page"] else "")
                   for row in rows)
    expected = sorted((row["file"].rsplit("/", 1)[-1], row["problem"], row["page"])
                      for row in read_expected("problems.csv"))
    assert found == expected
    assert {row["severity"].value for row in rows} == {"warning"}
    assert summary.with_problems == []


def test_the_two_html_pages_fail_cleanly(built):
    _, summary = built
    reasons = sorted(f.reason for f in summary.failed)
    assert reasons == [
        "children's services inspection - 13 july 2012.pdf: cannot be opened: "
        "an HTML page ('Report not found'), not a PDF",
        "children's services inspection - 19 october 2012.pdf: cannot be opened: "
        "an HTML page ('Report not found'), not a PDF",
    ]


def test_every_ilacs_and_sif_report_has_a_complete_set_of_judgements(judgement_rows):
    areas: dict[tuple[str, str], set[str]] = {}
    framework: dict[tuple[str, str], str] = {}
    for row in judgement_rows:
        key = (row["authority_urn"], row["start_date"])
        areas.setdefault(key, set()).add(row["area"])
        framework[key] = row["framework"]
    ilacs_four = {"overall-effectiveness", "impact-of-leaders", "help-and-protection",
                  "children-in-care-and-care-leavers"}
    ilacs_five = {"overall-effectiveness", "impact-of-leaders", "help-and-protection",
                  "children-in-care", "care-leavers"}
    sif = {"overall-effectiveness", "help-and-protection", "looked-after-and-permanence",
           "adoption-performance", "care-leavers", "leadership-management-governance"}
    # Inspections that start from 27 April 2026 grade no overall effectiveness.
    ilacs_2026 = ilacs_five - {"overall-effectiveness"}
    shapes = Counter()
    for key, found in areas.items():
        if framework[key] == "ilacs":
            assert found in (ilacs_four, ilacs_five, ilacs_2026), key
            shapes["ilacs-5" if found == ilacs_five else "ilacs-4" if found == ilacs_four else "ilacs-2026"] += 1
            assert (found == ilacs_2026) == (key[1] >= "2026-04-27"), key
        elif framework[key] == "sif" and found != {"lscb"}:
            # The City of London's 2016 report prints 'Adoption performance Not judged': a
            # judgement whose grade is not-judged.
            assert found - {"lscb"} == sif, key
            shapes["sif+lscb" if "lscb" in found else "sif"] += 1
    assert shapes == {"ilacs-4": 108, "ilacs-5": 97, "ilacs-2026": 6, "sif+lscb": 97, "sif": 17}


def test_not_judged_is_an_outcome(judgement_rows):
    assert [(r["authority_urn"], r["area"]) for r in judgement_rows if r["grade"] == "not-judged"] == [
        ("80450", "adoption-performance")]


def test_five_judgements_only_from_2023(judgement_rows):
    for row in judgement_rows:
        if row["area"] in ("children-in-care", "care-leavers") and row["framework"] == "ilacs":
            assert row["start_date"] >= "2023-01-01", row
        if row["area"] == "children-in-care-and-care-leavers":
            assert row["start_date"] < "2023-01-01", row


def test_every_row_has_an_english_gss_code_and_a_file_name(judgement_rows):
    assert len(judgement_rows) == 1738
    for row in judgement_rows:
        assert row["gss_code"][:3] in ("E06", "E08", "E09", "E10")
        assert row["source"].endswith(".pdf") and "/" not in row["source"]
