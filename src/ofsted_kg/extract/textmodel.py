"""A linear model over words and word pairs, scored with NumPy from a JSON file.

The findings tagger's learned part (services and polarity) is trained at development
time with scikit-learn (``bench/findings_training.py``, run by ``bench/findings_eval.py
--train``) and shipped as ``models/findings.json.gz`` (1 MB): the vocabulary with its IDF weights
and, for each output, an intercept and a weight per feature. Scoring it here needs
NumPy only (imported when a finding is first scored), not scikit-learn, and nothing is
downloaded at run time. ``features`` is the one analyser both sides use, so the
weights mean the same thing when trained and when applied.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import chain, repeat
from pathlib import Path
from typing import Any

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
    weights: dict[str, tuple[tuple[int, float], ...]]  # feature -> (class index, weight)


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

    @cached_property
    def _dense(self) -> tuple[dict[str, int], list[str], Any, Any, Any]:
        """The vocabulary's rows, names and IDF, and one matrix of weights (a row per
        feature, a column per service then per polarity class; 0.0 where none) with its
        intercepts: a text's scores are then one NumPy product over its features' rows.
        Scoring feature by feature in Python made findings most of a build's time."""
        import numpy as np

        names = list(self.vectorizer.idf)
        rows = {name: index for index, name in enumerate(names)}
        matrix = np.zeros((len(names), len(self.services.classes) + len(self.polarity.classes)))
        for offset, part in ((0, self.services), (len(self.services.classes), self.polarity)):
            for name, pairs in part.weights.items():
                for klass, weight in pairs:
                    matrix[rows[name], offset + klass] = weight
        intercepts = np.asarray(self.services.intercepts + self.polarity.intercepts)
        return rows, names, np.asarray([self.vectorizer.idf[name] for name in names]), matrix, intercepts

    def score(self, texts: list[list[str]]) -> list[Scored]:
        """Score each text's features (see ``features``): all of a report's paragraphs in
        one pass, each text's weighted rows summed."""
        import numpy as np

        rows, _, idf, matrix, intercepts = self._dense
        counts = [Counter(names) for names in texts]
        found = np.fromiter(chain.from_iterable(map(rows.get, c, repeat(-1)) for c in counts), dtype=np.intp)
        tf = np.fromiter(chain.from_iterable(c.values() for c in counts), dtype=float, count=len(found))
        text = np.repeat(np.arange(len(texts)), [len(c) for c in counts])
        known = found >= 0
        found, text = found[known], text[known]
        weights = (1.0 + np.log(tf[known])) * idf[found]
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
        pushes = matrix[found, split + best[text]] * values
        bounds = bounds.tolist()
        return [Scored(found[a:b], values[a:b], p, self.polarity.classes[k], self._top(found[a:b], pushes[a:b], 6))
                for a, b, p, k in zip(bounds[:-1], bounds[1:], probabilities, best.tolist(), strict=True)]

    def _top(self, rows: Any, pushes: Any, top: int) -> list[str]:
        """The names of the ``top`` features with the largest positive pushes."""
        names = self._dense[1]
        up = pushes > 0
        pushed = zip(pushes[up].tolist(), [names[row] for row in rows[up].tolist()], strict=True)
        return [name for _, name in sorted(pushed, reverse=True)[:top]]

    def evidence(self, scored: Scored, service: str, top: int = 4) -> list[str]:
        """The features that pushed ``service`` up the most."""
        column = self.services.classes.index(service)
        return self._top(scored.rows, self._dense[3][scored.rows, column] * scored.values, top)

    @classmethod
    def from_json(cls, data: dict) -> FindingsModel:
        def linear(part: dict) -> Linear:
            weights: dict[str, list[tuple[int, float]]] = {}
            for index, row in enumerate(part["weights"]):
                for name, weight in row.items():
                    weights.setdefault(name, []).append((index, weight))
            return Linear(tuple(part["classes"]), tuple(part["intercepts"]),
                          {name: tuple(pairs) for name, pairs in weights.items()})

        return cls(Vectorizer(data["idf"]), linear(data["services"]), linear(data["polarity"]),
                   data["thresholds"], data.get("about", {}))

    def to_json(self) -> dict:
        def linear(part: Linear) -> dict:
            rows: list[dict[str, float]] = [{} for _ in part.classes]
            for name, pairs in sorted(part.weights.items()):
                for index, weight in pairs:
                    rows[index][name] = weight
            return {"classes": list(part.classes), "intercepts": list(part.intercepts), "weights": rows}

        return {"about": self.about, "thresholds": self.thresholds,
                "idf": dict(sorted(self.vectorizer.idf.items())),
                "services": linear(self.services), "polarity": linear(self.polarity)}


@cache
def shipped_model() -> FindingsModel | None:
    """The model shipped with the package, or None if it is missing (then rules alone)."""
    try:
        return FindingsModel.from_json(json.loads(gzip.decompress(MODEL_FILE.read_bytes())))
    except (OSError, ValueError, KeyError, EOFError):
        return None
