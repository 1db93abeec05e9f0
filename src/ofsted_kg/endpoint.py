"""Run SPARQL on a remote SPARQL 1.1 endpoint (any server: Oxigraph, Virtuoso, Fuseki...).

``RemoteEndpoint.query`` answers like the embedded store does: solutions and booleans
as pyoxigraph results (parsed from the W3C JSON results format), graphs as a
``GraphResult``. Commands and the Python API therefore do not care where a query ran.
The server must treat its default graph as the union of its named graphs (Virtuoso
does; Oxigraph needs ``--union-default-graph``; Fuseki ``unionDefaultGraph``), as the
embedded store does.
"""

from __future__ import annotations

import re
import socket
import urllib.error
from typing import Any

import pyoxigraph as ox
from SPARQLWrapper import ASK, CONSTRUCT, DESCRIBE, JSON, POST, SELECT, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from ofsted_kg.errors import QueryError, RemoteError
from ofsted_kg.results import GraphResult

DEFAULT_TIMEOUT = 60.0
_COMMENT_LINE = re.compile(r"^[ \t]*#.*$", re.MULTILINE)
_PROLOGUE = re.compile(r"\s*(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)", re.IGNORECASE)
_FORMS = {"SELECT": SELECT, "ASK": ASK, "CONSTRUCT": CONSTRUCT, "DESCRIBE": DESCRIBE}


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; anything else (an update) is refused.

    Decided here rather than by SPARQLWrapper, whose guess reads words in comments
    ('a move across frameworks') as update keywords.
    """
    text = _COMMENT_LINE.sub("", sparql)
    while match := _PROLOGUE.match(text):
        text = text[match.end():]
    word = text.strip().split(None, 1)[0].upper() if text.strip() else ""
    word = re.match(r"[A-Z]*", word).group(0)  # 'SELECT*' -> 'SELECT'
    if word not in _FORMS:
        raise QueryError(f"only SELECT, ASK, CONSTRUCT and DESCRIBE queries can be run, not {word or 'nothing'!r}")
    return word


class RemoteEndpoint:
    """A SPARQL 1.1 Protocol endpoint, queried by HTTP POST with a timeout."""

    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        if not url.startswith(("http://", "https://")):
            raise RemoteError("an endpoint is an http:// or https:// URL", url)
        self.url = url
        self.timeout = timeout

    def _wrapper(self, sparql: str) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.url, agent="ofsted-kg")
        wrapper.setMethod(POST)
        wrapper.setTimeout(int(max(1, self.timeout)))
        wrapper.setQuery(sparql)
        return wrapper

    def query(self, sparql: str) -> Any:
        form = query_form(sparql)
        wrapper = self._wrapper(sparql)
        wrapper.queryType = _FORMS[form]
        graph_query = form in ("CONSTRUCT", "DESCRIBE")
        wrapper.setReturnFormat(TURTLE if graph_query else JSON)
        try:
            body = wrapper.query().response.read()
        except SPARQLWrapperException as error:
            # SPARQLWrapper's message carries the server's answer after its own preamble.
            message = str(error).split("Response:", 1)[-1].strip().strip("b'\"") or type(error).__name__
            if type(error).__name__ == "QueryBadFormed":
                raise QueryError(f"the endpoint rejected the query: {message[:300]}", self.url) from error
            raise RemoteError(f"the endpoint answered an error: {message[:300]}", self.url) from error
        except TimeoutError as error:
            raise RemoteError(f"no answer within {self.timeout:g} s", self.url) from error
        except urllib.error.HTTPError as error:
            raise RemoteError(f"the endpoint answered HTTP {error.code} {error.reason}", self.url) from error
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise RemoteError(f"no answer within {self.timeout:g} s", self.url) from error
            raise RemoteError(f"cannot reach the endpoint ({reason})", self.url) from error
        try:
            if graph_query:
                return GraphResult(list(ox.parse(body, format=ox.RdfFormat.TURTLE)))
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as error:
            raise RemoteError(f"the endpoint's answer is not valid ({error})", self.url) from error
