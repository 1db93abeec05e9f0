"""Text helpers shared by the extractors: whitespace, running headers, page offsets."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate

_TRAILING_NUMBER = re.compile(r"\s*\d+\s*$")


def collapse(text: str) -> str:
    """One line, single spaces, typographic apostrophes made plain."""
    # str.split() breaks at the characters re's \s matches (both ask Py_UNICODE_ISSPACE),
    # 2.5 times faster than re.sub(r"\s+", " ", ...).strip(), which it equals.
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())


def _furniture_key(line: str) -> str:
    return _TRAILING_NUMBER.sub("", collapse(line)).lower()


def strip_running_lines(pages: tuple[str, ...]) -> list[str]:
    """Remove page numbers and running headers or footers repeated across pages.

    A line near the top or bottom of a page that recurs (ignoring a trailing page
    number) on at least three pages, and on a quarter of them, is page furniture;
    keeping it would split sentences that run over a page break.
    """
    split = [page.split("\n") for page in pages]
    keys = {line: _furniture_key(line) for lines in split for line in lines[:3] + lines[-3:]}  # once each
    # Each page counts a line once, whether at its top or at its foot.
    edges = Counter(key for lines in split
                    for key in {keys[line] for line in lines[:3] + lines[-3:] if line.strip()})
    threshold = max(3, len(pages) // 4)
    running = {key for key, count in edges.items() if count >= threshold and key}
    cleaned = []
    for lines in split:
        kept = list(lines)
        for edge in (slice(0, 3), slice(-3, None)):
            for line in lines[edge]:
                key = keys[line]
                page_number = line.strip().isdigit() and len(line.strip()) <= 3
                if (key in running or page_number) and line in kept:
                    kept.remove(line)
        cleaned.append("\n".join(kept))
    return cleaned


@dataclass
class Flow:
    """All pages joined into one text, able to say on which page an offset lies."""

    text: str
    starts: list[int]

    @classmethod
    def of(cls, pages: list[str] | tuple[str, ...]) -> Flow:
        starts = list(accumulate((len(page) + 1 for page in pages[:-1]), initial=0)) if pages else []
        return cls("\n".join(pages), starts)

    def page_of(self, offset: int) -> int:
        """1-based page number of a character offset."""
        return bisect_right(self.starts, offset)
