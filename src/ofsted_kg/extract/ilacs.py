"""ILACS reports (2018 onwards): the judgement table on page 1 and 'What needs to improve'.

Both headings are handled: 'Inspection of children's social care services' (2018-19)
and 'Inspection of <authority> local authority children's services'. From 2023 the
report grades children in care and care leavers apart: five judgements, not four.
"""

from __future__ import annotations

import re

from ofsted_kg.errors import ExtractionError
from ofsted_kg.extract.common import (
    Page1,
    bullet_items,
    find_inspection_dates,
    find_lead_inspectors,
)
from ofsted_kg.extract.grades import GRADE, grade_notation
from ofsted_kg.facts import Judgement, Recommendation

# Longer labels first: 'children in care' is a prefix of 'children in care and care leavers'.
AREAS = [
    ("impact-of-leaders", "The impact of leaders on social work practice with children and families"),
    ("help-and-protection", "The experiences and progress of children who need help and protection"),
    ("children-in-care-and-care-leavers",
     "The experiences and progress of children in care and care leavers"),
    ("children-in-care", "The experiences and progress of children in care"),
    ("care-leavers", "The experiences and progress of care leavers"),
    ("overall-effectiveness", "Overall effectiveness"),
]


def _label(text: str) -> str:
    words = text.split()
    prefix = ""
    if words[0] == "The":  # 'The' is sometimes dropped from the table
        words, prefix = words[1:], r"(?:The\s+)?"
    return prefix + r"\s+".join(re.escape(word) for word in words)


_TABLE = [
    (area, re.compile(_label(label) + rf"\s*[:.]?\s*({GRADE})\b", re.IGNORECASE))
    for area, label in AREAS
]


def extract_judgements(page1: Page1) -> list[Judgement]:
    text = page1.first
    start = text.find("Judgement")
    table = text[start if start >= 0 else 0 :]
    found = []
    for area, pattern in _TABLE:
        match = pattern.search(table)
        if match:
            found.append(Judgement(area, grade_notation(match.group(1)), 1))
    if not any(j.area == "overall-effectiveness" for j in found):
        raise ExtractionError("the judgement table on page 1 has no overall effectiveness grade")
    return found


_IMPROVE = re.compile(r"^[ \t]*What needs to improve\s*[?:]?[ \t]*$", re.IGNORECASE | re.MULTILINE)
_NEXT_SECTION = re.compile(
    r"^[ \t]*(?:The\s+(?:experiences|impact)\b|1\.\s|Inspection judgements?\b)",
    re.IGNORECASE | re.MULTILINE,
)


def extract_recommendations(page1: Page1) -> list[Recommendation]:
    flow = page1.flow
    heading = _IMPROVE.search(flow.text)
    if not heading:
        return []
    end = _NEXT_SECTION.search(flow.text, heading.end())
    block = flow.text[heading.end() : end.start() if end else heading.end() + 3000]
    return bullet_items(block, flow, heading.end())


def extract(page1: Page1) -> dict:
    first_page = page1.page_text(1)
    return {
        "dates": find_inspection_dates(first_page),
        "lead_inspectors": find_lead_inspectors(first_page),
        "judgements": extract_judgements(page1),
        "recommendations": extract_recommendations(page1),
        "published": None,
    }
