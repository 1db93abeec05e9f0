"""What the pages read: the SPARQL files in ``web/queries/`` run on the store, as rows.

These queries belong to the pages, not to the stored-query API, so they live beside the
pages and stay out of ``ofsted-kg query --list``. They use the stored queries' header and
parameter conventions and are bound the same way (values as RDF terms).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ofsted_kg.query import StoredQuery, bind_values, bindings_for, parse_query_file, prepare

QUERY_FOLDER = Path(__file__).parent / "queries"

Row = dict[str, str | None]


@cache
def page_query(name: str) -> StoredQuery:
    return parse_query_file(QUERY_FOLDER / f"{name}.rq")


def page_query_names() -> list[str]:
    return sorted(path.stem for path in QUERY_FOLDER.glob("*.rq"))


def rows_of(results: Any) -> list[Row]:
    names = [variable.value for variable in results.variables]
    return [{name: (None if row[name] is None else row[name].value) for name in names} for row in results]


def select(store: Any, name: str, **values: str) -> list[Row]:
    """Run a page query with its parameters; rows of plain strings (None when unbound)."""
    query = page_query(name)
    return rows_of(store.query(bind_values(query.text, bindings_for(query, values))))


def triples(store: Any, iri: str) -> list[ox.Triple]:
    query = page_query("describe")
    return list(store.query(bind_values(query.text, bindings_for(query, {"resource": iri}))))


def stored(store: Any, name: str, values: dict[str, str]) -> tuple[list[str], list[Row]]:
    """Run a stored query (checked and bound as the API does): its columns and rows."""
    results = store.query(prepare(name, values))
    if isinstance(results, ox.QueryBoolean):
        return ["answer"], [{"answer": "true" if bool(results) else "false"}]
    return [variable.value for variable in results.variables], rows_of(results)
