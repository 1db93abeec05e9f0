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

from typing import Any, Protocol

from ofsted_kg.store.generation import read_generation
from ofsted_kg.store.oxigraph import OxigraphStore, open_store
from ofsted_kg.store.remote import GraphResult, RemoteEndpoint
from ofsted_kg.store.writing import Writer, write


class Store(Protocol):
    """What the commands, the server and the Python API ask of a store."""

    read_only: bool

    def query(self, sparql: str) -> Any: ...
    def close(self) -> None: ...


__all__ = ["GraphResult", "OxigraphStore", "RemoteEndpoint", "Store", "Writer", "open_store",
           "read_generation", "write"]
