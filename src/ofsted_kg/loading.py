"""Adding data files to the store (``load``) and taking them out again (``unload``).

What decides whether data is already stored is what it describes, not the file or graph
it came from. An inspection is the same inspection when it has the same authority,
framework, kind and start date, whatever its IRI; a fact is the same fact when the same
triple is stored in any graph. So a load:

- stores nothing of what is already stored (the export of an authority, loaded back,
  adds nothing: a stored query never sees a fact twice);
- refuses a file that states something else of a stored node (another grade, another
  end date, another digest of a report), one line per differing fact, unless told to
  replace: then the stored description of that inspection (or that fact) is removed
  and the file's is stored, in one transaction;
- leaves alone a file's own provenance of a stored inspection (the CSV row it came
  from), its own label of a stored node, and facts derived across reports (they are
  derived again after every load).

Each file's new facts go into a graph of their own, named after the file's name, path
and content, so no two files share one; ``unload`` removes a graph by name, or every
graph loaded from a file's path.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.config import base_iri
from ofsted_kg.errors import StoreError
from ofsted_kg.mapping import map_data
from ofsted_kg.namespaces import DCTERMS, OFSTED, PREFIXES, PROV, RDF, RDFS
from ofsted_kg.read import read_data
from ofsted_kg.store import OxigraphStore, Writer
from ofsted_kg.validate import validate_triples
from ofsted_kg.validation_output import Checked, locate

_RDF_TYPE = ox.NamedNode(str(RDF.type))
_LABEL = ox.NamedNode(str(RDFS.label))
_ISSUED = ox.NamedNode(str(DCTERMS.issued))
_INSPECTION = ox.NamedNode(str(OFSTED.Inspection))
_DESCRIBED_IN = ox.NamedNode(str(OFSTED.describedIn))
# Where a fact came from is not a fact about the inspection: a second source of a stored
# inspection that says the same adds nothing (and would give every query a second row).
_PROVENANCE = {_DESCRIBED_IN, ox.NamedNode(str(PROV.wasDerivedFrom))}
_KEY = [ox.NamedNode(str(OFSTED[name])) for name in ("authority", "framework", "inspectionKind", "startDate")]
# The store's own graphs that no file may write into or unload.
_DERIVED = ("graph/derived", "graph/links", "graph/reconciliation")
_REFERENCE = ("graph/vocabulary", "graph/authorities")


def loaded_graph(path: Path, sha256: str, base: str | None = None) -> str:
    """The graph a file's facts go into: its name (readable), then a digest of its full
    path and its content's SHA-256, so that two files never share a graph and the same
    file loaded again names the same one."""
    return f"{loaded_prefix(path, base)}{sha256[:12]}"


def loaded_prefix(path: Path, base: str | None = None) -> str:
    """What the graphs of every load of the file at ``path`` begin with."""
    ascii_name = unicodedata.normalize("NFKD", path.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "file"
    where = hashlib.sha256(str(path.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return f"{base or base_iri()}graph/loaded/{slug}-{where}-"


@dataclass
class Plan:
    """What loading one file would do to the store."""

    graph: str
    add: list[ox.Triple] = field(default_factory=list)
    remove: list[ox.Quad] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    same: int = 0  # facts of the file that are already stored
    renamed: dict[str, str] = field(default_factory=dict)  # the file's IRI -> the stored one
    data: list[ox.Triple] = field(default_factory=list)  # the file's facts, as validated

    @property
    def changes(self) -> bool:
        return bool(self.add or self.remove)


def _short(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    if isinstance(term, ox.Literal):
        return term.value if len(term.value) <= 80 else term.value[:77] + "..."
    if isinstance(term, ox.BlankNode):
        return str(term)
    value = term.value
    base = base_iri()
    if value.startswith(base):
        return value[len(base):]
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
        if value.startswith(str(namespace)) and len(value) > len(str(namespace)):
            return f"{prefix}:{value[len(str(namespace)):]}"
    return f"<{value}>"


class _Stored:
    """Questions about the store, with the graphs a file can never speak for left out."""

    def __init__(self, store: OxigraphStore) -> None:
        self.store = store
        base = base_iri()
        self.derived = {ox.NamedNode(base + name) for name in _DERIVED}
        self.reference = {ox.NamedNode(base + name) for name in _REFERENCE}
        self._subjects: dict[ox.NamedNode | ox.BlankNode, bool] = {}
        self.derived_predicates = {
            q.predicate for g in self.derived for q in store.quads(graph=g)}

    def has(self, triple: ox.Triple, besides: set[ox.Quad] | None = None) -> bool:
        """Whether the triple is stored in some graph (other than as one of ``besides``)."""
        return any(besides is None or quad not in besides
                   for quad in self.store.quads(triple.subject, triple.predicate, triple.object))

    def quads(self, subject, predicate=None) -> list[ox.Quad]:
        return [q for q in self.store.quads(subject, predicate)
                if q.graph_name not in self.derived]

    def is_subject(self, subject) -> bool:
        if subject not in self._subjects:
            self._subjects[subject] = bool(self.quads(subject)) if isinstance(subject, ox.NamedNode) else False
        return self._subjects[subject]

    def same_inspection(self, key: list) -> ox.NamedNode | None:
        """A stored inspection with this authority, framework, kind and start date."""
        found = self.store.query(f"SELECT ?i WHERE {{ ?i {_pattern(key)} }} LIMIT 1")
        return next((row["i"] for row in found), None)

    def tree(self, root: ox.NamedNode) -> set[ox.NamedNode]:
        """An inspection and the nodes minted under its IRI (judgements, findings...)."""
        prefix = root.value + "/"
        seen, todo = {root}, [root]
        while todo:
            node = todo.pop()
            linked = [q.object for q in self.store.quads(node)]
            linked += [q.subject for q in self.store.quads(None, None, node)]
            for other in linked:
                if isinstance(other, ox.NamedNode) and other.value.startswith(prefix) and other not in seen:
                    seen.add(other)
                    todo.append(other)
        return seen


def _keys(triples: Iterable[ox.Triple]) -> dict:
    """Each inspection the triples describe with an authority, framework, kind and start
    date, and those four values: what makes it the same inspection whatever its IRI."""
    values = {(t.subject, t.predicate): t.object for t in triples}
    inspections = dict.fromkeys(t.subject for t in triples if t.predicate == _RDF_TYPE and t.object == _INSPECTION)
    return {i: [values[(i, p)] for p in _KEY] for i in inspections if all((i, p) in values for p in _KEY)}


def _pattern(key: list) -> str:
    """The SPARQL pattern of an inspection with these four values (see ``_keys``)."""
    return " ; ".join(f"{p} {value}" for p, value in zip(_KEY, key, strict=True))


def _rename(term, renamed: dict[str, str]):
    if isinstance(term, ox.NamedNode):
        for old, new in renamed.items():
            if term.value == old or term.value.startswith(old + "/"):
                return ox.NamedNode(new + term.value[len(old):])
    return term


def plan_load(store: OxigraphStore, path: Path, sha256: str, triples: list[ox.Triple],
              replace: bool = False) -> Plan:
    """Compare a file's triples with the store: what is new, what is already there, and
    what differs (removed with ``replace``, else the reason to refuse the file)."""
    stored = _Stored(store)
    plan = Plan(loaded_graph(path, sha256))
    if store.has_graph(plan.graph):
        # This very file was loaded before: its blank nodes would not match the stored ones.
        plan.same = len(triples)
        return plan
    # The same inspection under another IRI (a partner's own) is the stored one.
    for subject, key in _keys(triples).items():
        if isinstance(subject, ox.NamedNode) and not stored.is_subject(subject):
            same = stored.same_inspection(key)
            if same is not None:
                plan.renamed[subject.value] = same.value
    if plan.renamed:
        triples = [ox.Triple(_rename(t.subject, plan.renamed), t.predicate, _rename(t.object, plan.renamed))
                   for t in triples]
    plan.data = triples

    file_values: dict = defaultdict(set)
    for triple in triples:
        file_values[(triple.subject, triple.predicate)].add(triple.object)
    differing: dict = {}
    provenance: list[ox.Triple] = []
    candidates: list[ox.Triple] = []
    for triple in triples:
        if triple.predicate in stored.derived_predicates:
            continue  # derived again from what is stored after the load
        if stored.has(triple):
            plan.same += 1
        elif not stored.is_subject(triple.subject):
            candidates.append(triple)
        elif triple.predicate in _PROVENANCE:
            provenance.append(triple)
        elif triple.predicate == _LABEL:
            continue  # a stored node keeps its name
        else:
            differing[(triple.subject, triple.predicate)] = True

    # A source that only describes stored inspections (a CSV row of one) adds nothing;
    # a publication date that differs from the stored report's is a differing fact.
    sources = {t.object for t in provenance}
    referenced = {t.object for t in candidates if t.predicate not in _PROVENANCE}
    dropped = {s for s in sources if not stored.is_subject(s) and s not in referenced}
    redated: set = set()  # stored inspections the file gives another publication date
    for triple in provenance:
        if triple.predicate != _DESCRIBED_IN or triple.object not in dropped:
            continue
        issued = file_values.get((triple.object, _ISSUED), set())
        known = {q.object for report in stored.quads(triple.subject, _DESCRIBED_IN)
                 for q in stored.quads(report.object, _ISSUED)}
        if issued and known and not issued & known:
            redated.add(triple.subject)
            plan.differences.append(
                f"{_short(triple.subject)} publication date: stored {', '.join(sorted(map(_short, known)))}; "
                f"file {', '.join(sorted(map(_short, issued)))}")
    candidates = [t for t in candidates if t.subject not in dropped]
    candidates += [t for t in provenance if t.object not in dropped]
    if dropped and not replace:  # validated as it would be stored
        plan.data = [t for t in triples if t.subject not in dropped and t.object not in dropped]

    for subject, predicate in differing:
        now = {q.object for q in stored.quads(subject, predicate)}
        new = file_values[(subject, predicate)]
        plan.differences.append(
            f"{_short(subject)} {_short(predicate)}: stored {', '.join(sorted(map(_short, now - new))) or '-'}; "
            f"file {', '.join(sorted(map(_short, new - now)))}")
    if plan.differences and replace:
        _plan_replacement(stored, plan, [*differing, *((i, _ISSUED) for i in redated)], triples)
        return plan
    if not plan.differences:
        plan.add = candidates
    return plan


def _plan_replacement(stored: _Stored, plan: Plan, differing: list, triples: list[ox.Triple]) -> None:
    """Remove the stored description of every inspection the file states otherwise (and
    any other differing fact), then store the file's facts that are not left stored."""
    doomed: set[ox.Quad] = set()
    refused = []
    inspections = {s for s in {t.subject for t in triples} if isinstance(s, ox.NamedNode)
                   and any(q.object == _INSPECTION for q in stored.quads(s, _RDF_TYPE))}
    for subject, predicate in differing:
        owner = next((i for i in inspections if subject == i or (
            isinstance(subject, ox.NamedNode) and subject.value.startswith(i.value + "/"))), None)
        if owner is not None:
            for node in stored.tree(owner):
                doomed.update(stored.quads(node))
            continue
        quads = stored.quads(subject, predicate)
        if any(q.graph_name in stored.reference for q in quads):
            refused.append(f"{_short(subject)} {_short(predicate)}: the vocabulary and the authority registry "
                           "are made from ontology/ and the registry file; change them there")
        doomed.update(quads)
    if refused:
        plan.differences = refused
        return
    # Nothing of a replaced description remains: a report's (or a loaded file's) graph that
    # describes only replaced inspections goes whole, its report and findings included.
    owners = {i for i in inspections if any(q in doomed for q in stored.quads(i, _RDF_TYPE))}
    for graph in {q.graph_name for i in owners for q in stored.quads(i, _RDF_TYPE)} - stored.reference:
        if {q.subject for q in stored.store.quads(None, _RDF_TYPE, _INSPECTION, graph)} <= owners:
            doomed.update(stored.store.quads(graph=graph))
    plan.differences = []
    plan.remove = sorted(doomed, key=str)
    plan.add = [t for t in dict.fromkeys(triples)
                if t.predicate not in stored.derived_predicates and not stored.has(t, besides=doomed)]


def store_plan(writer: Writer, plan: Plan) -> None:
    """Apply a plan in one transaction: the removals and the new graph's triples."""
    writer.change(plan.remove, [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(plan.graph))
                               for t in plan.add])


def graphs_to_unload(store: OxigraphStore, name: str) -> list[str]:
    """The graphs ``name`` means: a graph's IRI, or a file whose loads to undo."""
    graphs = store.named_graphs()
    base = base_iri()
    protected = {base + g for g in (*_DERIVED, *_REFERENCE)}
    if name in graphs or name.strip("<>") in graphs:
        graph = name.strip("<>")
        if graph in protected:
            raise StoreError(f"<{graph}> is made by ofsted-kg itself and cannot be unloaded")
        return [graph]
    path = Path(name)
    prefix = loaded_prefix(path)
    found = [g for g in graphs if g.startswith(prefix)]
    if not found:
        raise StoreError("nothing in the store was loaded from this file, and no graph has this name "
                         "(load prints the graph of each file)", name)
    return found


def displaced(store: OxigraphStore, nquads: bytes) -> tuple[list[ox.Quad], list[str]]:
    """What loaded files say of the inspections of a report about to be stored (the same
    authority, framework, kind and start date, whatever the IRI), so that no inspection is
    described twice: the loaded quads the report makes redundant (it states all their
    facts), and the loaded graphs that state something else of one (the report is then
    not stored: the file was loaded, with --replace, to say otherwise)."""
    root = f"{base_iri()}graph/loaded/"
    if not any(g.startswith(root) for g in store.named_graphs()):
        return [], []
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS)}
    remove: list[ox.Quad] = []
    conflicts: list[str] = []
    for inspection, key in _keys(triples).items():
        found = store.query(f"SELECT DISTINCT ?i ?g WHERE {{ GRAPH ?g {{ ?i {_pattern(key)} }} "
                            f"FILTER STRSTARTS(STR(?g), {ox.Literal(root)}) }}")
        for row in found:
            quads, same = _loaded_description(store, row["i"], row["g"], inspection, triples)
            if same:
                remove.extend(quads)
            else:
                conflicts.append(row["g"].value)
    return remove, conflicts


def _loaded_description(store: OxigraphStore, loaded: ox.NamedNode, graph: ox.NamedNode, inspection: ox.NamedNode,
                        report: set[ox.Triple]) -> tuple[list[ox.Quad], bool]:
    """The quads of one loaded inspection (its node, the nodes minted under its IRI, and the
    sources only it names), and whether the report states every fact among them."""
    prefix = loaded.value + "/"
    in_graph = list(store.quads(graph=graph))
    tree = [q for q in in_graph if q.subject == loaded or q.subject.value.startswith(prefix)]
    sources = {q.object for q in tree if q.predicate in _PROVENANCE}
    kept = [q for q in in_graph if q not in set(tree)]
    sources -= {q.object for q in kept}
    quads = tree + [q for q in kept if q.subject in sources]
    renamed = {loaded.value: inspection.value}
    same = all(ox.Triple(_rename(q.subject, renamed), q.predicate, _rename(q.object, renamed)) in report
               for q in tree if q.predicate not in _PROVENANCE and q.predicate != _LABEL)
    return quads, same


def check_file(path: Path, engine: str, store: OxigraphStore | None = None,
               replace: bool = False) -> tuple[Plan | None, Checked | None]:
    """Read a data file and check it as ``load`` does: its plan against the store (if one
    is given), and the file's facts validated, as they would be stored (None if the plan
    already refuses the file or adds nothing)."""
    datafile = map_data(read_data(path))
    plan, triples = None, datafile.triples
    if store is not None:
        plan = plan_load(store, path, datafile.sha256, datafile.triples, replace)
        if plan.differences or not plan.changes:
            return plan, None
        triples = plan.data
    outcome = validate_triples(triples, engine, store, without=set(plan.remove) if plan else None)
    return plan, Checked(path.name, outcome.problems, locate(outcome.store), datafile.rows)
