"""The ``ofsted-kg`` command line: thin commands over the library.

Results go to stdout; progress, summaries and errors to stderr. Exit codes: 0 done,
1 ran but the answer is no (some files failed, data does not conform), 2 could not
do the job (bad usage, unreadable store, unknown query).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import click
import pyoxigraph as ox

from ofsted_kg import __version__
from ofsted_kg.config import default_store_path
from ofsted_kg.errors import OfstedKgError
from ofsted_kg.formats import GRAPHS, RESULTS, SERVED_GRAPHS, names

if TYPE_CHECKING:
    from ofsted_kg.store import Store

def _default_store(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    return value or default_store_path()


store_option = click.option(
    "--store", "store_path", type=click.Path(path_type=Path), default=None, callback=_default_store,
    help="Folder of the graph store [default: $OFSTED_KG_STORE or ./ofsted-kg-store].",
)


class _Commands(click.Group):
    """Every command turns the package's errors into one line on stderr and exit status 2
    (``--debug`` shows the traceback instead)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OfstedKgError as error:
            if ctx.params.get("debug"):
                raise
            click.echo(f"Error: {error}", err=True)
            sys.exit(2)


@click.group(cls=_Commands)
@click.version_option(__version__, prog_name="ofsted-kg")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
def main(debug: bool) -> None:
    """Turn Ofsted children's services inspection reports into a validated RDF graph."""
    from ofsted_kg.config import base_iri

    base_iri()  # a bad setting is one line now, not an error in every file later


def _progress(length: int, label: str) -> Any:
    """A progress bar on a terminal; nothing where stderr is a log."""
    if sys.stderr.isatty():
        return click.progressbar(length=length, label=label, file=sys.stderr, show_pos=True)
    return contextlib.nullcontext(SimpleNamespace(update=lambda n: None))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@store_option
@click.option("--workers", "-j", type=int, default=None,
              help="Worker processes [default: number of cores].")
@click.option("--no-findings", is_flag=True,
              help="Keep only grades, dates and recommendations (no paragraphs of findings).")
@click.option("--file-seconds", type=click.IntRange(1), default=120, show_default=True,
              help="Longest a file may take to read; a file that takes longer fails.")
@click.option("--file-memory", "file_memory", type=click.IntRange(64), default=1536, show_default=True,
              metavar="MB", help="Memory a file's reader may use; a file that needs more fails.")
@click.option("--max-file-size", "max_file_size", type=click.IntRange(1), default=200, show_default=True,
              metavar="MB", help="Larger files are not read (they fail).")
def build(paths: tuple[Path, ...], store_path: Path, workers: int | None, no_findings: bool,
          file_seconds: int, file_memory: int, max_file_size: int) -> None:
    """Build the graph from report PDFs (folders are searched recursively, following links).

    Each file is read in a worker process under the limits below, so no file can stop
    the build: a file that breaks one fails with the reason, and the others are stored.

    Example: ofsted-kg build ~/Downloads/ofsted --store graph
    """
    from ofsted_kg.build import build as run_build
    from ofsted_kg.build import find_reports
    from ofsted_kg.workers import Limits

    total = len(find_reports(paths))
    with _progress(total, "Building") as bar:
        summary = run_build(paths, store_path, workers=workers, progress=bar.update,
                            findings=not no_findings, limits=Limits(file_seconds, file_memory, max_file_size))
    reread = f" ({len(summary.reread)} re-read by a new reader)" if summary.reread else ""
    click.echo(f"{len(summary.ingested)} ingested{reread}, {len(summary.with_problems)} stored with problems, "
               f"{len(summary.unchanged)} unchanged, {len(summary.failed)} failed in {summary.seconds:.1f} s "
               f"(store: {store_path})", err=True)
    for stored in summary.with_problems:
        click.echo(f"stored with problems: {stored.reason}", err=True)
    for failure in summary.failed:
        click.echo(f"failed: {failure.reason}", err=True)
    for note in summary.notes:
        click.echo(f"note: {note}", err=True)
    _refresh_search(store_path)
    sys.exit(0 if summary.ok else 1)


@main.command()
@store_option
@click.option("--format", "fmt", default="turtle", show_default=True,
              type=click.Choice(names(GRAPHS)))
@click.option("--authority", default=None, help="Only this authority (name, URN, LA or GSS code).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write to this file instead of stdout.")
def export(store_path: Path, fmt: str, authority: str | None, output: Path | None) -> None:
    """Write the whole graph (or one authority's) in an RDF format.

    Example: ofsted-kg export --format turtle -o ofsted.ttl
    """
    from ofsted_kg.export import export as run_export
    from ofsted_kg.store import open_store

    store = open_store(store_path, read_only=True)
    if output and str(output) != "-":
        with output.open("wb") as handle:
            count = run_export(store, fmt, handle, authority)
        click.echo(f"{count} triples written to {output}", err=True)
    else:
        run_export(store, fmt, sys.stdout.buffer, authority)


@main.command()
@store_option
def stats(store_path: Path) -> None:
    """Count authorities, inspections by framework, judgements and reports.

    Example: ofsted-kg stats
    """
    from ofsted_kg.resources import data_dir
    from ofsted_kg.store import open_store

    store = open_store(store_path, read_only=True)
    for row in store.query((data_dir("queries") / "stats.rq").read_text(encoding="utf-8")):
        click.echo(f"{row['label'].value:<32} {row['count'].value:>6}")


def _parse_params(params: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.UsageError(f"--param takes NAME=VALUE, not {item!r}")
        try:
            item.encode("utf-8")
        except UnicodeEncodeError as error:  # a byte the terminal's encoding could not decode
            byte = ord(item[error.start]) & 0xFF
            raise click.UsageError(f"--param {key.strip()}: not UTF-8 text (byte 0x{byte:02x})") from error
        values[key.strip()] = value
    return values


def _write_results(results: Any, fmt: str | None, raw_csv: bool = False) -> None:
    from ofsted_kg.results import write_results

    fmt = fmt or ("table" if sys.stdout.isatty() else "csv")
    write_results(results, fmt, sys.stdout, raw_csv=raw_csv)


raw_csv_option = click.option(
    "--raw-csv", is_flag=True,
    help="In CSV, leave cells that start with = + - @ as they are (by default they get a leading ' so "
         "that a spreadsheet shows them as text instead of running them as formulas).",
)


endpoint_option = click.option(
    "--endpoint", metavar="URL", default=None,
    help="Ask this SPARQL 1.1 endpoint instead of the embedded store.",
)
timeout_option = click.option(
    "--timeout", type=float, default=60.0, show_default=True, help="Seconds to wait for an endpoint.",
)
no_cache_option = click.option(
    "--no-cache", "no_cache", is_flag=True,
    help="Run the query on the store even if its answer was kept since the store was last written.",
)


allow_service_option = click.option(
    "--allow-service", "allow_service", multiple=True, metavar="IRI",
    help="Let SERVICE call this endpoint (repeatable; also $OFSTED_KG_ALLOW_SERVICE). Otherwise "
         "queries may not send requests to other servers.",
)


def reader_options(command: Any) -> Any:
    """The options of a command that reads the graph, the store or an endpoint (``_backend``
    takes them), and how CSV cells are written."""
    for option in reversed((store_option, endpoint_option, timeout_option, no_cache_option, allow_service_option,
                            raw_csv_option)):
        command = option(command)
    return command


def _backend(store_path: Path, endpoint: str | None, timeout: float, no_cache: bool,
             allow_service: tuple[str, ...]) -> Store:
    from ofsted_kg.store import open_reader

    return open_reader(store_path, endpoint, timeout, not no_cache, allow_service)


def _list_queries() -> None:
    from ofsted_kg.parameters import enumerations, vocabulary
    from ofsted_kg.query import stored_queries

    for stored in stored_queries().values():
        click.echo(f"{stored.name}  {stored.summary}")
        listed = enumerations(stored)
        for p in stored.parameters:
            detail = [p.type, "required" if p.required and not p.default else "optional"]
            if p.default:
                detail.append(f"default {p.default}")
            if p.example:
                detail.append(f"e.g. {p.example}")
            click.echo(f"    --param {p.name}=...  ({', '.join(detail)})")
            if p.name in listed and listed[p.name] != "authorities":
                values = ", ".join(choice.value for choice in vocabulary(listed[p.name]))
                click.echo(f"        one of the {listed[p.name]}: {values}")


@main.command()
@click.argument("name", required=False)
@click.option("--list", "list_queries", is_flag=True, help="List the stored queries and their parameters.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of the query (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", *names(RESULTS)]),
              default=None, help="Output format [default: table on a terminal, else csv].")
@reader_options
def query(name: str | None, list_queries: bool, params: tuple[str, ...], fmt: str | None, raw_csv: bool,
          **reader: Any) -> None:
    """Run a stored query by name, or list them with --list.

    Example: ofsted-kg query authority-history --param authority=Greenwich
    """
    from ofsted_kg.coverage import coverage, is_national
    from ofsted_kg.query import get_query, prepare

    if list_queries or not name:
        _list_queries()
        return
    values = _parse_params(params)
    text = prepare(name, values)
    # On stderr, as stdout stays data: a query about one authority, run without naming one,
    # says which it took, so that a forgotten authority never goes unnoticed...
    for parameter in get_query(name).parameters:
        if parameter.type == "authority" and parameter.name not in values and parameter.default:
            click.echo(f"{name}: no --param {parameter.name} given; the query's default, "
                       f"{parameter.default}, was used", err=True)
    backend = _backend(**reader)
    _write_results(backend.query(text), fmt, raw_csv)
    if is_national(get_query(name)):  # ... and national and 'as at' answers say what they cover.
        click.echo(f"{name} {coverage(backend, values.get('as_at')).sentence()}", err=True)


@main.command()
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--format", "fmt", default=None,
              type=click.Choice(["table", *names(RESULTS), *(f.name for f in SERVED_GRAPHS if f.name != "xml")]),
              help="Output format; a CONSTRUCT or DESCRIBE answer is in a graph format (turtle if none is "
                   "named) [default: table on a terminal, else csv / turtle].")
@reader_options
def sparql(file: Any, fmt: str | None, raw_csv: bool, **reader: Any) -> None:
    """Run any SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) from FILE, or - for stdin.

    Example: echo 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' | ofsted-kg sparql -
    """
    _write_results(_backend(**reader).query(file.read()), fmt, raw_csv)


def _check_files(files: tuple[Path, ...], engine: str,
                 background_store: Any = None) -> tuple[list[Any], int, int]:
    """Read and validate each file (against the store as 'load' would, if given one);
    (checked, count of unreadable files, count of files that differ from the store)."""
    from ofsted_kg.loading import check_file

    checked, unreadable, differing = [], 0, 0
    for path in files:
        try:
            plan, result = check_file(path, engine, background_store)
        except OfstedKgError as error:
            click.echo(f"Error: {error}", err=True)
            unreadable += 1
            continue
        if plan is not None and plan.differences:
            differing += 1
            click.echo(f"{path.name}: states otherwise {len(plan.differences)} fact(s) already stored "
                       "(load refuses it; load --replace replaces them)", err=True)
            click.echo("".join(f"  {line}\n" for line in plan.differences), nl=False, err=True)
        elif result is None:
            click.echo(f"{path.name}: every fact of it is already stored (load adds nothing)", err=True)
        else:
            checked.append(result)
    return checked, unreadable, differing


_RENDER = {"text": "render_text", "json": "render_json", "turtle": "render_turtle"}


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--store", "store_path", is_flag=False, flag_value="", default=None, metavar="[PATH]",
              help="Validate the stored graph (the default store if no PATH); with FILEs, check them "
                   "against it as 'load' would.")
@click.option("--template", is_flag=True, help="Print the CSV template and exit.")
@click.option("--format", "fmt", type=click.Choice(list(_RENDER)), default="text", show_default=True)
@click.option("--engine", type=click.Choice(["oxigraph", "pyshacl"]), default="oxigraph", show_default=True,
              help="oxigraph: the shapes compiled to SPARQL (fast); pyshacl: the reference SHACL engine.")
def validate(files: tuple[Path, ...], store_path: str | None, template: bool, fmt: str, engine: str) -> None:
    """Check inspection data against the SHACL shapes before it enters a graph.

    FILEs may be Turtle, N-Triples, JSON-LD, TriG, N-Quads, RDF/XML or the CSV template.
    Exit status: 0 conforms (warnings allowed), 1 violations, 2 a file cannot be read.

    Example: ofsted-kg validate partner.ttl new-inspections.csv
    """
    from ofsted_kg import validation_output
    from ofsted_kg.validation_output import Checked, locate

    if template:
        from ofsted_kg.read import template as csv_template

        click.echo(csv_template(), nl=False)
        return
    from ofsted_kg.store import open_store
    from ofsted_kg.validate import validate_store

    store = None
    if store_path is not None or not files:
        store = open_store(Path(store_path) if store_path else default_store_path(), read_only=True,
                           keep_answers=False)
    if files:
        checked, unreadable, differing = _check_files(files, engine, store)
    else:
        outcome = validate_store(store)
        checked, unreadable, differing = [Checked(str(store.path), outcome.problems, locate(outcome.store))], 0, 0
    if checked:
        click.echo(getattr(validation_output, _RENDER[fmt])(checked), nl=False)
    if unreadable:
        sys.exit(2)
    if differing or any(c.violations for c in checked):
        sys.exit(1)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option("--engine", type=click.Choice(["oxigraph", "pyshacl"]), default="oxigraph", show_default=True)
@click.option("--replace", is_flag=True,
              help="Where a file states otherwise what is stored, replace the stored inspection (or fact).")
def load(files: tuple[Path, ...], store_path: Path, engine: str, replace: bool) -> None:
    """Add validated data files (RDF or the CSV template) to the store.

    What is already stored (the same facts, in any graph) is not stored again. A file that
    states otherwise something stored (another grade, another end date) is refused with
    one line per differing fact, unless --replace. A file with any violation is refused
    whole. Each file's new facts go into a graph of their own, printed here, which
    'ofsted-kg unload' removes. Exit status: 0 all loaded, 1 some refused, 2 unreadable.

    Example: ofsted-kg load partner.ttl --store graph
    """
    from ofsted_kg.loading import check_file, store_plan
    from ofsted_kg.store import open_store, write
    from ofsted_kg.validation_output import render_text

    store = open_store(store_path)
    refused = unreadable = 0
    with write(store) as writer:
        for path in files:
            try:
                plan, result = check_file(path, engine, store, replace)
                assert plan is not None
                if plan.differences:
                    refused += 1
                    click.echo(f"refused {path.name}: it states otherwise {len(plan.differences)} fact(s) "
                               "already stored (--replace replaces them); nothing of it was stored", err=True)
                    for line in plan.differences:
                        click.echo(f"  {line}", err=True)
                elif result is None:
                    click.echo(f"unchanged {path.name}: its {plan.same} facts are already stored; nothing "
                               "added", err=True)
                elif result.violations:
                    refused += 1
                    click.echo(f"refused {path.name}: {result.violations} violation(s); nothing of it was "
                               "stored", err=True)
                    click.echo(render_text([result]), nl=False, err=True)
                else:
                    store_plan(writer, plan)
                    notes = f", {len(plan.remove)} stored triples replaced" if plan.remove else ""
                    notes += f", {result.warnings} warning(s)" if result.warnings else ""
                    click.echo(f"loaded {path.name}: {len(plan.add)} triples into <{plan.graph}> ({plan.same} "
                               f"already stored{notes})", err=True)
            except OfstedKgError as error:
                click.echo(f"Error: {error}", err=True)
                unreadable += 1
    _refresh_search(store.path)
    if unreadable:
        sys.exit(2)
    if refused:
        sys.exit(1)


@main.command()
@click.argument("names", nargs=-1, required=True)
@store_option
def unload(names: tuple[str, ...], store_path: Path) -> None:
    """Remove what a load added: a graph by its name (as load printed it), or every
    graph loaded from a FILE (by its path). A report's graph may be named too.

    Example: ofsted-kg unload partner.ttl --store graph
    """
    from ofsted_kg.loading import graphs_to_unload
    from ofsted_kg.store import open_store, write

    store = open_store(store_path)
    missing = 0
    with write(store) as writer:
        for name in names:
            try:
                graphs = graphs_to_unload(store, name)
            except OfstedKgError as error:
                click.echo(f"Error: {error}", err=True)
                missing += 1
                continue
            count = writer.drop_graphs(graphs)
            for graph in graphs:
                click.echo(f"unloaded <{graph}>", err=True)
            click.echo(f"{count} triples removed ({name})", err=True)
    _refresh_search(store.path)
    if missing:
        sys.exit(2)


@main.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="The server's Graph Store HTTP Protocol endpoint (Oxigraph: http://host:7878/store).")
@click.option("--update-endpoint", metavar="URL", default=None,
              help="Use SPARQL 1.1 Update at this URL instead, for a server without the Graph Store Protocol.")
@click.option("--only-changed", is_flag=True, help="Send only graphs that changed since the last push there.")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds to wait for each request.")
@click.option("--retries", type=int, default=3, show_default=True, help="Retries on connection errors.")
@store_option
def push(endpoint: str, update_endpoint: str | None, only_changed: bool, timeout: float, retries: int,
         store_path: Path) -> None:
    """Publish the graph to a SPARQL 1.1 server, one named graph per report.

    Credentials: OFSTED_KG_ENDPOINT_USER and OFSTED_KG_ENDPOINT_PASSWORD, or ~/.netrc.

    Example: ofsted-kg push --endpoint http://localhost:7878/store --only-changed
    """
    from ofsted_kg.push import Pusher
    from ofsted_kg.push import push as run_push
    from ofsted_kg.store import open_store

    store = open_store(store_path, read_only=True)
    pusher = Pusher(endpoint, update_endpoint, timeout, retries)
    total = len(store.named_graphs())
    with _progress(total, "Pushing") as bar:
        summary = run_push(store, pusher, only_changed, progress=bar.update)
    from ofsted_kg.http_client import shown

    target = shown(update_endpoint or endpoint)
    click.echo(f"{len(summary.sent)} graphs sent, {len(summary.unchanged)} unchanged, "
               f"{len(summary.failed)} failed in {summary.seconds:.1f} s ({target})", err=True)
    for graph, answer in summary.failed:
        click.echo(f"failed: <{graph}>: {answer}", err=True)
    sys.exit(1 if summary.failed else 0)


@main.command()
@store_option
# The other options are named after the fields of serve.Limits, which takes them as they are.
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--timeout", type=float, default=10.0, show_default=True,
              help="Seconds from a request's arrival to its answer (body, waiting and query included).")
@click.option("--max-rows", type=int, default=100_000, show_default=True, help="Most rows a query may return.")
@click.option("--workers", type=click.IntRange(1), default=2, show_default=True,
              help="Worker processes that run queries (so many run at once).")
@click.option("--worker-memory", "worker_memory_mb", type=click.IntRange(0), default=2048, show_default=True,
              metavar="MIB", help="Address space of each query worker, in MiB (0: no cap).")
@click.option("--max-waiting", type=click.IntRange(0), default=64, show_default=True,
              help="Requests that may wait for a free worker; more get 503.")
@click.option("--max-connections", type=click.IntRange(1), default=512, show_default=True,
              help="Open connections; requests beyond get 503.")
@click.option("--max-body", "max_body_bytes", type=click.IntRange(1), default=1_048_576, show_default=True,
              metavar="BYTES", help="Largest request body.")
@click.option("--max-query-chars", type=click.IntRange(1), default=100_000, show_default=True,
              help="Longest query text.")
@click.option("--max-depth", type=click.IntRange(1), default=128, show_default=True,
              help="Deepest nesting of brackets and chained operators in a query.")
@click.option("--header-timeout", type=float, default=10.0, show_default=True,
              help="Seconds a client has to send a request's headers.")
@click.option("--keep-alive", type=click.IntRange(1), default=5, show_default=True,
              help="Seconds an idle connection stays open.")
@click.option("--finish-time", "finish_seconds", type=click.FloatRange(0), default=60.0, show_default=True,
              metavar="SECONDS",
              help="Seconds a stored query still running at the time limit may go on (its request gets "
                   "503), so that its answer is kept for the next request; after each build the stored "
                   "queries are worked out ahead of requests (0: neither).")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="A host name clients may use in the Host header, besides the address served on and "
                   "loopback names (repeatable; '*' accepts any, which lets web pages reach the server "
                   "through DNS rebinding).")
@allow_service_option
@no_cache_option
def serve(store_path: Path, host: str, port: int, no_cache: bool, **limits: Any) -> None:
    """Serve the graph read-only: pages at /, SPARQL at /sparql, stored queries at /api/queries/NAME.

    The OpenAPI document of the stored queries, with the limits, is at /openapi.json.
    Updates are refused, and so is SERVICE unless its endpoint is allowed.

    Example: ofsted-kg serve --store graph --port 8000
    """
    from ofsted_kg.serve import Limits, listen
    from ofsted_kg.serve import serve as run_serve

    sock = listen(host, port)
    click.echo(f"serving {store_path} at http://{host}:{port}/ (pages: /, SPARQL: /sparql, "
               f"queries: /api/queries, OpenAPI: /openapi.json)", err=True)
    run_serve(store_path, sock, Limits(**limits), keep_answers=not no_cache)


def _refresh_search(path: Path) -> None:
    """Remake the search index after a write (a search would otherwise remake it first)."""
    from ofsted_kg.search import refresh_index

    refresh_index(path)


@main.command()
@click.argument("finding", required=False)
@click.option("--polarity", type=click.Choice(["strength", "area-for-improvement", "mixed"]), default=None,
              help="The finding's polarity.")
@click.option("--service", "services", multiple=True, metavar="NOTATION",
              help="A service the finding concerns (repeatable; notations of ontology/services.ttl).")
@click.option("--remove-service", "removed", multiple=True, metavar="NOTATION",
              help="A service the tagger gave that the finding does not concern (repeatable).")
@click.option("--by", default=None, help="Who corrects [default: the login name].")
@click.option("--note", default=None, help="Why, in a sentence.")
@click.option("--file", "csv_file", type=click.Path(path_type=Path), default=None,
              help="A CSV of corrections: finding, polarity, service, remove_service, by, note.")
@store_option
def correct(finding: str | None, polarity: str | None, services: tuple[str, ...], removed: tuple[str, ...],
            by: str | None, note: str | None, csv_file: Path | None, store_path: Path) -> None:
    """Correct a finding's services or polarity; corrections survive rebuilds and win in every query.

    Exit status: 0 all stored, 1 some refused (each named), 2 nothing could be done.

    Example: ofsted-kg correct https://w3id.org/ofsted-kg/id/inspection/80511/ilacs/2022-06-20/finding/2
    --polarity strength --service mash --by "A. Analyst"
    """
    from ofsted_kg.corrections import Correction, apply_corrections, read_corrections_csv
    from ofsted_kg.store import open_store

    if bool(finding) == bool(csv_file):
        raise click.UsageError("give a FINDING IRI or --file CSV (one of them)")
    corrections = (read_corrections_csv(csv_file) if csv_file
                   else [Correction(str(finding), polarity, services, removed, by, note)])
    store = open_store(store_path)
    problems = apply_corrections(store, corrections)
    stored = len(corrections) - len(problems)
    store.close()
    if stored:
        _refresh_search(store_path)
    for problem in problems:
        click.echo(f"refused: {problem}", err=True)
    click.echo(f"{stored} correction(s) stored, {len(problems)} refused", err=True)
    if problems:
        sys.exit(2 if not stored and not csv_file else 1)


@main.command()
@click.argument("text")
@click.option("--authority", default=None, help="Only this authority (name, URN, LA or GSS code).")
@click.option("--service", default=None, metavar="NOTATION", help="Only findings tagged with this service.")
@click.option("--polarity", type=click.Choice(["strength", "area-for-improvement", "mixed"]), default=None)
@click.option("--since", default=None, metavar="YYYY-MM-DD", help="Only inspections that started on or after.")
@click.option("--latest", is_flag=True, help="Only each authority's latest inspection.")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@store_option
def search(text: str, authority: str | None, service: str | None, polarity: str | None, since: str | None,
           latest: bool, limit: int, fmt: str, store_path: Path) -> None:
    """Search what inspectors wrote (findings and recommendations), most relevant first.

    Example: ofsted-kg search "care leavers accommodation" --polarity area-for-improvement --latest
    """
    import csv
    import json
    from datetime import date

    from ofsted_kg.search import search as run_search

    if since:
        try:
            date.fromisoformat(since)
        except ValueError as error:
            raise click.BadParameter(f"{since!r} is not a date (YYYY-MM-DD)", param_hint="--since") from error
    hits = run_search(store_path, text, authority=authority, service=service, polarity=polarity,
                      since=since, latest=latest, limit=limit)
    if fmt == "json":
        click.echo(json.dumps([hit.as_dict() for hit in hits], indent=1))
        return
    columns = ["authority", "date", "kind", "paragraph", "page", "polarity", "services", "matched", "snippet",
               "iri"]
    rows = [[hit.authority, hit.date, hit.kind, "" if hit.paragraph is None else hit.paragraph, hit.page,
             hit.polarity or "", " ".join(hit.services), " ".join(hit.matched), hit.snippet, hit.iri]
            for hit in hits]
    if fmt == "csv":
        csv.writer(sys.stdout, lineterminator="\n").writerows([columns, *rows])
        return
    for hit in hits:
        where = f"paragraph {hit.paragraph}, page {hit.page}" if hit.paragraph is not None else f"page {hit.page}"
        click.echo(f"{hit.authority} {hit.date} {hit.kind} ({where}) {hit.polarity or ''} "
                   f"[{' '.join(hit.services)}] matched: {', '.join(hit.matched)}")
        click.echo(f"    {hit.snippet}")
        click.echo(f"    {hit.iri}")
    click.echo(f"{len(hits)} hit(s)", err=True)


_ = ox  # pyoxigraph is imported early so a broken install fails at start-up
