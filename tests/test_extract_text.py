"""The small text parsers, on passages written for the test."""

from datetime import date

import pytest

from ofsted_kg.errors import ExtractionError
from ofsted_kg.extract import extract_report
from ofsted_kg.extract.authority import resolve_authority, resolve_report_authority
from ofsted_kg.extract.common import (
    bullet_items,
    find_inspection_dates,
    find_lead_inspectors,
    name_variants,
    numbered_items,
    split_names,
)
from ofsted_kg.extract.dates import parse_date, parse_date_range
from ofsted_kg.extract.grades import grade_notation
from ofsted_kg.extract.table import read_judgements
from ofsted_kg.extract.text import Flow
from ofsted_kg.facts import Document
from ofsted_kg.registry import load_registry


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("9 December 2019 to 13 December 2019", date(2019, 12, 9), date(2019, 12, 13)),
        ("3 to 7 June 2024", date(2024, 6, 3), date(2024, 6, 7)),
        ("23 May to 16 June 2016", date(2016, 5, 23), date(2016, 6, 16)),
        ("8 – 12 July 2013", date(2013, 7, 8), date(2013, 7, 12)),
        # An inspection in two parts months apart (Devon, 2024-25).
        ("30 September to 11 October 2024 and 13 to 16 January 2025", date(2024, 9, 30), date(2025, 1, 16)),
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
        # Spelling variants, hidden labels of ontology/grades.ttl: a plural verb, an earlier grade.
        ("Children's services in the area require improvement to be good", "requires-improvement"),
        ("it required\nimprovement", "requires-improvement"),
        ("Not judged", "not-judged"),
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


def test_a_sentence_about_the_lead_inspector_is_no_name():
    # Doncaster 2015 writes of 'keep in touch meetings with the lead inspector attended by
    # both the director...' before its 'Lead inspector: Janet Fraser'.
    text = ("meetings with the \nlead inspector attended by both the director for children's services and\n"
            "The inspection team\nLead inspector: Janet Fraser\nDeputy lead inspector: Neil Penswick\n")
    assert find_lead_inspectors(text) == ["Janet Fraser"]


def test_one_inspector_printed_two_ways_is_one_person():
    text = ("Lead inspector: Nick Stacey, His Majesty's Inspector\n"
            "...the lead inspector, Nicholas Stacey, met...\n"
            "Team: Zoë Price, N. Stacey\nAnother Stacey, Paul Stacey, is not him.")
    assert name_variants(text, ["Nick Stacey"]) == {"Nick Stacey": ("Nicholas Stacey", "N. Stacey")}
    assert name_variants("Lead inspector: Zoe Price\nZoë Price HMI", ["Zoe Price"]) == {
        "Zoe Price": ("Zoë Price",)}


@pytest.mark.parametrize(
    ("title", "urn"),
    [
        # Core words of the name, whatever the generic words: the first release gave these
        # a partner council named further down page 1.
        ("Inspection of Isle of Wight local authority children's services", "80419"),
        ("Inspection of East Riding of Yorkshire local authority children's services", "80466"),
        ("Inspection of the City of London Corporation children's services", "80450"),
        ("Inspection of Bradford Children and Families Trust", "80449"),
        ("Inspection of Kent County Council children's services", "80476"),
        ("Inspection of City of York Council local authority children's services", "80453"),
    ],
)
def test_titles_resolve_to_the_council(title, urn):
    authority, problems = resolve_report_authority(title, title)
    assert (authority.ofsted_urn, problems) == (urn, [])


def test_a_provider_of_two_councils_alone_is_uncertain():
    title = "Inspection of Northamptonshire Children's Trust"
    body = "West Northamptonshire Council ... West Northamptonshire ... North Northamptonshire"
    authority, problems = resolve_report_authority(title, body)
    assert authority.name == "West Northamptonshire"
    assert [(p.kind, p.page, p.text) for p in problems] == [("uncertain-authority", 1, title)]


def test_a_partner_named_in_the_text_never_replaces_the_title():
    title = "Inspection of Isle of Wight local authority children's services"
    body = title + " delivered in partnership with Hampshire County Council. Hampshire, Hampshire."
    authority, problems = resolve_report_authority(title, body)
    assert (authority.name, problems) == ("Isle of Wight", [])


def test_every_registry_name_resolves_in_a_title():
    """Each authority of the registry, under each of its names, in three printed forms."""
    for authority in load_registry():
        for name in (authority.name, *authority.alternative_names):
            for title in (f"Inspection of {name} local authority children's services",
                          f"Inspection of {name} Council children's services",
                          f"Inspection of the London Borough of {name} local authority children's services"):
                found, _ = resolve_report_authority(title, title)
                assert found is not None and found.ofsted_urn == authority.ofsted_urn, title


def test_dates_of_inspection_worded_the_other_way():
    dates = find_inspection_dates("Dates of inspection: 4 to 8 March 2013\n")
    assert dates == (date(2013, 3, 4), date(2013, 3, 8))


def test_a_cover_page_without_text_is_skipped_and_pages_keep_their_numbers():
    lines = ["Inspection of Greenwich local authority children's services",
             "Inspection dates: 9 to 13 December 2019",
             "Lead inspector: Andy Whippey, Her Majesty's Inspector",
             "Judgement Grade",
             "The impact of leaders on social work practice with children and families Good",
             "The experiences and progress of children who need help and protection Good",
             "The experiences and progress of children in care and care leavers Good",
             "Overall effectiveness Good"]
    document = Document("cover.pdf", "0" * 64, ("", "\n".join(lines), "Page two"))
    inspection = extract_report(document, findings=False).inspection
    assert (inspection.authority.name, inspection.start_date, inspection.problems) == (
        "Greenwich", date(2019, 12, 9), [])
    assert sorted((j.area, j.grade, j.page) for j in inspection.judgements) == [
        ("children-in-care-and-care-leavers", "good", 2), ("help-and-protection", "good", 2),
        ("impact-of-leaders", "good", 2), ("overall-effectiveness", "good", 2)]


TABLE = """Judgement Grade
The impact of leaders on social work
practice with children and families
Good
The experiences and progress of
children who need help and protection
Gud
The experiences and progress of
children care leavers
Not judged
The experiences and progress of
children in care
Requires improvement
to be good
Children in the area receive a service that is improving, and leaders know where it is not yet good enough.
"""


def test_a_judgement_table_read_as_a_person_reads_it():
    """A grade wrapped over two lines, a template slip in a label, 'Not judged', a grade
    word that is no grade, and an area missing: every row that can be read is kept, and
    each problem names its page and the text seen."""
    expected = ("overall-effectiveness", "impact-of-leaders", "help-and-protection", "children-in-care",
                "care-leavers")
    judgements, problems = read_judgements([TABLE], "ilacs", expected)
    assert sorted((j.area, j.grade, j.page) for j in judgements) == [
        ("care-leavers", "not-judged", 1), ("children-in-care", "requires-improvement", 1),
        ("impact-of-leaders", "good", 1)]
    assert [(p.kind, p.page, p.text[:40]) for p in problems] == [
        ("unknown-grade", 1, "The experiences and progress of children"),
        ("missing-area", 1, "Judgement Grade The impact of leaders on")]
    assert problems[0].text.endswith("| Gud")
    assert problems[1].message == ("the judgement table has no grade for overall-effectiveness, which the "
                                   "framework grades")


@pytest.mark.parametrize("foot", [
    # On a line of its own with no blank line above it, and glued to the line above (the
    # two ways 2026 reports' text layers print the national framework note).
    "the service is well led.\n1 The areas for improvement have been cross-referenced with the"
    " outcomes of\nthe national framework.",
    "a strengths-based, solution-1 The areas for improvement have been cross-referenced with"
    " the\noutcomes of the national framework.",
])
def test_the_template_footnote_is_not_part_of_the_finding_above_it(foot):
    from ofsted_kg.extract.furniture import clean_flow
    from ofsted_kg.extract.text import Flow

    flow = clean_flow(Flow.of([f"2. Managers know the service.\n{foot}", "3. Next page's finding."]))
    page_one, page_two = flow.text.split("\n3. ")[0], flow.text.split("\n3. ")[1]
    assert "cross-referenced" not in page_one and "national framework" not in page_one
    assert "Managers know the service." in page_one
    assert page_two == "Next page's finding."
    assert len(flow.text) == len("\n".join([f"2. Managers know the service.\n{foot}", "3. Next page's finding."]))


def test_list_items_keep_their_order_and_page_and_a_block_without_marks_has_none():
    pages = ["Intro\n\u2022 Improve the front door.\n\u2022 \n", "\u2022 Check supervision.\n"]
    flow = Flow.of(pages)
    assert [(r.order, r.text, r.page) for r in bullet_items(flow.text, flow, 0)] == [
        (1, "Improve the front door.", 1), (2, "Check supervision.", 2)]
    numbered = "21. Plans are late.\n22. Visits are regular.\n24. Not a run.\n"
    assert [(r.order, r.text) for r in numbered_items(numbered, Flow.of([numbered]), 0)] == [
        (1, "Plans are late."), (2, "Visits are regular. 24. Not a run.")]
    assert bullet_items("No list here.", Flow.of(["No list here."]), 0) == []
    assert numbered_items("No list here.", Flow.of(["No list here."]), 0) == []
