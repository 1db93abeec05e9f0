"""The second stage of the findings tagger: whether a key is a paragraph's subject, from
the model's probability and what the rules found.

A logistic regression over few inputs (``STACK_INPUTS``), fitted at development time on
the labelled paragraphs' out-of-sample scores (``bench/findings_training.py fit_stack``)
and shipped in the model file (``FindingsModel.stack``). It replaced two hand-shaped bars
(the model's, and a lower one where the rules name the key): out of sample it tags more
of the keys their paragraphs are about at the same precision (README, "Findings and
services").
"""

from __future__ import annotations

import math
from collections.abc import Collection

# What the second stage weighs for a key (see ``stack_inputs``), in the order of its weights.
STACK_INPUTS = ("logit", "named", "logit*named", "lead", "again", "most", "subject", "aside",
                "log-prior", "log-rule-precision*named")


def stack_inputs(key: str, probability: float, found: Collection[str], prior: float,
                 rule_precision: float) -> list[float]:
    """The inputs of the second stage for ``key`` in one paragraph: the model's log-odds,
    whether the rules name the key (and where: ``rule_features``), and two facts about the
    key learned from the labelled set: how often it is a paragraph's subject (``prior``) and
    how often the rules are right when they name it (``rule_precision``)."""
    clipped = min(max(probability, 1e-6), 1.0 - 1e-6)
    logit = math.log(clipped / (1.0 - clipped))
    named = float(f"rule:{key}" in found)
    where = [float(f"rule:{key}:{place}" in found) for place in ("lead", "again", "most", "subject", "aside")]
    return [logit, named, logit * named, *where, math.log(prior), math.log(rule_precision) * named]


def stacked_probability(stack: dict, key: str, probability: float, found: Collection[str]) -> float:
    """The second stage's probability that ``key`` is the paragraph's subject."""
    inputs = stack_inputs(key, probability, found, stack["prior"][key], stack["rule_precision"][key])
    total = stack["intercept"] + sum(w * x for w, x in zip(stack["weights"], inputs, strict=True))
    return 1.0 / (1.0 + math.exp(-min(max(total, -60.0), 60.0)))


def unnamed_bars(stack: dict) -> dict[str, float]:
    """For each key, the model's probability at which the second stage tags it where the
    rules do not name it: its inputs are then the log-odds and the key's prior alone, so the
    decision is a bar of the key's own, found once rather than weighed for every paragraph
    (most keys, in most paragraphs, are not named)."""
    weights = dict(zip(stack["inputs"], stack["weights"], strict=True))
    wanted = math.log(stack["threshold"] / (1.0 - stack["threshold"])) - stack["intercept"]
    bars = {}
    for key, prior in stack["prior"].items():
        logit = (wanted - weights["log-prior"] * math.log(prior)) / weights["logit"]
        bars[key] = 1.0 / (1.0 + math.exp(-min(max(logit, -60.0), 60.0)))
    return bars
