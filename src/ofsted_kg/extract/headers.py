"""Running headers checked against page 1: a second reading of the authority and the dates.

ILACS reports repeat their title and inspection dates at the top (or foot) of later
pages. Page 1 is the authority; where a running header names another authority or other
dates (a template slip of 2025-26: "17 April" for page 1's "27 April"), the report is
stored as page 1 says, with a warning that names the page and the text, so that a person
can check it.
"""

from __future__ import annotations

import re
from datetime import date

from ofsted_kg.errors import ExtractionError
from ofsted_kg.extract.authority import find_authority
from ofsted_kg.extract.dates import parse_date_range
from ofsted_kg.extract.text import collapse
from ofsted_kg.facts import Authority, Problem

_TITLE = re.compile(r"^\s*Inspection of\s+(.{3,120}?)\s*$", re.I)
# 'Inspection of Wakefield local authority children's services' then '24 to 28 March 2025 2'
_DATES = re.compile(r"^\s*\(?(\d{1,2}\b.{3,60}?(?:19|20)\d\d)\)?\s*\d{0,3}\s*$")
_EDGE_LINES = 3  # lines at the top and at the foot of a page where headers and footers sit


def _edges(page: str) -> list[str]:
    lines = [line for line in page.split("\n") if line.strip()]
    return lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]


def check_running_headers(pages: tuple[str, ...], authority: Authority | None,
                          dates: tuple[date, date] | None) -> list[Problem]:
    """A warning for each distinct running header that disagrees with page 1 (on the first
    page that prints it)."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for number, page in enumerate(pages[1:], start=2):
        for line in _edges(page):
            text = collapse(line)
            key = re.sub(r"\s*\d{1,3}$", "", text)  # the same header on every page, but its number
            if key in seen:
                continue
            title = _TITLE.match(text)
            if title and authority and "children" in text.lower():
                named = find_authority(title.group(1))
                if named is not None and named != authority:
                    seen.add(key)
                    problems.append(Problem(
                        "running-header-disagrees",
                        f"the running header names {named.name}, page 1 {authority.name}; page 1 was used",
                        number, text, severity="warning"))
                continue
            printed = _DATES.match(text)
            if printed and dates:
                try:
                    header_dates = parse_date_range(printed.group(1))
                except ExtractionError:
                    continue
                if header_dates != dates:
                    seen.add(key)
                    problems.append(Problem(
                        "running-header-disagrees",
                        f"the running header gives the dates {header_dates[0]} to {header_dates[1]}, page 1 "
                        f"{dates[0]} to {dates[1]}; page 1 was used", number, text, severity="warning"))
    return problems
