"""Validation results as people read them: grouped by inspection, in text, JSON or the
W3C SHACL validation report (Turtle)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal

from ofsted_kg.namespaces import DCTERMS, PREFIXES, SH, SHAPES
from ofsted_kg.resources import internal_query
from ofsted_kg.shacl import Problem, report_graph

_SHORT = {**{str(ns): prefix for prefix, ns in PREFIXES.items()}, SHAPES: "shape", str(SH): "sh"}


@dataclass
class Checked:
    """What validating one input gave: its name, problems, and where each node sits."""

    name: str
    problems: list[Problem]
    inspection_of: dict[str, str] = field(default_factory=dict)  # node -> inspection, N-Triples
    rows: dict[str, int] = field(default_factory=dict)  # node IRI -> CSV row

    @property
    def violations(self) -> int:
        return sum(p.severity_name == "Violation" for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.violations

    def row_of(self, node: str) -> int | None:
        return self.rows.get(node.strip("<>"))


def locate(store: ox.Store) -> dict[str, str]:
    """The inspection each inspection, judgement, recommendation and report belongs to."""
    found: dict[str, str] = {}
    for row in store.query(internal_query("inspection-of-node"), use_default_graph_as_union=True):
        found.setdefault(str(row["node"]), str(row["inspection"]))
    return found


def short(term: str | None) -> str:
    """A term with the project's prefixes: <...def#grade> -> ofsted:grade."""
    if not term:
        return ""
    if term.startswith("<") and term.endswith(">"):
        iri = term[1:-1]
        for namespace, prefix in sorted(_SHORT.items(), key=lambda item: -len(item[0])):
            if iri.startswith(namespace) and "/" not in iri[len(namespace):]:
                return f"{prefix}:{iri[len(namespace):]}"
    return term


def _groups(checked: Checked) -> dict[str, list[Problem]]:
    groups: dict[str, list[Problem]] = defaultdict(list)
    for problem in checked.problems:
        groups[checked.inspection_of.get(problem.focus, "")].append(problem)
    return dict(sorted(groups.items(), key=lambda item: (item[0] == "", item[0])))


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render_text(results: list[Checked]) -> str:
    lines = []
    for checked in results:
        verdict = "conforms" if not checked.violations else "does not conform"
        lines.append(f"{checked.name}: {verdict} ({_count(checked.violations, 'violation')}, "
                     f"{_count(checked.warnings, 'warning')})")
        for inspection, problems in _groups(checked).items():
            row = checked.row_of(inspection) if inspection else None
            heading = f"inspection {inspection}" if inspection else "not part of an inspection"
            lines.append(f"  {heading}" + (f" (CSV row {row})" if row else ""))
            for p in problems:
                where = [f"focus {short(p.focus)}"]
                if (focus_row := checked.row_of(p.focus)) and focus_row != row:
                    where.append(f"CSV row {focus_row}")
                if p.path:
                    where.append(f"path {short(p.path)}")
                if p.value:
                    where.append(f"value {short(p.value)}")
                lines.append(f"    {p.severity_name}: {p.message}")
                component = short(p.component).replace("ConstraintComponent", "")
                lines.append(f"      {'; '.join(where)}; shape {short(p.shape)} ({component})")
    return "\n".join(lines) + "\n"


def render_json(results: list[Checked]) -> str:
    payload = []
    for checked in results:
        payload.append({
            "file": checked.name,
            "conforms": not checked.violations,
            "violations": checked.violations,
            "warnings": checked.warnings,
            "results": [{
                "severity": p.severity_name,
                "message": p.message,
                "inspection": checked.inspection_of.get(p.focus, "").strip("<>") or None,
                "row": checked.row_of(p.focus) or checked.row_of(checked.inspection_of.get(p.focus, "")),
                "focus_node": p.focus.strip("<>"),
                "path": p.path.strip("<>") if p.path else None,
                "value": p.value,
                "source_shape": p.shape.strip("<>"),
                "source_constraint": p.constraint.strip("<>") if p.constraint else None,
                "constraint_component": p.component.strip("<>"),
            } for p in checked.problems],
        })
    return json.dumps(payload, indent=2) + "\n"


def render_turtle(results: list[Checked]) -> str:
    """One sh:ValidationReport per input, each naming its input with dcterms:source."""
    merged = Graph()
    merged.bind("sh", SH)
    for prefix, namespace in PREFIXES.items():
        merged.bind(prefix, namespace)
    for checked in results:
        graph = report_graph(checked.problems)
        for report in graph.subjects(None, SH.ValidationReport):
            graph.add((report, DCTERMS.source, Literal(checked.name)))
        mapping: dict[BNode, BNode] = defaultdict(BNode)
        for s, p, o in graph:
            merged.add((mapping[s] if isinstance(s, BNode) else s, p, mapping[o] if isinstance(o, BNode) else o))
    return merged.serialize(format="turtle")
