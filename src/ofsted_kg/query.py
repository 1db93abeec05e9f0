"""Stored queries: ``queries/NAME.rq`` files that describe themselves.

Each file opens with grlc-style ``#+`` comment lines (YAML): ``summary``,
``description``, ``tags``, ``defaults``, ``examples``. Parameters are the query's
grlc-style variables: ``?_name`` is required, ``?__name`` optional, and a suffix gives
the type (``?_start_date``, ``?_limit_integer``, ``?_authority_iri``). Values are
bound as RDF terms (Oxigraph substitutions), never pasted into the query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from ofsted_kg.errors import QueryError
from ofsted_kg.namespaces import XSD
from ofsted_kg.resources import query_files
from ofsted_kg.sparql_text import Token, tokens

TYPES = ("iri", "integer", "date", "string", "authority")
_VARIABLE = re.compile(r"[?$](__?)([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*)")


@dataclass(frozen=True)
class Parameter:
    name: str
    variable: str
    type: str
    required: bool
    default: str | None = None
    example: str | None = None


@dataclass
class StoredQuery:
    name: str
    path: Path
    text: str
    summary: str = ""
    description: str = ""
    tags: list[str] = field(default_factory=list)
    parameters: list[Parameter] = field(default_factory=list)
    vocabularies: dict[str, str] = field(default_factory=dict)  # parameter -> vocabulary (#+ enumerate)


def _header(text: str) -> dict[str, Any]:
    lines = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    try:
        return yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as error:
        raise QueryError(f"the #+ header is not valid YAML ({error})") from error


def _pairs(value: Any) -> dict[str, str]:
    """grlc writes defaults as a list of one-key maps; accept a map too."""
    merged: dict[str, str] = {}
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict):
            merged.update({str(k): str(v) for k, v in item.items()})
    return merged


def parse_query_file(path: Path) -> StoredQuery:
    text = path.read_text(encoding="utf-8")
    header = _header(text)
    defaults, examples = _pairs(header.get("defaults")), _pairs(header.get("examples"))
    parameters: dict[str, Parameter] = {}
    variables = " ".join(token.text for token in tokens(text) if token.kind == "variable")
    for underscores, full in _VARIABLE.findall(variables):
        name, _, suffix = full.rpartition("_")
        kind = suffix if name and suffix in TYPES else "string"
        name = name if name and suffix in TYPES else full
        parameters.setdefault(name, Parameter(
            name=name, variable=underscores + full, type=kind, required=underscores == "_",
            default=defaults.get(name), example=examples.get(name),
        ))
    return StoredQuery(
        name=path.stem, path=path, text=text,
        summary=str(header.get("summary", "")).strip(),
        description=str(header.get("description", "")).strip(),
        tags=list(header.get("tags") or []),
        parameters=list(parameters.values()),
        vocabularies=_pairs(header.get("enumerate")),
    )


@cache
def stored_queries() -> dict[str, StoredQuery]:
    return {path.stem: parse_query_file(path) for path in query_files()}


def get_query(name: str) -> StoredQuery:
    queries = stored_queries()
    if name not in queries:
        raise QueryError(f"unknown query {name!r}; stored queries: {', '.join(sorted(queries))}")
    return queries[name]


def to_term(parameter: Parameter, value: str) -> ox.NamedNode | ox.Literal:
    """Turn a user's text into the RDF term the query expects, or say what is wrong."""
    try:
        if parameter.type == "iri":
            if not re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value, re.I):
                raise ValueError("an absolute IRI")
            return ox.NamedNode(value)
        if parameter.type == "integer":
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(str(XSD.integer)))
        if parameter.type == "date":
            day = date.today() if value.strip().lower() == "today" else date.fromisoformat(value)
            return ox.Literal(day.isoformat(), datatype=ox.NamedNode(str(XSD.date)))
        if parameter.type == "authority":
            from ofsted_kg.mapping import authority_iri

            return ox.NamedNode(authority_iri(value))
    except ValueError as error:
        wanted = {"iri": "an absolute IRI", "integer": "a whole number",
                  "date": "a date as YYYY-MM-DD (or 'today')"}.get(parameter.type, str(error))
        raise QueryError(f"parameter {parameter.name}={value!r} is not {wanted}") from error
    return ox.Literal(value)


def bindings_for(query: StoredQuery, values: dict[str, str]) -> dict[str, Any]:
    known = {p.name: p for p in query.parameters}
    unknown = sorted(set(values) - set(known))
    if unknown:
        allowed = ", ".join(f"{p.name} ({p.type})" for p in query.parameters) or "none"
        raise QueryError(f"unknown parameter {unknown[0]!r} for query {query.name}; allowed: {allowed}")
    bindings = {}
    for parameter in query.parameters:
        value = values.get(parameter.name, parameter.default)
        if value is None:
            if parameter.required:
                raise QueryError(f"query {query.name} needs --param {parameter.name}=<{parameter.type}>")
            continue
        bindings[parameter.variable] = to_term(parameter, value)
    return bindings


def bind_values(text: str, bindings: dict[str, Any]) -> str:
    """Put each parameter's RDF term where its variable stands in the query body.

    A constant in the pattern is what every engine plans best with (Virtuoso 7 took
    minutes over a query whose parameters came in VALUES blocks, and evaluates a FILTER
    in an OPTIONAL without the outer bindings). The terms are written by the RDF
    library in N-Triples syntax, which escapes every character that could end the
    term. The text is read once, as SPARQL tokens (``sparql_text``), and the new text
    is put together from them: only a variable token is ever replaced, and a term put
    in is never read again, so no value can change the query's shape, even one that
    holds another parameter's name (``X?_theme_string``). Parameters are never
    projected or grouped on, so a term is valid wherever its variable occurs.
    """
    if not bindings:
        return text
    found = tokens(text)
    terms = {name: str(term) for name, term in bindings.items()}
    out: list[str] = []
    index = 0
    while index < len(found):
        token = found[index]
        if token.kind == "variable" and token.text[1:] in terms:
            out.append(terms[token.text[1:]])
        elif token.kind == "name" and token.text.upper() == "BOUND":
            # An optional parameter is tested with BOUND(?__name), which is true once given.
            inner = _bound_argument(found, index)
            if inner is not None and inner[0] in terms:
                out.append("true")
                index = inner[1]
            else:
                out.append(token.text)
        else:
            out.append(token.text)
        index += 1
    return "".join(out)


def _bound_argument(found: list[Token], index: int) -> tuple[str, int] | None:
    """For BOUND at ``index``: (its variable's name, the index of its ')'), if it is
    written ``BOUND ( ?name )`` with only white space or comments between."""
    parts = [(position, token) for position, token in enumerate(found[index + 1:], index + 1)
             if token.kind not in ("space", "comment")][:3]
    if [token.text if token.kind != "variable" else "?" for _, token in parts] != ["(", "?", ")"]:
        return None
    return parts[1][1].text[1:], parts[2][0]


def prepare(name: str, values: dict[str, str] | None = None) -> str:
    """The text of a stored query with its parameters bound."""
    query = get_query(name)
    from ofsted_kg.parameters import check_values  # it reads the queries' headers from here

    check_values(query, values or {})
    return bind_values(query.text, bindings_for(query, values or {}))
