"""A linear model over words and word pairs, scored with NumPy from a JSON file.

The findings tagger's learned part (services and polarity) is trained at development
time with scikit-learn (``ofsted_kg.extract.training``, run by ``bench/findings_eval.py
--train``) and shipped as ``models/findings.json.gz`` (1 MB): the vocabulary with its IDF weights
and, for each output, an intercept and a weight per feature. Scoring it here needs
NumPy only (imported when a finding is first scored), not scikit-learn, and nothing is
downloaded at run time. ``features`` is the one analyser both sides use, so the
weights mean the same thing when trained and when applied.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from dataclasses import dataclass
from functools import cache, cached_property
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
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)] + list(extra)


@dataclass(frozen=True)
class Vectorizer:
    """TF-IDF as scikit-learn's TfidfVectorizer computes it (sublinear tf, smooth idf,
    L2 norm), for a fixed vocabulary."""

    idf: dict[str, float]

    def transform(self, names: list[str]) -> dict[str, float]:
        counts: dict[str, int] = {}
        for name in names:
            if name in self.idf:
                counts[name] = counts.get(name, 0) + 1
        weights = {name: (1.0 + math.log(count)) * self.idf[name] for name, count in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {name: w / norm for name, w in weights.items()}


@dataclass(frozen=True, eq=False)
class Linear:
    """One output per class: intercept plus the weights of the features present."""

    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: dict[str, tuple[tuple[int, float], ...]]  # feature -> (class index, weight)

    @cached_property
    def _matrix(self) -> tuple[dict[str, int], Any]:
        """Each feature's row of weights for every class (0.0 where none), as one NumPy
        matrix: a paragraph's scores are then one product over its features' rows (2 ms a
        paragraph in plain Python, which made findings most of a build's time)."""
        import numpy as np

        rows = {name: index for index, name in enumerate(self.weights)}
        matrix = np.zeros((len(rows), len(self.classes)))
        for name, pairs in self.weights.items():
            for klass, weight in pairs:
                matrix[rows[name], klass] = weight
        return rows, matrix

    def scores(self, vector: dict[str, float]) -> list[float]:
        import numpy as np

        rows, matrix = self._matrix
        present = [(rows[name], value) for name, value in vector.items() if name in rows]
        if not present:
            return list(self.intercepts)
        indices, values = zip(*present, strict=True)
        totals = np.asarray(self.intercepts) + np.asarray(values) @ matrix[list(indices)]
        return totals.tolist()

    def evidence(self, vector: dict[str, float], index: int, sign: float = 1.0, top: int = 4) -> list[str]:
        """The features that pushed class ``index`` most in direction ``sign``."""
        rows, matrix = self._matrix
        pushed = [(matrix[rows[name], index] * value * sign, name)
                  for name, value in vector.items() if name in rows]
        return [name for push, name in sorted(pushed, reverse=True)[:top] if push > 0]


def sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, value))))


def softmax(values: list[float]) -> list[float]:
    top = max(values)
    exps = [math.exp(v - top) for v in values]
    total = sum(exps)
    return [e / total for e in exps]


@dataclass(frozen=True)
class FindingsModel:
    vectorizer: Vectorizer
    services: Linear  # one-vs-rest: a sigmoid per service
    polarity: Linear  # multinomial: a softmax over the polarity classes
    thresholds: dict[str, float]  # 'model' and 'rule' (see services.tag_finding_services)
    about: dict

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
