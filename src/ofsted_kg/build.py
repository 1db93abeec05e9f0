"""Build the graph: read -> extract -> map -> validate each report, then store it.

Reports are independent, so the CPU-bound part runs in worker processes; only the
main process writes to the store, a report or a batch of new reports at a time (each whole
or not at all). With one worker the main process also maps and validates each report the
worker read, since it would otherwise wait for the worker most of the time. A report
whose content (SHA-256) is already stored and was read by this reader is not read again.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, partial
from importlib import metadata
from pathlib import Path

from ofsted_kg import corrections
from ofsted_kg.config import base_iri
from ofsted_kg.errors import ExtractionError, OfstedKgError, ReadError, ValidationError
from ofsted_kg.extract import extract_article, extract_report
from ofsted_kg.facts import Problem, Report
from ofsted_kg.loading import displaced
from ofsted_kg.mapping import Triples, article_iri, iris, map_article, map_report
from ofsted_kg.read import TEXT_SUFFIXES, file_sha256, read_pdf, read_text
from ofsted_kg.resources import authority_registry_file, ontology_files, shape_files
from ofsted_kg.store import OxigraphStore, Writer, open_store, write
from ofsted_kg.validate import validate_triples
from ofsted_kg.workers import Limits, run_all, too_large

REPORT_SUFFIXES = {".pdf"} | TEXT_SUFFIXES

# A build of many reports stores the new ones in batches of about 8 MB of N-Quads (some
# 20 reports; see ``Writer.add_graphs``): half the CPU of one transaction a report. A build
# of fewer is stored report by report, so that one killed keeps every report read before;
# so is a 1-worker build, whose worker waits while the main process loads a batch (its
# corpus build took 47-49 s with batches, 40-46 s without, two runs each).
BATCH_FROM_REPORTS = 64
BATCH_BYTES = 8 * 2**20


@dataclass
class Failure:
    file: str
    reason: str


@dataclass
class BuildSummary:
    ingested: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    # Files stored again because the reader that made their graph differs (an upgrade,
    # or --no-findings then a full build); each is in ``ingested`` too.
    reread: list[str] = field(default_factory=list)
    # Files stored with every fact that was read, and problems recorded against them.
    with_problems: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # one line each, for the user

    @property
    def ok(self) -> bool:
        return not self.failed and not self.with_problems


@dataclass
class Built:
    """What a worker sends back: the report's graph as N-Quads, or why it failed."""

    path: str
    graph: str | None = None
    nquads: bytes | None = None
    error: str | None = None
    problems: list[str] = field(default_factory=list)  # one line each: the violations recorded
    report: Report | None = None  # read but not yet mapped: the main process finishes it


def find_reports(paths: Iterable[Path | str]) -> list[Path]:
    """Files named directly, and reports (.pdf) and articles (.txt, .md, .html) found in
    folders, recursively."""
    return discover(paths)[0]


def discover(paths: Iterable[Path | str]) -> tuple[list[Path], list[Failure]]:
    """The files to build, and the folders that could not be searched (with why).

    Folders reached through symbolic links are searched too, each folder once (a link to
    a folder above it would otherwise loop for ever)."""
    found: list[Path] = []
    problems: list[Failure] = []
    seen: set[tuple[int, int]] = set()
    for path in map(Path, paths):
        if not path.is_dir():
            found.append(path)
            continue

        def unreadable(error: OSError) -> None:
            where = Path(str(error.filename))
            problems.append(Failure(str(where), f"{where}: the folder cannot be searched ({error.strerror})"))

        for folder, subfolders, files in os.walk(path, onerror=unreadable, followlinks=True):
            try:
                stat = os.stat(folder)
            except OSError:
                subfolders.clear()
                continue
            if (stat.st_dev, stat.st_ino) in seen:
                subfolders.clear()
                continue
            seen.add((stat.st_dev, stat.st_ino))
            subfolders.sort()
            for name in sorted(files):
                candidate = Path(folder, name)
                # A folder's README describes the folder; it is no article (name it to build it).
                if (candidate.suffix.lower() in REPORT_SUFFIXES and candidate.stem.lower() != "readme"
                        and candidate.is_file()):
                    found.append(candidate)
    return found, problems


def _digest(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except ReadError:
        return None


def _article(path: str, stamp: str | None = None) -> tuple[str, Triples]:
    """A secondary source (text, Markdown or HTML): its graph name and triples."""
    article = extract_article(read_text(path))
    if not article.claims and not article.findings:
        reason = ("names no Ofsted inspection of an authority in the registry"
                  if not article.authorities or not article.about_ofsted
                  else "states no Ofsted grade, finding or recommendation")
        raise ExtractionError(reason, Path(path).name)
    return article_iri(article), map_article(article, stamp=stamp)


def reader_stamp(findings: bool = True) -> str:
    """What made a report's graph: the package version, a digest of the code and data that
    reading depends on, and the options. A stored report whose stamp differs is read again."""
    return f"ofsted-kg {_version()}; reader {_reader_digest()}; {'findings' if findings else 'no-findings'}"


def _version() -> str:
    try:
        return metadata.version("ofsted-kg")
    except metadata.PackageNotFoundError:  # run from a source tree without installing
        return "unknown"


@cache
def _reader_digest() -> str:
    from ofsted_kg import extract, facts, mapping, read, registry, vocabulary

    files: list[Path] = []
    for package in (extract, read, mapping):
        files.extend(sorted(Path(package.__file__).parent.glob("*.py")))
    files.extend(sorted((Path(extract.__file__).parent / "models").glob("*.gz")))  # the findings model
    files.extend(Path(m.__file__) for m in (facts, registry, vocabulary))
    files.extend([*ontology_files(), authority_registry_file(), *shape_files()])
    digest = hashlib.sha256(base_iri().encode())
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _conformance_problems(outcome, read: list[Problem]) -> list[Problem]:
    """The shapes' violations, as problems recorded against the report; not those that say
    again what reading found (an area the table lacks, a reading problem itself)."""
    missing = " ".join(p.message for p in read if p.kind == "missing-area")
    found = []
    for violation in outcome.violations:
        value = (violation.value or violation.focus).strip("<>")
        constraint = violation.constraint or ""
        if constraint.endswith("Report-readingProblems>") or (
                constraint.endswith("Inspection-requiredAreas>") and value.rsplit("/", 1)[-1] in missing):
            continue
        found.append(Problem("does-not-conform", violation.message, None, value))
    return found


def build_one(path: str, findings: bool = True, stamp: str | None = None, finish: bool = True) -> Built:
    """Read, extract, map and validate one report (runs in a worker process); with
    ``finish=False``, a report (not an article) is returned as read, for ``finish_report``.

    A report that is recognised is stored with every fact that was read: what could not
    be read, and what does not conform to the shapes, is recorded in its graph as
    problems, and listed back to the caller."""
    def work() -> Built:
        if Path(path).suffix.lower() in TEXT_SUFFIXES:
            name, triples = _article(path, stamp)
            outcome = validate_triples(triples, keep_store=False)
            if not outcome.conforms:
                raise ValidationError(outcome.first_problem(), Path(path).name)
            return Built(path, name, triples.nquads(name))
        document = read_pdf(path)
        report = extract_report(document, findings=findings)
        # Only the worker is under the limits a file may cost: it finishes a report larger
        # than any Ofsted publishes (the largest of the corpus has 0.15 million characters).
        if finish or sum(map(len, document.pages)) > 2_000_000:
            return _finished(path, report, stamp)
        return Built(path, report=report)

    return _guarded(path, work)


def finish_report(built: Built, stamp: str | None = None) -> Built:
    """Map and validate a report a worker read with ``finish=False``."""
    report = built.report
    return built if report is None else _guarded(built.path, lambda: _finished(built.path, report, stamp))


def _finished(path: str, report: Report, stamp: str | None) -> Built:
    triples = map_report(report, stamp=stamp)
    outcome = validate_triples(triples, keep_store=False)
    if not outcome.conforms:
        report.inspection.problems.extend(_conformance_problems(outcome, report.inspection.problems))
        triples = map_report(report, stamp=stamp)
    name = str(iris.report_of(report))
    problems = [_problem_line(p) for p in report.inspection.problems if p.severity == "violation"]
    return Built(path, name, triples.nquads(name), problems=problems)


def _guarded(path: str, work: Callable[[], Built]) -> Built:
    """``work()``, or why it failed: one file's failure, even a bug, never stops the others."""
    try:
        return work()
    except OfstedKgError as error:
        return Built(path, error=str(error) if error.subject else f"{Path(path).name}: {error}")
    except MemoryError:
        return Built(path, error=f"{Path(path).name}: reading it needs more memory than a reader may use")
    except RecursionError:
        return Built(path, error=f"{Path(path).name}: the file is nested too deeply to read")
    except Exception as error:  # a bug must not stop the other reports
        return Built(path, error=f"{Path(path).name}: unexpected {type(error).__name__}: {error}")


def _problem_line(problem: Problem) -> str:
    where = f"page {problem.page}: " if problem.page else ""
    seen = f" ({problem.text[:80]!r})" if problem.text else ""
    return f"{where}{problem.message}{seen}"


def _results(paths: list[str], workers: int, findings: bool, limits: Limits,
             stamp: str | None = None) -> Iterator[Built]:
    """Each file built in a worker process under ``limits``, as each is done."""
    def failed(path: str, reason: str) -> Built:
        return Built(path, error=f"{Path(path).name}: {reason}")

    if paths:  # the shapes, loaded once before the workers fork
        validate_triples(Triples(), keep_store=False)
    # One worker cannot keep the main process busy: the main process then maps and
    # validates each report itself (a sixth of a worker's time); more workers can.
    work = partial(build_one, findings=findings, stamp=stamp, finish=workers > 1)
    return run_all(paths, work, failed, workers, limits)


def _second_copy(built: Built, holder: dict[str, str], summary: BuildSummary) -> bool:
    """Two files of one report (the same inspection, other bytes) settle on one stored copy
    whatever the order they are read in: the file first by path. True if ``built`` is
    the one not stored."""
    assert built.graph is not None
    other = holder.get(built.graph)
    holder[built.graph] = built.path if other is None else min(other, built.path)
    if other is None or other == built.path:
        return False
    keep, drop = sorted((other, built.path))
    summary.notes.append(f"{Path(drop).name} and {Path(keep).name} are the same report "
                         f"(<{built.graph}>); {Path(keep).name} is stored (first by path)")
    summary.unchanged.append(f"{drop} (the same report as {Path(keep).name})")
    if keep != built.path:
        return True
    # The one stored before (in this build, or an earlier one) is replaced.
    for listed in (summary.ingested, summary.unchanged):  # not listed yet if it waits in a batch
        if other in listed:
            listed.remove(other)
    return False



def build(
    paths: Iterable[Path | str],
    store: OxigraphStore | Path | str,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    findings: bool = True,
    limits: Limits | None = None,
) -> BuildSummary:
    """Store every report found under ``paths``; one bad file never stops the others."""
    started = time.perf_counter()
    if not isinstance(store, OxigraphStore):
        store = open_store(store)
    summary = BuildSummary()
    stamp = reader_stamp(findings)
    known = store.known_reports()
    holder: dict[str, str] = {}  # report graph -> the file of this build it is stored from
    copies: dict[str, list[Path]] = {}  # first file of each content -> its other copies
    first_of: dict[str, str] = {}
    replaces: dict[str, set[str]] = {}  # file read again -> the graphs its earlier reading made
    todo: list[str] = []
    limits = limits or Limits()
    files, unsearchable = discover(paths)
    summary.failed.extend(unsearchable)
    for path in files:
        if reason := too_large(path, limits):
            summary.failed.append(Failure(str(path), f"{path.name}: {reason}"))
            continue
        digest = _digest(path)
        if digest is None:
            summary.failed.append(Failure(str(path), f"{path.name}: cannot read the file"))
        elif digest in first_of:
            copies[first_of[digest]].append(path)
        elif digest in known and all(s == stamp for _, s in known[digest]):
            summary.unchanged.append(str(path))
            for graph, _ in known[digest]:
                holder.setdefault(graph, str(path))
        else:
            first_of[digest] = str(path)
            copies[str(path)] = []
            todo.append(str(path))
            if digest in known:  # never a loaded file's graph: it may hold other data
                replaces[str(path)] = {graph for graph, _ in known[digest] if "/graph/loaded/" not in graph}
    if progress:
        progress(len(summary.unchanged) + len(summary.failed))
    # Leaving ``write`` derives again only if a report was stored or what the derived
    # graphs are made from changed: an unchanged rebuild only hashes the files.
    workers = workers or os.cpu_count() or 1
    with write(store) as writer:
        _store_all(writer, _results(todo, workers, findings, limits, stamp), summary, holder, copies,
                   replaces, progress, stamp, len(todo) >= BATCH_FROM_REPORTS and workers > 1,
                   # Only ``load`` makes a loaded file's graph, and no load runs beside a build.
                   loaded_graphs=any("/graph/loaded/" in graph for graph in store.named_graphs()))
    for finding in corrections.waiting(store):
        summary.notes.append(f"a correction names {finding}, which the graph no longer holds (a new reader "
                             "may have given the paragraph a new IRI): make it again on the present one")
    summary.seconds = time.perf_counter() - started
    return summary


def _store_all(writer: Writer, results: Iterator[Built], summary: BuildSummary, holder: dict[str, str],
               copies: dict[str, list[Path]], replaces: dict[str, set[str]],
               progress: Callable[[int], None] | None, stamp: str, batches: bool, loaded_graphs: bool) -> None:
    batch: dict[str, Built] | None = {} if batches else None  # report graph -> its reading
    for built in results:
        built = finish_report(built, stamp)
        if built.error:
            summary.failed.append(Failure(built.path, built.error))
            reason = built.error.partition(": ")[2]
            for copy in copies[built.path]:
                summary.failed.append(Failure(str(copy), f"{copy.name}: {reason}"))
        elif _second_copy(built, holder, summary):  # not stored: nor are its copies
            summary.unchanged.extend(_copy_lines(built, copies))
        else:
            try:
                _store_one(writer, built, summary, copies, replaces, batch, loaded_graphs)
            except OfstedKgError as error:
                summary.failed.append(Failure(built.path, f"{Path(built.path).name}: {error}"))
        if batch and sum(len(b.nquads or b"") for b in batch.values()) >= BATCH_BYTES:
            _store_batch(writer, batch, summary, copies, replaces)
        if progress:
            progress(1 + len(copies[built.path]))
    if batch:
        _store_batch(writer, batch, summary, copies, replaces)


def _store_one(writer: Writer, built: Built, summary: BuildSummary, copies: dict[str, list[Path]],
               replaces: dict[str, set[str]], batch: dict[str, Built] | None, loaded_graphs: bool) -> None:
    """Store a report now, or add it to ``batch`` if it is a new graph and nothing else
    must change with it."""
    assert built.graph is not None and built.nquads is not None
    loaded, conflicts = displaced(writer.store, built.nquads) if loaded_graphs else ([], [])
    if conflicts:
        summary.unchanged.append(built.path)
        summary.notes.append(f"{Path(built.path).name} is not stored: a loaded file states otherwise an "
                             f"inspection it describes (unload <{conflicts[0]}> to store the report)")
        return
    # A second copy of a report waiting in the batch takes the first one's place there.
    waiting = batch.pop(built.graph, None) if batch is not None else None
    if waiting is not None:
        summary.unchanged.extend(_copy_lines(waiting, copies))
    if batch is not None and not loaded and built.path not in replaces and (
            waiting is not None or not writer.store.has_graph(built.graph)):
        batch[built.graph] = built
        return
    writer.change(loaded, [])  # what a loaded file said of the report's inspections, the report says
    writer.put_graph(built.graph, built.nquads)
    # A reading by an earlier reader may have named the report otherwise (an authority or
    # date it got wrong): that graph goes, in the same build.
    writer.drop_graphs(sorted(replaces.get(built.path, set()) - {built.graph}))
    _stored(built, summary, copies, replaces)


def _store_batch(writer: Writer, batch: dict[str, Built], summary: BuildSummary,
                 copies: dict[str, list[Path]], replaces: dict[str, set[str]]) -> None:
    failed = writer.add_graphs({graph: built.nquads or b"" for graph, built in batch.items()})
    for graph, built in batch.items():
        if graph in failed:
            summary.failed.append(Failure(built.path, f"{Path(built.path).name}: {failed[graph]}"))
        else:
            _stored(built, summary, copies, replaces)
    batch.clear()


def _stored(built: Built, summary: BuildSummary, copies: dict[str, list[Path]],
            replaces: dict[str, set[str]]) -> None:
    """Count a report the store now holds, and its copies."""
    summary.ingested.append(built.path)
    if built.path in replaces:
        summary.reread.append(built.path)
    if built.problems:
        summary.with_problems.append(Failure(
            built.path, f"{Path(built.path).name}: {len(built.problems)} problem"
            f"{'s' if len(built.problems) > 1 else ''}: {'; '.join(built.problems[:3])}"))
    summary.unchanged.extend(_copy_lines(built, copies))


def _copy_lines(built: Built, copies: dict[str, list[Path]]) -> list[str]:
    return [f"{copy} (same content as {Path(built.path).name})" for copy in copies[built.path]]
