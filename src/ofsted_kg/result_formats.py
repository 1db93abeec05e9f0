"""Answers over HTTP: choosing a media type from Accept, and writing the W3C formats.

SELECT and ASK answers are written as SPARQL results JSON, XML, CSV or TSV; CONSTRUCT
and DESCRIBE as Turtle, N-Triples, JSON-LD or RDF/XML. Rows are counted as they are
read, so an answer over the row limit is refused before it is written. SPARQL 1.2
triple terms are written as the 1.2 result formats write them (JSON ``"type":
"triple"``, XML ``<triple>``, N-Triples syntax in CSV and TSV).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ofsted_kg.errors import ResultTooLarge
from ofsted_kg.results import neutralise

RESULT_TYPES = ("application/sparql-results+json", "application/json", "application/sparql-results+xml",
                "application/xml", "text/csv", "text/tab-separated-values")
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def choose(accept: str, offered: tuple[str, ...] | list[str], default: str) -> str:
    """The offered type the client prefers most (q-values honoured; ``*/*`` and
    ``type/*`` match), or the default when it names none of them."""
    best, best_q = default, 0.0
    for position, part in enumerate(accept.split(",")):
        media, *parameters = (piece.strip() for piece in part.split(";"))
        media = media.lower()
        q = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        if media in ("*/*", "*"):
            candidate = default
        elif media.endswith("/*"):
            candidate = next((o for o in offered if o.startswith(media[:-1])), "")
        else:
            candidate = media if media in offered else ""
        # An exact type before a wildcard at the same q: a small bonus that never beats q.
        rank = q + (0.0001 if not media.endswith("*") else 0.0) - position * 1e-7
        if candidate and q > 0 and rank > best_q:
            best, best_q = candidate, rank
    return best


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


def _csv_cell(term: Any) -> str:
    """A CSV cell, neutralised as on the command line (``results.neutralise``): a page's or
    Excel's download must not run a cell as a formula. TSV and JSON keep values as they are."""
    if term is None:
        return ""
    return neutralise(_ntriples(term) if isinstance(term, ox.Triple) else term.value)


_XML_HEAD = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'


def serialise(results: Any, accept: str, max_rows: int) -> tuple[bytes, str]:
    """The answer in the format the client prefers, and that format's media type."""
    if isinstance(results, ox.QueryTriples):
        media = choose(accept, list(GRAPH_TYPES), "text/turtle")
        triples = []
        for triple in results:
            triples.append(triple)
            if len(triples) > max_rows:
                raise ResultTooLarge(f"more than {max_rows} triples; narrow the query")
        return ox.serialize(triples, format=GRAPH_TYPES[media]) or b"", media
    media = choose(accept, RESULT_TYPES, "application/sparql-results+json")
    if isinstance(results, ox.QueryBoolean):
        value = bool(results)
        if media.endswith("xml"):
            return f"{_XML_HEAD}<head/>\n<boolean>{str(value).lower()}</boolean>\n</sparql>\n".encode(), media
        if media in ("text/csv", "text/tab-separated-values"):
            return f"{str(value).lower()}\n".encode(), media
        return json.dumps({"head": {}, "boolean": value}).encode(), media
    names = [variable.value for variable in results.variables]
    rows = []
    for row in results:
        rows.append([row[name] for name in names])
        if len(rows) > max_rows:
            raise ResultTooLarge(f"more than {max_rows} rows; narrow the query or add a LIMIT")
    if media.endswith("json"):
        bindings = [{n: _json_term(t) for n, t in zip(names, row, strict=True) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}).encode(), media
    if media.endswith("xml"):
        out = [_XML_HEAD, "<head>", *(f"<variable name={quoteattr(n)}/>" for n in names), "</head>\n<results>\n"]
        for row in rows:
            cells = "".join(f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                            for n, t in zip(names, row, strict=True) if t is not None)
            out.append(f"<result>{cells}</result>\n")
        out.append("</results>\n</sparql>\n")
        return "".join(out).encode(), media
    if media == "text/tab-separated-values":
        lines = ["\t".join(f"?{n}" for n in names)]
        lines += ["\t".join("" if t is None else _ntriples(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode(), media
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([_csv_cell(t) for t in row] for row in rows)
    return text.getvalue().encode(), media
