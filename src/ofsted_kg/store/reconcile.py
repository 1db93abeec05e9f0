"""Match the inspections articles speak of to the official ones in the graph.

An article's inspection of an authority is the official inspection of that authority
(ILACS or SIF, inspection or re-inspection) that fits everything the article says: the
framework its words name, the year it gives, published by the article's date (or by its
earliest reader comment), after any earlier inspection it mentions; of several, the
first after the mentioned one, else the latest. An earlier grade ('from adequate in
2013') is matched to the authority's inspection in that year. The links live in a graph
of their own, rebuilt after every write (``writing``); claims are never merged into the record.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ofsted_kg.config import base_iri
from ofsted_kg.namespaces import OFSTED
from ofsted_kg.resources import internal_query


def _day(term) -> date | None:
    return date.fromisoformat(term.value) if term is not None else None


def reconcile(store: Any) -> int:
    """Rewrite the reconciliation graph (``store`` is a ``writing.Writer``); returns the
    number of links made."""
    official: dict[str, list[dict]] = {}
    for row in store.query(internal_query("official-inspections")):
        official.setdefault(row["authority"].value, []).append({
            "iri": row["inspection"].value, "framework": row["framework"].value,
            "start": _day(row["start"]), "end": _day(row["end"]), "issued": _day(row["issued"]),
        })
    links = []
    for row in store.query(internal_query("claimed-inspections")):
        candidates = [c for c in official.get(row["authority"].value, [])
                      if c["framework"].rsplit("/", 1)[-1] in ("ilacs", "sif")]
        year = int(row["year"].value) if row["year"] is not None else None
        if year:
            chosen = [c for c in candidates if year in (c["start"].year, c["end"].year)][-1:]
        else:
            if row["framework"] is not None:
                candidates = [c for c in candidates if c["framework"] == row["framework"].value]
            bound = _day(row["stated"]) or _day(row["not_after"])
            if bound:
                candidates = [c for c in candidates if (c["issued"] or c["end"]) <= bound]
            mentioned = [int(y) for y in row["mentions"].value.split()] if row["mentions"] is not None else []
            if mentioned:
                later = sorted((c for c in candidates if c["start"].year > max(mentioned)),
                               key=lambda c: c["start"])
                chosen = later[:1]
            else:
                chosen = sorted(candidates, key=lambda c: c["start"])[-1:]
        links.extend((row["claimed"].value, c["iri"]) for c in chosen)
    name = f"{base_iri()}graph/reconciliation"
    ntriples = "\n".join(f"<{a}> <{OFSTED.sameInspectionAs}> <{b}> ." for a, b in links)
    store.replace_graph(name, ntriples)
    return len(links)
