"""``/api/search?q=...``: the full-text search (``search.py``) as an HTTP route of ``serve``.

Parameters as the command's options: ``q`` (required), ``authority``, ``service``,
``polarity``, ``since`` (YYYY-MM-DD), ``latest`` (true/1), ``limit`` (at most 200).
Answers JSON: a list of hits, most relevant first.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ofsted_kg.errors import OfstedKgError

MAX_LIMIT = 200
_POLARITIES = ("strength", "area-for-improvement", "mixed")


def search_route(store_path: Path | str, slots: Any = None) -> Route:
    """The route to mount in the app that serves ``store_path``. A search runs in one of the
    pages' ``slots`` (``web.app.PageSlots``: so many at once, 503 when none is free by the
    deadline): after a build the first search remakes the index, tens of seconds on the
    corpus, and before, every search that came meanwhile remade it too, all at once."""
    from ofsted_kg.web import PagesBusy, PageSlots, busy

    slots = slots or PageSlots()
    remaking = threading.Lock()

    def run(text: str, **options: Any) -> list[Any]:
        from ofsted_kg.search import refresh_index
        from ofsted_kg.search import search as run_search

        with remaking:  # one remakes the index; the others then find it made
            refresh_index(store_path)
        return run_search(store_path, text, **options)

    async def search(request: Request) -> Response:
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
        options = {"authority": params.get("authority") or None, "service": params.get("service") or None,
                   "polarity": polarity, "since": since,
                   "latest": (params.get("latest") or "").lower() in ("1", "true", "yes"), "limit": limit}
        try:
            hits = await slots.run(request.scope, lambda: run(text, **options))
        except PagesBusy:
            return busy()
        except OfstedKgError as error:
            return PlainTextResponse(f"{error}\n", status_code=400)
        return JSONResponse([hit.as_dict() for hit in hits])

    return Route("/api/search", search, methods=["GET"])
