"""Find the services a text names, by the labels of ``ontology/services.ttl``.

Every tag says which words matched, so a user can see why a finding was tagged. Labels
match whole words, with an optional plural ending, any mix of spaces and hyphens, and
either kind of apostrophe; a label in capitals (an abbreviation: MASH, IRO, LADO)
matches only in capitals, so 'pep' in a sentence is not a personal education plan.

Texts and labels are compared as sequences of words looked up in a table, not with one
regular expression per service: a report has hundreds of paragraphs and this is the
inner loop of building the graph.
"""

from __future__ import annotations

import re
from functools import cache

from rdflib import Graph
from rdflib.namespace import SKOS

from ofsted_kg.facts import ServiceTag
from ofsted_kg.resources import data_dir

_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")


def _words(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text.replace("\u2019", "'").replace("\u2018", "'")))


@cache
def _table() -> tuple[dict[tuple[str, ...], str], dict[tuple[str, ...], str], int]:
    """(lower-case word sequences, capitals sequences) -> service notation; longest label."""
    graph = Graph().parse(data_dir("ontology") / "services.ttl", format="turtle")
    lower: dict[tuple[str, ...], str] = {}
    caps: dict[tuple[str, ...], str] = {}
    longest = 1
    for concept, notation in sorted(graph.subject_objects(SKOS.notation)):
        for predicate in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            for label in graph.objects(concept, predicate):
                words = tuple(m.group(0) for m in _words(str(label)))
                if not words:
                    continue
                table, key = (caps, words) if str(label).isupper() else (lower, tuple(w.lower() for w in words))
                longest = max(longest, len(key))
                for ending in ("", "s", "es"):
                    table.setdefault(key[:-1] + (key[-1] + ending,), str(notation))
    return lower, caps, longest


@cache
def _first_words() -> tuple[frozenset[str], frozenset[str]]:
    lower, caps, _ = _table()
    return frozenset(k[0] for k in lower), frozenset(k[0] for k in caps)


def tag_services(text: str) -> list[ServiceTag]:
    """The services ``text`` names, each with the first words that matched (longest first)."""
    lower, caps, longest = _table()
    words = _words(text)
    original = [m.group(0) for m in words]
    folded = [w.lower() for w in original]
    found: dict[str, str] = {}
    starts_lower, starts_caps = _first_words()
    for start in range(len(words)):
        if folded[start] not in starts_lower and original[start] not in starts_caps:
            continue
        for length in range(min(longest, len(words) - start), 0, -1):
            end = start + length
            service = lower.get(tuple(folded[start:end])) or caps.get(tuple(original[start:end]))
            if service:
                if service not in found:
                    found[service] = " ".join(text[words[start].start(): words[end - 1].end()].split())
                break
    return [ServiceTag(service, found[service]) for service in sorted(found)]
