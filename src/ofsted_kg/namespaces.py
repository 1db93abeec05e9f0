"""Our vocabulary and the standard ones, as checked names (a typo fails loudly).

The one module that names namespace IRIs: the rest of the package takes them from here.
``OFSTED`` declares every term ``ontology/*.ttl`` defines in the ``ofsted:`` namespace,
classes then properties, each sorted; tests/test_layout.py holds the two to each other
(run it after adding a term to the ontology, and add the term here).
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD, DefinedNamespace

VOCABULARY = "https://w3id.org/ofsted-kg/def/"
SHAPES = "https://w3id.org/ofsted-kg/shapes/"
ONS_GEOGRAPHY = Namespace("http://statistics.data.gov.uk/id/statistical-geography/")


class OFSTED(DefinedNamespace):
    """Terms of ``ontology/ofsted.ttl`` (and ``changes.ttl``)."""

    _NS = Namespace("https://w3id.org/ofsted-kg/def#")
    _fail = True

    Article: URIRef
    Authority: URIRef
    ClaimedInspection: URIRef
    Correction: URIRef
    DateBasis: URIRef
    Finding: URIRef
    Framework: URIRef
    FrameworkVersion: URIRef
    Grade: URIRef
    GradeChange: URIRef
    GradeClaim: URIRef
    Inspection: URIRef
    InspectionKind: URIRef
    InspectionMention: URIRef
    Judgement: URIRef
    JudgementArea: URIRef
    Polarity: URIRef
    ProblemKind: URIRef
    ReadingProblem: URIRef
    Recommendation: URIRef
    Region: URIRef
    Report: URIRef
    Section: URIRef
    Service: URIRef
    ServiceMention: URIRef
    ServiceProvider: URIRef

    addedService: URIRef
    appliesFrom: URIRef
    appliesUntil: URIRef
    area: URIRef
    areaNotation: URIRef
    areaScheme: URIRef
    authority: URIRef
    claim: URIRef
    claimedInspection: URIRef
    comparableArea: URIRef
    concernsService: URIRef
    correctedPolarity: URIRef
    corrects: URIRef
    describedIn: URIRef
    endDate: URIRef
    extractedWith: URIRef
    fileName: URIRef
    finding: URIRef
    framework: URIRef
    frameworkVersion: URIRef
    grade: URIRef
    gradeScale: URIRef
    gssCode: URIRef
    inspection: URIRef
    inspectionKind: URIRef
    judgement: URIRef
    laCode: URIRef
    latestFrom: URIRef
    leadInspector: URIRef
    localAuthorityType: URIRef
    matchedLabel: URIRef
    mentionsInspection: URIRef
    notAfter: URIRef
    ofstedUrn: URIRef
    order: URIRef
    overallGrade: URIRef
    page: URIRef
    pageCount: URIRef
    paragraph: URIRef
    polarity: URIRef
    polarityCues: URIRef
    previousGradedInspection: URIRef
    problem: URIRef
    problemKind: URIRef
    providesServicesFor: URIRef
    publicationDateBasis: URIRef
    quotedText: URIRef
    rank: URIRef
    recommendation: URIRef
    refersTo: URIRef
    region: URIRef
    rejectedService: URIRef
    removedService: URIRef
    requiredArea: URIRef
    sameInspectionAs: URIRef
    section: URIRef
    service: URIRef
    serviceMention: URIRef
    setPolarity: URIRef
    severity: URIRef
    sha256: URIRef
    startDate: URIRef
    statisticalGeography: URIRef
    statisticalNeighbour: URIRef
    supersededOn: URIRef
    textSeen: URIRef
    validFrom: URIRef
    validUntil: URIRef
    year: URIRef


def concept(scheme: str, *notation: str) -> str:
    """A concept of a scheme of ours: ``concept("grade", "good")``,
    ``concept("area", "ilacs", "care-leavers")``."""
    return VOCABULARY + "/".join((scheme, *notation))


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

__all__ = ["DCTERMS", "FOAF", "OFSTED", "ONS_GEOGRAPHY", "ORG", "OWL", "PREFIXES", "PROV", "RDF", "RDFS", "SH",
           "SHAPES", "SKOS", "VOCABULARY", "XSD", "concept"]
