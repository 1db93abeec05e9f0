"""Facts to RDF (pyoxigraph terms): ``map_report`` for one report, ``map_article`` for a
secondary source, ``map_data`` for a data file's CSV rows, ``reference_graphs`` for the
vocabulary and the authorities; ``iris`` mints every IRI. Other stages import from here only."""

from __future__ import annotations

from dataclasses import replace

from ofsted_kg.config import base_iri
from ofsted_kg.mapping import iris
from ofsted_kg.mapping.article import article_iri, map_article
from ofsted_kg.mapping.graph import Triples, map_report, reference_graphs
from ofsted_kg.read import DataFile
from ofsted_kg.registry import find


def authority_iri(text: str) -> str:
    """The IRI of the authority a user names (``registry.find``)."""
    return iris.authority(find(text).ofsted_urn)


def map_data(datafile: DataFile, base: str | None = None) -> DataFile:
    """A data file with its triples: a CSV file's rows mapped, each node with its line."""
    from ofsted_kg.mapping.table import map_table

    if datafile.table is None:
        return datafile
    triples, lines = map_table(datafile.table, base or base_iri())
    return replace(datafile, triples=triples.terms(), rows=lines)


__all__ = ["Triples", "article_iri", "authority_iri", "iris", "map_article", "map_data", "map_report",
           "reference_graphs"]
