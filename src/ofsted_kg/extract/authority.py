"""Resolve the authority a report names to one entry of the registry.

Reports name authorities in many ways ("Royal Borough of Greenwich", "City of
Bradford Metropolitan Borough Council", "Bristol City of", "Hull"). Each registry
name is reduced to its core words (no 'council', 'borough', 'city of'...) and the
report's heading is searched for the longest core that it contains as whole words.
"""

from __future__ import annotations

import re
from functools import cache

from ofsted_kg.errors import ExtractionError
from ofsted_kg.facts import Authority
from ofsted_kg.registry import load_registry

_GENERIC = {
    "council", "county", "borough", "city", "of", "metropolitan", "district", "london",
    "royal", "the", "unitary", "authority",
}
_PUNCTUATION = re.compile(r"[^\w\s]")


def normalise_name(text: str) -> str:
    text = text.lower().replace("&", " and ").replace("\u2019", "'").replace("'s", "s")
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def core_name(name: str) -> str:
    words = normalise_name(name).split()
    core = [w for w in words if w not in _GENERIC]
    return " ".join(core) if core else " ".join(w for w in words if w != "council")


@cache
def _keys() -> dict[str, tuple[Authority, ...]]:
    keys: dict[str, list[Authority]] = {}
    for authority in load_registry():
        for name in (authority.name, *authority.alternative_names):
            key = core_name(name)
            if key and authority not in keys.setdefault(key, []):
                keys[key].append(authority)
    return {key: tuple(found) for key, found in keys.items()}


@cache
def _pattern() -> re.Pattern[str]:
    alternatives = sorted(_keys(), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(k) for k in alternatives) + r")\b")


@cache
def _first_words() -> dict[str, str]:
    """Core names by their first word, where no other core name starts with it."""
    by_word: dict[str, list[str]] = {}
    for key in _keys():
        by_word.setdefault(key.split()[0], []).append(key)
    return {word: keys[0] for word, keys in by_word.items() if len(keys) == 1 and len(word) > 4}


def find_authority(text: str) -> Authority | None:
    """The authority whose name is the longest one in ``text``, or None.

    A shortened name ('Newcastle' for Newcastle upon Tyne) is accepted when its
    word begins exactly one registry name.
    """
    normal = normalise_name(text)
    found = {m.group(1) for m in _pattern().finditer(normal)}
    if not found:
        words = _first_words()
        found = {words[w] for w in normal.split() if w in words}
    if not found:
        return None
    longest = max(found, key=len)
    candidates = _keys()[longest]
    if len(candidates) > 1:
        # A defunct and a current authority may share a name; prefer the current one.
        current = [a for a in candidates if a.statistical_neighbours] or list(candidates)
        return current[0]
    return candidates[0]


def resolve_authority(heading: str, fallback: str = "") -> Authority:
    """Resolve the authority named in a report's heading (else in ``fallback`` text)."""
    authority = find_authority(heading) or (find_authority(fallback) if fallback else None)
    if authority is None:
        raise ExtractionError(
            f"the authority named in the report is not in the registry: {heading[:80]!r}"
        )
    return authority


def find_authorities(text: str) -> list[tuple[Authority, int]]:
    """Every registry authority named in ``text`` (by name or unique first word), with the
    position of its first mention in the normalised text, in order of mention."""
    normal = normalise_name(text)
    found: dict[str, int] = {}
    for match in _pattern().finditer(normal):
        found.setdefault(match.group(1), match.start())
    words = _first_words()
    for match in re.finditer(r"\b\w+\b", normal):
        key = words.get(match.group(0))
        if key and not any(key in k or k in key for k in found):
            found.setdefault(key, match.start())
    result = []
    for key, position in sorted(found.items(), key=lambda item: item[1]):
        candidates = _keys()[key]
        current = [a for a in candidates if a.statistical_neighbours] or list(candidates)
        if current[0] not in [a for a, _ in result]:
            result.append((current[0], position))
    return result
