"""Grades as printed, to the notations of ``ontology/grades.ttl``."""

from __future__ import annotations

import re

from ofsted_kg.errors import ExtractionError
from ofsted_kg.vocabulary import grade_of, grade_pattern

#: A grade phrase: any label of ``ontology/grades.ttl``, longest first (a whole phrase before its start).
GRADE = grade_pattern()
_GRADE = re.compile(GRADE, re.IGNORECASE)


def grade_notation(text: str) -> str:
    """The notation of the first grade phrase in ``text``."""
    match = _GRADE.search(text)
    if not match:
        raise ExtractionError(f"no grade in {text[:60]!r}")
    return str(grade_of(match.group(0)))
