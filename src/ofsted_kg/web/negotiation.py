"""Content negotiation: which of the offered media types a request prefers."""

from __future__ import annotations

RDF_TYPES = {  # media type -> short format name, for the triples of an instance IRI
    "text/turtle": "turtle",
    "application/ld+json": "jsonld",
    "application/n-triples": "ntriples",
}
FORMAT_NAMES = {"ttl": "text/turtle", "turtle": "text/turtle", "jsonld": "application/ld+json",
                "json-ld": "application/ld+json", "nt": "application/n-triples",
                "ntriples": "application/n-triples", "html": "text/html"}


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
