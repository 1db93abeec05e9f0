"""The Python API for notebooks and scripts.

    >>> import ofsted_kg
    >>> graph = ofsted_kg.open_graph("ofsted-kg-store")        # or endpoint="https://..."
    >>> rows = graph.query("authority-history", authority="Greenwich")
    >>> rows[0]["overall_effectiveness"]
    'good'
    >>> rows.to_dataframe()                                     # needs pandas

Values come back as Python values: dates as ``datetime.date``, whole numbers as
``int``, decimals as ``float``, everything else (IRIs included) as ``str``; an unbound
variable is ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ofsted_kg.errors import QueryError
from ofsted_kg.namespaces import XSD
from ofsted_kg.query import StoredQuery, prepare, stored_queries
from ofsted_kg.store import Store, open_reader

_XSD = str(XSD)
_INTEGERS = ("integer", "int", "long", "short", "positiveInteger", "nonNegativeInteger", "negativeInteger",
             "nonPositiveInteger", "unsignedInt", "unsignedLong")
# Literals of these datatypes become Python values; any other term is its text.
_CONVERSIONS: dict[str, Callable[[str], Any]] = {
    **{_XSD + name: int for name in _INTEGERS},
    **{_XSD + name: float for name in ("decimal", "double", "float")},
    _XSD + "date": date.fromisoformat,
    _XSD + "boolean": lambda text: text in ("true", "1"),
}


def to_python(term: Any) -> Any:
    """The Python value of an RDF term (None for an unbound variable)."""
    if term is None:
        return None
    convert = _CONVERSIONS.get(term.datatype.value) if isinstance(term, ox.Literal) else None
    try:
        return convert(term.value) if convert else term.value
    except ValueError:  # a literal that is not what its datatype says: its text
        return term.value


class Rows(list):
    """The rows of a SELECT query: a list of dicts, with the variables in order."""

    def __init__(self, columns: list[str], rows: list[dict[str, Any]]) -> None:
        super().__init__(rows)
        self.columns = columns

    def to_dataframe(self) -> Any:
        try:
            import pandas
        except ImportError as error:
            raise QueryError("to_dataframe() needs pandas: pip install 'ofsted-kg[pandas]'") from error
        return pandas.DataFrame(list(self), columns=self.columns)


def _rows(results: Any) -> Rows | bool | list[Any]:
    if isinstance(results, ox.QueryBoolean):
        return bool(results)
    if not isinstance(results, ox.QuerySolutions):
        return list(results)  # triples of a CONSTRUCT or DESCRIBE
    columns = [variable.value for variable in results.variables]
    return Rows(columns, [{name: to_python(solution[name]) for name in columns} for solution in results])


class KnowledgeGraph:
    """The graph in an embedded store or behind a SPARQL endpoint."""

    def __init__(self, backend: Store) -> None:
        self.backend = backend

    def queries(self) -> dict[str, StoredQuery]:
        """The stored queries, by name, with their titles and parameters."""
        return dict(stored_queries())

    def query(self, name: str, **params: Any) -> Rows | bool | list[Any]:
        """Run a stored query; parameters as keyword arguments (dates may be ``date``)."""
        values = {key: value.isoformat() if isinstance(value, date) else str(value)
                  for key, value in params.items() if value is not None}
        return _rows(self.backend.query(prepare(name, values)))

    def sparql(self, text: str) -> Rows | bool | list[Any]:
        """Run any SPARQL query text."""
        return _rows(self.backend.query(text))

    def search(self, text: str, **filters: Any) -> list[Any]:
        """Findings and recommendations matching ``text``, most relevant first (see
        ``ofsted_kg.search.search`` for the filters: authority, service, polarity, since,
        latest, limit). Needs the embedded store (the index is a file beside it)."""
        from ofsted_kg.search import search

        path = getattr(self.backend, "path", None)
        if path is None:  # a SPARQL endpoint
            raise QueryError("search needs the embedded store, not a SPARQL endpoint")
        return search(path, text, **filters)

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_graph(store: str | Path | None = None, *, endpoint: str | None = None,
               timeout: float | None = None, allow_service: tuple[str, ...] = ()) -> KnowledgeGraph:
    """Open the embedded store (read-only) or a remote SPARQL endpoint.

    Queries on the embedded store may not use SERVICE except to the endpoint IRIs in
    ``allow_service`` (or in OFSTED_KG_ALLOW_SERVICE), and too long or too deeply nested
    a query is a ``QueryError``, never a crash (see ``query_safety``)."""
    return KnowledgeGraph(open_reader(store, endpoint, timeout, allow_service=allow_service))
