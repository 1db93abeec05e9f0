"""Our vocabulary and the standard ones, as checked names (a typo fails loudly).

The one module that names namespace IRIs: the rest of the package takes them from here.
``OFSTED`` is made from ``ontology/ofsted.ttl`` when the package is imported: it has
every term the ontology defines, and any other name is an error, so the two cannot drift.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD, DefinedNamespace

from ofsted_kg.resources import data_dir

_OFSTED = "https://w3id.org/ofsted-kg/def#"
VOCABULARY = "https://w3id.org/ofsted-kg/def/"
SHAPES = "https://w3id.org/ofsted-kg/shapes/"
ONS_GEOGRAPHY = Namespace("http://statistics.data.gov.uk/id/statistical-geography/")


def _ontology_terms() -> list[str]:
    quads = ox.parse(path=str(data_dir("ontology") / "ofsted.ttl"), format=ox.RdfFormat.TURTLE)
    return sorted({q.subject.value[len(_OFSTED):] for q in quads
                   if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(_OFSTED)} - {""})


OFSTED = type("OFSTED", (DefinedNamespace,), {
    "__doc__": "Terms of ``ontology/ofsted.ttl``.", "_NS": Namespace(_OFSTED), "_fail": True,
    "__annotations__": dict.fromkeys(_ontology_terms(), URIRef)})


def concept(scheme: str, *notation: str) -> str:
    """A concept of a scheme of ours: ``concept("grade", "good")``,
    ``concept("area", "ilacs", "care-leavers")``."""
    return VOCABULARY + "/".join((scheme, *notation))


# The prefixes of our concept schemes, then of the standard vocabularies (named as their classes).
PREFIXES = {
    "ofsted": str(OFSTED._NS),
    **{scheme: f"{VOCABULARY}{scheme}/"
       for scheme in ("grade", "area", "framework", "kind", "service", "section", "polarity", "problem")},
    **{namespace.__name__.lower(): str(namespace)
       for namespace in (SKOS, DCTERMS, PROV, ORG, FOAF, XSD, RDFS, RDF, OWL)},
}

__all__ = ["DCTERMS", "FOAF", "OFSTED", "ONS_GEOGRAPHY", "ORG", "OWL", "PREFIXES", "PROV", "RDF", "RDFS", "SH",
           "SHAPES", "SKOS", "VOCABULARY", "XSD", "concept"]
