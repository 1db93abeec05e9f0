"""Checks a query passes before any engine parses it: size, depth, and no requests out.

Oxigraph's parser and evaluator recurse: 10,000 nested parentheses, or a property path
of 600 steps, overflow the stack and kill the process (SIGSEGV) rather than raise. So
the text is measured first, on its tokens (``sparql_text``), and refused with a
one-line error when it is too big or too deep:

- *depth*: every bracket (``( { [ <<``) adds one level, and so does every operator
  that chains terms within a bracket (``/ | ^ + - * || && = != < > <= >=``, ``UNION``,
  ``OPTIONAL``, ``MINUS``, ``BIND``), because a chain becomes as deep a tree as a
  nesting. The deepest path from the outside to any bracket is the query's depth.
  The stored queries reach 21; Oxigraph survived 3,000 nested brackets and 300 path
  steps, and died at 10,000 and 600.
- *size*: characters of query text.

``SERVICE`` makes the engine send a request to any address the query names, so it is
refused unless its endpoint is one the user allowed by name. The keyword is found as a
token (never inside a string, an IRI or a comment); a ``<`` that may be read as an
operator is read both ways (see ``sparql_text``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ofsted_kg.errors import QueryError
from ofsted_kg.sparql_text import Token, iter_tokens, significant, tokens

MAX_QUERY_CHARS = 100_000
MAX_DEPTH = 128
#: Space-separated endpoint IRIs that SERVICE may call (the --allow-service option adds to it).
ALLOW_SERVICE_ENV = "OFSTED_KG_ALLOW_SERVICE"

_OPEN = {"(": ")", "{": "}", "[": "]", "<<": ">>"}
_CLOSE = {value: key for key, value in _OPEN.items()}
_CHAINING = {"/", "|", "^", "+", "-", "*", "!", "||", "&&", "=", "!=", "<", ">", "<=", ">="}
_CHAINING_WORDS = {"UNION", "OPTIONAL", "MINUS", "BIND"}
_VOLATILE = {"NOW", "RAND", "UUID", "STRUUID", "BNODE"}
# A SERVICE hidden in a span read as an IRI, for the reading where '<' is an operator:
# the keyword then has to be followed by its endpoint variable or a comment.
_HIDDEN_SERVICE = re.compile(r"(?<![\w:])SERVICE[?$#]", re.IGNORECASE)


class QueryTooComplex(QueryError):
    """The query is too long or too deeply nested to parse safely."""


class QueryRefused(QueryError):
    """The query asks for something this program does not do for its users (SERVICE)."""


@dataclass(frozen=True)
class QueryLimits:
    max_chars: int = MAX_QUERY_CHARS
    max_depth: int = MAX_DEPTH
    allowed_services: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_environment(cls, allowed: tuple[str, ...] | list[str] = (), **limits: int) -> QueryLimits:
        named = set(os.environ.get(ALLOW_SERVICE_ENV, "").split()) | set(allowed)
        return cls(allowed_services=frozenset(named), **limits)


def depth(found: Iterable[Token], stop_above: int | None = None) -> int:
    """The deepest nesting of brackets and chained operators (see the module's text);
    with ``stop_above``, reading stops as soon as the depth passes it."""
    # Each open bracket: [its closing text, chaining operators seen in it, depth at opening].
    stack: list[list] = [["", 0, 0]]
    deepest = 0
    for token in found:
        if token.kind in ("space", "comment"):
            continue
        if stop_above is not None and deepest > stop_above:
            return deepest
        text = token.text.upper() if token.kind == "name" else token.text
        if token.ambiguous:  # read as '<' and what follows, its brackets count too
            deepest = max(deepest, _depth_of_span(token.text, stack[-1][2] + stack[-1][1] + 1))
        if text in _OPEN:
            level = stack[-1][2] + stack[-1][1] + 1
            deepest = max(deepest, level)
            stack.append([_OPEN[text], 0, level])
        elif text in _CLOSE:
            # A closing bracket that does not match is the parser's to report; depth
            # only needs to stay an upper bound, so the level is left as it is then.
            if len(stack) > 1 and stack[-1][0] == text:
                stack.pop()
        elif (token.kind in ("operator", "other") and text in _CHAINING) or (
                token.kind == "name" and text in _CHAINING_WORDS):
            stack[-1][1] += 1
            deepest = max(deepest, stack[-1][2] + stack[-1][1])
    return deepest


def _depth_of_span(span: str, base: int) -> int:
    inner = span[1:-1]
    count = sum(inner.count(c) for c in "([") + sum(inner.count(c) for c in "/|^+-*=&!")
    return base + count


def service_endpoints(found: list[Token]) -> list[str]:
    """The endpoint of every SERVICE in the query (``?var`` for a variable endpoint)."""
    parts = significant(found)
    endpoints = []
    for index, token in enumerate(parts):
        if token.ambiguous and _HIDDEN_SERVICE.search(token.text):
            endpoints.append("?")
        if token.kind == "name" and token.text.upper() == "SERVICE":
            following = parts[index + 1: index + 3]
            if following and following[0].kind == "name" and following[0].text.upper() == "SILENT":
                following = following[1:]
            target = following[0] if following else None
            endpoints.append(target.text[1:-1] if target is not None and target.kind == "iri" else "?")
    return endpoints


def is_volatile(text: str) -> bool:
    """Whether the query calls a function whose value changes by itself (NOW(), RAND()...)."""
    parts = significant(tokens(text))
    return any(token.kind == "name" and token.text.upper() in _VOLATILE
               and index + 1 < len(parts) and parts[index + 1].text == "("
               for index, token in enumerate(parts))


def check_query(text: str, limits: QueryLimits | None = None) -> None:
    """Raise ``QueryTooComplex`` or ``QueryRefused`` for a query no engine should be given."""
    limits = limits or QueryLimits.from_environment()
    if len(text) > limits.max_chars:
        raise QueryTooComplex(f"the query is too long ({len(text):,} characters; at most "
                              f"{limits.max_chars:,})")
    # Read only as far as needed: a query too deep is refused at the first level too many.
    level = depth(iter_tokens(text), stop_above=limits.max_depth)
    if level > limits.max_depth:
        raise QueryTooComplex(f"the query is too complex (nested more than {limits.max_depth} deep)")
    if "service" not in text.lower():  # the keyword cannot be there without its letters
        return
    for endpoint in service_endpoints(tokens(text)):
        if endpoint not in limits.allowed_services:
            shown = "a variable endpoint" if endpoint == "?" else f"<{endpoint}>"
            raise QueryRefused(f"SERVICE ({shown}) is refused: queries may not send requests to other "
                               f"servers unless the endpoint is allowed by name ({ALLOW_SERVICE_ENV} or "
                               "--allow-service)")
