"""The small text parsers, on passages written for the test."""

from datetime import date

import pytest

from ofsted_kg.errors import ExtractionError
from ofsted_kg.extract.authority import resolve_authority
from ofsted_kg.extract.common import find_lead_inspectors, split_names
from ofsted_kg.extract.dates import parse_date, parse_date_range
from ofsted_kg.extract.grades import grade_notation


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("9 December 2019 to 13 December 2019", date(2019, 12, 9), date(2019, 12, 13)),
        ("3 to 7 June 2024", date(2024, 6, 3), date(2024, 6, 7)),
        ("23 May to 16 June 2016", date(2016, 5, 23), date(2016, 6, 16)),
        ("8 – 12 July 2013", date(2013, 7, 8), date(2013, 7, 12)),
        ("4 to 8 March and 18 to 22 March 2019", date(2019, 3, 4), date(2019, 3, 22)),
        ("12/09/2016 to 06/10/2016", date(2016, 9, 12), date(2016, 10, 6)),
        ("28 December to 3 January 2020", date(2019, 12, 28), date(2020, 1, 3)),
    ],
)
def test_date_ranges(text, start, end):
    assert parse_date_range(text) == (start, end)


def test_a_range_without_dates_is_an_extraction_error():
    with pytest.raises(ExtractionError, match="no inspection dates"):
        parse_date_range("to be confirmed")


def test_single_date():
    assert parse_date("Report published: 5 August 2016") == date(2016, 8, 5)


@pytest.mark.parametrize(
    ("text", "notation"),
    [
        ("Requires improvement to be good", "requires-improvement"),
        ("Requires improvement\nto be good", "requires-improvement"),
        ("Inadequate", "inadequate"),
        ("Adequate", "adequate"),
        ("Outstanding", "outstanding"),
        ("Good ", "good"),
    ],
)
def test_grades(text, notation):
    assert grade_notation(text) == notation


@pytest.mark.parametrize(
    ("printed", "urn"),
    [
        ("Royal Borough of Greenwich", "80495"),
        ("City of Bradford Metropolitan Borough Council", "80449"),
        ("Bristol City of", "80441"),
        ("Hull", "80477"),
        ("Inspection of Newcastle local authority children's services", "80525"),
        ("Surrey Safeguarding Children Board", "80567"),
        ("Stockton-on-Tees Borough Council", "80563"),
        ("St Helens Council", "80560"),
        ("North East Lincolnshire Council", "80526"),
    ],
)
def test_authority_names_resolve(printed, urn):
    assert resolve_authority(printed).ofsted_urn == urn


def test_unknown_authority_is_an_extraction_error():
    with pytest.raises(ExtractionError, match="not in the registry"):
        resolve_authority("Atlantis District Council")


def test_lead_inspectors_drop_titles():
    assert find_lead_inspectors("Lead inspector: Tom Anthony, His Majesty's Inspector\n") == [
        "Tom Anthony"
    ]
    assert find_lead_inspectors("Lead inspector: Marie McGuinness Senior HMI\n") == [
        "Marie McGuinness"
    ]
    assert find_lead_inspectors("Reporting inspector Gary Lamb HMI\n") == ["Gary Lamb"]
    assert split_names("Jane Doe and John Smith") == ["Jane Doe", "John Smith"]
