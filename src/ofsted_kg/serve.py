"""A read-only SPARQL 1.1 Protocol endpoint over the embedded store, and every stored query
as a REST resource described by an OpenAPI document made from the query headers.

Starlette routes the requests and uvicorn serves them. Updates of any kind are refused.
A query has a time limit and a row limit. Queries run in worker processes
(``query_workers``): one that runs past the time limit gets a 503 answer and its worker
is killed, so its work stops too.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import urllib.parse
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ofsted_kg import __version__
from ofsted_kg.errors import OfstedKgError, ResultTooLarge
from ofsted_kg.query import prepare, stored_queries
from ofsted_kg.query_workers import QueryFailed, QueryTimeout, QueryWorkers
from ofsted_kg.search_route import search_route
from ofsted_kg.store import open_store

_RESULTS = {  # media type -> pyoxigraph results format
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
}
_GRAPHS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def _choose(accept: str, offered: dict[str, Any], default: str) -> str:
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in offered:
            return media
    return default


def answer_query(store: Any, sparql: str, accept: str, max_rows: int) -> tuple[bytes, str]:
    """Run in a query worker: the serialised answer and its media type."""
    return _serialise(store.query(sparql), accept, max_rows)


def _serialise(results: Any, accept: str, max_rows: int) -> tuple[bytes, str]:
    if isinstance(results, ox.QueryBoolean):
        media = _choose(accept, _RESULTS, "application/sparql-results+json")
        return results.serialize(format=_RESULTS[media]), media
    if isinstance(results, ox.QueryTriples):
        media = _choose(accept, _GRAPHS, "text/turtle")
        triples = []
        for triple in results:
            triples.append(triple)
            if len(triples) > max_rows:
                raise ResultTooLarge(f"more than {max_rows} triples; narrow the query")
        return ox.serialize(triples, format=_GRAPHS[media]) or b"", media
    media = _choose(accept, _RESULTS, "application/sparql-results+json")
    variables = results.variables
    rows = []
    for row in results:
        rows.append(row)
        if len(rows) > max_rows:
            raise ResultTooLarge(f"more than {max_rows} rows; narrow the query or add a LIMIT")
    # Re-serialise the collected rows in the W3C format asked for.
    if _RESULTS[media] == ox.QueryResultsFormat.JSON:
        def term(t: Any) -> dict:
            if isinstance(t, ox.NamedNode):
                return {"type": "uri", "value": t.value}
            if isinstance(t, ox.BlankNode):
                return {"type": "bnode", "value": t.value}
            out = {"type": "literal", "value": t.value}
            if t.language:
                out["xml:lang"] = t.language
            elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                out["datatype"] = t.datatype.value
            return out
        names = [v.value for v in variables]
        bindings = [{n: term(r[n]) for n in names if r[n] is not None} for r in rows]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}).encode(), media
    out = io.StringIO()
    names = [v.value for v in variables]
    if _RESULTS[media] == ox.QueryResultsFormat.TSV:
        out.write("\t".join(f"?{n}" for n in names) + "\n")
        for r in rows:
            out.write("\t".join(str(r[n]) if r[n] is not None else "" for n in names) + "\n")
        return out.getvalue().encode(), media
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    for r in rows:
        writer.writerow([r[n].value if r[n] is not None else "" for n in names])
    return out.getvalue().encode(), media


def create_app(store_path: Path | str, timeout: float = 10.0, max_rows: int = 100_000,
               workers: int = 2, keep_answers: bool = True) -> Any:
    open_store(store_path, read_only=True).close()  # a missing or broken store fails here, at once
    pool = QueryWorkers(store_path, answer_query, size=workers, keep_answers=keep_answers)

    async def answer(request: Request, sparql: str) -> Response:
        accept = request.headers.get("accept", "")
        try:
            body, media = await pool.run(sparql, accept, max_rows, timeout)
        except QueryTimeout as error:
            return PlainTextResponse(f"{error}\n", status_code=503)
        except QueryFailed as error:
            status = {"too_large": 413, "bad": 400}.get(error.kind, 500)
            return PlainTextResponse(f"{error}\n", status_code=status)
        return Response(body, media_type=media)

    async def sparql(request: Request) -> Response:
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        if request.method == "GET":
            params = request.query_params
            if "update" in params:
                return PlainTextResponse("this endpoint is read-only: no updates\n", status_code=403)
            text = params.get("query")
        elif content_type == "application/sparql-query":
            text = (await request.body()).decode("utf-8")
        elif content_type == "application/sparql-update":
            return PlainTextResponse("this endpoint is read-only: no updates\n", status_code=403)
        else:
            # application/x-www-form-urlencoded, as the protocol says; parsed here rather
            # than with a multipart library the protocol does not need.
            form = urllib.parse.parse_qs((await request.body()).decode("utf-8", "replace"))
            if "update" in form:
                return PlainTextResponse("this endpoint is read-only: no updates\n", status_code=403)
            text = (form.get("query") or [None])[0]
        if not text:
            return PlainTextResponse("give a SPARQL query as 'query'\n", status_code=400)
        return await answer(request, str(text))

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
        try:
            text = prepare(name, dict(request.query_params))
        except OfstedKgError as error:
            return PlainTextResponse(f"{error}\n", status_code=400)
        return await answer(request, text)

    async def openapi(request: Request) -> Response:
        return JSONResponse(openapi_document())

    async def index(request: Request) -> Response:
        return JSONResponse({"service": "ofsted-kg", "version": __version__, "sparql": "/sparql",
                             "queries": "/api/queries", "openapi": "/openapi.json"})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        pool.close()

    api = Starlette(lifespan=lifespan, routes=[
        Route("/", index),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/store", refuse, methods=["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH"]),
        Route("/api/queries", queries),
        Route("/api/queries/{name}", run_query, methods=["GET"]),
        Route("/openapi.json", openapi),
        search_route(store_path),
    ])
    from ofsted_kg.web import mount  # the pages, and the instance IRIs, in front of the API

    return mount(api, store_path, keep_answers)


_SCHEMA = {"iri": {"type": "string", "format": "uri"}, "integer": {"type": "integer"},
           "date": {"type": "string", "format": "date"}, "string": {"type": "string"},
           "authority": {"type": "string"}}


def openapi_document() -> dict:
    """OpenAPI 3 for the stored queries, from their #+ headers (as grlc does)."""
    from ofsted_kg.parameters import allowed_values
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
            "responses": {
                "200": {"description": "W3C SPARQL results", "content": {m: {} for m in _RESULTS}},
                "400": {"description": "a parameter is unknown or of the wrong type"},
                "503": {"description": "the query ran past the time limit"},
            },
        }}
    return {"openapi": "3.0.3", "info": {"title": "ofsted-kg stored queries", "version": __version__},
            "paths": paths}


def serve(store_path: Path | str, host: str, port: int, timeout: float, max_rows: int, workers: int = 2,
          keep_answers: bool = True) -> None:
    import uvicorn

    uvicorn.run(create_app(store_path, timeout, max_rows, workers, keep_answers), host=host, port=port,
                log_level="warning")
