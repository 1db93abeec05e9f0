"""JSON-LD with the package's compact ``@context`` (``ontology/context.jsonld``).

Oxigraph writes JSON-LD in expanded form: full IRIs as keys. Every IRI here falls under
one of the context's prefixes, so compacting is writing each key, ``@id`` and ``@type``
as ``prefix:local``; the ``@context`` makes them expand back to the same triples. The
same context serves the pages' linked data and ``export --format json-ld``.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pyoxigraph as ox

from ofsted_kg.resources import data_dir


@cache
def context() -> dict[str, str]:
    document = json.loads((data_dir("ontology") / "context.jsonld").read_text(encoding="utf-8"))
    return document["@context"]


def _prefixes() -> list[tuple[str, str]]:
    # Longest namespace first, so .../def/area/ wins over .../def#
    return sorted(((ns, p) for p, ns in context().items()), key=lambda pair: -len(pair[0]))


def compact_iri(iri: str, prefixes: list[tuple[str, str]]) -> str:
    for namespace, prefix in prefixes:
        local = iri[len(namespace):]
        # A local part that could read as an IRI or a keyword is left as it was.
        if iri.startswith(namespace) and local and not local.startswith(("/", "@")) and "//" not in local:
            return f"{prefix}:{local}"
    return iri


def _compact(node: Any, prefixes: list[tuple[str, str]]) -> Any:
    if isinstance(node, list):
        return [_compact(item, prefixes) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("@id", "@type") and isinstance(value, str):
            out[key] = compact_iri(value, prefixes)
        elif key == "@type" and isinstance(value, list):
            out[key] = [compact_iri(v, prefixes) for v in value]
        elif key.startswith("@"):
            out[key] = _compact(value, prefixes)
        else:
            out[compact_iri(key, prefixes)] = _compact(value, prefixes)
    return out


def compact(expanded: bytes) -> bytes:
    """Expanded JSON-LD (as Oxigraph writes it) -> the same data with the compact @context."""
    data = json.loads(expanded or b"[]")
    body = _compact(data, _prefixes())
    document = {"@context": context(), "@graph": body if isinstance(body, list) else [body]}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def serialize(items: list[Any]) -> bytes:
    """Triples or quads as compact JSON-LD."""
    return compact(ox.serialize(items, format=ox.RdfFormat.JSON_LD) or b"[]")
