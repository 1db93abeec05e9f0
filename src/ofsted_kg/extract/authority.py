"""Resolve the authority a report names to one entry of the registry.

Reports name authorities in many ways ("Royal Borough of Greenwich", "City of
Bradford Metropolitan Borough Council", "Bristol City of", "Hull", "Isle of Wight"),
and some name the trust that runs a council's services instead of the council. Names
and texts are both reduced to their core words (no 'council', 'borough', 'city', 'of'...)
before they are compared, so "Isle of Wight" and "Isle Wight" are one name.

A report's authority is the one its title names. The body of the report is read too,
as a check: a title that names a provider serving several councils, or a title whose
authority the body never mentions while it speaks of another, gives an
``uncertain-authority`` problem rather than a guess. A partner council named in
passing on page 1 never replaces the title's authority.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from ofsted_kg.errors import ExtractionError
from ofsted_kg.facts import Authority, Problem
from ofsted_kg.registry import GENERIC_WORDS, by_urn, core_name, load_registry, normalise_name
from ofsted_kg.vocabulary import providers


def _core_text(text: str) -> str:
    """A text's words without the generic ones, as names are compared: 'Isle of Wight
    Council' -> 'isle wight'."""
    return " ".join(w for w in normalise_name(text).split() if w not in GENERIC_WORDS)


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


def _current(key: str) -> Authority:
    # A defunct and a current authority may share a name; prefer the current one.
    candidates = _keys()[key]
    return ([a for a in candidates if a.statistical_neighbours] or list(candidates))[0]


@cache
def _generic_keys() -> tuple[str, ...]:
    """Names made only of generic words ('City of London'), found in the full text."""
    return tuple(k for k in _keys() if all(w in GENERIC_WORDS for w in k.split()))


def _mentions(text: str) -> list[tuple[str, int]]:
    """(core name: a key of ``_keys``, position) of every registry name in ``text``; where
    names overlap the longest wins ('north northamptonshire' is not also 'northamptonshire')."""
    found = [(m.group(1), m.start()) for m in _pattern().finditer(_core_text(text))]
    normal = normalise_name(text)
    for key in _generic_keys():
        found.extend((key, m.start()) for m in re.finditer(rf"\b{re.escape(key)}\b", normal))
    return found


def find_authority(text: str) -> Authority | None:
    """The authority whose name is the longest one in ``text``, or None.

    A shortened name ('Newcastle' for Newcastle upon Tyne) is accepted when its
    word begins exactly one registry name.
    """
    found = {key for key, _ in _mentions(text)}
    if not found:
        words = _first_words()
        found = {words[w] for w in _core_text(text).split() if w in words}
    if not found:
        return None
    return _current(max(found, key=len))


def _providers_in(text: str) -> list[tuple[str, tuple[Authority, ...]]]:
    normal = normalise_name(text)
    registry = by_urn()
    found = []
    for label, urns in providers():
        if re.search(rf"\b{re.escape(normalise_name(label))}\b", normal):
            found.append((label, tuple(registry[u] for u in urns if u in registry)))
    return found


def _counts(text: str) -> Counter[Authority]:
    return Counter(_current(key) for key, _ in _mentions(text))


def resolve_report_authority(title: str, body: str) -> tuple[Authority | None, list[Problem]]:
    """The authority a report is about: the one its title names, checked against its body.

    ``title``: the report's heading on page 1; ``body``: the text of its first pages.
    """
    problems: list[Problem] = []
    named = find_authority(title)
    served = _providers_in(title)
    body_counts = _counts(body)
    if served:
        label, councils = served[0]
        if named not in councils:
            # The title names only the provider ('Inspection of Bradford Children and
            # Families Trust'); a provider of one council names it.
            in_title = [a for a in councils if a in _counts(title)]
            if len(councils) == 1:
                named = councils[0]
            elif len(in_title) == 1:
                named = in_title[0]
            else:
                ranked = sorted(councils, key=lambda a: -body_counts[a])
                named = ranked[0] if ranked and body_counts[ranked[0]] else None
                problems.append(Problem(
                    "uncertain-authority",
                    f"the title names {label}, which runs the services of "
                    f"{', '.join(a.name for a in councils)}, and no one of them",
                    1, title))
    if named is None:
        # No registry name in the title: the body is read, and the authority it names most
        # is taken, with a problem, never silently.
        if body_counts:
            named, count = body_counts.most_common(1)[0]
            problems.append(Problem(
                "uncertain-authority",
                f"the title names no authority of the registry; the text names {named.name} most "
                f"({count} times)", 1, title))
        else:
            problems.append(Problem(
                "unresolved-authority", "the authority the report names is not in the registry", 1, title))
        return named, problems
    # Cross-check: an authority the body never names while it names another many times.
    others = [(a, n) for a, n in body_counts.most_common() if a != named]
    if body_counts[named] == 0 and others and others[0][1] >= 3:
        problems.append(Problem(
            "uncertain-authority",
            f"the title names {named.name}, but the text never does, and names {others[0][0].name} "
            f"{others[0][1]} times; the title was used", 1, title))
    return named, problems


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
    position of its first mention in the core text, in order of mention."""
    found: dict[str, int] = {}
    for key, position in _mentions(text):
        found.setdefault(key, position)
    words = _first_words()
    for match in re.finditer(r"\b\w+\b", _core_text(text)):
        key = words.get(match.group(0))
        if key and not any(key in k or k in key for k in found):
            found.setdefault(key, match.start())
    result: list[tuple[Authority, int]] = []
    for key, position in sorted(found.items(), key=lambda item: item[1]):
        authority = _current(key)
        if authority not in [a for a, _ in result]:
            result.append((authority, position))
    return result
