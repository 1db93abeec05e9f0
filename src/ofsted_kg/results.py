"""Write query results: W3C SPARQL results formats (CSV, TSV, JSON), a table, or RDF."""

from __future__ import annotations

from typing import IO, Any

import pyoxigraph as ox

from ofsted_kg.errors import QueryError

_RESULT_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
}
_RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}


class GraphResult:
    """The triples a CONSTRUCT or DESCRIBE query returned from a remote endpoint."""

    def __init__(self, triples: list[ox.Triple]) -> None:
        self.triples = triples

    def __iter__(self) -> Any:
        return iter(self.triples)

    def __len__(self) -> int:
        return len(self.triples)

    def serialize(self, format: ox.RdfFormat) -> bytes:  # noqa: A002 - pyoxigraph's name
        return ox.serialize(self.triples, format=format) or b""


def _plain(term: Any) -> str:
    return "" if term is None else str(term.value)


def rows_of(results: Any) -> tuple[list[str], list[list[str]]]:
    variables = [v.value for v in results.variables]
    return variables, [[_plain(row[v]) for v in variables] for row in results]


def write_table(results: Any, out: IO[str]) -> None:
    variables, rows = rows_of(results)
    widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(variables)]
    widths = [min(w, 60) for w in widths]

    def line(cells: list[str]) -> str:
        return "  ".join(c[:w].ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out.write(line(variables) + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in rows:
        out.write(line(row) + "\n")
    out.write(f"({len(rows)} rows)\n")


def write_results(results: Any, fmt: str, out: IO[str]) -> None:
    if isinstance(results, ox.QueryBoolean):
        out.write(("true" if bool(results) else "false") + "\n")
        return
    if isinstance(results, (ox.QueryTriples, GraphResult)):
        rdf_format = _RDF_FORMATS.get(fmt, ox.RdfFormat.TURTLE)
        out.write(results.serialize(format=rdf_format).decode("utf-8"))
        return
    if fmt == "table":
        write_table(results, out)
    elif fmt in _RESULT_FORMATS:
        out.write(results.serialize(format=_RESULT_FORMATS[fmt]).decode("utf-8"))
    else:
        raise QueryError(f"unknown format {fmt!r} for a SELECT query")
    out.flush()
