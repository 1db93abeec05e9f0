"""An authority named as users name it (``registry.find``), as the IRI of the graph."""

from __future__ import annotations

from ofsted_kg.mapping import iris
from ofsted_kg.registry import find

__all__ = ["authority_iri", "find"]


def authority_iri(text: str) -> str:
    return str(iris.authority(find(text).ofsted_urn))
