"""Run SPARQL on a remote SPARQL 1.1 endpoint (any server: Oxigraph, Virtuoso, Fuseki...).

``RemoteEndpoint.query`` answers like the embedded store does: solutions and booleans
as pyoxigraph results (parsed from the W3C JSON results format), graphs as a
``GraphResult``. Commands and the Python API therefore do not care where a query ran.
The server must treat its default graph as the union of its named graphs (Virtuoso
does; Oxigraph needs ``--union-default-graph``; Fuseki ``unionDefaultGraph``), as the
embedded store does.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pyoxigraph as ox

from ofsted_kg.errors import QueryError, RemoteError
from ofsted_kg.http_client import DeadlineHandler, credentials_in, fetch, shown, with_password
from ofsted_kg.sparql_text import significant, tokens

DEFAULT_TIMEOUT = 60.0
MAX_ANSWER_BYTES = 512 * 2**20
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; anything else (an update) is refused.

    The first keyword past the PREFIX and BASE declarations, read on the query's tokens
    (``sparql_text``) rather than guessed as SPARQLWrapper does, whose guess reads words in
    comments ('a move across frameworks') as update keywords.
    """
    word = next((token.text.upper() for token in significant(tokens(sparql)) if token.kind == "name"
                 and token.text.upper() not in ("PREFIX", "BASE") and not token.text.endswith(":")), "")
    if word not in _FORMS:
        raise QueryError(f"only SELECT, ASK, CONSTRUCT and DESCRIBE queries can be run, not {word or 'nothing'!r}")
    return word


class GraphResult(list):
    """The triples of a CONSTRUCT or DESCRIBE answer, read whole (from an endpoint, or from
    a read-only store that must meet its errors while it can still retry)."""

    def serialize(self, format: ox.RdfFormat) -> bytes:  # noqa: A002 - pyoxigraph's name
        return ox.serialize(self, format=format) or b""


class RemoteEndpoint:
    """A SPARQL 1.1 Protocol endpoint, queried by HTTP POST: a store that is read-only.

    Every request ends within ``timeout`` seconds however the server sends its answer
    (a server dripping bytes included), an answer over ``max_bytes`` is not read
    further, and an answer that does not parse is a one-line ``RemoteError``.
    """

    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = MAX_ANSWER_BYTES) -> None:
        if not url.startswith(("http://", "https://")):
            raise RemoteError("an endpoint is an http:// or https:// URL", shown(url))
        # Credentials written in the URL are sent as Basic authentication, never shown.
        self.url, self.timeout, self.max_bytes = shown(url), timeout, max_bytes
        self.handler = DeadlineHandler()
        self.opener = urllib.request.build_opener(*with_password([self.handler], url, credentials_in(url)))

    read_only = True  # this client sends no updates (push writes through the Graph Store Protocol)

    def close(self) -> None:
        return None

    def query(self, sparql: str) -> Any:
        form = query_form(sparql)
        graph_query = form in ("CONSTRUCT", "DESCRIBE")
        accept = "text/turtle" if graph_query else "application/sparql-results+json"
        request = urllib.request.Request(
            self.url, data=urllib.parse.urlencode({"query": sparql}).encode(), method="POST",
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded",
                     "User-Agent": "ofsted-kg"})
        url = self.url  # shown already: no credentials
        try:
            answer = fetch(self.opener, self.handler, request, self.timeout, self.max_bytes)
        except (urllib.error.URLError, OSError) as error:  # a TimeoutError is an OSError
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError):  # socket.timeout too, since Python 3.10
                raise RemoteError(f"no answer within {self.timeout:g} s", url) from error
            raise RemoteError(f"cannot reach the endpoint ({reason})", url) from error
        message = answer.body[:300].decode("utf-8", "replace").strip()
        if answer.status == 400:
            raise QueryError(f"the endpoint rejected the query: {message}", url)
        if answer.status >= 300:
            raise RemoteError(f"the endpoint answered HTTP {answer.status}: {message}", url)
        try:
            if graph_query:
                return GraphResult(list(ox.parse(answer.body, format=ox.RdfFormat.TURTLE)))
            results = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
            if isinstance(results, ox.QuerySolutions):
                # Rows are parsed as they are read: all of them here, inside this error
                # handling, and the answer is handed on parsed anew.
                for _ in results:
                    pass
                return ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
            return results
        except (SyntaxError, ValueError, OSError) as error:
            kind = answer.content_type or "no content type"
            raise RemoteError(f"the endpoint's answer is not {'Turtle' if graph_query else 'SPARQL results JSON'} "
                              f"({kind}: {' '.join(str(error).split())[:200]})", url) from error
