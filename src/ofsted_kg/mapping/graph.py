"""Turn facts into RDF under the ontology in ``ontology/``: a report's triples, the registry
and the vocabulary graphs."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SH, SKOS, XSD

from ofsted_kg.facts import Authority, Report
from ofsted_kg.mapping import iris
from ofsted_kg.namespaces import (
    OFSTED,
    ONS_GEOGRAPHY,
    PREFIXES,
    area_iri,
    date_basis_iri,
    framework_iri,
    framework_version_iri,
    grade_iri,
    kind_iri,
    polarity_iri,
    problem_kind_iri,
    section_iri,
    service_iri,
)


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    return graph


class Triples(list):
    """The triples of a report as pyoxigraph terms, which the validator and the store take
    as they are. Built directly: rdflib terms cost more to make than everything else
    that mapping does."""

    def add(self, triple: tuple) -> None:
        s, p, o = triple
        self.append(ox.Triple(_node(s), _node(p), o if isinstance(o, (ox.Literal, ox.NamedNode)) else _node(o)))

    def nquads(self, graph: str) -> bytes:
        """The triples as N-Quads in the named graph ``graph``."""
        name = ox.NamedNode(graph)
        return ox.serialize((ox.Quad(t.subject, t.predicate, t.object, name) for t in self),
                            format=ox.RdfFormat.N_QUADS) or b""


@lru_cache(maxsize=4096)
def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


_XSD_INTEGER = ox.NamedNode(str(XSD.integer))
_XSD_DATE = ox.NamedNode(str(XSD.date))


def _text(value: str) -> ox.Literal:
    return ox.Literal(value)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(int(value)), datatype=_XSD_INTEGER)


def _date(value) -> ox.Literal:
    return ox.Literal(value.isoformat(), datatype=_XSD_DATE)


def map_report(report: Report, base: str | None = None, stamp: str | None = None) -> Triples:
    """The triples of one report: its Report, Inspection, Judgements, Recommendations,
    Findings and the problems met reading it. ``stamp`` records the reader that made them."""
    inspection = report.inspection
    graph = Triples()
    add = graph.add
    report_iri = iris.report_of(report, base)
    inspection_iri = iris.inspection_of(report, base)

    add((report_iri, RDF.type, OFSTED.Report))
    add((report_iri, DCTERMS.title, _text(inspection.title)))
    add((report_iri, OFSTED.fileName, _text(report.file_name)))
    add((report_iri, OFSTED.sha256, _text(report.sha256)))
    add((report_iri, OFSTED.pageCount, _int(report.page_count)))
    add((report_iri, DCTERMS.format, _text("application/pdf")))
    add((report_iri, PROV.wasGeneratedBy, inspection_iri))
    if stamp:
        add((report_iri, OFSTED.extractedWith, _text(stamp)))
    if inspection.published:
        add((report_iri, DCTERMS.issued, _date(inspection.published)))
        add((report_iri, OFSTED.publicationDateBasis, date_basis_iri(inspection.publication_basis)))
    for number, problem in enumerate(inspection.problems, start=1):
        node = URIRef(f"{report_iri}/problem/{number}")
        add((report_iri, OFSTED.problem, node))
        add((node, RDF.type, OFSTED.ReadingProblem))
        add((node, OFSTED.problemKind, problem_kind_iri(problem.kind)))
        add((node, OFSTED.severity, SH.Violation if problem.severity == "violation" else SH.Warning))
        add((node, RDFS.comment, _text(problem.message)))
        add((node, OFSTED.textSeen, _text(problem.text[:500])))
        if problem.page:
            add((node, OFSTED.page, _int(problem.page)))

    add((inspection_iri, RDF.type, OFSTED.Inspection))
    name = inspection.authority.name if inspection.authority else "Unresolved authority"
    if inspection.authority:
        add((inspection_iri, OFSTED.authority, iris.authority(inspection.authority.ofsted_urn, base)))
    add((inspection_iri, OFSTED.framework, framework_iri(inspection.framework)))
    if inspection.framework_version:
        add((inspection_iri, OFSTED.frameworkVersion, framework_version_iri(inspection.framework_version)))
    add((inspection_iri, OFSTED.inspectionKind, kind_iri(inspection.kind)))
    if inspection.start_date and inspection.end_date:
        add((inspection_iri, OFSTED.startDate, _date(inspection.start_date)))
        add((inspection_iri, OFSTED.endDate, _date(inspection.end_date)))
    add((inspection_iri, OFSTED.describedIn, report_iri))
    add((inspection_iri, RDFS.label, _text(
        f"{name} {inspection.framework.upper()} {inspection.kind} "
        f"{inspection.start_date.isoformat() if inspection.start_date else 'undated'}")))
    for name in inspection.lead_inspectors:
        person = iris.inspector(name, base)
        add((inspection_iri, OFSTED.leadInspector, person))
        add((person, RDF.type, PROV.Person))
        add((person, FOAF.name, _text(name)))
        for printed in inspection.inspector_variants.get(name, ()):
            add((person, RDFS.label, _text(printed)))

    for judgement in inspection.judgements:
        node = iris.judgement(inspection_iri, judgement.area)
        add((inspection_iri, OFSTED.judgement, node))
        add((node, RDF.type, OFSTED.Judgement))
        add((node, OFSTED.inspection, inspection_iri))
        add((node, OFSTED.area, area_iri(inspection.framework, judgement.area)))
        add((node, OFSTED.grade, grade_iri(judgement.grade)))
        add((node, OFSTED.page, _int(judgement.page)))
        add((node, PROV.wasDerivedFrom, report_iri))

    for item in inspection.recommendations:
        node = iris.recommendation(inspection_iri, item.order)
        add((inspection_iri, OFSTED.recommendation, node))
        add((node, RDF.type, OFSTED.Recommendation))
        add((node, OFSTED.section, section_iri("what-needs-to-improve")))
        _add_services(graph, node, item.services)
        add((node, OFSTED.inspection, inspection_iri))
        add((node, OFSTED.order, _int(item.order)))
        add((node, DCTERMS.description, _text(item.text)))
        add((node, OFSTED.page, _int(item.page)))
        add((node, PROV.wasDerivedFrom, report_iri))

    _add_findings(graph, inspection, inspection_iri, report_iri)
    return graph


# The terms findings and service mentions are written with, as pyoxigraph nodes made once.
_F = {name: _node(OFSTED[name]) for name in (
    "finding", "inspection", "section", "paragraph", "page", "area", "polarity", "polarityCues",
    "concernsService", "serviceMention", "service", "matchedLabel", "mentionsInspection", "year", "grade",
    "Finding", "ServiceMention", "InspectionMention")} | {
    "type": _node(RDF.type), "description": _node(DCTERMS.description), "derivedFrom": _node(PROV.wasDerivedFrom)}


def _add_findings(graph: Triples, inspection, inspection_iri: URIRef, report_iri: URIRef) -> None:
    """Findings as pyoxigraph triples made here, not through ``Triples.add``: a corpus has
    25,000 of them, and making rdflib terms for each cost more than tagging them."""
    t, n, f, used = ox.Triple, _node, _F, set()
    inspection_node, report_node = n(inspection_iri), n(report_iri)
    for finding in inspection.findings:
        node = ox.NamedNode(str(iris.finding(inspection_iri, finding.section, finding.number, used)))
        graph += [t(inspection_node, f["finding"], node), t(node, f["type"], f["Finding"]),
                  t(node, f["inspection"], inspection_node),
                  t(node, f["section"], n(section_iri(finding.section)))]
        if finding.number is not None:
            graph.append(t(node, f["paragraph"], _int(finding.number)))
        graph += [t(node, f["description"], _text(finding.text)), t(node, f["page"], _int(finding.page))]
        if finding.area:
            graph.append(t(node, f["area"], n(area_iri(inspection.framework, finding.area))))
        graph += [t(node, f["polarity"], n(polarity_iri(finding.polarity))),
                  t(node, f["polarityCues"], _text(" ".join(finding.cues))),
                  t(node, f["derivedFrom"], report_node)]
        _add_services(graph, node, finding.services)
        for earlier in finding.earlier:
            mention = ox.NamedNode(f"{node.value}/mentions/{earlier.year}")
            graph += [t(node, f["mentionsInspection"], mention), t(mention, f["type"], f["InspectionMention"]),
                      t(mention, f["year"], _int(earlier.year))]
            if earlier.grade:
                graph.append(t(mention, f["grade"], n(grade_iri(earlier.grade))))


def _add_services(graph: Triples, node: URIRef | ox.NamedNode, services) -> None:
    """The services a text names, each with the words that matched (why it was tagged)."""
    t, f, node = ox.Triple, _F, _node(node) if isinstance(node, URIRef) else node
    for tag in services:
        service = _node(service_iri(tag.service))
        mention = ox.NamedNode(f"{node.value}/service/{tag.service}")
        graph += [t(node, f["concernsService"], service), t(node, f["serviceMention"], mention),
                  t(mention, f["type"], f["ServiceMention"]), t(mention, f["service"], service),
                  t(mention, f["matchedLabel"], _text(tag.label))]


def map_registry(authorities: Iterable[Authority], base: str | None = None) -> Graph:
    """The authorities graph: codes, names, region, ONS geography, statistical neighbours."""
    authorities = list(authorities)
    by_la_code = {a.la_code: a for a in authorities}
    graph = new_graph()
    add = graph.add
    for authority in authorities:
        node = iris.authority(authority.ofsted_urn, base)
        add((node, RDF.type, OFSTED.Authority))
        add((node, SKOS.prefLabel, Literal(authority.name, lang="en")))
        add((node, RDFS.label, Literal(authority.name, lang="en")))
        for name in authority.alternative_names:
            add((node, SKOS.altLabel, Literal(name, lang="en")))
        add((node, OFSTED.ofstedUrn, Literal(authority.ofsted_urn)))
        add((node, OFSTED.laCode, Literal(authority.la_code)))
        if authority.gss_code:
            add((node, OFSTED.gssCode, Literal(authority.gss_code)))
            add((node, OFSTED.statisticalGeography, ONS_GEOGRAPHY[authority.gss_code]))
        if authority.authority_type:
            add((node, OFSTED.localAuthorityType, Literal(authority.authority_type)))
        if authority.region_gss:
            region = ONS_GEOGRAPHY[authority.region_gss]
            add((node, OFSTED.region, region))
            add((region, RDF.type, OFSTED.Region))
            add((region, RDFS.label, Literal(authority.region_name, lang="en")))
            add((region, OFSTED.gssCode, Literal(authority.region_gss)))
        for code in authority.statistical_neighbours:
            neighbour = by_la_code.get(code)
            if neighbour:
                add((node, OFSTED.statisticalNeighbour, iris.authority(neighbour.ofsted_urn, base)))
    return graph


def vocabulary_graph(paths: Iterable) -> Graph:
    graph = new_graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def reference_graphs() -> dict[str, Graph]:
    """The vocabulary and the authority registry, each stored in a graph of its own."""
    from ofsted_kg.registry import load_registry
    from ofsted_kg.resources import ontology_files

    return {
        str(iris.vocabulary_graph()): vocabulary_graph(ontology_files()),
        str(iris.authorities_graph()): map_registry(load_registry()),
    }


__all__ = ["reference_graphs", "map_registry", "map_report", "new_graph", "vocabulary_graph", "URIRef"]
