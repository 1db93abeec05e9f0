"""The second stage of service tagging: whether a key with a model is tagged.

One small logistic regression, the same for every key, over the model's log-odds for the
key, whether and where the rules name it (``tagging.rule_features``: in the first
sentence, again, in most sentences, as a sentence's subject, only as an example, with a
polarity cue beside it), the key's share of the labelled paragraphs and the rules'
precision on it. It is fitted at development time on out-of-sample scores
(``bench/findings_training.py fit_stack``) and shipped in the model file as its ``stack``
part; ``inputs`` are what it is fitted on and ``Decider`` applies it, in training's
measurements and in a build alike.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

INPUTS = ("logit", "named", "logit*named", "lead", "again", "most", "subject", "aside", "judged",
          "log-prior", "log-rule-precision*named")
_PLACES = ("lead", "again", "most", "subject", "aside", "judged")


def inputs(key: str, probability: float, found: Collection[str], prior: float,
           rule_precision: float) -> list[float]:
    """The second stage's inputs for ``key`` in a paragraph whose rule features are ``found``."""
    clipped = min(max(probability, 1e-6), 1.0 - 1e-6)
    logit = math.log(clipped / (1.0 - clipped))
    named = float(f"rule:{key}" in found)
    where = [float(f"rule:{key}:{place}" in found) for place in _PLACES]
    return [logit, named, logit * named, *where, math.log(prior), math.log(rule_precision) * named]


@dataclass(frozen=True)
class Decider:
    """The second stage, as training and a build both apply it: the intercept plus the
    weighted ``inputs`` against the bar, on the log-odds scale, with each key's constant
    terms (its prior, the rules' precision on it) summed once, so that a paragraph's keys
    cost a few additions each."""

    bar: float  # the threshold, as log-odds
    logit_weight: float
    named_logit_weight: float
    place_weights: tuple[float, ...]
    base: dict[str, float]  # intercept + the prior's term
    named: dict[str, float]  # the 'named' weight + the rules' precision term

    @classmethod
    def of(cls, stack: dict[str, Any]) -> Decider:
        w = dict(zip(INPUTS, stack["weights"], strict=True))
        threshold = min(max(stack["threshold"], 1e-9), 1.0 - 1e-9)
        return cls(math.log(threshold / (1.0 - threshold)), w["logit"], w["logit*named"],
                   tuple(w[place] for place in _PLACES),
                   {key: stack["intercept"] + w["log-prior"] * math.log(prior)
                    for key, prior in stack["prior"].items()},
                   {key: w["named"] + w["log-rule-precision*named"] * math.log(precision)
                    for key, precision in stack["rule_precision"].items()})

    def chosen(self, key: str, model_probability: float, found: Collection[str]) -> bool:
        clipped = min(max(model_probability, 1e-6), 1.0 - 1e-6)
        logit = math.log(clipped / (1.0 - clipped))
        total = self.base[key] + self.logit_weight * logit
        if f"rule:{key}" in found:
            total += self.named[key] + self.named_logit_weight * logit + sum(
                weight for place, weight in zip(_PLACES, self.place_weights, strict=True)
                if f"rule:{key}:{place}" in found)
        return min(max(total, -60.0), 60.0) >= self.bar

    def lowest_unnamed(self, key: str) -> float:
        """The least model probability at which ``key`` can be tagged where the rules do not
        name it (then only the log-odds vary): a paragraph's other keys are skipped at once.
        0.0 if the weights do not rise with the log-odds."""
        if self.logit_weight <= 0:
            return 0.0
        needed = (self.bar - self.base[key]) / self.logit_weight
        # A hair lower than the exact bound, so rounding never skips a key ``chosen`` would tag.
        return 1.0 / (1.0 + math.exp(-min(max(needed, -60.0), 60.0))) - 1e-9
