"""Our vocabulary and the standard ones, as checked names (a typo fails loudly)."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

VOCABULARY = "https://w3id.org/ofsted-kg/def/"
ONS_GEOGRAPHY = Namespace("http://statistics.data.gov.uk/id/statistical-geography/")


class OFSTED(DefinedNamespace):
    """Terms of ``ontology/ofsted.ttl``."""

    _NS = Namespace("https://w3id.org/ofsted-kg/def#")
    _fail = True

    Authority: URIRef
    Region: URIRef
    Inspection: URIRef
    Judgement: URIRef
    Report: URIRef
    Recommendation: URIRef
    Finding: URIRef
    Article: URIRef
    ClaimedInspection: URIRef
    GradeClaim: URIRef
    ServiceMention: URIRef
    InspectionMention: URIRef
    Section: URIRef
    Polarity: URIRef
    Service: URIRef
    Framework: URIRef
    InspectionKind: URIRef
    JudgementArea: URIRef
    Grade: URIRef
    DateBasis: URIRef
    ofstedUrn: URIRef
    laCode: URIRef
    gssCode: URIRef
    statisticalGeography: URIRef
    region: URIRef
    statisticalNeighbour: URIRef
    localAuthorityType: URIRef
    authority: URIRef
    framework: URIRef
    inspectionKind: URIRef
    startDate: URIRef
    endDate: URIRef
    leadInspector: URIRef
    describedIn: URIRef
    judgement: URIRef
    recommendation: URIRef
    inspection: URIRef
    area: URIRef
    grade: URIRef
    order: URIRef
    page: URIRef
    concernsService: URIRef
    finding: URIRef
    section: URIRef
    paragraph: URIRef
    polarity: URIRef
    polarityCues: URIRef
    serviceMention: URIRef
    service: URIRef
    matchedLabel: URIRef
    mentionsInspection: URIRef
    year: URIRef
    refersTo: URIRef
    claimedInspection: URIRef
    claim: URIRef
    areaNotation: URIRef
    quotedText: URIRef
    notAfter: URIRef
    sameInspectionAs: URIRef
    fileName: URIRef
    sha256: URIRef
    pageCount: URIRef
    publicationDateBasis: URIRef
    rank: URIRef
    gradeScale: URIRef
    areaScheme: URIRef
    validFrom: URIRef
    validUntil: URIRef
    FrameworkVersion: URIRef
    ReadingProblem: URIRef
    ProblemKind: URIRef
    ServiceProvider: URIRef
    appliesFrom: URIRef
    appliesUntil: URIRef
    frameworkVersion: URIRef
    problem: URIRef
    problemKind: URIRef
    severity: URIRef
    textSeen: URIRef
    extractedWith: URIRef
    providesServicesFor: URIRef


def framework_iri(notation: str) -> URIRef:
    return URIRef(f"{VOCABULARY}framework/{notation}")


def kind_iri(notation: str) -> URIRef:
    return URIRef(f"{VOCABULARY}kind/{notation}")


def grade_iri(notation: str) -> URIRef:
    return URIRef(f"{VOCABULARY}grade/{notation}")


def area_iri(framework: str, notation: str) -> URIRef:
    return URIRef(f"{VOCABULARY}area/{framework}/{notation}")


def service_iri(notation: str) -> URIRef:
    return URIRef(f"{VOCABULARY}service/{notation}")


def section_iri(notation: str) -> URIRef:
    return URIRef(f"{VOCABULARY}section/{notation}")


def polarity_iri(notation: str) -> URIRef:
    return URIRef(f"{VOCABULARY}polarity/{notation}")


def framework_version_iri(notation: str) -> URIRef:
    return URIRef(f"{VOCABULARY}framework-version/{notation}")


def problem_kind_iri(notation: str) -> URIRef:
    return URIRef(f"{VOCABULARY}problem/{notation}")


def date_basis_iri(notation: str) -> URIRef:
    return URIRef(f"{VOCABULARY}date-basis/{notation}")


PREFIXES = {
    "ofsted": str(OFSTED._NS),
    "grade": f"{VOCABULARY}grade/",
    "area": f"{VOCABULARY}area/",
    "framework": f"{VOCABULARY}framework/",
    "kind": f"{VOCABULARY}kind/",
    "service": f"{VOCABULARY}service/",
    "section": f"{VOCABULARY}section/",
    "polarity": f"{VOCABULARY}polarity/",
    "problem": f"{VOCABULARY}problem/",
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "foaf": str(FOAF),
    "xsd": str(XSD),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "owl": str(OWL),
}
