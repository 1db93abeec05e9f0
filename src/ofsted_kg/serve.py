"""A read-only SPARQL 1.1 Protocol endpoint over the embedded store, and every stored query
as a REST resource described by an OpenAPI document made from the query headers.

Starlette routes the requests and uvicorn serves them. Updates of any kind are refused.
Meant to be put in front of people, so every request is bounded (``Limits``):

- a deadline counted from the request's arrival: reading the body, waiting for a worker
  and running the query all count; a query still running then is stopped (503);
- at most so many requests wait for a worker (503 beyond), so many connections (503),
  a body of so many bytes (413), request headers within so many seconds (the
  connection is closed), a query of so many characters and so much nesting (400);
- queries run in worker processes with a memory cap (``query_workers``); one that dies
  is replaced and its request gets 503 (400 for a query too deeply nested);
- a stored query still running at the deadline gets 503 with Retry-After, and its worker
  goes on for at most ``finish_seconds`` so that the answer is kept for the next request
  (on a busy machine, or just after a build, a query may need longer than the time limit,
  and would otherwise never be answered until the machine is quiet again);
- SERVICE is refused unless its endpoint is allowed by name (``query_safety``), and the
  Host header must name the server (so a web page cannot reach it by DNS rebinding).

Each answer names the store generation it was computed from (``X-Ofsted-KG-Generation``);
the workers follow the store when a build, a load or an unload writes it.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
import urllib.parse
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from uvicorn.protocols.http.h11_impl import H11Protocol

from ofsted_kg import __version__
from ofsted_kg.coverage import coverage, is_national
from ofsted_kg.errors import OfstedKgError
from ofsted_kg.formats import RESULTS, SERVED_GRAPHS, media_types
from ofsted_kg.parameters import allowed_values
from ofsted_kg.query import get_query, prepare, stored_queries
from ofsted_kg.query_safety import MAX_DEPTH, MAX_QUERY_CHARS, QueryLimits
from ofsted_kg.query_workers import QueryFailed, QueryTimeout, QueryWorkers
from ofsted_kg.results import negotiate
from ofsted_kg.search_route import search_route
from ofsted_kg.store import open_store
from ofsted_kg.web import Front, Pages, PagesBusy, PageSlots, busy

GENERATION_HEADER = "X-Ofsted-KG-Generation"
# ?format= on /api/queries/NAME -> the media type asked for ("xml" is the results' format;
# csv-excel is CSV that Excel opens as UTF-8).
API_FORMATS = {**{f.name: f.media_type for f in SERVED_GRAPHS}, **{f.name: f.media_type for f in RESULTS},
               "csv-excel": "text/csv"}
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Limits:
    """Everything that bounds what one request, or many, can take from the server."""

    timeout: float = 10.0  # seconds from a request's arrival to its answer
    max_rows: int = 100_000
    workers: int = 2
    worker_memory_mb: int = 2048  # address space of a query worker (RLIMIT_AS)
    max_waiting: int = 64  # requests waiting for a worker
    max_body_bytes: int = 1_048_576
    max_query_chars: int = MAX_QUERY_CHARS
    max_depth: int = MAX_DEPTH
    header_timeout: float = 10.0  # seconds to send a request's headers
    keep_alive: int = 5  # seconds an idle connection stays open
    max_connections: int = 512
    allowed_hosts: tuple[str, ...] = ()  # besides the address served on (and loopback names)
    allow_service: tuple[str, ...] = ()  # SERVICE endpoints allowed, besides OFSTED_KG_ALLOW_SERVICE's
    finish_seconds: float = 60.0  # past the deadline, for a stored query to finish and be kept


class _BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def warm_queries() -> list[str]:
    """What a server works out after each build: every stored query with its defaults, and
    its examples for the parameters it needs (the pages' and the documentation's links)."""
    texts = []
    for query in stored_queries().values():
        needed = {p.name: str(p.example) for p in query.parameters if p.required and not p.default and p.example}
        with contextlib.suppress(OfstedKgError):
            texts.append(prepare(query.name, needed))
    return texts


def answer_query(store: Any, sparql: str, accept: str, max_rows: int) -> tuple[bytes, str]:
    """Run in a query worker: the serialised answer and its media type."""
    return negotiate(store.query(sparql), accept, max_rows)


async def _read_body(request: Request, limit: int, deadline: float) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _BadRequest(413, f"the request body is over {limit:,} bytes")
    body = bytearray()

    async def collect() -> None:
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > limit:
                raise _BadRequest(413, f"the request body is over {limit:,} bytes")

    try:
        await asyncio.wait_for(collect(), max(0.0, deadline - time.monotonic()))
    except (asyncio.TimeoutError, TimeoutError) as error:
        raise _BadRequest(408, "the request body did not arrive in time") from error
    return bytes(body)


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _BadRequest(400, "the request body is not UTF-8") from error


def _form(body: bytes) -> dict[str, list[str]]:
    try:
        return urllib.parse.parse_qs(_text(body), encoding="utf-8", errors="strict")
    except UnicodeDecodeError as error:
        raise _BadRequest(400, "the form is not UTF-8") from error


def _plain(message: str, status: int) -> Response:
    headers = {"Connection": "close"} if status in (408, 413) else None
    return PlainTextResponse(f"{message}\n", status_code=status, headers=headers)


def create_app(store_path: Path | str, limits: Limits | None = None, keep_answers: bool = True,
               host: str = "127.0.0.1") -> Any:
    limits = limits or Limits()
    open_store(store_path, read_only=True).close()  # a missing or broken store fails here, at once
    query_limits = QueryLimits.from_environment(limits.allow_service, max_chars=limits.max_query_chars,
                                                max_depth=limits.max_depth)
    pool = QueryWorkers(store_path, answer_query, size=limits.workers, keep_answers=keep_answers,
                        memory_bytes=limits.worker_memory_mb * 2**20 if limits.worker_memory_mb else None,
                        max_waiting=limits.max_waiting, limits=query_limits,
                        finish_seconds=limits.finish_seconds, warm=warm_queries)
    # No local path in any answer, whatever an error message says.
    paths = sorted({str(Path(store_path)), str(Path(store_path).resolve())}, key=len, reverse=True)

    def scrub(message: str) -> str:
        for path in paths:
            message = message.replace(path, "the store")
        return message

    def arrival(request: Request) -> float:
        return request.scope.get("ofsted_kg_arrival", time.monotonic())

    # Stopping a worker and sending the answer take a moment, and more on a loaded
    # machine (the soak test saw the server's one thread a second behind): the work
    # itself ends that much before the deadline.
    reserve = min(1.0, limits.timeout / 5)
    pages = Pages(store_path, keep_answers)
    # Pages, searches and coverage counts run in this process, where no deadline can stop
    # them: no more of them at once than there are workers.
    slots = PageSlots(limits.workers, limits.timeout - reserve)

    async def answer(request: Request, sparql: str, accept: str, stored: bool = False) -> Response:
        deadline = arrival(request) + limits.timeout - reserve
        if len(sparql) > query_limits.max_chars:
            return _plain(f"the query is too long ({len(sparql):,} characters; at most "
                          f"{query_limits.max_chars:,})", 400)
        # The other checks (depth, SERVICE) run in the worker, before the engine parses the
        # query (OxigraphStore.query): lexing a long query takes milliseconds of processor
        # that the server's one thread needs for reading and answering requests.
        try:
            # A stored query's cost is bounded (its text is ours): it may finish past the deadline.
            (body, media), generation = await pool.run(sparql, accept, limits.max_rows, deadline, finish=stored)
        except QueryTimeout as error:
            response = _plain(f"{error} ({limits.timeout:g} s)", 503)
            if error.retry_after:
                response.headers["Retry-After"] = str(error.retry_after)
            return response
        except QueryFailed as error:
            status = {"too_large": 413, "bad": 400, "too_complex": 400, "resources": 503, "busy": 503}.get(
                error.kind, 500)
            return _plain(scrub(str(error)), status)
        headers = {GENERATION_HEADER: generation or "none", "Cache-Control": "no-cache",
                   "Vary": "Accept"}
        return Response(body, media_type=media, headers=headers)

    async def sparql(request: Request) -> Response:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        deadline = arrival(request) + limits.timeout - reserve
        try:
            if request.method in ("GET", "HEAD"):
                update, texts = "update" in request.query_params, request.query_params.getlist("query")
            elif content_type == "application/sparql-update":
                update, texts = True, []
            elif content_type == "application/sparql-query":
                update, texts = False, [_text(await _read_body(request, limits.max_body_bytes, deadline))]
            else:
                # application/x-www-form-urlencoded, as the protocol says; parsed here rather
                # than with a multipart library the protocol does not need.
                form = _form(await _read_body(request, limits.max_body_bytes, deadline))
                update, texts = "update" in form, form.get("query") or []
        except _BadRequest as error:
            return _plain(str(error), error.status)
        if update:
            return _plain("this endpoint is read-only: no updates", 403)
        if len(texts) > 1:  # the protocol allows one; taking the first or the last would be a guess
            return _plain(f"give one SPARQL query as 'query', not {len(texts)}", 400)
        text = texts[0] if texts else None
        if not text:
            return _plain("give a SPARQL query as 'query'", 400)
        return await answer(request, str(text), request.headers.get("accept", ""))

    async def refuse(request: Request) -> Response:
        if request.method in ("GET", "HEAD"):
            return PlainTextResponse("the Graph Store is not served here; use /sparql\n", status_code=404)
        return PlainTextResponse("this endpoint is read-only\n", status_code=405, headers={"Allow": "GET"})

    async def queries(request: Request) -> Response:
        return JSONResponse([{
            "name": q.name, "summary": q.summary, "description": q.description, "tags": q.tags,
            "parameters": [{"name": p.name, "type": p.type, "required": p.required and not p.default,
                            "default": p.default, "example": p.example} for p in q.parameters],
            "url": f"/api/queries/{q.name}",
        } for q in stored_queries().values()])

    async def run_query(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in stored_queries():
            return PlainTextResponse(f"unknown query {name!r}; see /api/queries\n", status_code=404)
        pairs = request.query_params.multi_items()
        # Counted once each: a list's count() per key is quadratic in a URL of thousands of keys.
        counts = Counter(key for key, _ in pairs)
        if repeated := sorted(key for key, count in counts.items() if count > 1):
            return _plain(f"give each parameter once ({', '.join(repeated)} given more than once)", 400)
        values = dict(pairs)
        fmt = values.pop("format", None)  # a link's choice, before Accept
        if fmt is not None and fmt not in API_FORMATS:
            return _plain(f"unknown format {fmt!r}; choose from {', '.join(API_FORMATS)}", 400)
        try:
            text = prepare(name, values)
        except OfstedKgError as error:
            return _plain(scrub(str(error)), 400)
        covered: dict[str, str] = {}
        if is_national(get_query(name)):  # the answer says what it covers, in headers
            try:
                counted = await slots.run(request.scope, lambda: coverage(pages.store, values.get("as_at")))
                covered = counted.headers()
            except OfstedKgError:
                pass  # a bad as_at: the query's own answer says so
            except PagesBusy:
                return busy()
        response = await answer(request, text, API_FORMATS[fmt] if fmt else request.headers.get("accept", ""),
                                stored=True)
        if response.status_code == 200:
            response.headers.update(covered)
            if fmt == "csv-excel":  # a byte order mark, so that Excel reads the CSV as UTF-8
                response.body = "\ufeff".encode() + response.body
                response.headers["Content-Length"] = str(len(response.body))
                response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response

    async def openapi(request: Request) -> Response:
        return JSONResponse(openapi_document(limits))

    async def index(request: Request) -> Response:
        return JSONResponse({"service": "ofsted-kg", "version": __version__, "sparql": "/sparql",
                             "queries": "/api/queries", "openapi": "/openapi.json"})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool.start()  # the workers open the store now, before the first request is read
        await run_in_threadpool(pool.wait_ready, 60)
        yield
        pool.close()

    api = Starlette(lifespan=lifespan, routes=[
        Route("/", index),
        Route("/sparql", sparql, methods=["GET", "HEAD", "POST"]),
        Route("/store", refuse, methods=["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH"]),
        Route("/api/queries", queries),
        Route("/api/queries/{name}", run_query, methods=["GET"]),
        Route("/openapi.json", openapi),
        search_route(store_path, slots),
    ])
    # The Host check guards the pages (and the instance IRIs), in front of the API, as well.
    hosts = sorted({host, *LOOPBACK_NAMES, *limits.allowed_hosts} - {"0.0.0.0", "::", ""})
    guarded = TrustedHostMiddleware(Front(api, pages, slots), allowed_hosts=hosts)
    return _stamp_arrival(guarded)


def _stamp_arrival(app: Any) -> Any:
    """The time a request's headers arrived, from which its deadline counts; each answer
    says how long after it it was sent (``Server-Timing: total;dur=`` milliseconds)."""
    async def stamped(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        arrived = scope["ofsted_kg_arrival"] = time.monotonic()

        async def timed(message: dict) -> None:
            if message["type"] == "http.response.start":
                took = f"total;dur={(time.monotonic() - arrived) * 1000:.0f}".encode()
                message = {**message, "headers": [*message.get("headers", []), (b"server-timing", took)]}
            await send(message)

        await app(scope, receive, timed)

    return stamped


_SCHEMA = {"iri": {"type": "string", "format": "uri"}, "integer": {"type": "integer"},
           "date": {"type": "string", "format": "date"}, "string": {"type": "string"},
           "authority": {"type": "string"}}


def openapi_document(limits: Limits | None = None) -> dict:
    """OpenAPI 3 for the stored queries, from their #+ headers (as grlc does)."""
    paths = {}
    for query in stored_queries().values():
        parameters = [{
            "name": p.name, "in": "query", "required": bool(p.required and not p.default),
            "schema": {**_SCHEMA[p.type], **({"default": p.default} if p.default else {}),
                       **allowed_values(query, p.name)},
            **({"example": p.example} if p.example else {}),
            **({"description": "an authority by name, Ofsted URN, DfE LA code or ONS GSS code"}
               if p.type == "authority" else {}),
        } for p in query.parameters]
        paths[f"/api/queries/{query.name}"] = {"get": {
            "summary": query.summary, "description": query.description, "tags": query.tags,
            "operationId": query.name.replace("-", "_"), "parameters": parameters,
            "responses": _RESPONSES,
        }}
    limits = limits or Limits()
    description = (
        f"Read-only. Limits of this server: an answer within {limits.timeout:g} s of the request's "
        f"arrival (waiting included, else 503); at most {limits.max_rows:,} rows (else 413); "
        f"{limits.max_waiting} requests waiting for one of {limits.workers} query workers (else 503); "
        f"{limits.max_connections} connections (else 503); a body of {limits.max_body_bytes:,} bytes "
        f"(else 413), sent within the time limit (else 408); request headers within "
        f"{limits.header_timeout:g} s (else the connection is closed); a query of "
        f"{limits.max_query_chars:,} characters nested at most {limits.max_depth} deep (else 400); "
        f"{limits.worker_memory_mb} MiB per query worker (else 503). A stored query still running at "
        f"the time limit gets 503 with Retry-After and goes on for at most {limits.finish_seconds:g} s, "
        f"so that its answer is kept for the next request; after each build the stored queries are "
        f"worked out ahead of requests. Pages are worked out {limits.workers} at a "
        f"time (else 503 at the time limit). SERVICE is refused unless its "
        f"endpoint is allowed. Each answer names the store generation it comes from in the "
        f"{GENERATION_HEADER} header.")
    return {"openapi": "3.0.3", "info": {"title": "ofsted-kg stored queries", "version": __version__,
                                         "description": description},
            "paths": paths}


_RESPONSES = {
    "200": {"description": "W3C SPARQL results", "content": {m: {} for m in media_types(RESULTS)},
            "headers": {GENERATION_HEADER: {"description": "the store generation the answer comes from",
                                            "schema": {"type": "string"}}}},
    "400": {"description": "a parameter is unknown or of the wrong type, or the query is too long or "
                           "too deeply nested, or uses SERVICE"},
    "408": {"description": "the request body did not arrive within the time limit"},
    "413": {"description": "the answer has more rows than the limit, or the body is too large"},
    "503": {"description": "the query could not be answered within the time limit, the server is busy, "
                           "or the query needed more memory than a worker may have"},
}


class _GuardedH11(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, with a time limit on request headers: a connection
    that has not sent a whole request's headers within ``header_timeout`` of opening,
    or of its last answer, is closed (uvicorn alone waits for ever)."""

    header_timeout = 10.0

    def connection_made(self, transport: Any) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def _arm(self) -> None:
        watched = self.cycle

        def expire() -> None:
            if self.cycle is watched and not self.transport.is_closing():
                self.transport.close()

        self.loop.call_later(self.header_timeout, expire)

    def on_response_complete(self) -> None:
        self._arm()  # before super(): it may start the next pipelined request at once
        super().on_response_complete()


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, or a one-line error (a port in use) before anything is printed."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        reason = "the port is in use" if error.errno == 98 else (error.strerror or str(error))
        raise OfstedKgError(f"cannot listen on {host} port {port}: {reason}") from error
    sock.listen(2048)
    return sock


def serve(store_path: Path | str, sock: socket.socket, limits: Limits | None = None,
          keep_answers: bool = True) -> None:
    limits = limits or Limits()
    host = sock.getsockname()[0]
    protocol = type("Protocol", (_GuardedH11,), {"header_timeout": limits.header_timeout})
    config = uvicorn.Config(create_app(store_path, limits, keep_answers, host), http=protocol,
                            log_level="error", limit_concurrency=limits.max_connections,
                            timeout_keep_alive=limits.keep_alive, h11_max_incomplete_event_size=16 * 1024)
    uvicorn.Server(config).run(sockets=[sock])
