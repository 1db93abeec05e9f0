"""The pages: read-only HTML over the graph, beside the SPARQL endpoint and the API.

``Front`` stands in front of the API application. It sends a browser's request for
``/`` and the page paths to the pages, answers every instance IRI path (the base IRI's
path, ``/id/`` by default) with a page or the resource's triples by content negotiation,
and sends everything else to the API application unchanged.

The pages' queries run in this process, where no deadline can stop them (the API's run in
query workers): so at most so many pages are worked out at once (``PageSlots``), and a
request waits for a slot only until its deadline, then gets 503. Before, twenty requests
for a page of a heavy query took every processor for eighty seconds, and forty took every
thread the API's queries need.
"""

from __future__ import annotations

import time
import urllib.parse
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import anyio
import pyoxigraph as ox
from anyio import to_thread
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ofsted_kg import __version__
from ofsted_kg.config import base_iri
from ofsted_kg.coverage import coverage, is_national
from ofsted_kg.errors import OfstedKgError, QueryError
from ofsted_kg.formats import SERVED_GRAPHS, by_media, choose
from ofsted_kg.jsonld import context
from ofsted_kg.jsonld import serialize as jsonld
from ofsted_kg.namespaces import concept
from ofsted_kg.parameters import ParameterValueError, choices, suggest, vocabulary
from ofsted_kg.query import bindings_for, get_query, stored_queries
from ofsted_kg.registry import by_la_code, by_urn, find
from ofsted_kg.store import open_store, read_generation
from ofsted_kg.web import data
from ofsted_kg.web.chart import grade_chart, points_from

HERE = Path(__file__).parent
PAGE_PATHS = ("/national", "/authority", "/services", "/queries", "/static/")
INSTANCE_KINDS = ("/authority/", "/inspection/", "/report/", "/inspector/")
# The triples of an instance IRI: in Turtle, JSON-LD or N-Triples (media type -> name), and
# ?format= on an instance IRI (a name or alias -> the media type asked for).
RDF_TYPES = {f.media_type: f.name for f in SERVED_GRAPHS if f.name != "xml"}
FORMAT_NAMES = {name: f.media_type for f in SERVED_GRAPHS if f.name != "xml" for name in (f.name, *f.aliases)}
FORMAT_NAMES["html"] = "text/html"
GRADE_COLUMNS = ("overall_effectiveness", "impact_of_leaders", "help_and_protection", "children_in_care",
                 "care_leavers")


def served_path(base: str) -> str:
    """The path prefix this server answers the base IRI's instances at.

    A w3id.org IRI is a permanent redirect: https://w3id.org/ofsted-kg/id/... is sent on
    to the server's /id/..., so the w3id project segment is not part of the served path.
    Any other base is served at its own path.
    """
    parsed = urllib.parse.urlparse(base)
    path = parsed.path or "/"
    if parsed.netloc == "w3id.org":
        path = "/" + path.lstrip("/").partition("/")[2]
    return path if path.endswith("/") else path + "/"


class Pages:
    """The page handlers, over the store read-only as it is now."""

    def __init__(self, store_path: Path | str, keep_answers: bool = True) -> None:
        self.store_path, self.keep_answers = Path(store_path), keep_answers
        self._opened: tuple[str | None, Any] | None = None  # (generation, store)
        self.store  # noqa: B018 - opened now, so a missing store is an error at start
        self.base = base_iri()
        self.base_path = served_path(self.base)
        self.templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                                     autoescape=select_autoescape(["html"]), trim_blocks=True,
                                     lstrip_blocks=True)
        self.templates.globals.update(link=self.link, version=__version__, label=_label,
                                      authority_path=self.authority_path, query_string=_query_string)

    @property
    def store(self) -> Any:
        """The store, opened again when a build, load or unload has written it since (a new
        generation), so that the pages never show an older graph than the endpoint does."""
        generation = read_generation(self.store_path)
        if self._opened is None or self._opened[0] != generation:
            self._opened = (generation, open_store(self.store_path, read_only=True,
                                                   keep_answers=self.keep_answers))
        return self._opened[1]

    # Links ---------------------------------------------------------------------------
    def link(self, iri: str | None) -> str | None:
        """The path this server answers an IRI at, or None for an IRI it does not serve."""
        if not iri:
            return None
        if iri.startswith(self.base):
            return self.base_path + iri[len(self.base):]
        if iri.startswith(concept("service", "")):
            return "/services/" + iri.rsplit("/", 1)[1]
        return None

    def authority_path(self, urn: str) -> str:
        return f"{self.base_path}authority/{urn}"

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        started = time.perf_counter()
        html = self.templates.get_template(template).render(**context)
        return HTMLResponse(html, status_code=status,
                            headers={"Server-Timing": f"render;dur={(time.perf_counter() - started) * 1000:.1f}"})

    def owns(self, path: str, accept: str) -> bool:
        if path == "/":  # the home page for a browser, the API's index for a machine
            return choose(accept, ["text/html", *RDF_TYPES, "application/json"], "application/json") == "text/html"
        if path.startswith(PAGE_PATHS):
            return True
        if self.base_path == "/":  # instances at the root: only the kinds iris.py mints
            return path.startswith(INSTANCE_KINDS)
        return path.startswith(self.base_path)

    # Pages -----------------------------------------------------------------------------
    def home(self, request: Request) -> Response:
        today = coverage(self.store)
        columns, authorities = data.stored(self.store, "authorities", {})
        inspected = [row for row in authorities if row["inspections"] not in (None, "0")]
        return self.render("home.html", coverage=today, frameworks=data.select(self.store, "frameworks"),
                           authorities=inspected, all_authorities=authorities,
                           services=vocabulary("services"), queries=stored_queries().values())

    def national(self, request: Request) -> Response:
        params = request.query_params
        as_at = params.get("as_at") or date.today().isoformat()
        region, grade = params.get("region", ""), params.get("grade", "")
        area = params.get("area") if params.get("area") in GRADE_COLUMNS else "overall_effectiveness"
        sort = params.get("sort") or "authority"
        descending = params.get("order") == "desc"
        error = None
        try:
            columns, rows = data.stored(self.store, "national-table", {"as_at": as_at})
            scope = region or "England"
            _, shares = data.stored(self.store, "grade-shares-as-at", {"as_at": as_at})
            counted = coverage(self.store, as_at)
        except QueryError as problem:
            error, columns, rows, shares, scope, counted = str(problem), [], [], [], "England", None
        if region:
            rows = [row for row in rows if (row.get("region") or "").casefold() == region.casefold()]
        if grade:
            rows = [row for row in rows if row.get(area) == grade]
        if sort in columns:
            rows.sort(key=lambda row: (row.get(sort) is None, row.get(sort) or ""), reverse=descending)
        table: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
        for share in shares:
            if share["scope"] == scope:
                table[str(share["area"])][str(share["grade"])] = (str(share["authorities"]), str(share["percent"]))
        return self.render("national.html", columns=columns, rows=rows, as_at=as_at, region=region,
                           grade_filter=grade, area=area, sort=sort, descending=descending,
                           regions=vocabulary("regions"), grades=vocabulary("grades"), grade_columns=GRADE_COLUMNS,
                           shares=table, share_grades=[g.value for g in vocabulary("grades")], scope=scope,
                           coverage=counted, error=error, params=dict(params))

    def find_authority(self, request: Request) -> Response:
        name = request.query_params.get("name", "")
        try:
            return RedirectResponse(self.authority_path(find(name).ofsted_urn), status_code=303)
        except QueryError as problem:
            nearest = suggest(name, vocabulary("authorities"))
            return self.render("error.html", status=404, title="No such authority", message=str(problem),
                               suggestions=[(s, "/authority?" + urllib.parse.urlencode({"name": s}))
                                            for s in nearest])

    def authority(self, iri: str) -> Response:
        entry = data.select(self.store, "authority", authority=iri)
        if not entry:
            return self.not_found(iri)
        grades = data.select(self.store, "authority-grades", authority=iri)
        links = {str(row["inspection"]): self.link(row["inspection"]) or "#" for row in grades}
        name = str(entry[0]["name"])
        chart = grade_chart(points_from(grades, links), f"Grades of {name}'s inspections over time")
        findings = data.select(self.store, "authority-latest-findings", authority=iri)
        by_service: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in findings:
            by_service[f"{row['service_label']}|{row['service']}"].append(row)
        latest = findings[0]["inspection"] if findings else None
        reports = data.select(self.store, "authority-reports", authority=iri)
        if latest is None:
            latest = next((row["inspection"] for row in reports if row["overall"]), None)
        recommendations = (data.select(self.store, "inspection-recommendations", inspection=latest)
                           if latest else [])
        neighbour_columns, neighbours = self.neighbours(str(entry[0]["urn"]))
        return self.render("authority.html", iri=iri, entry=entry[0], chart=chart, grades=grades,
                           by_service=dict(sorted(by_service.items())), latest=latest, reports=reports,
                           recommendations=recommendations, neighbours=neighbours,
                           neighbour_columns=neighbour_columns)

    def neighbours(self, urn: str) -> tuple[list[str], list[data.Row]]:
        """The authority and its statistical neighbours (registry order), with their rows of the
        national table: the same latest grades as /national, from an answer kept for every page."""
        names, codes = by_urn(), by_la_code()
        listed = names[urn].statistical_neighbours if urn in names else ()
        wanted = [urn] + [codes[code].ofsted_urn for code in listed if code in codes]
        columns, rows = data.stored(self.store, "national-table", {})
        latest = {row["authority_urn"]: row for row in rows}
        table = [{**{column: None for column in columns}, **latest.get(each, {}),
                  "authority": names[each].name, "authority_urn": each,
                  "role": "this authority" if each == urn else "neighbour"} for each in wanted if each in names]
        shown = [c for c in columns if c not in ("authority", "authority_urn", "region")]
        return ["authority", "role", *shown], table

    def inspection(self, iri: str) -> Response:
        entry = data.select(self.store, "inspection", inspection=iri)
        if not entry:
            return self.not_found(iri)
        findings = data.select(self.store, "inspection-findings", inspection=iri)
        sections: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in findings:
            sections[str(row["section_label"] or row["section"])].append(row)
        return self.render("inspection.html", iri=iri, entry=entry[0],
                           judgements=data.select(self.store, "judgement-table", inspection=iri),
                           sections=dict(sections),
                           recommendations=data.select(self.store, "inspection-recommendations", inspection=iri),
                           problems=data.select(self.store, "inspection-problems", inspection=iri))

    def resource(self, iri: str) -> Response:
        rows = data.select(self.store, "resource", resource=iri)
        if not rows:
            return self.not_found(iri)
        inspection = iri.split("/judgement/")[0].split("/finding/")[0].split("/recommendation/")[0]
        return self.render("resource.html", iri=iri, rows=rows,
                           inspection=inspection if inspection != iri else None)

    def services(self, request: Request) -> Response:
        return self.render("services.html", services=data.select(self.store, "services"))

    def service(self, request: Request) -> Response:
        notation = request.path_params["notation"]
        entry = data.select(self.store, "service", service=notation)
        if not entry:
            nearest = suggest(notation, vocabulary("services"))
            return self.render("error.html", status=404, title="No such service",
                               message=f"no service {notation!r} in the services vocabulary",
                               suggestions=[(s, f"/services/{s}") for s in nearest])
        polarity = request.query_params.get("polarity") or None
        values = {"service": notation, **({"polarity": polarity} if polarity else {})}
        rows = data.select(self.store, "service-findings", **values)
        years: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for row in rows:  # per year: which authorities' inspections said what
            kind = "recommendation" if row["kind"] == "recommendation" else str(row["polarity"])
            years[str(row["publication_date"])[:4]][kind].add(str(row["authority_name"]))
        return self.render("service.html", entry=entry[0], notation=notation, rows=rows, polarity=polarity,
                           years=dict(sorted(years.items())))

    def queries(self, request: Request) -> Response:
        return self.render("queries.html", queries=stored_queries().values())

    def query(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in stored_queries():
            return self.render("error.html", status=404, title="No such query",
                               message=f"unknown query {name!r}", suggestions=[("all queries", "/queries")])
        query = get_query(name)
        values = {k: v for k, v in request.query_params.items() if v.strip()}
        fields = [{"parameter": p, "choices": choices(query, p.name), "value": values.get(p.name, "")}
                  for p in query.parameters]
        missing = [p.name for p in query.parameters if p.required and not p.default and p.name not in values]
        columns: list[str] = []
        rows: list[data.Row] = []
        error, suggestions, counted, ran = None, [], None, False
        if not missing:
            try:
                columns, rows = data.stored(self.store, name, values)
                ran = True
                if is_national(query):
                    counted = coverage(self.store, values.get("as_at"))
            except ParameterValueError as problem:
                error = str(problem)
                suggestions = [(s, f"/queries/{name}?{urllib.parse.urlencode({**values, problem.parameter: s})}")
                               for s in problem.suggestions]
            except OfstedKgError as problem:
                error = str(problem)
        elif request.query_params:
            error = f"give a value for {', '.join(missing)}"
        api = f"/api/queries/{name}"
        encoded = urllib.parse.urlencode(values)
        downloads = [(label, f"{api}?{encoded}{'&' if encoded else ''}format={fmt}") for label, fmt in
                     (("CSV", "csv"), ("CSV for Excel", "csv-excel"), ("JSON", "json"), ("TSV", "tsv"))]
        if "CONSTRUCT" in query.text or "DESCRIBE" in query.text:
            downloads.append(("Turtle", f"{api}?{encoded}&format=turtle"))
        return self.render("query.html", query=query, fields=fields, columns=columns, rows=rows[:1000],
                           total=len(rows), ran=ran, error=error, suggestions=suggestions, coverage=counted,
                           downloads=downloads if ran else [])

    def instance(self, request: Request) -> Response:
        """An instance IRI: its page for a browser, its triples for a machine."""
        rest = request.path_params["rest"]
        iri = self.base + rest
        try:  # a path that makes no IRI (a space, a quote, '>') names nothing: 404, not a crash
            bindings_for(data.page_query("describe"), {"resource": iri})
        except QueryError:
            return Response(f"nothing is known about {iri!r}: it is not an IRI\n", status_code=404,
                            media_type="text/plain")
        asked = request.query_params.get("format")
        media = FORMAT_NAMES.get(asked or "") or choose(
            request.headers.get("accept", ""), ["text/html", *RDF_TYPES], "text/turtle")
        if media == "text/html":
            parts = rest.strip("/").split("/")
            if parts[0] == "authority" and len(parts) == 2:
                page = self.authority(iri)
            elif parts[0] == "inspection" and len(parts) == 4:
                page = self.inspection(iri)
            else:
                page = self.resource(iri)
            page.headers["Vary"] = "Accept"
            return page
        statements = data.triples(self.store, iri)
        if not statements:
            return Response(f"nothing is known about <{iri}>\n", status_code=404, media_type="text/plain")
        if media == "application/ld+json":
            body = jsonld(statements)
        else:  # Turtle with the prefixes it uses (N-Triples has none)
            used = " ".join(str(term) for statement in statements for term in statement)
            prefixes = {prefix: namespace for prefix, namespace in context().items() if namespace in used}
            body = ox.serialize(statements, format=by_media(media, SERVED_GRAPHS).rdf, prefixes=prefixes) or b""
        return Response(body, media_type=media, headers={"Vary": "Accept"})

    def not_found(self, iri: str) -> Response:
        return self.render("error.html", status=404, title="Not in the graph",
                           message=f"nothing is known about {iri}", suggestions=[("home", "/")])


def _label(notation: str | None) -> str:
    return (notation or "").replace("-", " ").replace("_", " ")


def _query_string(params: dict[str, str], **changes: str) -> str:
    return urllib.parse.urlencode({**params, **changes})


class PagesBusy(Exception):
    """No slot for a page before the request's deadline."""


class PageSlots:
    """At most ``size`` pages (or coverage counts) worked out at once, each in a thread; a
    request waits for a slot until ``timeout`` seconds after its arrival, then ``PagesBusy``."""

    def __init__(self, size: int = 2, timeout: float = 10.0) -> None:
        self.size, self.timeout = size, timeout
        self._slots: anyio.Semaphore | None = None  # made in the event loop, on first use

    async def run(self, scope: dict, function: Any, *args: Any) -> Any:
        if self._slots is None:
            self._slots = anyio.Semaphore(self.size)
        deadline = scope.get("ofsted_kg_arrival", time.monotonic()) + self.timeout
        # Only the wait is bounded: a thread cannot be stopped, and its answer is worth sending.
        with anyio.move_on_after(max(0.0, deadline - time.monotonic())) as waiting:
            await self._slots.acquire()
        if waiting.cancelled_caught:
            raise PagesBusy
        if time.monotonic() >= deadline:  # a slot just as the time ran out: too late to start
            self._slots.release()
            raise PagesBusy
        try:
            return await to_thread.run_sync(function, *args)
        finally:
            self._slots.release()


BUSY = "the server is busy working out other pages; try again in a few seconds\n"


def busy() -> Response:
    return PlainTextResponse(BUSY, status_code=503, headers={"Retry-After": "5"})


def _threaded(handler: Any, slots: PageSlots) -> Any:
    async def endpoint(request: Request) -> Response:
        try:
            return await slots.run(request.scope, handler, request)
        except PagesBusy:
            return busy()
    return endpoint


def web_app(pages: Pages, slots: PageSlots) -> Starlette:
    return Starlette(routes=[
        Route("/", _threaded(pages.home, slots)),
        Route("/national", _threaded(pages.national, slots)),
        Route("/authority", _threaded(pages.find_authority, slots)),
        Route("/services", _threaded(pages.services, slots)),
        Route("/services/{notation}", _threaded(pages.service, slots)),
        Route("/queries", _threaded(pages.queries, slots)),
        Route("/queries/{name}", _threaded(pages.query, slots)),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        Route(pages.base_path + "{rest:path}", _threaded(pages.instance, slots)),
    ])


class Front:
    """ASGI: pages and instance IRIs to the pages, the rest to the API application."""

    def __init__(self, api: Any, pages: Pages, slots: PageSlots) -> None:
        self.api, self.pages, self.web = api, pages, web_app(pages, slots)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and self.pages.owns(scope["path"], Headers(scope=scope).get("accept", "")):
            await self.web(scope, receive, send)
        else:
            await self.api(scope, receive, send)
