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
from bisect import bisect_right
from functools import cache
from itertools import accumulate

from rdflib import Graph
from rdflib.namespace import SKOS

from ofsted_kg.facts import ServiceTag
from ofsted_kg.resources import data_dir

_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")


_Table = dict[tuple[str, ...], str]


@cache
def _tables() -> tuple[tuple[_Table, frozenset[tuple[str, ...]]], tuple[_Table, frozenset[tuple[str, ...]]]]:
    """For lower-case labels, then labels in capitals: word sequence -> service notation,
    and every sequence that begins a label (so a reading stops at the first word that
    cannot continue one)."""
    graph = Graph().parse(data_dir("ontology") / "services.ttl", format="turtle")
    lower: _Table = {}
    caps: _Table = {}
    for concept, notation in sorted(graph.subject_objects(SKOS.notation)):
        for predicate in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            for label in graph.objects(concept, predicate):
                words = tuple(_WORD.findall(str(label).replace("\u2019", "'").replace("\u2018", "'")))
                if not words:
                    continue
                table, key = (caps, words) if str(label).isupper() else (lower, tuple(w.lower() for w in words))
                for ending in ("", "s", "es"):
                    table.setdefault(key[:-1] + (key[-1] + ending,), str(notation))
    return tuple((table, frozenset(key[:n] for key in table for n in range(1, len(key) + 1)))  # type: ignore[return-value]
                 for table in (lower, caps))


@cache
def _first_words() -> tuple[frozenset[str], frozenset[str]]:
    (lower, _), (caps, _) = _tables()
    return frozenset(key[0] for key in lower), frozenset(key[0] for key in caps)


def tag_services(text: str) -> list[ServiceTag]:
    """The services ``text`` names, each with the first words that matched (longest first)."""
    found: dict[str, str] = {}
    for _, service, words in services_by_sentence(text):
        found.setdefault(service, words)
    return [ServiceTag(service, found[service]) for service in sorted(found)]


def services_by_sentence(text: str, breaks: list[int] | tuple[int, ...] = ()) -> list[tuple[int, str, str]]:
    """(sentence, service, first words that matched) for each service named in each
    sentence of ``text``, by sentence then service; ``breaks`` are the offsets where sentences 1, 2...
    start. A label never runs over a break. The text is read into words once."""
    (lower, lower_starts), (caps, caps_starts) = _tables()
    plain = text.replace("\u2019", "'").replace("\u2018", "'")
    original = _WORD.findall(plain)
    folded = list(map(str.lower, original))
    # A break follows white space, so the words before it are the words of the text before it.
    ends = list(accumulate(len(_WORD.findall(plain, start, end))
                           for start, end in zip((0, *breaks), (*breaks, len(plain)), strict=True)))
    found: dict[tuple[int, str], tuple[int, int]] = {}
    first_lower, first_caps = _first_words()
    in_lower = [i for i, word in enumerate(folded) if word in first_lower]
    in_caps = [i for i, word in enumerate(original) if word in first_caps]
    for start in sorted({*in_lower, *in_caps}) if in_caps else in_lower:
        sentence = bisect_right(ends, start)
        longest: tuple[int, str] | None = None  # the longest label from here; lower case first
        for words, table, starts in ((folded, lower, lower_starts), (original, caps, caps_starts)):
            end = start + 1
            while end <= ends[sentence] and (key := tuple(words[start:end])) in starts:
                if key in table and (longest is None or end > longest[0]):
                    longest = (end, table[key])
                end += 1
        if longest:
            found.setdefault((sentence, longest[1]), (start, longest[0]))
    spans = list(_WORD.finditer(plain)) if found else []
    return [(sentence, service, " ".join(text[spans[start].start(): spans[end - 1].end()].split()))
            for (sentence, service), (start, end) in sorted(found.items())]
