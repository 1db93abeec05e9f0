"""Building the whole real corpus: every file is stored or fails with a one-line reason."""

from collections import Counter

import pytest

from ofsted_kg.build import find_reports

pytestmark = pytest.mark.corpus


def test_every_file_is_ingested_or_failed_with_a_reason(built, corpus):
    _, summary = built
    files = find_reports([corpus])
    assert len(files) == 287
    assert len(summary.ingested) + len(summary.unchanged) + len(summary.failed) == 287
    assert len(summary.ingested) == 285
    assert summary.unchanged == []


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
    shapes = Counter()
    for key, found in areas.items():
        if framework[key] == "ilacs":
            assert found in (ilacs_four, ilacs_five), key
            shapes["ilacs-5" if found == ilacs_five else "ilacs-4"] += 1
        elif framework[key] == "sif" and found != {"lscb"}:
            # The City of London's 2016 report prints 'Adoption performance Not judged'.
            wanted = sif - {"adoption-performance"} if key == ("80450", "2016-07-28") else sif
            assert found - {"lscb"} == wanted, key
            shapes["sif+lscb" if "lscb" in found else "sif"] += 1
    assert shapes == {"ilacs-4": 108, "ilacs-5": 59, "sif+lscb": 97, "sif": 17}


def test_five_judgements_only_from_2023(judgement_rows):
    for row in judgement_rows:
        if row["area"] in ("children-in-care", "care-leavers") and row["framework"] == "ilacs":
            assert row["start_date"] >= "2023-01-01", row
        if row["area"] == "children-in-care-and-care-leavers":
            assert row["start_date"] < "2023-01-01", row


def test_every_row_has_an_english_gss_code_and_a_file_name(judgement_rows):
    assert len(judgement_rows) == 1523
    for row in judgement_rows:
        assert row["gss_code"][:3] in ("E06", "E08", "E09", "E10")
        assert row["source"].endswith(".pdf") and "/" not in row["source"]
