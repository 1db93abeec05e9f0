"""Grades as printed, to the notations of ``ontology/grades.ttl``."""

from __future__ import annotations

import re

from ofsted_kg.errors import ExtractionError

#: A grade phrase, longest alternatives first ('inadequate' before 'adequate').
GRADE = (
    r"(?:requires?|required)\s+improvement(?:\s+to\s+be\s+good)?|requires?\s+improvement"
    r"|outstanding|good|inadequate|adequate|not\s+judged"
)
_GRADE = re.compile(GRADE, re.IGNORECASE)


def grade_notation(text: str) -> str:
    """'Requires improvement to be good' -> 'requires-improvement', and so on."""
    match = _GRADE.search(text)
    if not match:
        raise ExtractionError(f"no grade in {text[:60]!r}")
    phrase = match.group(0).lower()
    if "improvement" in phrase:
        return "requires-improvement"
    if phrase.startswith("not"):
        return "not-judged"
    return phrase
