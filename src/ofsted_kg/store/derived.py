"""What is made from the stored reports rather than read from them: the reference graphs
(the vocabulary and the authority registry), the links and shortcuts of
``queries/updates/*.ru``, and the reconciliation of articles with inspections."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ofsted_kg.config import base_iri
from ofsted_kg.resources import authority_registry_file, ontology_files, update_files


def derivation_inputs() -> str:
    """SHA-256 of everything the reference graphs and the derived links are made from:
    the ontology, the registry, the updates, the code that maps and reconciles, the base
    IRI. When it changes, the next write derives everything again."""
    from ofsted_kg import mapping, registry
    from ofsted_kg.store import reconcile

    digest = hashlib.sha256(base_iri().encode())
    for path in [*ontology_files(), authority_registry_file(), *update_files(),
                 *sorted(Path(mapping.__file__).parent.glob("*.py")),
                 *(Path(module.__file__) for module in (registry, reconcile))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def reference_graphs() -> dict[str, str]:
    """The vocabulary and the registry graphs, by name, as N-Triples."""
    from ofsted_kg.mapping import reference_graphs as made

    return {name: graph.ntriples() for name, graph in made().items()}


def derive(writer: Any) -> None:
    """Recompute what is derived across reports (queries/updates/*.ru), then reconcile."""
    from ofsted_kg.store.reconcile import reconcile

    for path in update_files():
        text = path.read_text(encoding="utf-8")
        writer.update(text.replace("BASE <https://w3id.org/ofsted-kg/id/>", f"BASE <{base_iri()}>"))
    reconcile(writer)
