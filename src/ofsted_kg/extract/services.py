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
from itertools import accumulate, chain

from rdflib import Graph
from rdflib.namespace import SKOS

from ofsted_kg.facts import ServiceTag
from ofsted_kg.resources import data_dir

_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")


# A label's words as a tree: each word leads to the words that may follow it, and the
# key "" (never a word) holds the service of the label that ends there.
_Trie = dict[str, "_Trie | str"]


@cache
def _tries() -> tuple[_Trie, _Trie]:
    """Labels in lower case, then labels in capitals (abbreviations), as trees of words;
    a reading stops at the first word that cannot continue a label."""
    graph = Graph().parse(data_dir("ontology") / "services.ttl", format="turtle")
    lower: dict[tuple[str, ...], str] = {}
    caps: dict[tuple[str, ...], str] = {}
    for concept, notation in sorted(graph.subject_objects(SKOS.notation)):
        for predicate in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            for label in graph.objects(concept, predicate):
                words = tuple(_WORD.findall(str(label).replace("\u2019", "'").replace("\u2018", "'")))
                if not words:
                    continue
                table, key = (caps, words) if str(label).isupper() else (lower, tuple(w.lower() for w in words))
                for ending in ("", "s", "es"):
                    table.setdefault(key[:-1] + (key[-1] + ending,), str(notation))
    tries: list[_Trie] = []
    for table in (lower, caps):
        root: _Trie = {}
        for key, service in table.items():
            node = root
            for word in key:
                node = node.setdefault(word, {})  # type: ignore[assignment]
            node[""] = service
        tries.append(root)
    return tries[0], tries[1]


def _longest(trie: _Trie, words: list[str], start: int, limit: int) -> tuple[int, str | None]:
    """The end and the service of the longest label in ``words[start:limit]`` from ``start``."""
    longest: tuple[int, str | None] = (0, None)
    node = trie
    for end in range(start + 1, limit + 1):
        node = node.get(words[end - 1])  # type: ignore[assignment]
        if node is None:
            break
        if "" in node:
            longest = (end, node[""])  # type: ignore[assignment]
    return longest


def tag_services(text: str) -> list[ServiceTag]:
    """The services ``text`` names, each with the first words that matched (longest first)."""
    found: dict[str, str] = {}
    for _, service, words in services_by_sentence(text)[0]:
        found.setdefault(service, words)
    return [ServiceTag(service, found[service]) for service in sorted(found)]


def services_by_sentence(text: str, breaks: list[int] | tuple[int, ...] = ()
                         ) -> tuple[list[tuple[int, str, str]], list[str]]:
    """(sentence, service, first words that matched) for each service named in each
    sentence of ``text``, by sentence then service; ``breaks`` are the offsets where sentences 1, 2...
    start. A label never runs over a break. The text is read into words once; they are
    returned too, in lower case (the model's words, see ``tagging._rules``)."""
    lower, caps = _tries()
    plain = text.replace("\u2019", "'").replace("\u2018", "'")
    # A break follows white space, so no word runs over it: the text's words are its
    # sentences' words one after another.
    bounds = list(zip((0, *breaks), (*breaks, len(plain)), strict=True))
    pieces = [_WORD.findall(plain, start, end) for start, end in bounds]
    original = pieces[0] if len(pieces) == 1 else list(chain.from_iterable(pieces))
    ends = list(accumulate(map(len, pieces)))
    found: dict[tuple[int, str], tuple[int, int]] = {}
    folded = list(map(str.lower, original))
    in_lower = [i for i, word in enumerate(folded) if word in lower]
    in_caps = [i for i, word in enumerate(original) if word in caps]
    for start in sorted({*in_lower, *in_caps}) if in_caps else in_lower:
        sentence = bisect_right(ends, start)
        # The longest label from here; of two as long, the one in lower case.
        end, service = _longest(lower, folded, start, ends[sentence])
        if in_caps:
            in_capitals = _longest(caps, original, start, ends[sentence])
            if in_capitals[0] > end:
                end, service = in_capitals
        if service is not None:
            found.setdefault((sentence, service), (start, end))
    spans: dict[int, list[re.Match[str]]] = {}  # each sentence's words where they are, when needed
    named = []
    for (sentence, service), (start, end) in sorted(found.items()):
        if sentence not in spans:
            spans[sentence] = list(_WORD.finditer(plain, *bounds[sentence]))
        first = ends[sentence - 1] if sentence else 0
        where = spans[sentence]
        words = text[where[start - first].start(): where[end - 1 - first].end()]
        named.append((sentence, service, " ".join(words.split())))
    return named, folded
