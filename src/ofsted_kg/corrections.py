"""A person's corrections of a finding's services or polarity, kept in a graph of their own.

The corrections graph (``<base>graph/corrections``) is never written by ``build``, so a
correction survives every rebuild, an upgrade's included, as long as the finding keeps
its IRI (IRIs come from the report's facts: inspection and paragraph number). It holds:

- a record per correction (``ofsted:Correction``, with who and when in PROV-O:
  ``prov:wasAttributedTo``, ``prov:generatedAtTime``, and the note as ``rdfs:comment``);
- the effective statements the stored queries read: ``ofsted:correctedPolarity``, which
  wins over the tagger's ``ofsted:polarity``; ``ofsted:concernsService`` (with a service
  mention whose matched label says who added it) for a service added; and
  ``ofsted:rejectedService`` for a service the tagger gave and a person removed.

A later correction of the same finding replaces the earlier effective statements it
touches; the records of both are kept.
"""

from __future__ import annotations

import csv
import getpass
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.config import base_iri
from ofsted_kg.errors import OfstedKgError
from ofsted_kg.mapping import iris
from ofsted_kg.namespaces import FOAF, OFSTED, PROV, RDFS, SKOS, XSD, concept
from ofsted_kg.store import OxigraphStore, write

POLARITIES = ("strength", "area-for-improvement", "mixed")
_DATE_TIME = ox.NamedNode(str(XSD.dateTime))
CSV_COLUMNS = ("finding", "polarity", "service", "remove_service", "by", "note")


corrections_graph = iris.corrections_graph


@dataclass(frozen=True)
class Correction:
    finding: str  # the IRI of a finding (or a recommendation, for its services)
    polarity: str | None = None
    add: tuple[str, ...] = ()  # service notations
    remove: tuple[str, ...] = ()
    by: str | None = None
    note: str | None = None


class CorrectionError(OfstedKgError):
    """A correction that cannot be applied (unknown finding, service or polarity)."""


def _known(store: OxigraphStore, finding: str) -> str | None:
    """'finding' or 'recommendation' if the IRI is one in the store."""
    node = ox.NamedNode(finding)
    rows = store.query(f"SELECT ?t WHERE {{ {node} a ?t }}")
    types = {row["t"].value for row in rows}
    if str(OFSTED.Finding) in types:
        return "finding"
    if str(OFSTED.Recommendation) in types:
        return "recommendation"
    return None


def _services(store: OxigraphStore) -> set[str]:
    notation = f"<{SKOS.notation}>"
    rows = store.query(f"SELECT ?n WHERE {{ ?s a <{OFSTED}Service> ; {notation} ?n }}")
    return {row["n"].value for row in rows}


def check(store: OxigraphStore, correction: Correction, services: set[str] | None = None) -> None:
    """Raise ``CorrectionError`` naming what is wrong with ``correction``."""
    try:
        ox.NamedNode(correction.finding)
    except ValueError as error:
        raise CorrectionError(f"not an IRI: {correction.finding!r}") from error
    kind = _known(store, correction.finding)
    if kind is None:
        raise CorrectionError(f"no finding or recommendation <{correction.finding}> in the store")
    if correction.polarity is not None:
        if kind != "finding":
            raise CorrectionError(f"<{correction.finding}> is a recommendation: it has no polarity to correct")
        if correction.polarity not in POLARITIES:
            raise CorrectionError(f"unknown polarity {correction.polarity!r}; choose from {', '.join(POLARITIES)}")
    known = services if services is not None else _services(store)
    for service in (*correction.add, *correction.remove):
        if service not in known:
            raise CorrectionError(f"unknown service {service!r} (a notation of ontology/services.ttl)")
    if correction.polarity is None and not correction.add and not correction.remove:
        raise CorrectionError("nothing to correct: give a polarity, a service to add or one to remove")


def _update(correction: Correction, when: datetime, base: str) -> str:
    graph = ox.NamedNode(corrections_graph(base))
    finding = ox.NamedNode(correction.finding)
    by = correction.by or getpass.getuser()
    stamp = when.isoformat(timespec="microseconds")
    record = ox.NamedNode(iris.correction(correction.finding, stamp + by + repr(correction)))
    agent = ox.NamedNode(iris.person(by, base))
    parts: list[str] = []
    insert = [
        f"{record} a <{OFSTED}Correction> , <{PROV}Entity> ; <{OFSTED}corrects> {finding} ;",
        f"  <{PROV}wasAttributedTo> {agent} ;",
        f"  <{PROV}generatedAtTime> {ox.Literal(stamp, datatype=_DATE_TIME)} .",
        f"{agent} a <{PROV}Agent> ; <{FOAF.name}> {ox.Literal(by)} .",
    ]
    if correction.note:
        insert.append(f"{record} <{RDFS.comment}> {ox.Literal(correction.note)} .")
    if correction.polarity:
        polarity = ox.NamedNode(concept("polarity", correction.polarity))
        parts.append(f"DELETE WHERE {{ GRAPH {graph} {{ {finding} <{OFSTED}correctedPolarity> ?old }} }}")
        insert.append(f"{finding} <{OFSTED}correctedPolarity> {polarity} .")
        insert.append(f"{record} <{OFSTED}setPolarity> {polarity} .")
    for service in correction.add:
        node = ox.NamedNode(concept("service", service))
        mention = ox.NamedNode(iris.corrected_service(correction.finding, service))
        parts.append(f"DELETE DATA {{ GRAPH {graph} {{ {finding} <{OFSTED}rejectedService> {node} }} }}")
        insert += [
            f"{finding} <{OFSTED}concernsService> {node} ; <{OFSTED}serviceMention> {mention} .",
            f"{mention} a <{OFSTED}ServiceMention> ; <{OFSTED}service> {node} ; "
            f"<{OFSTED}matchedLabel> {ox.Literal(f'corrected by {by}')} .",
            f"{record} <{OFSTED}addedService> {node} .",
        ]
    for service in correction.remove:
        node = ox.NamedNode(concept("service", service))
        mention = ox.NamedNode(iris.corrected_service(correction.finding, service))
        parts.append(f"DELETE WHERE {{ GRAPH {graph} {{ {mention} ?p ?o }} }}")
        parts.append(f"DELETE DATA {{ GRAPH {graph} {{ {finding} <{OFSTED}concernsService> {node} . "
                     f"{finding} <{OFSTED}serviceMention> {mention} }} }}")
        insert += [f"{finding} <{OFSTED}rejectedService> {node} .", f"{record} <{OFSTED}removedService> {node} ."]
    parts.append(f"INSERT DATA {{ GRAPH {graph} {{\n" + "\n".join(insert) + "\n} }")
    return " ;\n".join(parts)


def apply_corrections(store: OxigraphStore, corrections: list[Correction],
                      when: datetime | None = None, base: str | None = None) -> list[str]:
    """Check each correction, then store the good ones in one transaction; returns one
    line per correction refused (the others are stored)."""
    known = _services(store)
    problems, good = [], []
    for index, correction in enumerate(corrections, start=1):
        try:
            check(store, correction, known)
            good.append(correction)
        except CorrectionError as error:
            problems.append(f"correction {index}: {error.reason}" if len(corrections) > 1 else error.reason)
    if good:
        moment = when or datetime.now(timezone.utc)
        with write(store) as writer:
            writer.update(" ;\n".join(_update(c, moment, base or base_iri()) for c in good))
    return problems


def waiting(store: OxigraphStore, base: str | None = None) -> list[str]:
    """The findings (or recommendations) that corrections name and the store no longer holds,
    sorted. A reader that cuts a report differently may give a paragraph a new IRI (a board's
    summary once stored as a second executive summary, ``.../finding/executive-summary-2``,
    is ``.../finding/lscb`` since): its corrections are kept but apply to nothing until made
    again on the new IRI."""
    graph = ox.NamedNode(corrections_graph(base or base_iri()))
    rows = store.query(f"""SELECT DISTINCT ?finding WHERE {{
        GRAPH {graph} {{ ?record a <{OFSTED}Correction> ; <{OFSTED}corrects> ?finding }}
        FILTER NOT EXISTS {{ ?finding a ?type FILTER (?type IN (<{OFSTED}Finding>, <{OFSTED}Recommendation>)) }}
    }}""")
    return sorted(row["finding"].value for row in rows)


def read_corrections_csv(path: Path | str) -> list[Correction]:
    """Corrections from a CSV file with the columns ``finding, polarity, service,
    remove_service, by, note`` (services joined by ';'; empty cells mean no change)."""
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "finding" not in reader.fieldnames:
                raise CorrectionError("a corrections CSV needs a 'finding' column", str(path))
            unknown = set(reader.fieldnames) - set(CSV_COLUMNS)
            if unknown:
                raise CorrectionError(f"unknown columns {', '.join(sorted(unknown))}; expected "
                                      f"{', '.join(CSV_COLUMNS)}", str(path))
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CorrectionError(f"cannot read the corrections ({error})", str(path)) from error

    def split(cell: str | None) -> tuple[str, ...]:
        return tuple(s.strip() for s in (cell or "").split(";") if s.strip())

    return [Correction((row.get("finding") or "").strip(), (row.get("polarity") or "").strip() or None,
                       split(row.get("service")), split(row.get("remove_service")),
                       (row.get("by") or "").strip() or None, (row.get("note") or "").strip() or None)
            for row in rows]
