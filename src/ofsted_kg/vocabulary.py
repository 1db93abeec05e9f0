"""What the reader knows about frameworks, areas, grades and providers, read from ``ontology/``.

The labels a judgement table prints, the areas each framework version grades and from
when, the grade words and the trusts that run councils' services are data in the
Turtle files, so a change of framework is a change of data, not of code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.resources import data_dir

_SKOS = "http://www.w3.org/2004/02/skos/core#"
_OFSTED = "https://w3id.org/ofsted-kg/def#"
_DCTERMS = "http://purl.org/dc/terms/"
_AREA = "https://w3id.org/ofsted-kg/def/area/"


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
        path: Path = data_dir("ontology") / name
        store.load(path.read_bytes(), format=ox.RdfFormat.TURTLE)
    return store


def _rows(names: tuple[str, ...], sparql: str) -> list[dict[str, str]]:
    solutions = _graph(*names).query(sparql)
    variables = [v.value for v in solutions.variables]
    return [{name: (row[name].value if row[name] is not None else "") for name in variables} for row in solutions]


@cache
def area_labels(framework: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each area of a framework with every label it is printed under (preferred,
    alternative and hidden labels: known slips of the template)."""
    rows = _rows(("areas.ttl",), f"""
        SELECT ?notation ?label WHERE {{
          ?area <{_SKOS}inScheme> <{_AREA}{framework}> ; <{_SKOS}notation> ?notation .
          ?area <{_SKOS}prefLabel>|<{_SKOS}altLabel>|<{_SKOS}hiddenLabel> ?label .
        }} ORDER BY ?notation ?label""")
    labels: dict[str, list[str]] = {}
    for row in rows:
        labels.setdefault(row["notation"], []).append(row["label"])
    return tuple((notation, tuple(found)) for notation, found in labels.items())


@cache
def framework_versions(framework: str) -> tuple[FrameworkVersion, ...]:
    rows = _rows(("frameworks.ttl", "areas.ttl"), f"""
        SELECT ?notation ?from ?until ?area WHERE {{
          ?version <{_DCTERMS}isVersionOf>/<{_SKOS}notation> "{framework}" ;
                   <{_SKOS}notation> ?notation ; <{_OFSTED}appliesFrom> ?from .
          OPTIONAL {{ ?version <{_OFSTED}appliesUntil> ?until }}
          ?version <{_OFSTED}requiredArea>/<{_SKOS}notation> ?area .
        }} ORDER BY ?from ?area""")
    versions: dict[str, FrameworkVersion] = {}
    for row in rows:
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
def grade_words() -> tuple[tuple[str, str], ...]:
    """(label, notation) for every label of every grade, longest first."""
    rows = _rows(("grades.ttl",), f"""
        SELECT ?notation ?label WHERE {{
          ?grade a <{_OFSTED}Grade> ; <{_SKOS}notation> ?notation .
          ?grade <{_SKOS}prefLabel>|<{_SKOS}altLabel>|<{_SKOS}hiddenLabel> ?label .
        }}""")
    pairs = {(row["label"].lower(), row["notation"]) for row in rows}
    return tuple(sorted(pairs, key=lambda pair: (-len(pair[0]), pair[0])))


@cache
def providers() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(label, Ofsted URNs of the councils it serves) for every provider label."""
    rows = _rows(("providers.ttl",), f"""
        SELECT ?label ?council WHERE {{
          ?provider a <{_OFSTED}ServiceProvider> ; <{_OFSTED}providesServicesFor> ?council .
          ?provider <{_SKOS}prefLabel>|<{_SKOS}altLabel> ?label .
        }} ORDER BY ?label ?council""")
    served: dict[str, list[str]] = {}
    for row in rows:
        served.setdefault(row["label"], []).append(row["council"].rsplit("/", 1)[-1])
    return tuple((label, tuple(urns)) for label, urns in served.items())
