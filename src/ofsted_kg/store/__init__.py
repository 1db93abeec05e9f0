"""Where the graph is kept, and everything that follows a write.

``Store`` is what every reader needs; two stores implement it, and say what they can do
as rdflib's stores do (``read_only``) rather than being told apart by class:

- ``OxigraphStore`` (``open_store``): the embedded on-disk store (``oxigraph``), which
  keeps answers (``answers``) and names each state it holds (``generation``);
- ``RemoteEndpoint``: a SPARQL 1.1 endpoint (``remote``), always read-only.

Every change goes through ``write`` (``writing``), which then makes again what is derived
(``derived``, ``reconcile``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from ofsted_kg.config import default_store_path
from ofsted_kg.query_safety import QueryLimits
from ofsted_kg.store.generation import read_generation
from ofsted_kg.store.oxigraph import OxigraphStore, open_store
from ofsted_kg.store.remote import DEFAULT_TIMEOUT, GraphResult, RemoteEndpoint
from ofsted_kg.store.writing import Writer, write


class Store(Protocol):
    """What the commands, the server and the Python API ask of a store."""

    read_only: bool

    def query(self, sparql: str) -> Any: ...
    def close(self) -> None: ...


def open_reader(store: Path | str | None = None, endpoint: str | None = None, timeout: float | None = None,
                keep_answers: bool = True, allow_service: tuple[str, ...] = ()) -> Store:
    """A store to read: the SPARQL endpoint if one is named, else the embedded store
    read-only, where SERVICE may call only the endpoints in ``allow_service`` (or in
    OFSTED_KG_ALLOW_SERVICE) and too long or too deep a query is a ``QueryError``."""
    if endpoint:
        return RemoteEndpoint(endpoint, timeout or DEFAULT_TIMEOUT)
    return open_store(store or default_store_path(), read_only=True, keep_answers=keep_answers,
                      limits=QueryLimits.from_environment(allow_service))


__all__ = ["GraphResult", "OxigraphStore", "RemoteEndpoint", "Store", "Writer", "open_reader", "open_store",
           "read_generation", "write"]
