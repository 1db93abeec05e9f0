"""Build the graph: read -> extract -> map -> validate each report, then store it.

Reports are independent, so the CPU-bound part runs in worker processes; only the
main process writes to the store, one transaction per report. A report whose content
(SHA-256) is already stored is not read again.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ofsted_kg.config import base_iri
from ofsted_kg.errors import ExtractionError, OfstedKgError, ValidationError
from ofsted_kg.extract import extract_report
from ofsted_kg.extract.summary import extract_article
from ofsted_kg.mapping import iris, map_report
from ofsted_kg.mapping.article import article_iri, map_article
from ofsted_kg.mapping.graph import Triples, reference_graphs
from ofsted_kg.read import read_pdf
from ofsted_kg.read.text import TEXT_SUFFIXES, read_text
from ofsted_kg.reconcile import reconcile
from ofsted_kg.resources import authority_registry_file, ontology_files, update_files
from ofsted_kg.store import FLUSH_EVERY_BYTES, OxigraphStore, open_store
from ofsted_kg.validate import validate_triples

REPORT_SUFFIXES = {".pdf"} | TEXT_SUFFIXES


@dataclass
class Failure:
    file: str
    reason: str


@dataclass
class BuildSummary:
    ingested: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass
class Built:
    """What a worker sends back: the report's graph as N-Quads, or why it failed."""

    path: str
    graph: str | None = None
    nquads: bytes | None = None
    error: str | None = None


def find_reports(paths: Iterable[Path | str]) -> list[Path]:
    """Files named directly, and reports (.pdf) and articles (.txt, .md, .html) found in
    folders, recursively."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            # A folder's README describes the folder; it is no article (name it to build it).
            found.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES and p.stem.lower() != "readme"
            )
        else:
            found.append(path)
    return found


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _article(path: str) -> tuple[str, Triples]:
    """A secondary source (text, Markdown or HTML): its graph name and triples."""
    article = extract_article(read_text(path))
    if not article.claims and not article.findings:
        reason = ("names no Ofsted inspection of an authority in the registry"
                  if not article.authorities or not article.about_ofsted
                  else "states no Ofsted grade, finding or recommendation")
        raise ExtractionError(reason, Path(path).name)
    return article_iri(article), map_article(article)


def build_one(path: str, findings: bool = True) -> Built:
    """Read, extract, map and validate one report (runs in a worker process)."""
    try:
        if Path(path).suffix.lower() in TEXT_SUFFIXES:
            name, triples = _article(path)
            outcome = validate_triples(triples, keep_store=False)
            if not outcome.conforms:
                raise ValidationError(outcome.first_problem(), Path(path).name)
            return Built(path, name, triples.nquads(name))
        report = extract_report(read_pdf(path), findings=findings)
        triples = map_report(report)
        outcome = validate_triples(triples, keep_store=False)
        if not outcome.conforms:
            raise ValidationError(outcome.first_problem(), Path(path).name)
        inspection = report.inspection
        name = iris.report(inspection.authority.ofsted_urn, inspection.framework, inspection.start_date)
        return Built(path, str(name), triples.nquads(str(name)))
    except OfstedKgError as error:
        return Built(path, error=str(error) if error.subject else f"{Path(path).name}: {error}")
    except Exception as error:  # a bug must not stop the other reports
        return Built(path, error=f"{Path(path).name}: unexpected {type(error).__name__}: {error}")


def _results(paths: list[str], workers: int, findings: bool) -> Iterator[Built]:
    one = partial(build_one, findings=findings)
    if workers <= 1 or len(paths) <= 1:
        yield from map(one, paths)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(one, paths, chunksize=4)


def derivation_inputs() -> str:
    """SHA-256 of everything the reference graphs and the derived links are made from:
    the ontology, the registry, the updates, the code that maps and reconciles, the base
    IRI. When it changes, a build derives everything again even if no report is new."""
    from ofsted_kg import reconcile as reconciling
    from ofsted_kg import registry
    from ofsted_kg.mapping import graph

    digest = hashlib.sha256(base_iri().encode())
    for path in [*ontology_files(), authority_registry_file(), *update_files(),
                 *(Path(module.__file__) for module in (graph, registry, reconciling))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def derive_links(store: OxigraphStore) -> None:
    """Recompute what is derived across reports (queries/updates/*.ru)."""
    for path in update_files():
        text = path.read_text(encoding="utf-8")
        store.update(text.replace("BASE <https://w3id.org/ofsted-kg/id/>", f"BASE <{base_iri()}>"))


def build(
    paths: Iterable[Path | str],
    store: OxigraphStore | Path | str,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    findings: bool = True,
) -> BuildSummary:
    """Store every report found under ``paths``; one bad file never stops the others."""
    started = time.perf_counter()
    if not isinstance(store, OxigraphStore):
        store = open_store(store)
    summary = BuildSummary()
    known = store.known_digests()
    copies: dict[str, list[Path]] = {}  # first file of each content -> its other copies
    first_of: dict[str, str] = {}
    todo: list[str] = []
    for path in find_reports(paths):
        digest = _digest(path)
        if digest is None:
            summary.failed.append(Failure(str(path), f"{path.name}: cannot read the file"))
        elif digest in first_of:
            copies[first_of[digest]].append(path)
        elif digest in known:
            summary.unchanged.append(str(path))
        else:
            first_of[digest] = str(path)
            copies[str(path)] = []
            todo.append(str(path))
    if progress:
        progress(len(summary.unchanged) + len(summary.failed))
    # The reference graphs and the derived links are made again only when what they are
    # made from changed or a report was stored (storing one removes the mark): an
    # unchanged rebuild only hashes the files (deriving took 3 s on the corpus graph).
    inputs = derivation_inputs()
    if store.derived_from() != inputs:
        for name, graph in reference_graphs().items():
            store.replace_graph(name, graph.serialize(format="nt"))
    workers = workers or os.cpu_count() or 1
    for built in _results(todo, workers, findings):
        if built.error:
            summary.failed.append(Failure(built.path, built.error))
            reason = built.error.partition(": ")[2]
            for copy in copies[built.path]:
                summary.failed.append(Failure(str(copy), f"{copy.name}: {reason}"))
        else:
            try:
                store.put_graph(built.graph, built.nquads)
                summary.ingested.append(built.path)
                summary.unchanged.extend(
                    f"{copy} (same content as {Path(built.path).name})" for copy in copies[built.path]
                )
            except OfstedKgError as error:
                summary.failed.append(Failure(built.path, str(error)))
        if progress:
            progress(1 + len(copies[built.path]))
    if store.derived_from() != inputs:
        derive_links(store)
        reconcile(store)
        store.flush()
        if store.written >= FLUSH_EVERY_BYTES:  # a large build, not one report added
            store.optimize()
        store.mark_derived(inputs)
    summary.seconds = time.perf_counter() - started
    return summary
