"""Greenwich and Stockton-on-Tees, every report, with values read from page 1 of each PDF."""

from datetime import date

import pytest

from ofsted_kg.extract import extract_report
from ofsted_kg.read import read_pdf

pytestmark = pytest.mark.corpus

RI = "requires-improvement"
SIF = ("overall-effectiveness", "help-and-protection", "looked-after-and-permanence",
       "adoption-performance", "care-leavers", "leadership-management-governance")

CASES = {
    "80495_greenwich/children's services inspection - 05 august 2016.pdf": (
        "sif", date(2016, 5, 23), date(2016, 6, 16), date(2016, 8, 5),
        {**dict.fromkeys(SIF, "good"), "lscb": "good"}),
    "80495_greenwich/children's services inspection - 27 january 2020.pdf": (
        "ilacs", date(2019, 12, 9), date(2019, 12, 13), date(2020, 1, 24),
        dict.fromkeys(("overall-effectiveness", "impact-of-leaders", "help-and-protection",
                       "children-in-care-and-care-leavers"), "good")),
    "80495_greenwich/children's services inspection - 16 july 2024.pdf": (
        "ilacs", date(2024, 6, 3), date(2024, 6, 7), date(2024, 7, 15),
        {"overall-effectiveness": "outstanding", "impact-of-leaders": "outstanding",
         "help-and-protection": "good", "children-in-care": "outstanding",
         "care-leavers": "outstanding"}),
    "80563_stockton-on-tees/children's services inspection - 05 august 2016.pdf": (
        "sif", date(2016, 5, 23), date(2016, 6, 16), date(2016, 8, 5),
        {"overall-effectiveness": "good", "help-and-protection": "good",
         "looked-after-and-permanence": RI, "adoption-performance": RI,
         "care-leavers": "outstanding", "leadership-management-governance": "good", "lscb": RI}),
    "80563_stockton-on-tees/children's services inspection - 09 may 2023.pdf": (
        "ilacs", date(2023, 3, 6), date(2023, 3, 17), None,
        dict.fromkeys(("overall-effectiveness", "impact-of-leaders", "help-and-protection",
                       "children-in-care", "care-leavers"), RI)),
}


@pytest.mark.parametrize("file", sorted(CASES))
def test_known_report(corpus, file):
    framework, start, end, published, grades = CASES[file]
    inspection = extract_report(read_pdf(corpus / file)).inspection
    assert inspection.framework == framework
    assert (inspection.start_date, inspection.end_date) == (start, end)
    if published:
        assert inspection.published == published
    assert {j.area: j.grade for j in inspection.judgements} == grades


def test_stockton_2019_requires_improvement_throughout(corpus):
    file = "80563_stockton-on-tees/children's services inspection - 01 july 2019.pdf"
    inspection = extract_report(read_pdf(corpus / file)).inspection
    assert inspection.framework == "ilacs"
    assert {j.grade for j in inspection.judgements} == {RI}
    assert len(inspection.judgements) == 4


def test_greenwich_2020_what_needs_to_improve(corpus):
    file = "80495_greenwich/children's services inspection - 27 january 2020.pdf"
    inspection = extract_report(read_pdf(corpus / file)).inspection
    texts = [r.text for r in inspection.recommendations]
    assert len(texts) == 4
    assert texts[0] == "Clarity of actions in plans for children and care leavers."
    assert texts[3] == ("The oversight of children's care plans by independent reviewing "
                        "officers (IROs) between reviews.")
    assert [r.page for r in inspection.recommendations] == [2, 2, 2, 2]
    assert inspection.lead_inspectors == ["Andy Whippey"]
