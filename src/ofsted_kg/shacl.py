"""A SHACL validator that compiles shapes to SPARQL and runs them on Oxigraph.

pySHACL evaluates every constraint for every focus node in Python; on the whole corpus
that takes several seconds, and grows with the graph. Here the constraints become SPARQL
queries that find all their violations at once: one per count constraint, one for all the
constraints on a property's values, one per SPARQL constraint. Each query first finds the
few values or nodes that break a constraint and only then joins them with the shape's
targets, which Oxigraph answers in milliseconds per report and in about 2 s for the
whole corpus graph. The shapes stay plain SHACL files: this module supports the parts of
SHACL they use (sh:targetClass; property shapes on a predicate or its inverse with
sh:minCount, sh:maxCount, sh:datatype, sh:nodeKind, sh:class, sh:pattern, sh:in,
sh:minLength, sh:maxLength, sh:minInclusive, sh:maxInclusive, sh:minExclusive,
sh:maxExclusive; SHACL-SPARQL sh:select constraints that bind ``$this``
in a triple pattern) and refuses any other constraint rather than ignore it. The tests
check that it reports exactly what pySHACL reports on every example file. Validating one
graph's nodes (a report), the property shapes are checked in Python on each node's values
instead: 70 queries were most of the time a report's validation took.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from operator import ge, gt, le, lt

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from ofsted_kg.errors import ValidationError
from ofsted_kg.namespaces import RDF, RDFS, SH, XSD

_SUPPORTED = {SH.path, SH.minCount, SH.maxCount, SH.datatype, SH.nodeKind, SH["class"], SH.pattern, SH.flags,
              SH["in"], SH.minLength, SH.maxLength, SH.minInclusive, SH.maxInclusive, SH.minExclusive,
              SH.maxExclusive, SH.message, SH.severity, SH.name, SH.description, RDF.type,
              RDFS.comment, RDFS.label}
_TERMS = {"IRI": ox.NamedNode, "Literal": ox.Literal, "Blank": ox.BlankNode}
_NODE_KINDS = {SH.IRI: ("IRI",), SH.Literal: ("Literal",), SH.BlankNode: ("Blank",), SH.BlankNodeOrIRI: (
    "Blank", "IRI"), SH.BlankNodeOrLiteral: ("Blank", "Literal"), SH.IRIOrLiteral: ("IRI", "Literal")}
_COMPARISONS = {SH.minInclusive: (">=", ge), SH.maxInclusive: ("<=", le), SH.minExclusive: (">", gt),
                SH.maxExclusive: ("<", lt)}


def _nt(term) -> str:
    """An rdflib term in SPARQL / N-Triples syntax."""
    return term.n3()


@dataclass(frozen=True)
class Problem:
    """One sh:ValidationResult, with terms in N-Triples syntax (IRIs in <>)."""

    severity: str  # the IRI of sh:Violation, sh:Warning or sh:Info
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str
    component: str
    constraint: str | None = None  # the sh:SPARQLConstraint node, for SPARQL results

    @property
    def severity_name(self) -> str:
        return self.severity.rsplit("#", 1)[-1].rstrip(">")

    def key(self) -> tuple:
        """What two validators must agree on (messages may be worded apart)."""
        return (self.severity, self.focus, self.path, self.value, self.shape, self.component)


@dataclass
class Check:
    """One constraint: what a result of it says."""

    shape: str
    component: str
    severity: str
    message: str
    path: str | None
    constraint: str | None = None  # the sh:SPARQLConstraint node, for SPARQL results
    flag: str | None = None  # the variable true in the rows that violate it; None: every row
    test: Callable[..., bool | None] | None = None  # in Python: is it violated? None: undecided


@dataclass
class CheckQuery:
    """One query returning ?this (and ?value, ?path) for the violations of its checks.

    The constraints on one property's values share a query, with a flag per constraint:
    each query is a pass over every value of the property."""

    query: str
    checks: list[Check]
    targets: frozenset[str] = frozenset()  # the classes whose instances it is about
    path: tuple[ox.NamedNode, bool] | None = None  # a property shape's predicate and whether inverse


_XSD_STRING = f"^^<{XSD.string}>"


def canonical(nt: str | None) -> str | None:
    """N-Triples with the simple-literal form of xsd:string literals, as both engines agree."""
    return nt[: -len(_XSD_STRING)] if nt and nt.endswith(_XSD_STRING) else nt


def _ox_nt(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return canonical(str(term))


class ShapesProgram:
    """The shapes of a graph, compiled once, run on any Oxigraph store."""

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.queries: list[CheckQuery] = []
        for shape in sorted(set(shapes.subjects(SH.targetClass, None)), key=str):
            self._compile_node_shape(shape)

    # -- compiling ---------------------------------------------------------------------

    def _message(self, node) -> str:
        messages = list(self.shapes.objects(node, SH.message))
        english = [m for m in messages if getattr(m, "language", None) in (None, "en")]
        return str((english or messages or [""])[0])

    def _severity(self, node) -> str:
        return _nt(self.shapes.value(node, SH.severity) or SH.Violation)

    def _targets(self, shape) -> frozenset[str]:
        return frozenset(str(c) for c in self.shapes.objects(shape, SH.targetClass))

    def _target(self, shape) -> str:
        classes = sorted(self.shapes.objects(shape, SH.targetClass), key=str)
        branches = [f"{{ ?this a/<{RDFS.subClassOf}>* {_nt(c)} }}" for c in classes]
        return " UNION ".join(branches) + " {FOCUS}"

    def _path(self, node) -> str:
        path = self.shapes.value(node, SH.path)
        if isinstance(path, URIRef):
            return _nt(path)
        inverse = self.shapes.value(path, SH.inversePath) if isinstance(path, BNode) else None
        if isinstance(inverse, URIRef):
            return "^" + _nt(inverse)
        raise ValidationError(f"shape {node}: only a predicate or its inverse is supported as sh:path")

    def _compile_node_shape(self, shape) -> None:
        target = self._target(shape)
        for prop in sorted(self.shapes.objects(shape, SH.property), key=str):
            self._compile_property_shape(shape, prop, target)
        for constraint in sorted(self.shapes.objects(shape, SH.sparql), key=str):
            self._compile_sparql(shape, constraint, target)

    def _compile_property_shape(self, node_shape, prop, target: str) -> None:
        unknown = {p for p in self.shapes.predicates(prop, None)} - _SUPPORTED
        if unknown:
            raise ValidationError(f"shape {prop}: unsupported SHACL constraint(s) {sorted(map(str, unknown))}")
        path = self._path(prop)
        result_path = None if path.startswith("^") else path
        common = {"shape": _nt(prop) if isinstance(prop, URIRef) else _nt(node_shape),
                  "severity": self._severity(prop), "message": self._message(prop), "path": result_path}
        g = self.shapes
        targets = self._targets(node_shape)
        on = (ox.NamedNode(path.strip("^<>")), path.startswith("^"))

        def check(component: str, flag: str | None = None, test: Callable | None = None) -> Check:
            return Check(component=_nt(SH[component]), flag=flag, test=test, **common)

        # Counting constraints. Each query finds its few candidates first and only then
        # joins them with the target: joining every focus node first (a GROUP BY over all
        # of them) took 0.3 s per property on the corpus graph, this 0.02 to 0.1 s.
        if (n := g.value(prop, SH.minCount)) is not None and int(n) > 0:
            below = (f"SELECT ?this WHERE {{ {target} MINUS {{ ?this {path} ?value }} }}" if int(n) == 1 else
                     f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {path} ?value }} }} "
                     f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {int(n)})")
            self.queries.append(CheckQuery(below, [check("MinCountConstraintComponent", test=lambda values, n=int(
                n): len(values) < n)], targets, on))
        if (n := g.value(prop, SH.maxCount)) is not None:
            self.queries.append(CheckQuery(
                f"SELECT ?this WHERE {{ {{ SELECT ?this WHERE {{ ?this {path} ?value }} GROUP BY ?this "
                f"HAVING (COUNT(DISTINCT ?value) > {int(n)}) }} {target} }}",
                [check("MaxCountConstraintComponent", test=lambda found, n=int(n): len(found) > n)], targets, on))

        # Constraints on each value: one pass over the values, a flag per constraint, and
        # only the values that break one are joined with the target.
        conditions: list[tuple[Check, str]] = []
        typed: list[str] = []  # sub-selects of the instances of sh:class classes

        def value_check(component: str, condition: str, test: Callable | None, on_error: bool = False) -> None:
            # ``on_error``: whether a value whose condition raises an error (a comparison
            # with a value of another type) violates the constraint, as for the ranges.
            flag = f"violates_{len(conditions)}"
            conditions.append((check(component, flag, test), f"COALESCE({condition}, {str(on_error).lower()})"))

        if (datatype := g.value(prop, SH.datatype)) is not None:
            value_check("DatatypeConstraintComponent", f"!isLiteral(?value) || DATATYPE(?value) != <{datatype}>",
                        lambda v, _, d=str(datatype): not isinstance(v, ox.Literal) or v.datatype.value != d)
        if (kind := g.value(prop, SH.nodeKind)) is not None:
            kinds = _NODE_KINDS[kind]
            value_check("NodeKindConstraintComponent", f"!({' || '.join(f'is{k}(?value)' for k in kinds)})",
                        lambda v, _, k=tuple(_TERMS[k] for k in kinds): not isinstance(v, k))
        for cls in sorted(g.objects(prop, SH["class"]), key=str):
            # An OPTIONAL sub-select of the class's instances, not NOT EXISTS: Oxigraph
            # evaluated the NOT EXISTS anew for each value (1.5 s on the corpus graph).
            instance = f"instance_{len(typed)}"
            typed.append(f"OPTIONAL {{ SELECT ?value (true AS ?{instance}) WHERE {{ "
                         f"?value a/<{RDFS.subClassOf}>* {_nt(cls)} }} }}")
            value_check("ClassConstraintComponent", f"!BOUND(?{instance})", lambda v, classes_of, c=str(cls): (
                c not in classes_of(v)))
        if (pattern := g.value(prop, SH.pattern)) is not None:
            flags = g.value(prop, SH.flags)
            regex = f"REGEX(STR(?value), {_nt(Literal(str(pattern)))}" + (
                f", {_nt(Literal(str(flags)))})" if flags else ")")
            # Python's and Oxigraph's regular expressions differ at line breaks ("." and "$"
            # at \n and \r) and in their flags: such values are left to SPARQL.
            value_check("PatternConstraintComponent", f"isBlank(?value) || !{regex}", None if flags else (
                lambda v, _, r=re.compile(str(pattern)): isinstance(v, ox.BlankNode) or (
                    None if "\n" in v.value or "\r" in v.value else not r.search(v.value))))
        if (members := g.value(prop, SH["in"])) is not None:
            allowed = [_nt(t) for t in Collection(g, members)]
            # Literals are compared by value in SPARQL: only a list of IRIs is checked in Python.
            value_check("InConstraintComponent", f"?value NOT IN ({', '.join(allowed)})", lambda v, _, a=set(
                allowed): str(v) not in a if all(m.startswith("<") for m in a) else None)
        if (n := g.value(prop, SH.minLength)) is not None:
            value_check("MinLengthConstraintComponent", f"isBlank(?value) || STRLEN(STR(?value)) < {int(n)}",
                        lambda v, _, n=int(n): isinstance(v, ox.BlankNode) or len(v.value) < n)
        if (n := g.value(prop, SH.maxLength)) is not None:
            value_check("MaxLengthConstraintComponent", f"isBlank(?value) || STRLEN(STR(?value)) > {int(n)}",
                        lambda v, _, n=int(n): isinstance(v, ox.BlankNode) or len(v.value) > n)
        for predicate, (operator, holds) in _COMPARISONS.items():
            if (bound := g.value(prop, predicate)) is not None:  # in Python for integers, else in SPARQL
                name = str(predicate).rsplit("#", 1)[-1]
                value_check(f"{name[0].upper()}{name[1:]}ConstraintComponent",
                            f"!(?value {operator} {_nt(bound)})",
                            (lambda v, _, b=int(bound), holds=holds: not holds(int(v.value), b) if isinstance(
                                v, ox.Literal) and v.datatype.value == _INTEGER_IRI and _INTEGER.fullmatch(v.value)
                             else None) if bound.datatype == XSD.integer else None, on_error=True)
        if conditions:
            binds = " ".join(f"BIND ({condition} AS ?{c.flag})" for c, condition in conditions)
            any_flag = " || ".join(f"?{c.flag}" for c, _ in conditions)
            flags = " ".join("?" + c.flag for c, _ in conditions)
            self.queries.append(CheckQuery(
                f"SELECT DISTINCT ?this ?value {flags} WHERE {{ {{ SELECT ?this ?value {flags} WHERE {{ "
                f"?this {path} ?value . {' '.join(typed)} {binds} FILTER ({any_flag}) }} }} {target} }}",
                [c for c, _ in conditions], targets, on))

    def _prefixes(self, constraint) -> str:
        lines = []
        for holder in self.shapes.objects(constraint, SH.prefixes):
            for declaration in self.shapes.objects(holder, SH.declare):
                prefix = self.shapes.value(declaration, SH.prefix)
                namespace = self.shapes.value(declaration, SH.namespace)
                lines.append(f"PREFIX {prefix}: <{namespace}>")
        return "\n".join(lines)

    def _compile_sparql(self, node_shape, constraint, target: str) -> None:
        select = str(self.shapes.value(constraint, SH.select))
        body = re.sub(r"\$this\b", "?this", select)
        where = re.search(r"\bWHERE\s*\{", body, re.IGNORECASE)
        if not where or "?this" not in body[where.end():]:
            raise ValidationError(f"constraint {constraint}: its SELECT must bind $this in its WHERE clause")
        query = self._prefixes(constraint) + "\n" + body[: where.end()] + f" {target} " + body[where.end():]
        self.queries.append(CheckQuery(query, [Check(
            shape=_nt(node_shape), component=_nt(SH.SPARQLConstraintComponent),
            # In SHACL the severity is the shape's, not the constraint's.
            severity=self._severity(node_shape), message=self._message(constraint), path=None,
            constraint=_nt(constraint) if isinstance(constraint, URIRef) else None,
        )], self._targets(node_shape)))

    # -- running -----------------------------------------------------------------------

    def run(self, store: ox.Store, focus_graph: str | None = None, threads: int = 1,
            subjects: set | None = None) -> list[Problem]:
        """Every result of every check; ``focus_graph`` limits focus nodes to its subjects,
        checks of classes they are not instances of are skipped, and property shapes are
        checked in Python where that gives the query's answer for certain (``subjects``: the focus graph's).

        With ``threads`` > 1 the queries run side by side (Oxigraph lets go of Python's
        lock while it evaluates: 2 threads validated the corpus graph in 0.55x the time).
        """
        focus = (f"FILTER EXISTS {{ GRAPH <{focus_graph}> {{ ?this ?focus_p ?focus_o }} }}"
                 if focus_graph else "")
        todo, found = self.queries, []
        if focus_graph:
            nodes = _Nodes(store, focus_graph, subjects)
            todo = [q for q in self.queries if q.targets & nodes.instances.keys()]
            checked = {id(q): nodes.check(q) for q in todo if q.path and all(c.test for c in q.checks)}
            found = [some for some in checked.values() if some is not None]
            todo = [q for q in todo if checked.get(id(q)) is None]

        def results(compiled: CheckQuery) -> list[Problem]:
            query = compiled.query.replace("{FOCUS}", focus)
            try:
                solutions = store.query(query, use_default_graph_as_union=True)
                variables = {v.value for v in solutions.variables}
                return [_problem(check, row, variables) for row in solutions for check in compiled.checks
                        if check.flag is None or _true(row[check.flag])]
            except (SyntaxError, ValueError, OSError) as error:
                raise ValidationError(f"the check of {compiled.checks[0].shape} cannot run: {error}") from error

        if threads > 1 and len(todo) > 1:
            with ThreadPoolExecutor(threads) as pool:
                found += pool.map(results, todo)
        else:
            found += [results(q) for q in todo]
        problems = {problem for some in found for problem in some}
        return sorted(problems, key=lambda p: (p.focus, p.shape, p.path or "", p.value or "", p.message))


_RDF_TYPE, _SUBCLASS = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(RDFS.subClassOf))
_INTEGER, _INTEGER_IRI = re.compile(r"[+-]?[0-9]{1,18}"), str(XSD.integer)


class _Nodes:
    """The subjects of one graph in a store, by class (and superclass), and their values."""

    def __init__(self, store: ox.Store, graph: str, subjects: set | None = None) -> None:
        self.store, self.known, self.types, self.values = store, {}, {}, {}
        self.instances: dict[str, list] = {}
        if subjects is None:
            subjects = {q.subject for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}
        for node in subjects:
            for cls in self.classes_of(node):
                self.instances.setdefault(cls, []).append(node)

    def classes_of(self, node) -> set[str]:
        if node not in self.types:
            self.types[node] = set() if isinstance(node, ox.Literal) else set().union(
                *(self._closure(q.object) for q in self.store.quads_for_pattern(node, _RDF_TYPE, None)))
        return self.types[node]

    def _closure(self, cls) -> set[str]:
        if cls not in self.known:
            self.known[cls] = {cls.value} if isinstance(cls, ox.NamedNode) else set()
            for quad in self.store.quads_for_pattern(cls, _SUBCLASS, None):
                self.known[cls] |= self._closure(quad.object)
        return self.known[cls]

    def check(self, query: CheckQuery) -> list[Problem] | None:
        """The query's results, or None if some value is not decided here."""
        (predicate, inverse), find, key = query.path, self.store.quads_for_pattern, (query.targets, query.path)
        if key not in self.values:  # the instances' values, for every check on the path
            nodes = dict.fromkeys(n for c in query.targets for n in self.instances.get(c, ()))
            self.values[key] = [(n, {q.subject for q in find(None, predicate, n)} if inverse
                                 else {q.object for q in find(n, predicate, None)}) for n in nodes]
        rows, problems = self.values[key], []
        distinct = set().union(*(values for _, values in rows))
        for check in query.checks:
            if check.flag:  # each value tested once, whichever nodes have it (most are IRIs of a few)
                verdicts = {value: check.test(value, self.classes_of) for value in distinct}
                broken = [(node, value) for node, values in rows for value in values if verdicts[value]] if any(
                    verdicts.values()) else []
            else:
                verdicts = {node: check.test(values) for node, values in rows}
                broken = [(node, None) for node, verdict in verdicts.items() if verdict]
            if None in verdicts.values():
                return None
            variables = {"this", "value"} if check.flag else {"this"}
            problems += [_problem(check, {"this": node, "value": value}, variables) for node, value in broken]
        return problems


def _true(term) -> bool:
    return isinstance(term, ox.Literal) and term.value == "true"


def _problem(check: Check, row: ox.QuerySolution, variables: set[str]) -> Problem:
    value = row["value"] if "value" in variables else None
    path = check.path
    if "path" in variables and row["path"] is not None:
        path = _ox_nt(row["path"])
    message = check.message
    for name in variables:
        message = message.replace("{?" + name + "}", "" if row[name] is None else row[name].value)
    message = message.replace("{$this}", row["this"].value)
    return Problem(
        severity=check.severity, focus=_ox_nt(row["this"]), path=path, value=_ox_nt(value),
        message=message, shape=check.shape, component=check.component, constraint=check.constraint,
    )


def report_graph(problems: list[Problem]) -> Graph:
    """The W3C SHACL validation report of these problems."""
    from rdflib.util import from_n3

    graph = Graph()
    graph.bind("sh", SH)
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(not problems)))
    for problem in problems:
        result = BNode()
        graph.add((report, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        graph.add((result, SH.resultMessage, Literal(problem.message)))
        for predicate, term in ((SH.resultSeverity, problem.severity), (SH.focusNode, problem.focus),
                                (SH.resultPath, problem.path), (SH.value, problem.value),
                                (SH.sourceShape, problem.shape), (SH.sourceConstraintComponent, problem.component),
                                (SH.sourceConstraint, problem.constraint)):
            if term:
                graph.add((result, predicate, from_n3(term)))
    return graph
