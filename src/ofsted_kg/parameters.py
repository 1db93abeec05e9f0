"""Parameters that cannot silently miss: each value is checked against what it may be.

A stored query's ``#+`` header may enumerate a parameter's allowed values, as grlc's
``enumerate`` does, by naming the vocabulary they come from::

    #+ enumerate:
    #+   - service: services

The vocabularies are read at run time from the ontology's concept schemes (a concept's
``skos:notation`` is the value; its labels help to suggest one) and from the authority
registry (regions). An authority parameter is always checked against the registry. A
value outside the list is a ``ParameterValueError`` that names the allowed values and
the nearest ones, so ``service=MASH`` says "did you mean mash?" instead of finding
nothing.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox

from ofsted_kg.errors import QueryError
from ofsted_kg.namespaces import OFSTED, RDF, SKOS
from ofsted_kg.query import StoredQuery
from ofsted_kg.registry import find, load_registry
from ofsted_kg.resources import ontology_files

_RDF_TYPE = ox.NamedNode(str(RDF.type))

#: Vocabulary names a header may give, and the ontology class of their concepts.
CONCEPT_CLASSES = {
    "services": "Service", "frameworks": "Framework", "areas": "JudgementArea",
    "grades": "Grade", "changes": "GradeChange", "problems": "ProblemKind",
}
#: Vocabularies read from the authority registry instead of the ontology.
REGISTRY_VOCABULARIES = ("regions", "authorities")


@dataclass(frozen=True)
class Choice:
    """One allowed value, with the label a person reads and other names it goes by."""

    value: str
    label: str
    other_names: tuple[str, ...] = ()


class ParameterValueError(QueryError):
    """A parameter's value is not one of those the query allows."""

    def __init__(self, reason: str, parameter: str, value: str, suggestions: list[str],
                 allowed: list[str]) -> None:
        super().__init__(reason)
        self.parameter, self.value = parameter, value
        self.suggestions, self.allowed = suggestions, allowed


@cache
def _ontology() -> ox.Store:
    store = ox.Store()
    for path in ontology_files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def _texts(store: ox.Store, subject: ox.NamedNode, predicate: str) -> list[str]:
    property_ = ox.NamedNode(str(SKOS[predicate]))
    return sorted(q.object.value for q in store.quads_for_pattern(subject, property_, None))


@cache
def vocabulary(name: str) -> tuple[Choice, ...]:
    """The allowed values of a vocabulary, sorted by value."""
    if name == "regions":
        regions = sorted({a.region_name for a in load_registry() if a.region_name})
        return tuple(Choice(region, region) for region in regions)
    if name == "authorities":
        return tuple(sorted((Choice(a.name, a.name, a.alternative_names) for a in load_registry()),
                            key=lambda c: c.value))
    if name not in CONCEPT_CLASSES:
        known = ", ".join([*CONCEPT_CLASSES, *REGISTRY_VOCABULARIES])
        raise QueryError(f"unknown vocabulary {name!r} in a query header; known: {known}")
    store = _ontology()
    choices: dict[str, Choice] = {}
    for quad in store.quads_for_pattern(None, _RDF_TYPE, ox.NamedNode(str(OFSTED) + CONCEPT_CLASSES[name])):
        notations = _texts(store, quad.subject, "notation")
        if not notations or notations[0] in choices:
            continue  # areas share a notation across frameworks: one choice each
        labels = _texts(store, quad.subject, "prefLabel")
        others = tuple(_texts(store, quad.subject, "altLabel") + _texts(store, quad.subject, "hiddenLabel"))
        choices[notations[0]] = Choice(notations[0], labels[0] if labels else notations[0], others)
    return tuple(sorted(choices.values(), key=lambda c: c.value))


def enumerations(query: StoredQuery) -> dict[str, str]:
    """Parameter name -> vocabulary name, from the query's ``enumerate`` header."""
    pairs = dict(query.vocabularies)
    for parameter in query.parameters:
        if parameter.type == "authority":
            pairs.setdefault(parameter.name, "authorities")
    return pairs


def choices(query: StoredQuery, parameter: str) -> tuple[Choice, ...] | None:
    """The values a parameter may take, or None when any value of its type will do."""
    name = enumerations(query).get(parameter)
    return vocabulary(name) if name else None


def allowed_values(query: StoredQuery, parameter: str) -> dict[str, list[str]]:
    """An OpenAPI ``enum`` of the parameter's values, or nothing where the list is long
    (authorities) or open (a free-text parameter)."""
    name = enumerations(query).get(parameter)
    if not name or name == "authorities":
        return {}
    return {"enum": [choice.value for choice in vocabulary(name)]}


def suggest(value: str, options: tuple[Choice, ...], limit: int = 3) -> list[str]:
    """The allowed values nearest to what was typed: the value one of whose names matches
    it whatever the case (that one alone: 'MASH' is mash, not also a service with a label
    spelt like it), else values whose name starts with it, then close spellings."""
    wanted = value.strip().casefold()
    names: dict[str, str] = {}
    for choice in options:
        for name in (choice.value, choice.label, *choice.other_names):
            names.setdefault(name.casefold(), choice.value)
    found: list[str] = []

    def add(candidate: str) -> None:
        if candidate not in found:
            found.append(candidate)

    if wanted in names:
        return [names[wanted]]
    for name, candidate in names.items():
        if wanted and name.startswith(wanted):
            add(candidate)
    for name in difflib.get_close_matches(wanted, list(names), n=limit * 2, cutoff=0.6):
        add(names[name])
    return found[:limit]


def check_value(query: StoredQuery, parameter: str, value: str) -> None:
    vocabulary_name = enumerations(query).get(parameter)
    if not vocabulary_name:
        return
    if vocabulary_name == "authorities":
        try:
            find(value)
        except QueryError:
            nearest = suggest(value, vocabulary("authorities"))
            hint = f"; did you mean {' or '.join(nearest)}?" if nearest else ""
            raise ParameterValueError(
                f"no authority called {value!r}{hint} Give a name (Greenwich), an Ofsted URN (80495), "
                "a DfE LA code (203) or an ONS GSS code (E09000011); "
                f"'ofsted-kg query authorities' lists all {len(load_registry())}",
                parameter, value, nearest, []) from None
        return
    options = vocabulary(vocabulary_name)
    allowed = [choice.value for choice in options]
    # Regions are compared ignoring case by the queries that take them.
    if value in allowed or (vocabulary_name == "regions" and value.casefold() in map(str.casefold, allowed)):
        return
    nearest = suggest(value, options)
    hint = f"; did you mean {' or '.join(nearest)}? Allowed" if nearest else "; allowed"
    raise ParameterValueError(
        f"parameter {parameter}={value!r} is not one of the {vocabulary_name}{hint}: {', '.join(allowed)}",
        parameter, value, nearest, allowed)


def check_values(query: StoredQuery, values: dict[str, str]) -> None:
    """Raise ParameterValueError for the first value outside its parameter's list."""
    known = {p.name for p in query.parameters}
    for name, value in values.items():
        if name in known:
            check_value(query, name, value)
