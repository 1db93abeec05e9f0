"""SPARQL text as the grammar's terminals: strings, IRIs, comments, variables, names.

Parameter binding, the safety checks and the volatile-function test all need to know
what a piece of query text *is* (a variable, a word inside a string, a comment) before
they act on it. This lexer follows the SPARQL 1.1 terminals (section 19.8 of the
recommendation) closely enough for those decisions, and it never needs the query to be
valid: a character it does not recognise is a token of its own.

One thing the terminals alone cannot decide: ``<`` after an operand starts an IRI in a
triple pattern but is the less-than operator in an expression (``?a<?b``). Such a span
is marked ``ambiguous`` so that the checks can read it both ways.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_NAME_CHAR = r"\w\u00B7\u0300-\u036F\u203F-\u2040"
_TOKEN = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<comment>\#[^\n\r]*)"
    r"|(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\""
    r"|'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\")"
    r"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
    rf"|(?P<variable>[?$][{_NAME_CHAR}]+)"
    # Prefixed names, keywords, numbers, blank node labels, language tags: one word each,
    # with PN_LOCAL's %-escapes and \-escapes (ex:a\(b is one name, not a bracket).
    rf"|(?P<name>(?:[{_NAME_CHAR}:@]|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?#@%])"
    rf"(?:[{_NAME_CHAR}:.\-]|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?#@%])*)"
    r"|(?P<operator>\^\^|\|\||&&|!=|<=|>=|<<|>>)"
    r"|(?P<other>.)",
    re.DOTALL,
)
# After one of these, '<' may be the less-than operator rather than an IRI's start.
_OPERAND_ENDS = {"variable", "string", "iri", "name"}


@dataclass(frozen=True)
class Token:
    kind: str  # space, comment, string, iri, variable, name, operator, other
    text: str
    start: int
    ambiguous: bool = False  # an iri that may instead be '<' and more tokens


def iter_tokens(text: str) -> Iterator[Token]:
    """The tokens of the text, in order, as they are read; joined, their texts give the text back."""
    previous: Token | None = None
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        ambiguous = kind == "iri" and previous is not None and (
            previous.kind in _OPERAND_ENDS or previous.text in (")", "]"))
        token = Token(kind, match.group(), match.start(), ambiguous)
        yield token
        if kind not in ("space", "comment"):
            previous = token


def tokens(text: str) -> list[Token]:
    """Every token of the text, in order."""
    return list(iter_tokens(text))


def significant(found: Iterable[Token]) -> list[Token]:
    """The tokens without white space and comments."""
    return [token for token in found if token.kind not in ("space", "comment")]
