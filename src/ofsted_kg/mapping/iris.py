"""Every instance IRI is minted here, from facts in the document, never from file names.

The same report always gives the same IRIs, so rebuilding replaces rather than
duplicates. The base is configurable (``OFSTED_KG_BASE_IRI``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from rdflib import URIRef

from ofsted_kg.config import base_iri
from ofsted_kg.facts import Report


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def identity(report: Report) -> tuple[str, str]:
    """The report's inspection as (authority key, start key) for its IRIs: the Ofsted URN
    and the start date, or, where either could not be read, a key made from the file's
    digest, so that a report read in part is stored under an IRI of its own."""
    inspection = report.inspection
    urn = inspection.authority.ofsted_urn if inspection.authority else f"unresolved-{report.sha256[:12]}"
    start = inspection.start_date.isoformat() if inspection.start_date else f"undated-{report.sha256[:12]}"
    return urn, start


def report_of(report: Report, base: str | None = None) -> URIRef:
    """The IRI of a report, which also names the graph that holds its facts."""
    urn, start = identity(report)
    return URIRef(f"{base or base_iri()}report/{urn}/{report.inspection.framework}/{start}")


def inspection_of(report: Report, base: str | None = None) -> URIRef:
    urn, start = identity(report)
    return URIRef(f"{base or base_iri()}inspection/{urn}/{report.inspection.framework}/{start}")


def authority(urn: str, base: str | None = None) -> URIRef:
    return URIRef(f"{base or base_iri()}authority/{urn}")


def inspection(urn: str, framework: str, start: date, base: str | None = None) -> URIRef:
    return URIRef(f"{base or base_iri()}inspection/{urn}/{framework}/{start.isoformat()}")


def judgement(inspection_iri: URIRef, area: str) -> URIRef:
    return URIRef(f"{inspection_iri}/judgement/{area}")


def recommendation(inspection_iri: URIRef, order: int) -> URIRef:
    return URIRef(f"{inspection_iri}/recommendation/{order}")


def finding(inspection_iri: URIRef, section: str, number: int | None, used: set[str]) -> URIRef:
    """A finding by its paragraph number; a section's own where numbers restart (the LSCB
    review) and for unnumbered text (the executive summary)."""
    key = str(number) if number is not None else section
    if key in used:
        key = f"{section}-{number}" if number is not None else section
        suffix, base_key = 2, key
        while key in used:
            key, suffix = f"{base_key}-{suffix}", suffix + 1
    used.add(key)
    return URIRef(f"{inspection_iri}/finding/{key}")


def report(urn: str, framework: str, start: date, base: str | None = None) -> URIRef:
    """The report, which is also the name of the graph that holds its facts."""
    return URIRef(f"{base or base_iri()}report/{urn}/{framework}/{start.isoformat()}")


def inspector(name: str, base: str | None = None) -> URIRef:
    return URIRef(f"{base or base_iri()}inspector/{_slug(name)}")


def authorities_graph(base: str | None = None) -> URIRef:
    return URIRef(f"{base or base_iri()}graph/authorities")


def vocabulary_graph(base: str | None = None) -> URIRef:
    return URIRef(f"{base or base_iri()}graph/vocabulary")


def loaded_graph(file_name: str, base: str | None = None) -> URIRef:
    """The graph that holds a data file added with ``load``: loading it again replaces it."""
    return URIRef(f"{base or base_iri()}graph/loaded/{_slug(file_name)}")
