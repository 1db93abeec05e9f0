"""Write query results: W3C SPARQL results formats (CSV, TSV, JSON), a table, or RDF."""

from __future__ import annotations

import re
from typing import IO, Any

import pyoxigraph as ox

from ofsted_kg.errors import QueryError
from ofsted_kg.store import GraphResult

_RESULT_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
}
_RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}


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


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...),
# =cmd|...): in CSV answers such a cell gets a leading apostrophe, as OWASP's advice on
# CSV injection says, unless it is a plain number (-3, +1.5), which stays as it is.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    if cell.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _csv_cell(term: Any, safe: bool) -> str:
    if term is None:
        return ""
    text = f"_:{term.value}" if isinstance(term, ox.BlankNode) else str(term.value)
    if safe:
        text = neutralise(text)
    if any(c in text for c in ',"\r\n'):
        text = '"' + text.replace('"', '""') + '"'
    return text


def write_csv(results: Any, out: IO[str], safe: bool = True) -> None:
    """W3C SPARQL 1.1 Query Results CSV, with cells that could run as formulas neutralised
    unless ``safe`` is false."""
    variables = list(results.variables)
    out.write(",".join(v.value for v in variables) + "\r\n")
    for row in results:
        out.write(",".join(_csv_cell(row[v], safe) for v in variables) + "\r\n")


def write_results(results: Any, fmt: str, out: IO[str], raw_csv: bool = False) -> None:
    if isinstance(results, ox.QueryBoolean):
        out.write(("true" if bool(results) else "false") + "\n")
        return
    if isinstance(results, (ox.QueryTriples, GraphResult)):
        rdf_format = _RDF_FORMATS.get(fmt, ox.RdfFormat.TURTLE)
        out.write(results.serialize(format=rdf_format).decode("utf-8"))
        return
    if fmt == "table":
        write_table(results, out)
    elif fmt == "csv":
        write_csv(results, out, safe=not raw_csv)
    elif fmt in _RESULT_FORMATS:
        out.write(results.serialize(format=_RESULT_FORMATS[fmt]).decode("utf-8"))
    else:
        raise QueryError(f"unknown format {fmt!r} for a SELECT query")
    out.flush()
