"""Metamorphic tests over the real corpus: change a report's text the way other reports
differ from it, and the same facts must come out.

Every report of ../shared/ofsted-reports is read once; each variant of its text is
extracted again and compared with the original's facts (authority, framework, kind,
dates, lead inspectors, every judgement and the number of recommendations). The
variants copy what real reports do: a label column of another width (line breaks in
other places), a template slip in a row label, a council named with a suffix ("Council",
"City Council"), a judgement table that runs over a page break, a page number printed
before the title.
"""

from __future__ import annotations

import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

import pytest

from ofsted_kg.errors import OfstedKgError
from ofsted_kg.extract import extract_report
from ofsted_kg.facts import Document
from ofsted_kg.read import read_pdf
from tests.conftest import CORPUS

pytestmark = pytest.mark.corpus

_GRADE_LINE = re.compile(
    r"^(?:Outstanding|Good|Requires improvement to be good|Inadequate|Adequate|Not judged)\s*$", re.I)


_RUNNING = re.compile(r"^\s*(?:Inspection of\b.*|.*(?:19|20)\d\d\)?\s+\d{1,2})\s*$")


def _facts(document: Document) -> tuple:
    inspection = extract_report(document, findings=False).inspection
    return (
        inspection.authority.ofsted_urn if inspection.authority else None,
        inspection.framework, inspection.kind, inspection.start_date, inspection.end_date,
        tuple(inspection.lead_inspectors),
        tuple(sorted((j.area, j.grade) for j in inspection.judgements)),
        len(inspection.recommendations),
        tuple(sorted(p.kind for p in inspection.problems if p.severity == "violation")),
    )


def _with_first(document: Document, first: str, second: str | None = None) -> Document:
    pages = list(document.pages)
    pages[0] = first
    if second is not None and len(pages) > 1:
        pages[1] = second
    return replace(document, pages=tuple(pages))


def moved_line_breaks(document: Document) -> Document:
    """A label column of another width: the last word of each wrapped label line moves to
    the start of the next line (as West Berkshire's wider table wraps otherwise)."""
    lines = document.pages[0].split("\n")
    for index in range(len(lines) - 1):
        here, after = lines[index].rstrip(), lines[index + 1].strip()
        words = here.split()
        wrapped = 20 < len(here) < 60 and len(words) > 3 and after and not _GRADE_LINE.match(after) \
            and not _GRADE_LINE.match(here) and after[0].islower()
        if wrapped:
            lines[index] = " ".join(words[:-1]) + " "
            lines[index + 1] = f"{words[-1]} {lines[index + 1].lstrip()}"
    return _with_first(document, "\n".join(lines))


_SLIPS = [
    ("The experiences and progress of care \nleavers", "The experiences and progress of \nchildren care leavers"),
    ("The experiences and progress of care leavers", "The experiences and progress of children care leavers"),
    ("The impact of leaders on social work \npractice", "The impact of leaders on \npractice"),
]


def label_slip(document: Document) -> Document:
    """A slip of the template in a row label, as the 2025-26 reports print."""
    first = document.pages[0]
    for right, slip in _SLIPS:
        first = first.replace(right, slip)
    return _with_first(document, first)


def council_suffix(document: Document) -> Document:
    """The council named with a suffix: 'Inspection of X local authority' -> 'Inspection of
    X Council local authority' (Buckinghamshire Council, City of York Council)."""
    first = re.sub(r"(Inspection of\s+(?:the\s+)?[A-Z][\w'\s,-]{1,60}?)(\s+local\s+authority)",
                   r"\1 Council\2", document.pages[0], count=1)
    return _with_first(document, first)


def table_over_page_break(document: Document) -> Document:
    """The judgement table runs over the page break: page 1 ends after its second graded
    row, and the rest of the table, then the rest of page 1, are printed on page 2 under
    its running header."""
    lines = document.pages[0].split("\n")
    grades = [i for i, line in enumerate(lines) if _GRADE_LINE.match(line.strip())]
    if len(grades) < 3 or len(document.pages) < 2:
        return document
    cut = grades[1] + 1
    later = document.pages[1].split("\n")
    header = 0  # the running header: the title, then the dates and page number
    while header < min(2, len(later)) and _RUNNING.match(later[header]):
        header += 1
    first = "\n".join(lines[:cut])
    second = "\n".join([*later[:header], *lines[cut:], *later[header:]])
    return _with_first(document, first, second)


def page_number_first(document: Document) -> Document:
    """A page number printed before the title."""
    return _with_first(document, "1\n" + document.pages[0])


VARIANTS = {
    "moved line breaks": moved_line_breaks,
    "label slip": label_slip,
    "council suffix": council_suffix,
    "table over a page break": table_over_page_break,
    "page number before the title": page_number_first,
}


def _check(path: str) -> dict[str, str | None]:
    """For one report: each variant's difference from the original's facts (None: same)."""
    try:
        document = read_pdf(path)
        original = _facts(document)
    except OfstedKgError:
        return {}  # not a report (the HTML pages): nothing to vary
    found: dict[str, str | None] = {}
    for name, vary in VARIANTS.items():
        try:
            varied = _facts(vary(document))
        except OfstedKgError as error:
            found[name] = f"refused: {error}"
            continue
        found[name] = None if varied == original else f"{original} != {varied}"
    return found


@pytest.fixture(scope="module")
def differences() -> dict[str, dict[str, str]]:
    files = sorted(str(p) for p in CORPUS.rglob("*.pdf"))
    by_variant: dict[str, dict[str, str]] = {name: {} for name in VARIANTS}
    with ProcessPoolExecutor(2) as pool:
        for path, found in zip(files, pool.map(_check, files, chunksize=4), strict=True):
            for name, difference in found.items():
                if difference:
                    by_variant[name][path.split("ofsted-reports/")[-1]] = difference
    return by_variant


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_the_same_facts_come_out(differences, variant):
    assert differences[variant] == {}


def test_the_variants_change_the_text():
    """Each variant really changes a report of the kind it is made for (Greenwich 2024,
    an ILACS report with a five-row table)."""
    path = CORPUS / "80495_greenwich" / "children's services inspection - 16 july 2024.pdf"
    document = read_pdf(path)
    for name, vary in VARIANTS.items():
        assert vary(document).pages != document.pages, name
