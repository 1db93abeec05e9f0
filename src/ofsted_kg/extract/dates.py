"""Dates as reports print them: '9 December 2019', '3 to 7 June 2024', '23 May to 16 June 2016'."""

from __future__ import annotations

import re
from datetime import date

from ofsted_kg.errors import ExtractionError

_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")
# Each month by its name and the first three letters of it; September also as 'Sept'.
MONTHS = {name[:length]: number for number, name in enumerate(_MONTH_NAMES, start=1) for length in (None, 3)}
MONTHS["sept"] = 9
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_TOKEN = re.compile(
    rf"\b(?:(?P<year>(?:19|20)\d\d)|(?P<month>{_MONTH})|(?P<day>[0-3]?\d)(?:st|nd|rd|th)?)\b",
    re.IGNORECASE,
)
_SINGLE = re.compile(rf"\b([0-3]?\d)(?:st|nd|rd|th)?\s+({_MONTH})\s*,?\s+((?:19|20)\d\d)\b", re.I)


_NUMERIC = re.compile(r"\b([0-3]?\d)/([01]?\d)/((?:19|20)\d\d)\b")


def _spell_out(match: re.Match[str]) -> str:
    """'12/09/2016' -> '12 september 2016' (reports use day/month/year)."""
    day, month, year = match.groups()
    if not 1 <= int(month) <= 12:
        return match.group(0)
    return f"{int(day)} {_MONTH_NAMES[int(month) - 1]} {year}"


def parse_date(text: str) -> date:
    """The first full date ('5 August 2016') in ``text``."""
    match = _SINGLE.search(text)
    if not match:
        raise ExtractionError(f"no date in {text[:60]!r}")
    day, month, year = match.groups()
    return _make(int(year), MONTHS[month.lower()], int(day), text)


def date_in(text: str) -> date | None:
    """The first full date in ``text``, or None where it gives none (or an impossible one)."""
    try:
        return parse_date(text)
    except ExtractionError:
        return None


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as error:
        raise ExtractionError(f"impossible date in {text[:60]!r}") from error


def parse_date_range(text: str) -> tuple[date, date]:
    """The first and last day of a range of inspection dates.

    Days wait for the next month name, day-month pairs for the next year, so
    '3 to 7 June 2024', '23 May to 16 June 2016' and '4 to 8 March and 18 to 22 March
    2019' (a split range) all resolve. A range crossing New Year ('28 December to
    3 January 2020') puts the start in the year before.
    """
    text = _NUMERIC.sub(_spell_out, text)
    days: list[int] = []
    pending: list[tuple[int, int]] = []
    dated: list[date] = []
    for token in _TOKEN.finditer(text):
        if token.group("day"):
            value = int(token.group("day"))
            if 1 <= value <= 31:
                days.append(value)
        elif token.group("month"):
            month = MONTHS[token.group("month").lower()]
            pending.extend((day, month) for day in days)
            days = []
        else:
            year = int(token.group("year"))
            for day, month in pending:
                dated.append(_make(year, month, day, text))
            pending = []
            # A second part of a split range follows 'and': '... 2013 and 28 – 30 January 2014'.
            continues = re.match(r"\s*(?:and|&|,)\s*\d", text[token.end():])
            if dated and len(dated) >= 2 and not days and not continues:
                break
    if not dated:
        raise ExtractionError(f"no inspection dates in {text[:80]!r}")
    start, end = dated[0], dated[-1]
    if start > end and start.month > end.month:
        start = start.replace(year=start.year - 1)
    if start > end:
        raise ExtractionError(f"inspection dates end before they start: {text[:80]!r}")
    return start, end
