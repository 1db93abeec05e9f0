"""Send the graph to a SPARQL 1.1 server, one named graph per report.

Each graph goes with the Graph Store HTTP Protocol (PUT replaces the graph, so pushing
again duplicates nothing); a server without it can take SPARQL 1.1 Update instead (DROP
and INSERT DATA in one request). ``--only-changed`` sends only graphs whose content
changed since the last push to that server (digests kept in the store's folder).
Credentials come from OFSTED_KG_ENDPOINT_USER and OFSTED_KG_ENDPOINT_PASSWORD or from
~/.netrc, never from the command line, and never appear in messages.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import netrc
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.errors import RemoteError
from ofsted_kg.formats import GRAPHS, media_types
from ofsted_kg.http_client import Answer, DeadlineHandler, credentials_in, fetch, shown, with_password
from ofsted_kg.store import OxigraphStore


@dataclass
class PushSummary:
    sent: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (graph, the server's answer)
    seconds: float = 0.0


def _credentials(url: str) -> tuple[str, str] | None:
    user, password = os.environ.get("OFSTED_KG_ENDPOINT_USER"), os.environ.get("OFSTED_KG_ENDPOINT_PASSWORD")
    if not user and (written := credentials_in(url)):
        user, password = written
    if not user:
        try:
            found = netrc.netrc().authenticators(urllib.parse.urlsplit(url).hostname or "")
        except (OSError, netrc.NetrcParseError):
            found = None
        if found:
            user, _, password = found
    return (user, password or "") if user else None


def _graphs(store: OxigraphStore) -> dict[str, bytes]:
    """Every named graph as sorted N-Triples (so equal content gives equal digests)."""
    by_graph: dict[str, list[ox.Triple]] = {}
    for quad in store.quads():
        if isinstance(quad.graph_name, ox.NamedNode):
            by_graph.setdefault(quad.graph_name.value, []).append(
                ox.Triple(quad.subject, quad.predicate, quad.object))
    return {name: (ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES) or b"")
            for name, triples in sorted(by_graph.items())}


# The answer to a PUT or an update is a few bytes; a graph read back to check a push is
# one report's.
MAX_ANSWER_BYTES = 64 * 2**20
# text/plain: what older servers call N-Triples.
_RDF_TYPES = (*media_types(GRAPHS), "text/plain")


class Pusher:
    """Sends graphs; each request ends within ``timeout`` seconds (however slowly the server
    answers) and reads at most ``MAX_ANSWER_BYTES`` of the answer."""

    def __init__(self, endpoint: str, update_endpoint: str | None = None, timeout: float = 60.0,
                 retries: int = 3) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise RemoteError("a Graph Store endpoint is an http:// or https:// URL", shown(endpoint))
        self.deadline = DeadlineHandler()  # cuts the connections of a request at its deadline
        url = update_endpoint or endpoint  # answers the server's challenge, Basic or Digest
        self.opener = urllib.request.build_opener(*with_password([self.deadline], url, _credentials(url), True))
        # Credentials written in a URL go to the authentication handlers, never in a request line.
        self.endpoint, self.update_endpoint = shown(endpoint), shown(update_endpoint) if update_endpoint else None
        self.timeout, self.retries = timeout, retries
        self._probed = False

    def _fetch(self, request: urllib.request.Request) -> Answer:
        return fetch(self.opener, self.deadline, request, self.timeout, MAX_ANSWER_BYTES)

    def _probe(self) -> None:
        """A request without a body first, so that the server's challenge (if any) is
        known before the first graph is sent."""
        self._probed = True
        with contextlib.suppress(urllib.error.URLError, OSError, RemoteError):
            self._fetch(urllib.request.Request(self.update_endpoint or self.endpoint, method="GET"))

    def _send(self, request: urllib.request.Request) -> Answer:
        if not self._probed:
            self._probe()
        where = shown(request.full_url.split("?")[0])
        for attempt in range(self.retries + 1):
            try:
                answer = self._fetch(request)
                break
            except (urllib.error.URLError, OSError) as error:
                if attempt == self.retries:
                    reason = getattr(error, "reason", error)
                    raise RemoteError(f"cannot reach the server after {self.retries + 1} tries ({reason})",
                                      where) from error
                time.sleep(0.5 * 2**attempt)
        if answer.status >= 300:
            lines = answer.body.decode("utf-8", "replace").strip().splitlines()
            raise RemoteError(f"HTTP {answer.status}: {lines[0][:200] if lines else ''}", where)
        return answer

    def put(self, graph: str, ntriples: bytes) -> None:
        if self.update_endpoint:
            body = f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{ntriples.decode()}\n}} }}"
            request = urllib.request.Request(self.update_endpoint, data=body.encode(), method="POST",
                                             headers={"Content-Type": "application/sparql-update"})
            self._send(request)
            return
        url = f"{self.endpoint}?{urllib.parse.urlencode({'graph': graph})}"
        answer = self._send(urllib.request.Request(url, data=ntriples, method="PUT",
                                                   headers={"Content-Type": "application/n-triples"}))
        if answer.status == 200 and answer.content_type == "text/html":
            self._check_stored(url)

    def _check_stored(self, url: str) -> None:
        """A web page in answer to a PUT may come from a server that is no Graph Store at
        all (and stored nothing): the graph is asked for, and must come back as RDF."""
        answer = self._send(urllib.request.Request(url, method="GET", headers={
            "Accept": "application/n-triples, text/turtle;q=0.9"}))
        if answer.content_type not in _RDF_TYPES:
            raise RemoteError("the server answered with a web page, not as a Graph Store does (HTTP 200 "
                              f"{answer.content_type}); nothing is recorded as sent", shown(url.split("?")[0]))


def push(store: OxigraphStore, pusher: Pusher, only_changed: bool = False,
         progress: Callable[[int], None] | None = None) -> PushSummary:
    """Send every named graph; one failure never stops the others, and a rerun completes."""
    started = time.perf_counter()
    summary = PushSummary()
    # The digests of what was sent, one file per server, beside the store.
    key = hashlib.sha256((pusher.update_endpoint or pusher.endpoint).encode()).hexdigest()[:16]
    state_path = Path(store.path) / f"push-{key}.json"
    try:
        state = json.loads(state_path.read_text()) if state_path.exists() else {}
    except (OSError, ValueError):
        state = {}
    graphs = _graphs(store)
    unreachable = ""
    for graph, ntriples in graphs.items():
        digest = hashlib.sha256(ntriples).hexdigest()
        if unreachable:
            summary.failed.append((graph, f"not sent: {unreachable}"))
        elif only_changed and state.get(graph) == digest:
            summary.unchanged.append(graph)
        else:
            try:
                pusher.put(graph, ntriples)
                summary.sent.append(graph)
                state[graph] = digest
                # Written after each graph, so a push cut short resumes where it stopped.
                state_path.write_text(json.dumps(state, indent=0, sort_keys=True))
            except RemoteError as error:
                summary.failed.append((graph, error.reason))
                if error.reason.startswith("cannot reach"):
                    unreachable = "the server stopped answering"
        if progress:
            progress(1)
    summary.seconds = time.perf_counter() - started
    return summary
