"""ILACS reports (2018 onwards): the judgement table on page 1 and 'What needs to improve'.

Both headings are handled: 'Inspection of children's social care services' (2018-19)
and 'Inspection of <authority> local authority children's services'. From 2023 the
report grades children in care and care leavers apart: five judgements, not four; and
inspections that start from 27 April 2026 print no overall effectiveness judgement. Which
areas a table should have is data (the framework versions in ``ontology/frameworks.ttl``).
"""

from __future__ import annotations

import re
from datetime import date

from ofsted_kg.errors import ExtractionError
from ofsted_kg.extract.common import Page1, bullet_items, facts, printed_dates
from ofsted_kg.extract.table import read_judgements
from ofsted_kg.extract.text import collapse
from ofsted_kg.facts import Judgement, Recommendation
from ofsted_kg.vocabulary import version_for


def extract_judgements(page1: Page1, start: date | None) -> list[Judgement]:
    """The judgement table on page 1 (running onto page 2 where it must), read by
    ``extract.table``; what cannot be read is recorded in ``page1.problems``."""
    version = version_for("ilacs", start) if start else None
    expected = version.required_areas if version else None
    pages = [page1.page_text(1), page1.page_text(2)]
    judgements, problems = read_judgements(pages, "ilacs", expected)
    page1.problems.extend(problems)
    return judgements


# The heading may carry a footnote mark ('What needs to improve?1', from 2025). Headings start
# with a capital letter, whatever the case of the rest: a line of a sentence does not.
_IMPROVE = re.compile(r"^[ \t]*(?-i:W)hat needs to improve\s*[?:]?\s*\d{0,2}[ \t]*$", re.IGNORECASE | re.MULTILINE)
_NEXT_SECTION = re.compile(
    r"^[ \t]*(?:(?-i:T)he\s+(?:experiences|impact)\b|1\.\s|(?-i:I)nspection judgements?\b)",
    re.IGNORECASE | re.MULTILINE,
)


def extract_recommendations(page1: Page1) -> list[Recommendation]:
    """The items of 'What needs to improve'; none where the report has no such list (an
    authority judged outstanding throughout may have none)."""
    flow = page1.flow
    heading = _IMPROVE.search(flow.text)
    if not heading:
        return []
    end = _NEXT_SECTION.search(flow.text, heading.end())
    block = flow.text[heading.end() : end.start() if end else heading.end() + 3000]
    items = bullet_items(block, flow, heading.end())
    if not items:
        raise ExtractionError(f"no items could be read under 'What needs to improve' ({collapse(block)[:120]!r})")
    return items


def extract(page1: Page1) -> dict:
    dates = printed_dates(page1)
    recommendations = page1.attempt("recommendations", lambda: extract_recommendations(page1), [], page=2)
    return facts(page1, dates, extract_judgements(page1, dates[0] if dates else None), recommendations,
                 inspectors_in=page1.page_text(1), published=False)
