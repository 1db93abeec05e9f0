"""Text to facts: recognise the kind of report, then run that framework's extractor.

``detect`` reads the title on page 1; ``_KINDS`` gives each kind of report its title
and the function that reads its facts. Adding a framework means adding one module and
one line here. ``extract_article`` reads a secondary source. Other stages import from
here only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from ofsted_kg.errors import ExtractionError, OfstedKgError
from ofsted_kg.extract import ilacs, legacy, sif
from ofsted_kg.extract.authority import resolve_report_authority
from ofsted_kg.extract.common import Page1, name_variants
from ofsted_kg.extract.findings import extract_findings
from ofsted_kg.extract.headers import check_running_headers
from ofsted_kg.extract.services import tag_services
from ofsted_kg.extract.summary import extract_article
from ofsted_kg.extract.text import collapse
from ofsted_kg.facts import Document, Inspection, Report
from ofsted_kg.vocabulary import version_for

# The kinds of report: (title on the collapsed first page, framework, kind, the function
# that reads its facts). The first title that matches wins.
_KINDS: list[tuple[str, str, str, Callable[[Page1], dict]]] = [
    (r"Re-?inspection of services for children in need of help", "sif", "reinspection", sif.extract),
    (r"Inspection of services for children in need of help", "sif", "inspection", sif.extract),
    (r"Inspection of looked after children services", "lac", "inspection", legacy.extract_lac),
    (r"Inspection of safeguarding and looked after children services", "slac", "inspection",
     legacy.extract_slac),
    (r"arrangements for the protection of children", "child-protection", "inspection",
     legacy.extract_child_protection),
    (r"Joint targeted area inspection", "jtai", "inspection", legacy.extract_visit),
    (r"Inspection of children's social care services", "ilacs", "inspection", ilacs.extract),
    (r"Inspection of .{2,120}? children's services\b.{0,200}?Judgement", "ilacs", "inspection", ilacs.extract),
    # Titles that name a trust, or omit "local authority children's services", still
    # head an ILACS judgement table.
    (r"^\W{0,5}(?:\d{1,3}\s+)?Inspection of .{2,160}?\bInspection dates?\b.{0,400}?"
     r"\bJudgement\b.{0,200}?(?:experiences and progress|impact of leaders)", "ilacs", "inspection",
     ilacs.extract),
    (r"Focused visit (?:to|of)\b", "ilacs", "focused-visit", legacy.extract_visit),
    (r"Monitoring visit (?:to|of)\b", "ilacs", "monitoring-visit", legacy.extract_visit),
    (r"Review of the effectiveness of the Local Safeguarding Children Board", "sif", "lscb-review",
     sif.extract_lscb_review),
]
_TITLES = [(re.compile(pattern, re.I), framework, kind) for pattern, framework, kind, _ in _KINDS]
EXTRACTORS: dict[tuple[str, str], Callable[[Page1], dict]] = {
    (framework, kind): extractor for _, framework, kind, extractor in _KINDS}

_HEADING_END = re.compile(r"Inspection dates?|Judgement\b|Lead inspector|Dates? of|Dear\b", re.I)
# Some SIF re-inspection reports carry the ordinary title and say what they are in the
# introduction instead.
_REINSPECTION = re.compile(r"\bThis\s+is\s+a\s+re-?inspection\b", re.I)
#: Monitoring and focused visits before 2018 were carried out under SIF.
_ILACS_START = "2018-01-01"
#: The kinds of inspection that grade the areas of their framework version.
_GRADED_KINDS = ("inspection", "reinspection")
_COVER_TEXT = 20  # characters: fewer on a first page, and it is a cover, not the title page


__all__ = ["EXTRACTORS", "detect", "extract_article", "extract_report"]


def detect(first_page: str) -> tuple[str, str]:
    """(framework, kind) of a report from the title on its first page."""
    # Titles come first; reports mention other inspections (a JTAI, a focused visit)
    # further down the page. Letters put their subject after the address block.
    for pattern, framework, kind in _TITLES:
        region = first_page if kind in ("focused-visit", "monitoring-visit") else first_page[:500]
        if pattern.search(region):
            return framework, kind
    raise ExtractionError(
        "not an Ofsted children's services inspection report "
        f"(no known title on page 1: {first_page[:60]!r})"
    )


def extract_report(document: Document, findings: bool = True) -> Report:
    """All the facts of one report that can be read, and a problem for each that cannot.

    Raises ``ExtractionError`` naming the file only when the document is not an Ofsted
    inspection report at all: a report that is recognised is never refused, however
    little of it can be read. ``findings=False`` skips the paragraphs of findings
    (grades, dates and recommendations only), for a smaller, faster graph. A cover page
    without text before the report's first page is skipped; pages keep the PDF's numbers.
    """
    skip = _cover_pages(document)
    if not skip:
        return _extract(document, findings)
    report = _extract(replace(document, pages=document.pages[skip:]), findings)
    inspection = report.inspection
    inspection.judgements = [replace(j, page=j.page + skip) for j in inspection.judgements]
    inspection.recommendations = [replace(r, page=r.page + skip) for r in inspection.recommendations]
    inspection.findings = [replace(f, page=f.page + skip) for f in inspection.findings]
    inspection.problems = [replace(p, page=p.page + skip if p.page else None) for p in inspection.problems]
    return replace(report, page_count=document.page_count)


def _cover_pages(document: Document) -> int:
    """How many leading pages hold no text (a cover image), if a later page holds some."""
    for index, page in enumerate(document.pages):
        if len("".join(page.split())) >= _COVER_TEXT:
            return index
    return 0


def _extract(document: Document, findings: bool = True) -> Report:
    try:
        page1 = Page1(document)
        framework, kind = detect(page1.first)
    except OfstedKgError as error:
        raise ExtractionError(error.reason, document.file_name) from error
    if (framework, kind) == ("sif", "inspection") and _REINSPECTION.search(page1.flow.text[:12000]):
        kind = "reinspection"
    facts = EXTRACTORS[(framework, kind)](page1)
    end = _HEADING_END.search(page1.first)
    heading = page1.first[: end.start() if end and end.start() > 10 else 400]
    authority, problems = resolve_report_authority(heading, collapse(" ".join(document.pages[:3])))
    page1.problems.extend(problems)
    found = page1.attempt("findings", lambda: extract_findings(page1, framework), []) if findings else []
    dates = facts["dates"]
    start, end_date = dates if dates else (None, None)
    if framework == "ilacs" and kind == "inspection":
        page1.problems.extend(check_running_headers(document.pages, authority, dates))
    if kind in ("focused-visit", "monitoring-visit") and start and start.isoformat() < _ILACS_START:
        framework = "sif"
    published = facts["published"] or document.metadata_date
    basis = "printed" if facts["published"] else "pdf-metadata" if published else None
    version = version_for(framework, start) if start else None
    inspection = Inspection(
        authority=authority,
        framework=framework,
        kind=kind,
        title=heading.strip(),
        start_date=start,
        end_date=end_date,
        published=published,
        publication_basis=basis,
        lead_inspectors=facts["lead_inspectors"],
        judgements=facts["judgements"],
        recommendations=[replace(r, services=tuple(tag_services(r.text))) for r in facts["recommendations"]],
        findings=found,
        inspector_variants=name_variants("\n".join(document.pages), facts["lead_inspectors"]),
        framework_version=version.notation if version and kind in _GRADED_KINDS else None,
        problems=page1.problems,
    )
    return Report(document.file_name, document.sha256, document.page_count, inspection)
