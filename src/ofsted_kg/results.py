"""The one writer of query answers, for the command line, the server and the pages.

SELECT and ASK answers are written as W3C SPARQL results JSON, XML, CSV or TSV (or, on a
terminal, a table); CONSTRUCT and DESCRIBE answers in a graph format of ``formats``.
Rows are counted as they are read, so an answer over a row limit is refused before it
is written. SPARQL 1.2 triple terms are written as the 1.2 result formats write them
(JSON ``"type": "triple"``, XML ``<triple>``, N-Triples syntax in CSV and TSV).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ofsted_kg.errors import QueryError, ResultTooLarge
from ofsted_kg.formats import GRAPHS, RESULTS, SERVED_GRAPHS, by_media, choose, media_types, named
from ofsted_kg.namespaces import XSD
from ofsted_kg.store import GraphResult

_XSD_STRING = str(XSD.string)
_XML_HEAD = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
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


def _json_term(term: Any) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != _XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>"
                f"{_xml_term(term.predicate)}</predicate><object>{_xml_term(term.object)}</object></triple>")
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != _XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _ntriples(term: Any) -> str:
    """A term in N-Triples syntax; a triple term as SPARQL 1.2 writes it, <<( s p o )>>."""
    if isinstance(term, ox.Triple):
        return f"<<( {_ntriples(term.subject)} {_ntriples(term.predicate)} {_ntriples(term.object)} )>>"
    return str(term)


def _text(term: Any) -> str:
    """A term as a CSV cell or a table shows it: its value (a blank node as _:label)."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode | ox.Triple):
        return _ntriples(term)
    return term.value


def _table(names: list[str], rows: list[list[Any]]) -> str:
    cells = [[_text(t) for t in row] for row in rows]
    widths = [min(60, max([len(n)] + [len(r[i]) for r in cells])) for i, n in enumerate(names)]

    def line(values: list[str]) -> str:
        return "  ".join(c[:w].ljust(w) for c, w in zip(values, widths, strict=True)).rstrip()

    return "\n".join([line(names), "  ".join("-" * w for w in widths), *map(line, cells),
                      f"({len(rows)} rows)"]) + "\n"


def _at_most(items: Any, max_rows: int | None, too_many: str) -> list[Any]:
    """The rows (or triples) read, refused with ``too_many`` as soon as one is over the limit."""
    read = list(items if max_rows is None else itertools.islice(items, max_rows + 1))
    if max_rows is not None and len(read) > max_rows:
        raise ResultTooLarge(too_many)
    return read


def serialise(results: Any, fmt: str, max_rows: int | None = None, safe_csv: bool = True) -> bytes:
    """The answer in the format named (a results format, ``table``, or for the triples of a
    CONSTRUCT or DESCRIBE a graph format, Turtle if the name is none)."""
    if isinstance(results, ox.QueryTriples | GraphResult):
        triples = _at_most(results, max_rows, f"more than {max_rows} triples; narrow the query")
        return ox.serialize(triples, format=(named(fmt, GRAPHS) or GRAPHS[0]).rdf) or b""
    if fmt != "table" and named(fmt, RESULTS) is None:
        raise QueryError(f"unknown format {fmt!r} for a SELECT query")
    if isinstance(results, ox.QueryBoolean):
        value = str(bool(results)).lower()
        if fmt == "xml":
            return f"{_XML_HEAD}<head/>\n<boolean>{value}</boolean>\n</sparql>\n".encode()
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(results)}).encode()
        return f"{value}\n".encode()
    names = [variable.value for variable in results.variables]
    rows = [[row[name] for name in names] for row in
            _at_most(results, max_rows, f"more than {max_rows} rows; narrow the query or add a LIMIT")]
    if fmt == "table":
        return _table(names, rows).encode()
    if fmt == "json":
        bindings = [{n: _json_term(t) for n, t in zip(names, row, strict=True) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}).encode()
    if fmt == "xml":
        out = [_XML_HEAD, "<head>", *(f"<variable name={quoteattr(n)}/>" for n in names), "</head>\n<results>\n"]
        for row in rows:
            cells = "".join(f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                            for n, t in zip(names, row, strict=True) if t is not None)
            out.append(f"<result>{cells}</result>\n")
        out.append("</results>\n</sparql>\n")
        return "".join(out).encode()
    if fmt == "tsv":
        lines = ["\t".join(f"?{n}" for n in names)]
        lines += ["\t".join("" if t is None else _ntriples(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([neutralise(_text(t)) if safe_csv else _text(t) for t in row] for row in rows)
    return text.getvalue().encode()


def negotiate(results: Any, accept: str, max_rows: int) -> tuple[bytes, str]:
    """For a server: the answer in the format the client prefers, and its media type."""
    offered = SERVED_GRAPHS if isinstance(results, ox.QueryTriples | GraphResult) else RESULTS
    media = choose(accept, media_types(offered), offered[0].media_type)
    return serialise(results, by_media(media, offered).name, max_rows), media


def write_results(results: Any, fmt: str, out: IO[str], raw_csv: bool = False) -> None:
    """For the command line: the answer written to ``out``."""
    out.write(serialise(results, fmt, safe_csv=not raw_csv).decode("utf-8"))
    out.flush()
