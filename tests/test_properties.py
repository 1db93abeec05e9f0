"""Property-based tests of the text parsers (dates, grades, authority names, services,
paragraph splitting, whole reports): whatever the text, they answer or raise the
package's own error, never anything else."""

import contextlib
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from ofsted_kg.errors import OfstedKgError
from ofsted_kg.extract import extract_report
from ofsted_kg.extract.authority import find_authorities, find_authority
from ofsted_kg.extract.common import Page1
from ofsted_kg.extract.dates import parse_date, parse_date_range
from ofsted_kg.extract.findings import extract_findings
from ofsted_kg.extract.grades import grade_notation
from ofsted_kg.extract.polarity import polarity
from ofsted_kg.extract.services import tag_services
from ofsted_kg.facts import Document

WORDS = st.sampled_from([
    "9", "13", "31", "0", "2019", "1999", "2024", "December", "February", "to", "and", "-", "–", "/", "12/13/2019",
    "29", "2023", "good", "Requires", "improvement", "to be good", "inadequate", "adequate", "Outstanding",
    "Greenwich", "Royal", "Borough", "of", "Hull", "City", "Council", "MASH", "IROs", "however", "not", "\n",
])
TEXT = st.one_of(st.text(max_size=200), st.lists(WORDS, max_size=30).map(" ".join),
                 st.text(alphabet=string.printable, max_size=200))


def answers_or_raises_own_error(function, text):
    with contextlib.suppress(OfstedKgError):
        function(text)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_dates(text):
    answers_or_raises_own_error(parse_date, text)
    answers_or_raises_own_error(parse_date_range, text)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_grades(text):
    answers_or_raises_own_error(grade_notation, text)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_authority_names(text):
    find_authority(text)
    find_authorities(text)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_services_and_polarity(text):
    tags = tag_services(text)
    assert all(tag.label for tag in tags)
    assert polarity(text).value in {"strength", "area-for-improvement", "mixed"}


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_a_date_range_never_ends_before_it_starts(text):
    try:
        start, end = parse_date_range(text)
    except OfstedKgError:
        return
    assert start <= end


# Pages that look enough like a report's to reach the paragraph splitter: numbered
# paragraphs, headings, page furniture, grade words and stray numbers in any order.
LINES = st.one_of(
    st.integers(0, 30).map(lambda n: f"{n}. The local authority"),
    st.integers(1, 8).map(lambda n: "\n".join(f"{i}. Social workers visit children." for i in range(1, n + 1))),
    st.sampled_from(["Executive summary", "Recommendations", "Overall effectiveness", "Good",
                     "The experiences and progress of children in care", "Ofsted", "Inspection of Greenwich",
                     "1", "2.", "Page 3 of 20", ""]),
    TEXT,
)
PAGES = st.lists(st.lists(LINES, max_size=25).map("\n".join), min_size=1, max_size=4).map(tuple)


@settings(max_examples=200, deadline=None)
@given(PAGES, st.sampled_from(["ilacs", "sif", "legacy"]))
def test_paragraph_splitting(pages, framework):
    findings = extract_findings(Page1(Document("x.pdf", "0" * 64, pages)), framework)
    for finding in findings:
        assert finding.text.strip()
        assert 1 <= finding.page <= len(pages)


@settings(max_examples=200, deadline=None)
@given(PAGES)
def test_whole_reports(pages):
    answers_or_raises_own_error(extract_report, Document("x.pdf", "0" * 64, pages))
