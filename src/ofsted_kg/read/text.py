"""Plain text, Markdown and HTML articles: their text, for the summary extractor.

An HTML page is reduced to its article text with the standard library's parser:
scripts, styles, navigation, headers, footers, asides and comment sections are dropped.
Nothing is fetched.
"""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

from ofsted_kg.facts import Document
from ofsted_kg.read.files import read_utf8

TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm"}
_SKIP_TAGS = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "svg"}
_BLOCK_TAGS = {"p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "title"}
_COMMENTS = re.compile(r"comment|respond|reply", re.I)


class _ArticleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        marks = " ".join(v or "" for k, v in attrs if k in ("id", "class"))
        comments = tag in ("div", "section", "ol", "ul") and _COMMENTS.search(marks)
        if self.skipping or tag in _SKIP_TAGS or comments:
            self.skipping.append(tag)
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if self.skipping[-1] == tag:
                self.skipping.pop()
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _ArticleText()
    parser.feed(html)
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def read_text(path: Path | str) -> Document:
    """A text, Markdown or HTML file as a one-page Document; ``ReadError`` if unreadable."""
    path = Path(path)
    data, text = read_utf8(path)
    if path.suffix.lower() in (".html", ".htm"):
        text = html_to_text(text)
    return Document(path.name, hashlib.sha256(data).hexdigest(), (text,))
