"""Content negotiation: which of the offered media types a request prefers."""

from __future__ import annotations

from ofsted_kg.formats import SERVED_GRAPHS, named, names

# The triples of an instance IRI: in Turtle, JSON-LD or N-Triples (media type -> name).
RDF_TYPES = {f.media_type: f.name for f in SERVED_GRAPHS if f.name != "xml"}
# ?format= on an instance IRI -> the media type asked for.
FORMAT_NAMES = {name: named(name, SERVED_GRAPHS).media_type  # type: ignore[union-attr]
                for name in names(SERVED_GRAPHS) if name != "xml"} | {"html": "text/html"}


def preferred(accept: str, offered: list[str], default: str) -> str:
    """The offered media type the Accept header ranks highest (by q, then by order)."""
    ranked = []
    for position, part in enumerate(accept.split(",")):
        fields = [field.strip() for field in part.split(";")]
        media, quality = fields[0].lower(), 1.0
        for field in fields[1:]:
            if field.startswith("q="):
                try:
                    quality = float(field[2:])
                except ValueError:
                    quality = 0.0
        if media:
            ranked.append((-quality, position, media))
    for negative_quality, _, media in sorted(ranked):
        if negative_quality == 0:
            break
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return default
    return default


def wants_html(accept: str) -> bool:
    return preferred(accept, ["text/html", *RDF_TYPES, "application/json"], "application/json") == "text/html"
