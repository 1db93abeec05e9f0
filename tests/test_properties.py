"""Property-based tests of the text parsers: whatever the text, they answer or raise the
package's own error, never anything else."""

import contextlib
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from ofsted_kg.errors import OfstedKgError
from ofsted_kg.extract.authority import find_authorities, find_authority
from ofsted_kg.extract.dates import parse_date, parse_date_range
from ofsted_kg.extract.grades import grade_notation
from ofsted_kg.extract.polarity import polarity
from ofsted_kg.extract.services import tag_services

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
