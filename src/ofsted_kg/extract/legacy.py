"""Frameworks before SIF and the ungraded letters: recognised, dated, graded where printed.

- 2012-13 inspections of looked after children services ('Record of main findings');
- 2009-12 inspections of safeguarding and looked after children services;
- 2012-13 inspections of arrangements for the protection of children;
- focused visits and monitoring visits (letters, no grades), joint targeted area
  inspections (no grades).
"""

from __future__ import annotations

import re

from ofsted_kg.errors import ExtractionError
from ofsted_kg.extract.common import Page1, bullet_items, facts, find_inspection_dates, printed_dates
from ofsted_kg.extract.dates import parse_date_range
from ofsted_kg.extract.grades import grade_notation
from ofsted_kg.extract.text import collapse
from ofsted_kg.facts import Judgement, Problem, Recommendation
from ofsted_kg.vocabulary import area_labels, grade_pattern, phrases

_OLD_GRADE = grade_pattern("lac", ranked=True)  # the scale of the frameworks before SIF


def _graded(*labels: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{phrases(labels)})\s*:?\s*({_OLD_GRADE})\b", re.I)


def _graded_areas(framework: str, *apart: str) -> list[tuple[str, re.Pattern[str]]]:
    """Overall effectiveness, then each area of ``ontology/areas.ttl`` not read apart, under any of its labels."""
    return [("overall-effectiveness", _graded("Overall effectiveness")), *(
        (area, _graded(*labels)) for area, labels in area_labels(framework) if area not in apart)]


def _judgements(areas: list[tuple[str, re.Pattern[str]]], text: str, page: int) -> list[Judgement]:
    """The grade ``text`` prints after each area's label, where it prints one."""
    return [Judgement(area, grade_notation(match.group(1)), page) for area, pattern in areas
            if (match := pattern.search(text))]


_LAC_AREAS = _graded_areas("lac", "overall-effectiveness")
_RECORD = re.compile(r"Record of main findings", re.I)


def _record_of_findings(page1: Page1) -> tuple[str, int]:
    """The text of the last 'Record of main findings' table and its page."""
    flow = page1.flow
    matches = list(_RECORD.finditer(flow.text))
    if not matches:
        return "", 0
    last = matches[-1]
    return collapse(flow.text[last.end() : last.end() + 1500]), flow.page_of(last.start())


def _areas_for_improvement(page1: Page1) -> list[Recommendation]:
    flow = page1.flow
    heading = re.search(r"^[ \t]*Areas for improvement[ \t]*$", flow.text, re.I | re.M)
    if not heading:
        return []
    areas = phrases(label for _, labels in area_labels("lac") for label in labels)
    end = re.search(rf"^[ \t]*(?:Outcomes for|Overall effectiveness|{areas})",
                    flow.text[heading.end():], re.I | re.M)
    block = flow.text[heading.end(): heading.end() + (end.start() if end else 4000)]
    return bullet_items(block, flow, heading.end())


def extract_lac(page1: Page1) -> dict:
    judgements = _judgements(_LAC_AREAS, *_record_of_findings(page1))
    if not judgements:
        page1.problems.append(Problem(
            "missing-area", "no 'Record of main findings' grades in a looked after children report", 1,
            page1.excerpt(1)))
    return facts(page1, printed_dates(page1), judgements,
                 page1.attempt("areas for improvement", lambda: _areas_for_improvement(page1), []),
                 inspectors_in=page1.page_text(1))


_SLAC_AREAS = [("overall-effectiveness", _graded("Overall effectiveness")),
               ("capacity-to-improve", _graded("Capacity for improvement"))]


def extract_slac(page1: Page1) -> dict:
    """Safeguarding and looked after children: two parts, each with two grades."""
    table, page = _record_of_findings(page1)
    judgements = []
    parts = re.split(r"Services for looked after children", table, maxsplit=1, flags=re.I)
    for prefix, part in zip(("safeguarding", "lac"), parts, strict=False):
        judgements += _judgements([(f"{prefix}-{area}", pattern) for area, pattern in _SLAC_AREAS], part, page)
    return facts(page1, printed_dates(page1), judgements)


_CP_AREAS = [*_graded_areas("child-protection", "overall-effectiveness", "help-and-protection"),
             ("help-and-protection", re.compile(
                 rf"effectiveness of the help and protection provided.{{0,120}}?({_OLD_GRADE})\b", re.I))]


def extract_child_protection(page1: Page1) -> dict:
    text = collapse(" ".join(page1.document.pages[:3]))
    return facts(page1, printed_dates(page1), _judgements(_CP_AREAS, text, 1))


_VISIT_DATES = re.compile(
    r"(?:visit|inspection)\b[^.]{0,160}?\bon\s+(?P<dates>[^.]{4,80}?(?:19|20)\d\d)", re.I
)


def extract_visit(page1: Page1) -> dict:
    """Focused and monitoring visits, JTAIs: letters without grades."""
    text = collapse(" ".join(page1.document.pages[:2]))
    def visit_dates():
        try:
            return find_inspection_dates(page1.page_text(1))
        except ExtractionError:
            match = _VISIT_DATES.search(text)
            if not match:
                raise ExtractionError("no dates of the visit on its first pages") from None
            return parse_date_range(match.group("dates"))

    return facts(page1, page1.attempt("dates of the visit", visit_dates, None, kind="no-dates"), [])
