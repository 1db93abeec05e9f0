"""What the reader knows about frameworks, areas, grades and providers, read from ``ontology/``.

The labels a judgement table prints, the areas each framework version grades and from
when, the grade words and the trusts that run councils' services are data in the
Turtle files, so a change of framework is a change of data, not of code. The queries
that read them are ``queries/internal/*.rq``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

import pyoxigraph as ox

from ofsted_kg.resources import data_dir, internal_query


@dataclass(frozen=True)
class FrameworkVersion:
    notation: str
    framework: str
    applies_from: date
    applies_until: date | None
    required_areas: tuple[str, ...]  # area notations

    def applies_to(self, start: date) -> bool:
        return self.applies_from <= start and (self.applies_until is None or start <= self.applies_until)


@cache
def _graph(*names: str) -> ox.Store:
    store = ox.Store()
    for name in names:
        store.load(path=str(data_dir("ontology") / name), format=ox.RdfFormat.TURTLE)
    return store


def _rows(names: tuple[str, ...], query: str, framework: str | None = None) -> list[dict[str, str]]:
    bound = {ox.Variable("framework_notation"): ox.Literal(framework)} if framework is not None else None
    solutions = _graph(*names).query(internal_query(query), substitutions=bound)
    variables = [v.value for v in solutions.variables]
    return [{name: (row[name].value if row[name] is not None else "") for name in variables} for row in solutions]


@cache
def area_labels(framework: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each area of a framework with every label it is printed under (preferred,
    alternative and hidden labels: known slips of the template)."""
    labels: dict[str, list[str]] = {}
    for row in _rows(("frameworks.ttl", "areas.ttl"), "area-labels", framework):
        labels.setdefault(row["notation"], []).append(row["label"])
    return tuple((notation, tuple(found)) for notation, found in labels.items())


@cache
def template_areas() -> tuple[str, ...]:
    """The notations of the areas the CSV template has a column for, in the order
    ``ontology/areas.ttl`` gives them."""
    notation = {row["area"]: row["notation"] for row in _rows(("frameworks.ttl", "areas.ttl"), "template-areas")}
    in_file = ox.parse(path=str(data_dir("ontology") / "areas.ttl"), format=ox.RdfFormat.TURTLE)
    return tuple(dict.fromkeys(notation[q.subject.value] for q in in_file if q.subject.value in notation))


@cache
def framework_versions(framework: str) -> tuple[FrameworkVersion, ...]:
    versions: dict[str, FrameworkVersion] = {}
    for row in _rows(("frameworks.ttl", "areas.ttl"), "framework-versions", framework):
        old = versions.get(row["notation"])
        areas = (*old.required_areas, row["area"]) if old else (row["area"],)
        versions[row["notation"]] = FrameworkVersion(
            row["notation"], framework, date.fromisoformat(row["from"]),
            date.fromisoformat(row["until"]) if row["until"] else None, areas)
    return tuple(versions.values())


def version_for(framework: str, start: date) -> FrameworkVersion | None:
    """The version of ``framework`` that applies to an inspection starting on ``start``."""
    return next((v for v in framework_versions(framework) if v.applies_to(start)), None)


@cache
def grade_words(framework: str | None = None, hidden: bool = True) -> tuple[tuple[str, str, int | None], ...]:
    """(label, notation, rank) of each grade label, longest first (of one scale, or not hidden, if asked)."""
    rows = _rows(("frameworks.ttl", "grades.ttl"), "grade-labels", framework)
    words = {(row["label"], row["notation"], int(row["rank"]) if row["rank"] else None)
             for row in rows if hidden or row["hidden"] == "false"}
    return tuple(sorted(words, key=lambda word: (-len(word[0]), word[0])))


def phrases(labels: Iterable[str]) -> str:
    """A regex alternation of printed phrases, longest first, any white space between words."""
    longest_first = sorted(set(labels), key=lambda label: (-len(label), label))
    return "|".join(re.escape(label).replace(r"\ ", r"\s+") for label in longest_first)


def grade_pattern(framework: str | None = None, ranked: bool = False, hidden: bool = True) -> str:
    """The grade labels as a regex alternation (of the ordinal grades only, if asked; see ``grade_words``)."""
    return phrases(label for label, _, rank in grade_words(framework, hidden) if rank or not ranked)


def grade_of(text: str) -> str | None:
    """The notation of a printed grade phrase, or None if it is no grade."""
    phrase = " ".join(text.lower().split()).strip(" .")
    return next((notation for label, notation, _ in grade_words() if phrase == label.lower()), None)


@cache
def providers() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(label, Ofsted URNs of the councils it serves) for every provider label."""
    served: dict[str, list[str]] = {}
    for row in _rows(("providers.ttl",), "providers"):
        served.setdefault(row["label"], []).append(row["council"].rsplit("/", 1)[-1])
    return tuple((label, tuple(urns)) for label, urns in served.items())
