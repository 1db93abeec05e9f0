"""Every format ofsted-kg reads or writes, in one table.

The command line's ``--format`` choices, the server's content negotiation, ``?format=``
on the pages, and the suffixes of data files that ``load`` and ``validate`` read are all
taken from ``FORMATS``. Graph formats and SPARQL results formats have names of their
own (``xml`` is RDF/XML for a graph, SPARQL results XML for a table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    rdf: ox.RdfFormat | None = None  # None: a SPARQL results format
    suffixes: tuple[str, ...] = ()  # of the files read in this format
    aliases: tuple[str, ...] = ()  # other names for --format and ?format=
    media_aliases: tuple[str, ...] = ()  # other media types that ask for it


FORMATS = (
    Format("turtle", "text/turtle", ox.RdfFormat.TURTLE, (".ttl", ".turtle"), ("ttl",)),
    Format("ntriples", "application/n-triples", ox.RdfFormat.N_TRIPLES, (".nt",), ("nt",)),
    Format("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD, (".jsonld", ".json"), ("json-ld",)),
    Format("trig", "application/trig", ox.RdfFormat.TRIG, (".trig",)),
    Format("nquads", "application/n-quads", ox.RdfFormat.N_QUADS, (".nq",)),
    Format("xml", "application/rdf+xml", ox.RdfFormat.RDF_XML, (".rdf", ".owl")),
    Format("json", "application/sparql-results+json", media_aliases=("application/json",)),
    Format("xml", "application/sparql-results+xml", media_aliases=("application/xml",)),
    Format("csv", "text/csv"),
    Format("tsv", "text/tab-separated-values"),
)
GRAPHS = tuple(f for f in FORMATS if f.rdf is not None)
RESULTS = tuple(f for f in FORMATS if f.rdf is None)
# The graph formats a query's triples and an instance IRI are served in.
SERVED_GRAPHS = tuple(f for f in GRAPHS if f.name in ("turtle", "ntriples", "jsonld", "xml"))


def names(formats: tuple[Format, ...], aliases: bool = True) -> list[str]:
    return [name for f in formats for name in (f.name, *(f.aliases if aliases else ()))]


def named(name: str, formats: tuple[Format, ...]) -> Format | None:
    return next((f for f in formats if name in (f.name, *f.aliases)), None)


def media_types(formats: tuple[Format, ...]) -> list[str]:
    return [media for f in formats for media in (f.media_type, *f.media_aliases)]


def by_media(media: str, formats: tuple[Format, ...]) -> Format:
    return next(f for f in formats if media in (f.media_type, *f.media_aliases))


def rdf_suffixes() -> dict[str, ox.RdfFormat]:
    """The data files read as RDF, by suffix."""
    return {suffix: f.rdf for f in GRAPHS for suffix in f.suffixes if f.rdf is not None}


_QVALUE = re.compile(r"0(\.[0-9]{0,3})?|1(\.0{0,3})?")


def choose(accept: str, offered: list[str], default: str) -> str:
    """The offered media type the client prefers most (q-values honoured; ``*/*`` and
    ``type/*`` match), or the default when it names none of them."""
    best, best_q = default, 0.0
    for position, part in enumerate(accept.split(",")):
        media, *parameters = (piece.strip() for piece in part.split(";"))
        media = media.lower()
        q = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                # RFC 9110's qvalue, nothing else: float() would read "nan" (which sorts as 1,
                # the best) and "1e309"; a malformed weight makes its type not wanted.
                value = value.strip()
                q = float(value) if _QVALUE.fullmatch(value) else 0.0
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
