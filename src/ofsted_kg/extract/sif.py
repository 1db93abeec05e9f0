"""SIF reports (2013-2018), SIF re-inspections and reviews of the LSCB.

Page 1 prints the overall sentence ('Children's services in X are good.') and the
numbered table (1, 2, 2.1 adoption, 2.2 care leavers, 3); a combined report also
grades the Local Safeguarding Children Board at the start of its own section.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from ofsted_kg.extract.common import Page1, bullet_items, facts, numbered_items, printed_dates
from ofsted_kg.extract.grades import GRADE, grade_notation
from ofsted_kg.extract.text import collapse
from ofsted_kg.facts import Judgement, Problem, Recommendation
from ofsted_kg.vocabulary import area_labels, version_for

_OVERALL = re.compile(
    rf"(?:Children's\s+services\s+in\s+.{{2,90}}?"
    r"|The\s+overall\s+judgement\s+is(?:\s+that\s+children's\s+services?)?)\s+"
    rf"(?:(?:are|is|were|remain)\s+(?:still\s+)?)?({GRADE})",
    re.IGNORECASE,
)
# The numbered table: the areas of ontology/areas.ttl but the two read apart (the overall
# sentence, the LSCB's section). Reports slip in its numbering (2.2 for the adoption row),
# so a number before a label is read but not required to be the right one; a label's
# spaces may be missing and its commas too.
_NUMBER = r"(?:\b\d(?:\.\d)?\.?\s*)?"
_READ_APART = ("overall-effectiveness", "lscb")


@cache
def _table_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (area, re.compile(_NUMBER + re.escape(label).replace(r"\ ", r"\s*").replace(",", ",?")
                          + rf"\s*:?\s*({GRADE})\b", re.I))
        for area, labels in area_labels("sif") if area not in _READ_APART for label in labels)


_LSCB = re.compile(
    r"^[ \t]*(?:The\s+effectiveness\s+of\s+)?the\s+(?:Local\s+Safeguarding\s+Children\s+Board"
    rf"(?:\s*\(LSCB\))?|LSCB)\s+(?:is\s+|are\s+)?({GRADE})(?:\s+because:?)?\.?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)


def extract_lscb(page1: Page1) -> Judgement | None:
    flow = page1.flow
    match = _LSCB.search(flow.text)
    if not match:
        return None
    return Judgement("lscb", grade_notation(match.group(1)), flow.page_of(match.start()))


def extract_judgements(page1: Page1, start: date | None) -> list[Judgement]:
    """The overall sentence and the numbered table on page 1 (or, where the table runs
    over the page break, page 2); areas the framework version grades but the page does
    not give are recorded as problems."""
    text = page1.first
    judgements = []
    overall = _OVERALL.search(text)
    if overall:
        judgements.append(Judgement("overall-effectiveness", grade_notation(overall.group(1)), 1))
    second = collapse(page1.page_text(2))
    for area, pattern in _table_patterns():
        match = pattern.search(text)
        page = 1
        if not match:
            match, page = pattern.search(second), 2
        if match:
            judgements.append(Judgement(area, grade_notation(match.group(1)), page))
    version = version_for("sif", start) if start else None
    graded = {j.area for j in judgements}
    # A re-inspection may grade fewer areas; a missing area of a full inspection is a problem.
    for area in version.required_areas if version else ():
        if area not in graded:
            page1.problems.append(Problem(
                "missing-area", f"page 1 gives no grade for {area}, which the framework grades",
                1, page1.excerpt(1, 400)))
    lscb = extract_lscb(page1)
    if lscb:
        judgements.append(lscb)
    return judgements


_RECOMMENDATIONS = re.compile(
    r"^[ \t]*(?:(?P<whole>What does the local authority need to improve\??)|Recommendations"
    r"|Areas for improvement)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_AFTER = re.compile(
    r"^[ \t]*(?:Summary for children|Information about this|Inspection judgements? about"
    r"|The experiences and progress|Recommendations[ \t]*$|(?P<part>Areas for improvement)[ \t]*$"
    r"|The Local Safeguarding Children Board|Summary of findings|Inspection findings"
    r"|The local authority['\u2019]s strengths|Local authority strengths)",
    re.IGNORECASE | re.MULTILINE,
)


def _section_end(text: str, heading: re.Match[str]) -> int:
    # Early SIF reports head the list 'What does the local authority need to improve?'
    # and split it into 'Priority and immediate action' and 'Areas for improvement';
    # both parts belong to it.
    for end in _AFTER.finditer(text, heading.end()):
        if not (heading.group("whole") and end.group("part")):
            return end.start()
    return heading.end() + 6000


def extract_recommendations(page1: Page1) -> list[Recommendation]:
    """The local authority's numbered recommendations (the first such section)."""
    flow = page1.flow
    for heading in _RECOMMENDATIONS.finditer(flow.text):
        block = flow.text[heading.end() : _section_end(flow.text, heading)]
        # Reviews of the LSCB list their recommendations as bullets, not numbers.
        items = numbered_items(block, flow, heading.end()) or bullet_items(block, flow, heading.end())
        if items:
            return items
    return []


def extract(page1: Page1) -> dict:
    dates = printed_dates(page1)
    judgements = extract_judgements(page1, dates[0] if dates else None)
    return facts(page1, dates, judgements,
                 page1.attempt("recommendations", lambda: extract_recommendations(page1), []))


def extract_lscb_review(page1: Page1) -> dict:
    """A review of the LSCB published on its own: one judgement."""
    lscb = extract_lscb(page1)
    if lscb is None:
        page1.problems.append(Problem("missing-area", "the review gives no grade for the LSCB", 1,
                                      page1.excerpt(1, 400)))
    return facts(page1, printed_dates(page1), [lscb] if lscb else [],
                 page1.attempt("recommendations", lambda: extract_recommendations(page1), []))
