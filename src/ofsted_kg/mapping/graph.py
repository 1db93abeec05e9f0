"""Turn facts into RDF under the ontology in ``ontology/``: a report's triples, a data
file's inspections, the registry and the vocabulary graphs, all written from pyoxigraph terms."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

import pyoxigraph as ox

from ofsted_kg import namespaces
from ofsted_kg.facts import Authority, Report, ServiceTag
from ofsted_kg.mapping import iris
from ofsted_kg.namespaces import ONS_GEOGRAPHY, XSD, concept


class Triples(list):
    """Triples as lines of N-Triples (without the closing " ."), each term written in
    pyoxigraph's own syntax, which the validator and the store parse in Rust: making a
    pyoxigraph Triple for each in Python, and serialising them again, were most of what
    mapping cost. A subject is an IRI as a string; a predicate or an object a pyoxigraph
    term or an IRI as a string."""

    def add(self, triple: tuple) -> None:
        s, p, o = triple
        self.append(f"{_nt(s)} {p if isinstance(p, ox.NamedNode) else _nt(p)} "
                    f"{o if isinstance(o, (ox.Literal, ox.NamedNode)) else _nt(o)}")

    def terms(self) -> list[ox.Triple]:
        return [ox.Triple(q.subject, q.predicate, q.object)
                for q in ox.parse(self.ntriples().encode(), format=ox.RdfFormat.N_TRIPLES)]

    def quads(self, graph: str) -> Iterable[ox.Quad]:
        return ox.parse(self.nquads(graph), format=ox.RdfFormat.N_QUADS)

    def nquads(self, graph: str) -> bytes:
        """The triples as N-Quads in the named graph ``graph``."""
        end = f" {_nt(graph)} .\n"
        return (end.join(self) + end).encode() if self else b""

    def ntriples(self) -> str:
        return " .\n".join(self) + " .\n" if self else ""


@lru_cache(maxsize=4096)
def _nt(iri: str) -> str:
    return str(ox.NamedNode(str(iri)))  # which refuses an invalid IRI


def _terms(namespace: Any) -> SimpleNamespace:
    """A namespace's terms as pyoxigraph terms, made once (any other name fails): rdflib's
    checked look-up of a term, and its conversion, for every triple were a third of mapping."""
    return SimpleNamespace(**{name: ox.NamedNode(f"{namespace}{name}") for name in namespace.__annotations__})


DCTERMS, FOAF, OFSTED, PROV, RDF, RDFS, SH, SKOS = map(_terms, (
    namespaces.DCTERMS, namespaces.FOAF, namespaces.OFSTED, namespaces.PROV, namespaces.RDF, namespaces.RDFS,
    namespaces.SH, namespaces.SKOS))


_XSD_INTEGER = ox.NamedNode(str(XSD.integer))
_XSD_DATE = ox.NamedNode(str(XSD.date))


def text(value: str, language: str | None = None) -> ox.Literal:
    return ox.Literal(value, language=language) if language else ox.Literal(value)


def integer(value: int) -> ox.Literal:
    return ox.Literal(str(int(value)), datatype=_XSD_INTEGER)


def day(value: date) -> ox.Literal:
    return ox.Literal(value.isoformat(), datatype=_XSD_DATE)


def add_inspection(graph: Triples, node: str, *, framework: str, kind: str, source: str, label: str,
                   start: ox.Literal | None, end: ox.Literal | None, authority: str | None,
                   inspectors: Sequence[str], base: str | None = None) -> None:
    """An inspection, described in ``source``, with its lead inspectors: the same
    for a report and for a row of a data file."""
    add = graph.add
    add((node, RDF.type, OFSTED.Inspection))
    if authority:
        add((node, OFSTED.authority, authority))
    add((node, OFSTED.framework, concept("framework", framework)))
    add((node, OFSTED.inspectionKind, concept("kind", kind)))
    if start is not None and end is not None:
        add((node, OFSTED.startDate, start))
        add((node, OFSTED.endDate, end))
    add((node, OFSTED.describedIn, source))
    add((node, RDFS.label, text(label)))
    for name in inspectors:
        person = iris.inspector(name, base)
        add((node, OFSTED.leadInspector, person))
        add((person, RDF.type, PROV.Person))
        add((person, FOAF.name, text(name)))


def add_judgement(graph: Triples, inspection: str, framework: str, area: str, grade: str, source: str,
                  page: int | None = None) -> str:
    """A judgement of ``area`` with the grade of notation ``grade``; its IRI."""
    add = graph.add
    node = iris.judgement(inspection, area)
    add((inspection, OFSTED.judgement, node))
    add((node, RDF.type, OFSTED.Judgement))
    add((node, OFSTED.inspection, inspection))
    add((node, OFSTED.area, concept("area", framework, area)))
    add((node, OFSTED.grade, concept("grade", grade)))
    if page is not None:
        add((node, OFSTED.page, integer(page)))
    add((node, PROV.wasDerivedFrom, source))
    return node


def map_report(report: Report, base: str | None = None, stamp: str | None = None) -> Triples:
    """The triples of one report: its Report, Inspection, Judgements, Recommendations,
    Findings and the problems met reading it. ``stamp`` records the reader that made them."""
    inspection = report.inspection
    graph = Triples()
    add = graph.add
    report_iri = iris.report_of(report, base)
    inspection_iri = iris.inspection_of(report, base)

    add((report_iri, RDF.type, OFSTED.Report))
    add((report_iri, DCTERMS.title, text(inspection.title)))
    add((report_iri, OFSTED.fileName, text(report.file_name)))
    add((report_iri, OFSTED.sha256, text(report.sha256)))
    add((report_iri, OFSTED.pageCount, integer(report.page_count)))
    add((report_iri, DCTERMS.format, text("application/pdf")))
    add((report_iri, PROV.wasGeneratedBy, inspection_iri))
    if stamp:
        add((report_iri, OFSTED.extractedWith, text(stamp)))
    if inspection.published:
        add((report_iri, DCTERMS.issued, day(inspection.published)))
        add((report_iri, OFSTED.publicationDateBasis, concept("date-basis", inspection.publication_basis)))
    for number, problem in enumerate(inspection.problems, start=1):
        node = iris.problem(report_iri, number)
        add((report_iri, OFSTED.problem, node))
        add((node, RDF.type, OFSTED.ReadingProblem))
        add((node, OFSTED.problemKind, concept("problem", problem.kind)))
        add((node, OFSTED.severity, SH.Violation if problem.severity == "violation" else SH.Warning))
        add((node, RDFS.comment, text(problem.message)))
        add((node, OFSTED.textSeen, text(problem.text[:500])))
        if problem.page:
            add((node, OFSTED.page, integer(problem.page)))

    name = inspection.authority.name if inspection.authority else "Unresolved authority"
    dated = inspection.start_date and inspection.end_date
    add_inspection(
        graph, inspection_iri, framework=inspection.framework, kind=inspection.kind, source=report_iri,
        label=f"{name} {inspection.framework.upper()} {inspection.kind} "
              f"{inspection.start_date.isoformat() if inspection.start_date else 'undated'}",
        start=day(inspection.start_date) if dated else None, end=day(inspection.end_date) if dated else None,
        authority=iris.authority(inspection.authority.ofsted_urn, base) if inspection.authority else None,
        inspectors=inspection.lead_inspectors, base=base)
    if inspection.framework_version:
        add((inspection_iri, OFSTED.frameworkVersion, concept("framework-version", inspection.framework_version)))
    for name in inspection.lead_inspectors:
        for printed in inspection.inspector_variants.get(name, ()):
            add((iris.inspector(name, base), RDFS.label, text(printed)))

    for judgement in inspection.judgements:
        add_judgement(graph, inspection_iri, inspection.framework, judgement.area, judgement.grade, report_iri,
                      judgement.page)

    for item in inspection.recommendations:
        node = iris.recommendation(inspection_iri, item.order)
        add((inspection_iri, OFSTED.recommendation, node))
        add((node, RDF.type, OFSTED.Recommendation))
        add((node, OFSTED.section, concept("section", "what-needs-to-improve")))
        add_services(graph, node, item.services)
        add((node, OFSTED.inspection, inspection_iri))
        add((node, OFSTED.order, integer(item.order)))
        add((node, DCTERMS.description, text(item.text)))
        add((node, OFSTED.page, integer(item.page)))
        add((node, PROV.wasDerivedFrom, report_iri))

    used: set[str] = set()
    for finding in inspection.findings:
        node = iris.finding(inspection_iri, finding.section, finding.number, used)
        add((inspection_iri, OFSTED.finding, node))
        add((node, RDF.type, OFSTED.Finding))
        add((node, OFSTED.inspection, inspection_iri))
        add((node, OFSTED.section, concept("section", finding.section)))
        if finding.number is not None:
            add((node, OFSTED.paragraph, integer(finding.number)))
        add((node, DCTERMS.description, text(finding.text)))
        add((node, OFSTED.page, integer(finding.page)))
        if finding.area:
            add((node, OFSTED.area, concept("area", inspection.framework, finding.area)))
        add((node, OFSTED.polarity, concept("polarity", finding.polarity)))
        add((node, OFSTED.polarityCues, text(" ".join(finding.cues))))
        add((node, PROV.wasDerivedFrom, report_iri))
        add_services(graph, node, finding.services)
        for earlier in finding.earlier:
            mention = iris.mention(node, earlier.year)
            add((node, OFSTED.mentionsInspection, mention))
            add((mention, RDF.type, OFSTED.InspectionMention))
            add((mention, OFSTED.year, integer(earlier.year)))
            if earlier.grade:
                add((mention, OFSTED.grade, concept("grade", earlier.grade)))
    return graph


def add_services(graph: Triples, node: str, services: Iterable[ServiceTag]) -> None:
    """The services a text names, each with the words that matched (why it was tagged)."""
    for tag in services:
        service = concept("service", tag.service)
        mention = iris.service_mention(node, tag.service)
        graph.add((node, OFSTED.concernsService, service))
        graph.add((node, OFSTED.serviceMention, mention))
        graph.add((mention, RDF.type, OFSTED.ServiceMention))
        graph.add((mention, OFSTED.service, service))
        graph.add((mention, OFSTED.matchedLabel, text(tag.label)))


def map_registry(authorities: Iterable[Authority], base: str | None = None) -> Triples:
    """The authorities graph: codes, names, region, ONS geography, statistical neighbours."""
    authorities = list(authorities)
    by_la_code = {a.la_code: a for a in authorities}
    graph = Triples()
    add = graph.add
    for authority in authorities:
        node = iris.authority(authority.ofsted_urn, base)
        add((node, RDF.type, OFSTED.Authority))
        add((node, SKOS.prefLabel, text(authority.name, "en")))
        add((node, RDFS.label, text(authority.name, "en")))
        for name in authority.alternative_names:
            add((node, SKOS.altLabel, text(name, "en")))
        add((node, OFSTED.ofstedUrn, text(authority.ofsted_urn)))
        add((node, OFSTED.laCode, text(authority.la_code)))
        if authority.gss_code:
            add((node, OFSTED.gssCode, text(authority.gss_code)))
            add((node, OFSTED.statisticalGeography, ONS_GEOGRAPHY[authority.gss_code]))
        if authority.authority_type:
            add((node, OFSTED.localAuthorityType, text(authority.authority_type)))
        if authority.region_gss:
            region = ONS_GEOGRAPHY[authority.region_gss]
            add((node, OFSTED.region, region))
            add((region, RDF.type, OFSTED.Region))
            add((region, RDFS.label, text(authority.region_name, "en")))
            add((region, OFSTED.gssCode, text(authority.region_gss)))
        for code in authority.statistical_neighbours:
            neighbour = by_la_code.get(code)
            if neighbour:
                add((node, OFSTED.statisticalNeighbour, iris.authority(neighbour.ofsted_urn, base)))
    return Triples(dict.fromkeys(graph))  # each triple once, as in a graph


def vocabulary_graph(paths: Iterable) -> Triples:
    """The triples of the ontology's Turtle files, each once."""
    triples: dict[str, None] = {}
    for path in paths:
        quads = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        triples.update(dict.fromkeys(f"{q.subject} {q.predicate} {q.object}" for q in quads))
    return Triples(triples)


def reference_graphs() -> dict[str, Triples]:
    """The vocabulary and the authority registry, each stored in a graph of its own."""
    from ofsted_kg.registry import load_registry
    from ofsted_kg.resources import ontology_files

    return {
        iris.vocabulary_graph(): vocabulary_graph(ontology_files()),
        iris.authorities_graph(): map_registry(load_registry()),
    }
