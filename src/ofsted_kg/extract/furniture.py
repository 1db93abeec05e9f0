"""What is printed in a report but is not its findings: the back page, the table of
contents, footnotes and the footnote marks in the text.

Each is blanked out of the text (replaced by spaces, newlines kept) rather than cut,
so every offset still points at the same page and paragraph numbers and pages stay
exact. Findings then end where the report's own text ends.
"""

from __future__ import annotations

import re

from ofsted_kg.extract.text import Flow

# The back page Ofsted prints on every report since 2013 (who Ofsted is, Cafcass's name,
# the licence, the address). The earliest of these after the first page is where the
# report's own text ends.
_BACK_PAGE = re.compile(
    r"|".join(pattern.replace(" ", r"\s+") for pattern in [
        r"The Office for Standards in Education, Children['\u2019]s Services and Skills \(Ofsted\) regulates",
        r"Ofsted regulates and inspects to achieve excellence",
        r"If you would like a copy of this document in a different format",
        r"You may reuse this information \(not including logos\)",
        r"Interested in our work\? You can subscribe",
        r"Piccadilly Gate",
        r"Aviation House,? 125 Kingsway",
        r"enquiries@ofsted\.gov\.uk",
        r"\u00a9 ?Crown copyright",
        r"Crown copyright (?:19|20)\d\d",
    ]),
    re.IGNORECASE,
)

# 'Contents' alone on a line, then entries ending in a page number (an entry may wrap
# onto a second line before its number).
_CONTENTS = re.compile(r"^[ \t]*(?:Contents|Table of contents)[ \t]*$", re.IGNORECASE | re.MULTILINE)
_ENTRY = re.compile(r"^.*\S[ \t.]+\d{1,3}[ \t]*$")

# A footnote: at the foot of a page, after a blank line, a number and the note.
_FOOTNOTE = re.compile(r"^[ \t]*(\d{1,2})[ \t]+\S")

# A footnote mark: a figure glued to the end of a word ("care experienced young people1").
_MARK = re.compile(r"[a-z]([1-9])(?=[\s.,;:)])")  # a letter first, not a look-behind: faster

# Footnotes of Ofsted's template that the text layer prints with no blank line before them,
# or glued to the end of a line of the finding above (reports of 2026 on: the note under
# "What needs to improve" on the national framework). Their number and first words are
# enough: the note runs to the foot of its page.
_TEMPLATE_NOTE = re.compile(
    r"\d{1,2}[ \t]+The areas for improvement have been\s+cross-referenced\s+with", re.IGNORECASE)


def _blank(text: str, start: int, end: int) -> str:
    """``text`` with ``text[start:end]`` made spaces but its line breaks."""
    blank = "\n".join(" " * len(line) for line in text[start:end].split("\n"))
    return text if start >= end else text[:start] + blank + text[end:]


def back_page_start(flow: Flow) -> int:
    """Offset where the back page begins (the end of the text if there is none)."""
    # Only the last two pages: reports of 2013 print the copyright on their first pages.
    last_pages = flow.starts[max(1, len(flow.starts) - 2)] if len(flow.starts) > 1 else 0
    match = _BACK_PAGE.search(flow.text, last_pages)
    return match.start() if match else len(flow.text)


def _contents(text: str) -> list[tuple[int, int]]:
    spans = []
    for heading in _CONTENTS.finditer(text):
        offset = heading.end() + 1
        lines = text[offset:].split("\n")
        entries = 0
        for index, line in enumerate(lines):
            if _ENTRY.match(line):
                entries += 1
            elif line.strip() and not (index + 1 < len(lines) and _ENTRY.match(lines[index + 1])):
                break  # neither a blank line, an entry, nor the first line of an entry wrapped over two
            offset += len(line) + 1
        if entries >= 2:
            spans.append((heading.start(), min(offset, len(text))))
    return spans


def _footnotes(flow: Flow) -> list[tuple[int, int, str]]:
    """(start, end, number) of each footnote: the foot of a page after its last blank line,
    when what follows starts with a number."""
    text = flow.text
    notes = []
    bounds = [*flow.starts[1:], len(text) + 1]
    for start, end in zip(flow.starts, bounds, strict=True):
        page = text[start: end - 1]
        lines = page.split("\n")
        tail_start = next((index for index in range(len(lines) - 1, max(0, len(lines) - 12), -1)
                           if not lines[index - 1].strip() and _FOOTNOTE.match(lines[index])), None)
        if tail_start is None:
            unnumbered = _unnumbered_note(page, lines, text[end: end + 40])
            if unnumbered:
                notes.append((start + unnumbered[0], start + len(page), unnumbered[1]))
            continue
        offset = start + sum(len(line) + 1 for line in lines[:tail_start])
        number = _FOOTNOTE.match(lines[tail_start]).group(1)  # type: ignore[union-attr]
        notes.append((offset, start + len(page), number))
    return notes


def _unnumbered_note(page: str, lines: list[str], after: str) -> tuple[int, str] | None:
    """(offset in ``page``, number) of a footnote printed without its number at the foot of
    a page whose text has a footnote mark: the note begins with a capital inside a sentence
    that runs on to the next page, and ends a sentence or stands after a blank line
    (Gloucestershire 2022 page 8: "... to achieve their / Instead of the term 'care
    leavers', ... / own tenancy"; Hertfordshire 2015 page 10: "... are appropriate and /
    (blank) / Local name for the 'Troubled Families Programme' team / demonstrate ...")."""
    if not after.lstrip()[:1].islower():  # the cheaper test first: most pages end a sentence
        return None
    mark = _MARK.search(page)
    if mark is None:
        return None
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    for index in range(len(lines) - 1, max(0, len(lines) - 4), -1):
        if not lines[index].strip()[:1].isupper():
            continue
        above = index - 1
        while above > 0 and not lines[above].strip():
            above -= 1
        before = lines[above].rstrip()
        if before[-1:].isalpha() and before[-1:].islower() and (
                above < index - 1 or lines[-1].rstrip().endswith(".")):
            return sum(len(line) + 1 for line in lines[:index]), mark.group(1)
    return None


def _template_notes(flow: Flow, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    # Its letters match only ASCII's under IGNORECASE: a report without the word has none.
    if "referenced" not in flow.text[:end].lower():
        return spans
    for match in _TEMPLATE_NOTE.finditer(flow.text, 0, end):
        page = flow.page_of(match.start())
        page_end = flow.starts[page] - 1 if page < len(flow.starts) else len(flow.text)
        spans.append((match.start(), page_end))
    return spans


def clean_flow(flow: Flow) -> Flow:
    """The flow with the back page, contents and footnotes blanked out, and footnote
    marks (a number glued to the end of a word whose footnote is on that page) removed."""
    text = flow.text
    end = back_page_start(flow)
    text = _blank(text, end, len(text))
    for start, stop in [*_contents(flow.text[:end]), *_template_notes(flow, end)]:
        text = _blank(text, start, stop)
    for start, stop, number in _footnotes(flow):
        if start >= end:
            continue
        text = _blank(text, start, stop)
        page_start = flow.starts[flow.page_of(start) - 1]
        mark = re.compile(rf"(?<=[a-z\u2019'.,)]){number}(?=[\s.,;:)])")
        for hit in mark.finditer(flow.text, page_start, start):
            text = _blank(text, hit.start(), hit.end())
    return Flow(text, flow.starts)
