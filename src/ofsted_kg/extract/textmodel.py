"""A linear model over words and word pairs, scored with NumPy from a JSON file.

The findings tagger's learned part (services and polarity) is trained at development
time with scikit-learn (``bench/findings_training.py``, run by ``bench/findings_eval.py
--train``) and shipped as ``models/findings.json.gz`` (its size is in the README): the
vocabulary with its IDF weights and, for each output, an intercept and a weight per
feature (and the second stage that decides the services' tags, ``stacking.py``). Scoring
it here needs NumPy only (imported when a finding is first scored), not scikit-learn, and
nothing is downloaded at run time. ``features`` is the one analyser both sides use, so
the weights mean the same thing when trained and when applied.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import chain, pairwise, repeat
from pathlib import Path
from typing import Any

from ofsted_kg.extract import stacking

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
MODEL_FILE = Path(__file__).resolve().parent / "models" / "findings.json.gz"


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'").replace("\u2018", "'"))


def features(text: str, extra: tuple[str, ...] = ()) -> list[str]:
    """Words and adjacent word pairs of ``text``, then ``extra`` features (the rules'
    findings, as ``rule:...`` names)."""
    tokens = words(text)
    return tokens + list(map(" ".join, zip(tokens, tokens[1:], strict=False))) + list(extra)


@dataclass(frozen=True)
class Vectorizer:
    """TF-IDF as scikit-learn's TfidfVectorizer computes it (sublinear tf, smooth idf,
    L2 norm), for a fixed vocabulary."""

    idf: dict[str, float]


@dataclass(frozen=True, eq=False)
class Linear:
    """One output per class: intercept plus the weights of the features present."""

    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: tuple[dict[str, float], ...]  # per class, feature -> weight (as the file has them)


@dataclass(frozen=True)
class Scored:
    """A text's features (vocabulary rows and TF-IDF values), each service's probability,
    its polarity class and the features that pushed the text to that class most."""

    rows: Any
    values: Any
    services: list[float]
    polarity: str
    polarity_evidence: list[str]


@dataclass(frozen=True)
class FindingsModel:
    vectorizer: Vectorizer
    services: Linear  # one-vs-rest: a sigmoid per service
    polarity: Linear  # multinomial: a softmax over the polarity classes
    thresholds: dict[str, float]  # 'model' and 'rule' (see tagging.tag_findings)
    about: dict
    stack: dict[str, Any] | None = None  # the second stage (stacking.py), which decides instead of the thresholds

    @cached_property
    def _dense(self) -> tuple[dict[str, int], list[str], Any, Any, Any]:
        """The vocabulary's rows, names and IDF, and one matrix of weights (a row per
        feature, a column per service then per polarity class; 0.0 where none) with its
        intercepts: a text's scores are then one NumPy product over its features' rows.
        Scoring feature by feature in Python made findings most of a build's time."""
        import numpy as np

        names = list(self.vectorizer.idf)
        rows = {name: index for index, name in enumerate(names)}
        weights = self.services.weights + self.polarity.weights
        matrix = np.zeros((len(names), len(weights)))
        for column, row in enumerate(weights):  # a column at a time: a worker does this once at its start
            matrix[np.fromiter(map(rows.__getitem__, row), np.intp, len(row)), column] = list(row.values())
        intercepts = np.asarray(self.services.intercepts + self.polarity.intercepts)
        return rows, names, np.asarray([self.vectorizer.idf[name] for name in names]), matrix, intercepts

    @cached_property
    def decider(self) -> stacking.Decider | None:
        """The second stage, ready to apply (None: the thresholds decide)."""
        return None if self.stack is None else stacking.Decider.of(self.stack)

    @cached_property
    def unnamed_bars(self) -> dict[str, float]:
        """Each service's least probability at which it can be tagged where the rules do not
        name it: the paragraph's other services are skipped at once."""
        if self.decider is None:
            return dict.fromkeys(self.services.classes, self.thresholds["model"])
        return {key: self.decider.lowest_unnamed(key) for key in self.services.classes}

    @cached_property
    def _rank(self) -> Any:
        """Each vocabulary row's place in the names' sorted order: equal pushes are
        ranked by name, as sorting (push, name) pairs did."""
        import numpy as np

        names = self._dense[1]
        rank = np.empty(len(names), dtype=np.intp)
        rank[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
        return rank

    @cached_property
    def _pairs(self) -> dict[tuple[str, str], int]:
        """The rows of the vocabulary's word pairs, by their two words."""
        return {(first, second): row for (first, _, second), row
                in ((name.partition(" "), row) for name, row in self._dense[0].items()) if second}

    def feature_rows(self, tokens: list[str], extra: tuple[str, ...] = ()) -> list[int]:
        """The vocabulary rows of ``features`` of a text whose ``words`` are ``tokens``
        (-1 for a feature not in it), its word pairs looked up without being joined."""
        rows = self._dense[0]
        return [*map(rows.get, tokens, repeat(-1)), *map(self._pairs.get, pairwise(tokens), repeat(-1)),
                *map(rows.get, extra, repeat(-1))]

    def score(self, texts: list[list[str]]) -> list[Scored]:
        """Score each text's features (see ``features``)."""
        rows = self._dense[0]
        return self.score_rows([list(map(rows.get, names, repeat(-1))) for names in texts])

    def score_rows(self, texts: list[list[int]]) -> list[Scored]:
        """Score each text's features, as vocabulary rows (-1 for others): all of a report's
        paragraphs in one pass, each text's weighted rows summed."""
        import numpy as np

        _, _, idf, matrix, intercepts = self._dense
        found = np.fromiter(chain.from_iterable(texts), dtype=np.intp)
        text = np.repeat(np.arange(len(texts)), [len(each) for each in texts])
        known = found >= 0
        # Each text's known features once, with their counts, in the order first seen (as a
        # Counter of each text's names gave them, without building one per text).
        keys, first, tf = np.unique(text[known] * len(idf) + found[known], return_index=True, return_counts=True)
        order = np.argsort(first)
        text, found = np.divmod(keys[order], len(idf))
        weights = (1.0 + np.log(tf[order])) * idf[found]
        norms = np.sqrt(np.bincount(text, weights * weights, minlength=len(texts)))
        values = weights / np.where(norms > 0, norms, 1.0)[text]
        # Each text's rows summed in order, not a matrix product: BLAS's threads cost more
        # than they save at this size, on a machine whose cores the workers already use.
        bounds = np.searchsorted(text, np.arange(len(texts) + 1))
        starts, filled = bounds[:-1], bounds[:-1] < bounds[1:]
        totals = np.tile(intercepts, (len(texts), 1))
        if filled.any():
            totals[filled] += np.add.reduceat(values[:, None] * matrix[found], starts[filled], axis=0)
        split = len(self.services.classes)
        probabilities = (1.0 / (1.0 + np.exp(-np.clip(totals[:, :split], -60.0, 60.0)))).tolist()
        best = totals[:, split:].argmax(axis=1)  # the first of equal scores, as max() takes
        evidence = self._top(found, matrix[found, split + best[text]] * values, text, len(texts), 6)
        bounds = bounds.tolist()
        return [Scored(found[a:b], values[a:b], p, self.polarity.classes[k], names)
                for a, b, p, k, names in zip(bounds[:-1], bounds[1:], probabilities, best.tolist(), evidence,
                                             strict=True)]

    def _top(self, rows: Any, pushes: Any, text: Any, texts: int, top: int) -> list[list[str]]:
        """For each of ``texts`` texts, the names of its ``top`` features with the largest
        positive pushes (of two equal pushes, the larger name first); ``text`` says whose
        each row is, in order. One sort for a whole report, not one per paragraph."""
        import numpy as np

        up = np.flatnonzero(pushes > 0)
        up = up[np.lexsort((-self._rank[rows[up]], -pushes[up], text[up]))]  # by text, then largest first
        kept = up[np.arange(len(up)) - np.searchsorted(text[up], text[up]) < top]
        bounds = np.searchsorted(text[kept], np.arange(texts + 1)).tolist()
        names, kept_rows = self._dense[1], rows[kept].tolist()
        return [[names[row] for row in kept_rows[a:b]] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]

    def evidence(self, scored: Scored, service: str, top: int = 4) -> list[str]:
        """The features that pushed ``service`` up the most."""
        import numpy as np

        column = self.services.classes.index(service)
        pushes = self._dense[3][scored.rows, column] * scored.values
        return self._top(scored.rows, pushes, np.zeros(len(pushes), dtype=np.intp), 1, top)[0]

    @classmethod
    def from_json(cls, data: dict) -> FindingsModel:
        def linear(part: dict) -> Linear:
            return Linear(tuple(part["classes"]), tuple(part["intercepts"]), tuple(part["weights"]))

        return cls(Vectorizer(data["idf"]), linear(data["services"]), linear(data["polarity"]),
                   data["thresholds"], data.get("about", {}), data.get("stack"))

    def to_json(self) -> dict:
        def linear(part: Linear) -> dict:
            return {"classes": list(part.classes), "intercepts": list(part.intercepts),
                    "weights": [dict(sorted(row.items())) for row in part.weights]}

        found = {"about": self.about, "thresholds": self.thresholds,
                 "idf": dict(sorted(self.vectorizer.idf.items())),
                 "services": linear(self.services), "polarity": linear(self.polarity)}
        return found if self.stack is None else {**found, "stack": self.stack}


@cache
def shipped_model() -> FindingsModel | None:
    """The model shipped with the package, or None if it is missing (then rules alone)."""
    try:
        return FindingsModel.from_json(json.loads(gzip.decompress(MODEL_FILE.read_bytes())))
    except (OSError, ValueError, KeyError, EOFError):
        return None
