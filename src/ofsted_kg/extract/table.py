"""A judgement table read as a person reads it: rows of a label and a grade.

Templates slip (a word too many in a label: the hidden labels of ``ontology/areas.ttl``), labels wrap
over two or three lines, a grade may sit on the label's last line or on a line of its
own, and a table may run over a page break. So a row is any run of label lines that
ends in a grade, and its label is matched to the framework's areas by similarity to
every label ``ontology/areas.ttl`` gives them, not by exact text. A row that matches no
area with certainty, a grade word that is no grade, an area the framework version
grades but the table lacks: each becomes a ``Problem`` with the page and the text seen,
and every row that was read is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache
from itertools import pairwise

from ofsted_kg.extract.text import collapse
from ofsted_kg.facts import Judgement, Problem
from ofsted_kg.vocabulary import area_labels, grade_of, grade_pattern, grade_words

#: A row's label must be this similar to an area's label (0-1, on word sequences) ...
_ACCEPT = 0.72
#: ... and this much more similar to it than to any other area.
_MARGIN = 0.04
#: From this, a label is complete: a short line after it that is no label word is its grade.
_COMPLETE_LABEL = 0.9
#: Below this, a row after a complete table is a sentence of prose, not a row.
_PROSE = 0.5
_LABEL_LIMIT = 200  # characters: a longer run without a grade is prose, not a label
_HEADER = re.compile(r"^\s*Judgements?\b.{0,40}$", re.I | re.M)
_CELL = 75  # characters: the widest line a cell of the table prints
_CONTINUATION_LINES = 8  # a table going on on the next page does so within its first lines
# A grade phrase wrapped in its cell: a line break between any two of its words.
_WRAPS = [re.compile(rf"\b({first})[ \t]*\n[ \t]*({second})\b", re.I) for first, second in sorted(
    {pair for label, _, _ in grade_words() for pair in pairwise(label.split())})]


def _join_wrapped_grades(text: str) -> str:
    for wrap in _WRAPS:
        text = wrap.sub(r"\1 \2", text)
    return text


@cache
def _grade_at_end() -> re.Pattern[str]:
    """A grade phrase of ``ontology/grades.ttl`` at the end of a line."""
    return re.compile(rf"(?:^|\s)(?P<grade>{grade_pattern()})\s*\.?\s*$", re.I)


def _words(text: str) -> list[str]:
    words = re.sub(r"[^a-z ]+", " ", collapse(text).lower().replace("'", "")).split()
    return [w for w in words if w != "the"]


@dataclass(frozen=True)
class Row:
    lines: tuple[str, ...]  # the label's lines: running headers or stray text may come first
    grade_text: str
    page: int

    @property
    def label(self) -> str:
        return " ".join(self.lines)


def read_rows(pages: list[str], framework: str, first_page: int = 1, wanted: int = 4) -> list[Row]:
    """The rows of the judgement table that starts on ``pages[0]``; when the page ends
    inside the table with fewer than ``wanted`` rows, the table goes on on the next page.

    Table cells are narrow: a line longer than any cell, once rows were read, is the
    prose after the table.
    """
    rows: list[Row] = []
    for offset, page in enumerate(pages[:2]):
        if offset == 1 and len(rows) >= wanted:
            break
        header = _HEADER.search(page) if offset == 0 else None
        label: list[str] = []  # a label never runs over a page break: the running header does
        ended = False
        body = _join_wrapped_grades(page[header.end() if header else 0:])
        on_page = 0  # rows read on this page
        for seen, raw_line in enumerate(line for line in body.split("\n") if line.strip()):
            line = collapse(raw_line)
            if offset > 0 and not on_page and seen >= _CONTINUATION_LINES:
                ended = True  # the next page does not go on with the table
                break
            if len(line) > _CELL and not _is_wide_row(line, framework):
                if on_page:
                    ended = True
                    break
                label = []  # a running header over the rest of the table, or text before it
                continue
            match = _grade_at_end().search(line)
            head = line[: match.start()].strip() if match else ""
            label_lines = tuple(part for part in (*label, head) if part)
            if match and label_lines:
                if len(rows) >= wanted and match_area(label_lines, framework)[1] < _PROSE:
                    ended = True  # a sentence after a complete table that ends on a grade word
                    break
                rows.append(Row(label_lines, match.group("grade"), first_page + offset))
            elif label and _is_unknown_grade(tuple(label), line, framework):
                rows.append(Row(tuple(label), line, first_page + offset))  # kept, to be reported
            else:
                label.append(line)
                if sum(len(part) for part in label) > _LABEL_LIMIT:
                    label = label[-3:]
                continue
            on_page += 1
            label = []
        if ended or (offset == 0 and not rows):
            break
    return rows


@cache
def _label_words(framework: str) -> frozenset[str]:
    return frozenset(w for _, labels in area_labels(framework) for label in labels for w in _words(label))


def _is_unknown_grade(label: tuple[str, ...], line: str, framework: str) -> bool:
    """A short line after a complete label, in none of the labels' words: a grade cell
    holding a word that is no grade ('Gud'), not the label's next line."""
    words = _words(line)
    if not words or len(words) > 3 or any(w in _label_words(framework) for w in words):
        return False
    area, best, _ = match_area(label, framework)
    return area is not None and best >= _COMPLETE_LABEL


def _is_wide_row(line: str, framework: str) -> bool:
    """A whole row on one line of a wide table: a label that matches an area, then a grade."""
    match = _grade_at_end().search(line)
    return bool(match) and match_area(line[: match.start()], framework)[0] is not None


def _similarity(label: list[str], known: str) -> float:
    return SequenceMatcher(None, label, _known_words(known), autojunk=False).ratio()


@cache
def _known_words(label: str) -> tuple[str, ...]:
    return tuple(_words(label))  # an area's label, compared with every row


@lru_cache(maxsize=1024)  # a template's row labels come again in report after report
def match_area(label: str | tuple[str, ...], framework: str) -> tuple[str | None, float, float]:
    """(area notation or None, best score, runner-up score) for a row label.

    Given the label's lines, the label is the run of last lines that matches best, so
    text before it (a running header over a table continued on the next page) is left out.
    """
    lines = (label,) if isinstance(label, str) else label
    best_scores: dict[str, float] = {}
    for start in range(len(lines)):
        words = _words(" ".join(lines[start:]))
        for notation, labels in area_labels(framework):
            score = max(_similarity(words, known) for known in labels)
            best_scores[notation] = max(score, best_scores.get(notation, 0.0))
    scores = sorted(((score, notation) for notation, score in best_scores.items()), reverse=True)
    if not scores:
        return None, 0.0, 0.0
    best, notation = scores[0]
    runner_up = scores[1][0] if len(scores) > 1 else 0.0
    if best >= _ACCEPT and best - runner_up >= _MARGIN:
        return notation, best, runner_up
    return None, best, runner_up


def read_judgements(
    pages: list[str], framework: str, expected: tuple[str, ...] | None, first_page: int = 1
) -> tuple[list[Judgement], list[Problem]]:
    """The judgements a table gives and the problems met reading it.

    ``expected``: the areas the framework version grades (None when not known); a
    missing one is a problem.
    """
    problems: list[Problem] = []
    matched: dict[str, tuple[Row, str, float]] = {}
    for row in read_rows(pages, framework, first_page, len(expected) if expected else 4):
        area, best, _ = match_area(row.lines, framework)
        grade = grade_of(row.grade_text)
        if area is None:
            problems.append(Problem(
                "unrecognised-row", f"a row of the judgement table matches no {framework} judgement area "
                f"with certainty (best similarity {best:.2f})", row.page, f"{row.label} | {row.grade_text}"))
            continue
        if grade is None:
            problems.append(Problem(
                "unknown-grade", f"the grade of {area} is not a grade of the grade scheme",
                row.page, f"{row.label} | {row.grade_text}"))
            continue
        if area in matched:
            earlier, earlier_grade, _ = matched[area]
            if earlier_grade != grade:
                problems.append(Problem(
                    "repeated-area", f"two rows of the judgement table read as {area}, with different grades",
                    row.page, f"{earlier.label} | {earlier.grade_text} / {row.label} | {row.grade_text}"))
                matched[area] = (row, "", best)  # neither is kept
            continue
        matched[area] = (row, grade, best)
    judgements = [Judgement(area, grade, row.page) for area, (row, grade, _) in matched.items() if grade]
    if expected:
        for area in expected:
            if area not in matched and not any(p.kind == "unknown-grade" and area in p.message for p in problems):
                problems.append(Problem(
                    "missing-area", f"the judgement table has no grade for {area}, which the framework grades",
                    first_page, _table_excerpt(pages[0])))
    return judgements, problems


def _table_excerpt(page: str) -> str:
    header = _HEADER.search(page)
    start = header.start() if header else 0
    return collapse(page[start: start + 400])
