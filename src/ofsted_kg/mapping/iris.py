"""Every IRI of an instance, and of a graph, is minted here, from facts in the document
(or the data file), never from file names.

The same report always gives the same IRIs, so rebuilding replaces rather than
duplicates. The base is configurable (``OFSTED_KG_BASE_IRI``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date

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


def report_of(report: Report, base: str | None = None) -> str:
    """The IRI of a report, which also names the graph that holds its facts."""
    urn, start = identity(report)
    return f"{base or base_iri()}report/{urn}/{report.inspection.framework}/{start}"


def inspection_of(report: Report, base: str | None = None) -> str:
    urn, start = identity(report)
    return f"{base or base_iri()}inspection/{urn}/{report.inspection.framework}/{start}"


def authority(urn: str, base: str | None = None) -> str:
    return f"{base or base_iri()}authority/{urn}"


def unknown_authority(name: str, base: str | None = None) -> str:
    """An authority a data file names that the registry lacks (for the shapes to report)."""
    return f"{base or base_iri()}authority/unknown/{name}"


def inspection(urn: str, framework: str, start: date, base: str | None = None) -> str:
    return f"{base or base_iri()}inspection/{urn}/{framework}/{start.isoformat()}"


def judgement(inspection_iri: str, area: str) -> str:
    return f"{inspection_iri}/judgement/{area}"


def recommendation(inspection_iri: str, order: int) -> str:
    return f"{inspection_iri}/recommendation/{order}"


def finding(inspection_iri: str, section: str, number: int | None, used: set[str]) -> str:
    """A finding by its paragraph number; a section's own where numbers restart (the LSCB
    review) and for unnumbered text (the executive summary)."""
    key = str(number) if number is not None else section
    if key in used:
        key = f"{section}-{number}" if number is not None else section
        suffix, base_key = 2, key
        while key in used:
            key, suffix = f"{base_key}-{suffix}", suffix + 1
    used.add(key)
    return f"{inspection_iri}/finding/{key}"


def problem(report_iri: str, number: int) -> str:
    return f"{report_iri}/problem/{number}"


def mention(node: str, year: int) -> str:
    """An earlier inspection a text mentions, by its year."""
    return f"{node}/mentions/{year}"


def service_mention(node: str, service: str) -> str:
    return f"{node}/service/{service}"


def source(sha256: str, base: str | None = None) -> str:
    """An article or a data file, by the digest of its bytes; an article's also names the
    graph that holds its claims."""
    return f"{base or base_iri()}source/{sha256}"


def row(source_iri: str, number: int) -> str:
    """A row of a CSV file, a source of its own."""
    return f"{source_iri}/row/{number}"


def row_inspection(row_iri: str) -> str:
    """The inspection of a CSV row whose authority, framework or start date is not known."""
    return f"{row_iri}/inspection"


def claimed_inspection(source_iri: str, urn: str, year: int | None) -> str:
    return f"{source_iri}/inspection/{urn}" + (f"/{year}" if year else "")


def claim(claimed: str, area: str) -> str:
    return f"{claimed}/claim/{area}"


def inspector(name: str, base: str | None = None) -> str:
    return f"{base or base_iri()}inspector/{_slug(name)}"


def person(name: str, base: str | None = None) -> str:
    """Someone who corrected the graph, by a digest of their name."""
    return f"{base or base_iri()}person/{hashlib.sha256(name.encode()).hexdigest()[:12]}"


def correction(finding: str, content: str) -> str:
    """A correction of a finding, by a digest of what it says, who made it and when."""
    return f"{finding}/correction/{hashlib.sha256(content.encode()).hexdigest()[:16]}"


def corrected_service(finding: str, service: str) -> str:
    return f"{finding}/correction/service/{service}"


def corrections_graph(base: str | None = None) -> str:
    return f"{base or base_iri()}graph/corrections"


def authorities_graph(base: str | None = None) -> str:
    return f"{base or base_iri()}graph/authorities"


def vocabulary_graph(base: str | None = None) -> str:
    return f"{base or base_iri()}graph/vocabulary"
