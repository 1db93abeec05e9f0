"""Plain dataclasses: what extraction produces and mapping consumes.

They know nothing of PDFs or RDF, so each stage can be tested on its own. Codes
(areas, grades, frameworks, kinds) are the ``skos:notation`` values of the
vocabularies in ``ontology/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Authority:
    """One entry of the authority registry (``ontology/authorities.csv``)."""

    ofsted_urn: str
    la_code: str
    gss_code: str
    name: str
    alternative_names: tuple[str, ...]
    region_gss: str
    region_name: str
    authority_type: str
    statistical_neighbours: tuple[str, ...]  # DfE LA codes


@dataclass(frozen=True)
class Document:
    """The text of one report, page by page (index 0 is page 1)."""

    file_name: str
    sha256: str
    pages: tuple[str, ...]
    metadata_date: date | None = None

    @property
    def page_count(self) -> int:
        return len(self.pages)


@dataclass(frozen=True)
class Judgement:
    area: str
    grade: str
    page: int


@dataclass(frozen=True)
class Problem:
    """Something in a report that could not be read with certainty, or does not conform.

    The report is stored with every fact that was read; the problem says what is missing
    or doubtful, where (page) and what text was seen, so a person can check it.
    """

    kind: str  # a notation of ontology/problems.ttl
    message: str
    page: int | None = None
    text: str = ""
    severity: str = "violation"  # or "warning": read, but worth a look


@dataclass(frozen=True)
class ServiceTag:
    """A service a text names (a notation of ontology/services.ttl) and the words matched."""

    service: str
    label: str


@dataclass(frozen=True)
class Recommendation:
    order: int
    text: str
    page: int
    services: tuple[ServiceTag, ...] = ()


@dataclass(frozen=True)
class EarlierInspection:
    """A mention of an earlier inspection: its year, and the grade if the text gives one."""

    year: int
    grade: str | None = None


@dataclass(frozen=True)
class Finding:
    """A paragraph of the report's findings (or its executive summary)."""

    section: str  # a notation of the sections scheme (ontology/findings.ttl)
    number: int | None  # the paragraph number as printed; None for unnumbered text
    text: str
    page: int
    area: str | None  # the judgement area the section reports on, if any
    polarity: str  # strength, area-for-improvement or mixed
    cues: tuple[str, ...] = ()  # the words that decided the polarity
    services: tuple[ServiceTag, ...] = ()
    earlier: tuple[EarlierInspection, ...] = ()


@dataclass
class Inspection:
    """Everything one report says about one inspection."""

    authority: Authority
    framework: str
    kind: str
    title: str
    start_date: date | None
    end_date: date | None
    published: date | None
    publication_basis: str | None  # "printed" or "pdf-metadata"
    lead_inspectors: list[str] = field(default_factory=list)
    judgements: list[Judgement] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    framework_version: str | None = None  # a notation of the framework-version scheme
    problems: list[Problem] = field(default_factory=list)
    # Printed forms of each lead inspector's name other than the first (accents, a
    # shortened first name), in the order of ``lead_inspectors``.
    inspector_variants: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class Report:
    """A document and the inspection it describes."""

    file_name: str
    sha256: str
    page_count: int
    inspection: Inspection


@dataclass(frozen=True)
class GradeClaim:
    """A grade an article says an authority was given, in its own words."""

    authority_urn: str
    area: str  # an area notation: overall-effectiveness, help-and-protection, ...
    grade: str
    earlier: bool = False  # a grade of an earlier inspection ('up from adequate in 2013')
    year: int | None = None  # the year the article gives for it, if any
    sentence: str = ""


@dataclass
class Article:
    """A secondary source: a news article or press release about inspections."""

    file_name: str
    sha256: str
    title: str
    date: date | None  # the date the article states, if it states one
    not_after: date | None  # the earliest date of its reader comments, if any
    authorities: list[Authority] = field(default_factory=list)
    claims: list[GradeClaim] = field(default_factory=list)
    findings: list[tuple[str, Finding]] = field(default_factory=list)  # (authority URN, finding)
    recommendations: list[tuple[str, Recommendation]] = field(default_factory=list)
    framework: str | None = None  # when the article's words name one (ILACS or SIF areas)
    mentioned_years: tuple[int, ...] = ()  # earlier inspections it mentions
    about_ofsted: bool = False  # whether it speaks of Ofsted or an inspection at all
