"""Validate a graph against the SHACL shapes in ``shapes/`` with pySHACL.

Non-conformance is a result, not an exception: ``Outcome`` carries the W3C
validation report graph and its text, as pySHACL returns them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pyshacl import validate as shacl_validate
from rdflib import Graph

from ofsted_kg.resources import shape_files


@dataclass
class Outcome:
    conforms: bool
    report: Graph
    text: str

    def first_problem(self) -> str:
        """The first violation's message, for a one-line reason."""
        for line in self.text.splitlines():
            line = line.strip()
            if line.startswith("Message:"):
                return line.removeprefix("Message:").strip()
        return "does not conform to the shapes"


@cache
def load_shapes() -> Graph:
    graph = Graph()
    for path in shape_files():
        graph.parse(path, format="turtle")
    return graph


def validate_graph(data: Graph, extra: Graph | None = None) -> Outcome:
    """Validate ``data``; warnings alone do not make it fail."""
    conforms, report, text = shacl_validate(
        data,
        shacl_graph=load_shapes(),
        ont_graph=extra,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    return Outcome(bool(conforms), report, text)
