"""``/api/search?q=...``: the full-text search (``search.py``) as an HTTP route of ``serve``.

Parameters as the command's options: ``q`` (required), ``authority``, ``service``,
``polarity``, ``since`` (YYYY-MM-DD), ``latest`` (true/1), ``limit`` (at most 200).
Answers JSON: a list of hits, most relevant first.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ofsted_kg.errors import OfstedKgError

MAX_LIMIT = 200
_POLARITIES = ("strength", "area-for-improvement", "mixed")


def search_route(store_path: Path | str) -> Route:
    """The route to mount in the app that serves ``store_path``."""

    async def search(request: Request) -> Response:
        from ofsted_kg.search import search as run_search

        params = request.query_params
        text = (params.get("q") or "").strip()
        if not text:
            return PlainTextResponse("give the words to search for as 'q'\n", status_code=400)
        polarity = params.get("polarity") or None
        if polarity and polarity not in _POLARITIES:
            return PlainTextResponse(f"polarity is one of {', '.join(_POLARITIES)}\n", status_code=400)
        since = params.get("since") or None
        try:
            if since:
                date.fromisoformat(since)
            limit = min(MAX_LIMIT, max(1, int(params.get("limit") or 20)))
        except ValueError:
            return PlainTextResponse("since is a date (YYYY-MM-DD) and limit a number\n", status_code=400)
        try:
            hits = await run_in_threadpool(
                run_search, store_path, text, authority=params.get("authority") or None,
                service=params.get("service") or None, polarity=polarity, since=since,
                latest=(params.get("latest") or "").lower() in ("1", "true", "yes"), limit=limit)
        except OfstedKgError as error:
            return PlainTextResponse(f"{error}\n", status_code=400)
        return JSONResponse([hit.as_dict() for hit in hits])

    return Route("/api/search", search, methods=["GET"])
