"""Content negotiation: which of the offered media types a request prefers."""

from __future__ import annotations

from ofsted_kg.formats import SERVED_GRAPHS, choose, named, names

# The triples of an instance IRI: in Turtle, JSON-LD or N-Triples (media type -> name).
RDF_TYPES = {f.media_type: f.name for f in SERVED_GRAPHS if f.name != "xml"}
# ?format= on an instance IRI -> the media type asked for.
FORMAT_NAMES = {name: named(name, SERVED_GRAPHS).media_type  # type: ignore[union-attr]
                for name in names(SERVED_GRAPHS) if name != "xml"} | {"html": "text/html"}


def wants_html(accept: str) -> bool:
    return choose(accept, ["text/html", *RDF_TYPES, "application/json"], "application/json") == "text/html"
