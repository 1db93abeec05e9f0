"""Facts to RDF: ``map_report`` for one report, ``map_registry`` for the authorities."""

from ofsted_kg.mapping.graph import map_registry, map_report

__all__ = ["map_registry", "map_report"]
