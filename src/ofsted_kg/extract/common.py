"""Facts printed the same way under several frameworks: dates, inspectors, lists."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from typing import TypeVar

from ofsted_kg.errors import ExtractionError
from ofsted_kg.extract.dates import date_in, parse_date_range
from ofsted_kg.extract.text import Flow, collapse, strip_running_lines
from ofsted_kg.facts import Document, Judgement, Problem, Recommendation

T = TypeVar("T")


@dataclass
class Page1:
    """A document prepared for extraction: raw pages, cleaned flow, first-page text."""

    document: Document
    problems: list[Problem] = field(default_factory=list)

    @cached_property
    def first(self) -> str:
        return collapse(self.document.pages[0])

    @cached_property
    def flow(self) -> Flow:
        return Flow.of(strip_running_lines(self.document.pages))

    def page_text(self, number: int) -> str:
        return self.document.pages[number - 1] if number <= len(self.document.pages) else ""

    def attempt(self, part: str, read: Callable[[], T], default: T, kind: str = "unreadable-section",
                page: int = 1) -> T:
        """``read()``, or ``default`` with a problem recorded when it cannot be read: one
        part that cannot be read never loses the others."""
        try:
            return read()
        except ExtractionError as error:
            self.problems.append(Problem(kind, f"{part}: {error.reason}", page, self.excerpt(page)))
            return default

    def excerpt(self, page: int, length: int = 300) -> str:
        return collapse(self.page_text(page))[:length]


_DATES_LINE = re.compile(
    r"(?:(?:Inspection|Inspections|Fieldwork|Visit)\s+dates?|Dates?\s+of\s+(?:the\s+)?(?:inspection|visit))"
    r"\s*:?\s*(?P<rest>[^\n]*(?:\n[^\n]*)?)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:19|20)\d\d")


def find_inspection_dates(text: str) -> tuple[date, date]:
    """The range after 'Inspection dates:' (or 'Inspection date:')."""
    match = _DATES_LINE.search(text)
    if not match:
        raise ExtractionError("no 'Inspection dates' line on the first page")
    first, _, second = match.group("rest").partition("\n")
    span = first
    # The range may wrap: '9 December 2019 to' / '13 December 2019'.
    # A line that ends on a bare day number ('... and 28 – 30') has its month and year
    # on the next line.
    if not _YEAR.search(first) or re.search(r"(?:to|–|-|and|\b\d{1,2})\s*$", first.strip()):
        span = first + " " + second
    return parse_date_range(span)


_PUBLISHED = re.compile(r"(?:Report\s+)?published\s*:?\s*([^\n]{6,40})", re.IGNORECASE)


def find_printed_publication(text: str) -> date | None:
    match = _PUBLISHED.search(text)
    return date_in(match.group(1)) if match else None


def printed_dates(page1: Page1) -> tuple[date, date] | None:
    """The inspection dates page 1 prints, or None with a ``no-dates`` problem."""
    return page1.attempt("inspection dates", lambda: find_inspection_dates(page1.page_text(1)), None,
                         kind="no-dates")


def facts(page1: Page1, dates: tuple[date, date] | None, judgements: list[Judgement],
          recommendations: list[Recommendation] | None = None, inspectors_in: str | None = None,
          published: bool = True) -> dict:
    """What each framework's extractor gives ``extract``: the dates, judgements and
    recommendations it read, the lead inspectors named in ``inspectors_in`` (else anywhere
    in the report) and the publication date page 1 prints (if ``published``)."""
    return {
        "dates": dates,
        "lead_inspectors": find_lead_inspectors(page1.flow.text if inspectors_in is None else inspectors_in),
        "judgements": judgements,
        "recommendations": recommendations or [],
        "published": find_printed_publication(page1.page_text(1)) if published else None,
    }


_TITLE = re.compile(r",?\s*(?:Her|His)\s+Majesty['\u2019]?s\s+Inspector.*$|(?:\s+Senior)?\s+HMI\b.*$", re.I)
_LEAD = re.compile(
    r"^[ \t]*(?:Lead|Reporting)\s+inspectors?(?:\s+on\s+site)?\s*:?[ \t]*(?P<names>[^\n]+)",
    re.IGNORECASE | re.MULTILINE,
)


def _looks_like_a_name(text: str) -> bool:
    """Two to five words, most of them capitalised ('Jenny-ellen Scotland', 'Brenda
    McLaughlin', 'Anne-Marie de Souza'): not a phrase of prose that follows the words
    'lead inspector' in a sentence."""
    words = text.split()
    capitalised = sum(1 for w in words if w[:1].isupper())
    return 2 <= len(words) <= 5 and words[0][:1].isupper() and capitalised * 2 > len(words)


def split_names(text: str) -> list[str]:
    text = _TITLE.sub("", collapse(text)).strip(" ,.;")
    parts = re.split(r"\s*(?:;|,|\band\b|&)\s*", text)
    names = [p.strip(" .") for p in parts if p.strip(" .")]
    return [n for n in names if _looks_like_a_name(n) and not re.search(r"\d", n)]


def find_lead_inspectors(text: str) -> list[str]:
    """Names after 'Lead inspector:' or 'Reporting inspector', without 'HMI'; a line with
    the colon first, so a sentence that begins 'lead inspector ...' is not taken."""
    matches = sorted(_LEAD.finditer(text), key=lambda m: ":" not in m.group(0)[: m.start("names") - m.start()])
    return next((names for match in matches if (names := split_names(match.group("names")))), [])


def _fold_text(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


_fold = lru_cache(maxsize=8192)(_fold_text)  # for words and names; a whole report is never kept


def _same_first_name(one: str, other: str) -> bool:
    """'Nick' and 'Nicholas', 'Zoë' and 'Zoe', 'J.' and 'Janet': one person's first name,
    where the surname is the same in one report (a short form shares its first letters)."""
    a, b = _fold(one).strip("."), _fold(other).strip(".")
    shorter, longer = sorted((a, b), key=len)
    return bool(shorter) and (a == b or (len(shorter) >= 3 and longer[:3] == shorter[:3])
                               or (len(shorter) == 1 and longer.startswith(shorter)))


# A capitalised word and the word after it; a lookahead, so that every word is tried as a first name.
_NAME_PAIR = re.compile(r"(?=\b([A-Z\u00c0-\u00dd][\w\u00e0-\u00ff'\u2019.-]*)[ \t]+(\S+))")


def name_variants(text: str, names: list[str]) -> dict[str, tuple[str, ...]]:
    """Other printings in ``text`` of each of ``names`` (accents, a shortened or an initial
    first name, another case): one person, whose printed forms are kept as labels."""
    names = [name for name in names if len(name.split()) <= 2]  # a middle name is not looked for
    surnames = {_fold(name.split()[-1]) for name in names}
    # Two words never span a line, and a word that folds to a surname leaves it in its
    # line folded (folding is done a character at a time, and makes no line breaks):
    # only those lines are searched, not the whole report (4 ms of its extraction).
    lines = [line for line, folded in zip(text.split("\n"), _fold_text(text).split("\n"), strict=True)
             if any(map(folded.__contains__, surnames))]
    pairs = [(m.group(1), m.group(2).strip(",.;:)")) for line in lines for m in _NAME_PAIR.finditer(line)]
    variants: dict[str, tuple[str, ...]] = {}
    for name in names:
        first, surname = name.split()[0], name.split()[-1]
        found: list[str] = []
        for printed_first, printed_surname in pairs:
            printed = f"{printed_first} {printed_surname}"
            if (_fold(printed_surname) == _fold(surname) and _same_first_name(printed_first, first)
                    and printed != name and printed not in found):
                found.append(printed)
        if found:
            variants[name] = tuple(found)
    return variants


# Word's bullets come out as geometric shapes or as private-use symbol-font characters.
_BULLET = re.compile(r"^[ \t]*[\u25fc\u25aa\u25a0\u2022\u25cf\u2013\u25e6\uf000-\uf0ff][ \t]*", re.M)


def _items(block: str, marks: list[re.Match[str]]) -> list[tuple[re.Match[str], str]]:
    """Each mark of a list with the text after it, up to the next mark."""
    ends = [mark.start() for mark in marks[1:]] + [len(block)] if marks else []
    return [(mark, collapse(block[mark.end() : end])) for mark, end in zip(marks, ends, strict=True)]


def bullet_items(block: str, flow: Flow, offset: int) -> list[Recommendation]:
    """Split a bulleted list into recommendations, keeping the page of each item."""
    items = [(mark, text) for mark, text in _items(block, list(_BULLET.finditer(block))) if text]
    return [Recommendation(order, text, flow.page_of(offset + mark.start()))
            for order, (mark, text) in enumerate(items, start=1)]


_NUMBERED = re.compile(r"^[ \t]*(\d{1,2})\.?[ \t]+(?=\S)", re.M)


def numbered_items(block: str, flow: Flow, offset: int) -> list[Recommendation]:
    """Split '1. ... 2. ...' into recommendations.

    Numbers must run on by one from the first (early SIF reports number their areas
    for improvement on from the paragraphs before them: 21, 22, 23...).
    """
    marks: list[re.Match[str]] = []
    for match in _NUMBERED.finditer(block):
        if not marks or int(match.group(1)) == int(marks[-1].group(1)) + 1:
            marks.append(match)
    return [Recommendation(order, text, flow.page_of(offset + mark.start()))
            for order, (mark, text) in enumerate(_items(block, marks), start=1) if text]
