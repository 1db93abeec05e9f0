"""Train and measure the findings tagger on hand-labelled paragraphs, by report.

Development-time only, so it lives beside the benchmark that runs it
(``bench/findings_eval.py``), outside the installed package: it needs scikit-learn
(``pip install -e '.[train]'``), imported here and nowhere else.

Every figure is out of sample: the labelled paragraphs are split into folds *by report*
(``GroupKFold`` on the file), so no report has paragraphs on both sides, and every
choice (the model's weights, the thresholds, which candidate wins) is made from the
training folds only, by an inner split of those folds, again by report.
"""

from __future__ import annotations

import csv
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ofsted_kg.extract import stacking
from ofsted_kg.extract.keys import KEY_SERVICES, NAMED_ONLY, as_keys
from ofsted_kg.extract.polarity import polarity as rule_polarity
from ofsted_kg.extract.services import tag_services
from ofsted_kg.extract.tagging import names_social_work_assessment
from ofsted_kg.extract.tagging import rule_features as _rule_features
from ofsted_kg.extract.textmodel import FindingsModel, Linear, Vectorizer, features

POLARITIES = ("area-for-improvement", "mixed", "strength")

# The rules' findings of a text, read once: the second stage's bar is tried at 25 points over
# every inner paragraph, each asking for them again.
rule_features = cache(_rule_features)


@dataclass(frozen=True)
class Example:
    file: str
    paragraph: int
    page: int
    text: str
    services: frozenset[str]  # keys
    polarity: str
    source: str  # which labelled file it came from


def read_labels(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def findings_only(path: Path) -> list:
    """The findings of a report, and only them: a report whose grades the extractor cannot
    read yet (a new layout) still has paragraphs to measure on."""
    from ofsted_kg.errors import OfstedKgError
    from ofsted_kg.extract import detect
    from ofsted_kg.extract.common import Page1
    from ofsted_kg.extract.findings import extract_findings
    from ofsted_kg.read import read_pdf

    page1 = Page1(read_pdf(path))
    try:
        framework = detect(page1.first)[0]
    except OfstedKgError:
        framework = "ilacs"  # a title the detector does not know yet: new reports are ILACS
    return extract_findings(page1, framework)


def load_examples(label_files: Sequence[Path], corpus: Path,
                  extract: Callable[[Path], list] | None = None) -> tuple[list[Example], list[str]]:
    """The labelled paragraphs with their text, read from the reports in ``corpus``.

    Returns the examples and the rows that could not be matched to a paragraph of the
    report (named, so a wrong label is seen rather than silently skipped).
    """
    if extract is None:
        extract = findings_only

    examples, missing = [], []
    cache: dict[str, list] = {}
    for label_file in label_files:
        for row in read_labels(label_file):
            if row["file"] not in cache:
                cache[row["file"]] = extract(corpus / row["file"])
            number, page = int(row["paragraph"]), int(row["page"])
            candidates = [f for f in cache[row["file"]] if f.number == number]
            match = next((f for f in candidates if f.page == page), None)
            if match is None:
                missing.append(f"{row['file']} paragraph {number} page {page}")
                continue
            services = frozenset(as_keys({s for s in row["services"].split(";") if s}))
            examples.append(Example(row["file"], number, page, match.text, services,
                                    row["polarity"], label_file.name))
    return examples, missing


# --- the candidates --------------------------------------------------------------------------

def _vectorizer(min_df: int = 2):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer=lambda item: item, sublinear_tf=True, min_df=min_df)


@cache
def _features(text: str, with_rules: bool) -> list[str]:
    """A text's features, read once however many folds it is in (the caller never changes them)."""
    return features(text, rule_features(text) if with_rules else ())


def _docs(examples: Sequence[Example], with_rules: bool) -> list[list[str]]:
    return [_features(e.text, with_rules) for e in examples]


# The rules' polarity findings (cue kinds, first and last sentences, their verdict) weigh
# more than one word among hundreds: their IDF, which the shipped model carries (so
# textmodel.Vectorizer applies the same scale), is multiplied by this factor. Out of sample
# (5 folds by report), polarity accuracy rose from 0.817 to 0.829 with 6 and a polarity C
# of 4 on 1,129 paragraphs. On the 2,325 re-read ones (bench/findings_variants.py, the bars):
# C 4 with 6 gave polarity 0.842 and F1 0.831; C 8, 16, 32 gave 0.847, 0.848, 0.849; a
# scale of 3 raised the services' F1 to 0.837 (the same features feed them); C 16 with 3
# gave 0.848 and 0.837. Scaling the services' rule features by 3 moved no figure beyond the
# folds' spread.
SCALES = {"polarity": 3.0, "service": 1.0}
POLARITY_WEIGHT: str | None = "balanced"  # class_weight of the polarity model
FEWEST = 8  # a key with fewer labelled paragraphs than this gets no model (see fit)


def _scale(name: str, scales: dict[str, float]) -> float:
    if name.startswith(("cue:", "first:", "last:", "rule:polarity:")):
        return scales["polarity"]
    return scales["service"] if name.startswith("rule:") else 1.0


@dataclass
class Fitted:
    """A model fitted on some examples, and its thresholds."""

    model: FindingsModel
    with_rules: bool

    def scores(self, texts: list[str]) -> list[tuple[dict[str, float], str]]:
        """Each text's service probabilities and polarity class."""
        model = self.model
        scored = model.score([_features(text, self.with_rules) for text in texts])
        return [(dict(zip(model.services.classes, one.services, strict=True)), one.polarity) for one in scored]


# Scaling each key's features by their log-ratio before its regression: out of sample (5 folds
# by report, 8,486 paragraphs, README "ninth round") F1 0.856 against 0.855 without it, 0.859
# with the rules' cue beside the label against 0.856 for that cue alone; the file 3.2 MB, not 5.4.
NB_RATIO = True


def _log_ratio(matrix, target):
    """Each feature's log-ratio of its share of the key's paragraphs to its share of the others
    (present or not, smoothed by one): scaling the features by it before the regression
    ("NB-LR") lets words that tell a key apart cost less of the regularisation. Folded back
    into the weights afterwards (w * r), so the shipped file and its scorer are unchanged."""
    import numpy as np

    present = matrix.copy()
    present.data[:] = 1.0
    on = 1.0 + np.asarray(present[target].sum(axis=0)).ravel()
    off = 1.0 + np.asarray(present[~target].sum(axis=0)).ravel()
    return np.log((on / on.sum()) / (off / off.sum()))


def _linear(classes: Sequence[str], coefs, intercepts, names: Sequence[str], keep: float) -> Linear:
    weights = tuple({names[column]: round(float(weight), 3) for column, weight in enumerate(row)
                     if abs(weight) >= keep} for row in coefs)
    return Linear(tuple(classes), tuple(round(float(b), 4) for b in intercepts), weights)


def fit(examples: Sequence[Example], with_rules: bool = True, c_services: float = 64.0, c_polarity: float = 16.0,
        thresholds: dict[str, float] | None = None, keep: float = 0.05, balanced: bool = True,
        keep_polarity: float = 0.0, fewest: int | None = None, scales: dict[str, float] | None = None) -> Fitted:
    """One-vs-rest logistic regression per service (each over the features scaled by
    ``_log_ratio`` when ``NB_RATIO``) and a multinomial one for polarity, over TF-IDF of
    words and word pairs (plus the rules' findings as features). Service
    weights below ``keep`` are dropped (33 outputs: the file stays small); polarity keeps
    all of its three outputs' weights (dropping those below 0.05 cost 0.8 points of
    polarity accuracy out of sample); the rules' features are scaled by ``scales``
    (default ``SCALES``). A key with fewer than ``fewest`` labelled paragraphs
    gets no model: the rules decide it (their precision on such keys beat the model's
    few-example guesses out of sample)."""
    import numpy as np
    from scipy.sparse import diags
    from sklearn.linear_model import LogisticRegression

    fewest = FEWEST if fewest is None else fewest
    vectorizer = _vectorizer()
    docs = _docs(examples, with_rules)
    matrix = vectorizer.fit_transform(docs)
    names = vectorizer.get_feature_names_out()
    scales = SCALES if scales is None else scales
    if any(value != 1.0 for value in scales.values()):
        factors = [_scale(name, scales) for name in names]
        vectorizer.idf_ = vectorizer.idf_ * np.array(factors)
        matrix = vectorizer.transform(docs)
    classes, coefs, intercepts = [], [], []
    for key in KEY_SERVICES:
        target = np.array([key in e.services for e in examples])
        if target.sum() < fewest:
            continue  # too few to learn from: the rules alone decide (tagging._decide)
        model = LogisticRegression(C=c_services, class_weight="balanced" if balanced else None, solver="liblinear",
                                   max_iter=2000, random_state=0)  # liblinear shuffles: fixed, so runs compare
        ratio = _log_ratio(matrix, target) if NB_RATIO else None
        model.fit(matrix if ratio is None else matrix @ diags(ratio), target)
        classes.append(key)
        coefs.append(model.coef_[0] if ratio is None else model.coef_[0] * ratio)
        intercepts.append(model.intercept_[0])
    polarity_model = LogisticRegression(C=c_polarity, class_weight=POLARITY_WEIGHT, max_iter=2000)
    polarity_model.fit(matrix, [e.polarity for e in examples])
    findings_model = FindingsModel(
        Vectorizer({name: round(float(idf), 5) for name, idf in zip(names, vectorizer.idf_, strict=True)}),
        _linear(classes, coefs, intercepts, names, keep),
        _linear(polarity_model.classes_, polarity_model.coef_, polarity_model.intercept_, names, keep_polarity),
        thresholds or {"model": 0.5, "rule": 0.5},
        {},
    )
    return Fitted(findings_model, with_rules)


# --- measuring -------------------------------------------------------------------------------

@dataclass
class Counts:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    correct_polarity: int = 0
    paragraphs: int = 0

    def add(self, gold: set[str], found: set[str], gold_polarity: str, found_polarity: str) -> None:
        self.true_positive += len(gold & found)
        self.false_positive += len(found - gold)
        self.false_negative += len(gold - found)
        self.correct_polarity += gold_polarity == found_polarity
        self.paragraphs += 1

    @property
    def precision(self) -> float:
        return self.true_positive / max(1, self.true_positive + self.false_positive)

    @property
    def recall(self) -> float:
        return self.true_positive / max(1, self.true_positive + self.false_negative)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def polarity_accuracy(self) -> float:
        return self.correct_polarity / max(1, self.paragraphs)

    def figures(self) -> dict:
        return {"paragraphs": self.paragraphs, "precision": round(self.precision, 3),
                "recall": round(self.recall, 3), "f1": round(self.f1, 3),
                "polarity_accuracy": round(self.polarity_accuracy, 3)}


def rule_tags(text: str) -> set[str]:
    return as_keys({tag.service for tag in tag_services(text)})


def asides(text: str) -> set[str]:
    """The keys the rules name only as an example or a setting (tagging.rule_features)."""
    return {name.split(":")[1] for name in rule_features(text) if name.endswith(":aside")}


def combine(scores: dict[str, float], rules: set[str], thresholds: dict[str, float],
            aside: set[str] | frozenset[str] = frozenset(), text: str | None = None) -> set[str]:
    """A service is tagged when the model is confident enough, or when the rules name it
    and the model, at a lower bar (the key's own where tuning gave it one), agrees that it
    is the subject rather than context. A key too rare to have a model is tagged when the
    rules name it other than as an example (``aside``), as tagging.tag_findings does; a key of
    ``keys.NAMED_ONLY`` only where the rules name it."""
    found = {key for key, p in scores.items()
             if p >= thresholds["model"] and (key in rules or key not in NAMED_ONLY)}
    found |= {key for key in rules if (key in scores or key not in aside)
              and scores.get(key, 1.0) >= thresholds.get(f"rule:{key}", thresholds["rule"])}
    if text is not None and not names_social_work_assessment(text):
        found.discard("assessments")  # as tagging._decide
    return found


_MODEL_GRID = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
_RULE_GRID = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 1.01)
_OWN_BAR = 15  # a key with this many labelled paragraphs in the tuning part may get its own rule bar


def folds_by_report(examples: Sequence[Example], k: int) -> list[tuple[list[int], list[int]]]:
    """(train, test) indices; each report's paragraphs all fall on one side."""
    from sklearn.model_selection import GroupKFold

    groups = [e.file for e in examples]
    return [(list(train), list(test))
            for train, test in GroupKFold(n_splits=k).split(list(range(len(examples))), groups=groups)]


Scored = tuple[dict[str, float], set[str], frozenset[str], set[str]]


def inner_scores(examples: Sequence[Example], k: int = 4) -> list[tuple[Example, dict[str, float]]]:
    """Each example with the service probabilities of a model fitted without its report
    (an inner k-fold split by report): what the decisions are tuned on."""
    scored: list[tuple[Example, dict[str, float]]] = []
    for train, test in folds_by_report(examples, k):
        fitted = fit([examples[i] for i in train])
        for i, (scores, _) in zip(test, fitted.scores([examples[i].text for i in test]), strict=True):
            scored.append((examples[i], scores))
    return scored


def _as_scored(inner: list[tuple[Example, dict[str, float]]]) -> list[Scored]:
    return [(scores, rule_tags(e.text), e.services, asides(e.text)) for e, scores in inner]


# --- the second stage (shipped since 1 December 2026) ----------------------------------------
# Instead of the bars, one small logistic regression, the same for every key, decides
# whether a key is tagged (src/ofsted_kg/extract/stacking.py): over the model's log-odds,
# whether and where the rules name the key, the key's share of the paragraphs and the rules'
# precision on it. Fitted on the inner folds' out-of-sample scores, its bar chosen there by
# F1. On 2,008 paragraphs its F1 beat the bars' in 4 of 5 folds, with recall and precision
# nearer each other (README, "Findings and services").

STACK_C = 0.1  # the second stage's regularisation: few inputs, pairs of one paragraph alike
_STACK_GRID = tuple(round(0.2 + 0.025 * step, 3) for step in range(25))
# The lower of precision and recall moves by about a point a step on that grid: "balanced" uses one twice as fine.
_STACK_GRID_FINE = tuple(round(0.2 + 0.0125 * step, 4) for step in range(49))
STACK_AIM = "f1"  # the second stage's bar: best F1 ("f1") or the best lower of precision and recall ("balanced")


def key_facts(examples: Sequence[Example]) -> tuple[dict[str, float], dict[str, float]]:
    """Each key's share of the paragraphs, and the share of the paragraphs the rules name it
    in that are labelled with it (both smoothed: a rare key is not certain either way)."""
    labelled = Counter(key for e in examples for key in e.services)
    named, right = Counter(), Counter()
    for e in examples:
        found = set(rule_features(e.text))
        for key in KEY_SERVICES:
            if f"rule:{key}" in found:
                named[key] += 1
                right[key] += key in e.services
    prior = {key: round((labelled[key] + 1) / (len(examples) + 2), 5) for key in KEY_SERVICES}
    precision = {key: round((right[key] + 1) / (named[key] + 2), 5) for key in KEY_SERVICES}
    return prior, precision


def stacked_tags(decider: stacking.Decider, scores: dict[str, float], text: str) -> set[str]:
    """The keys the second stage tags (a key of ``keys.NAMED_ONLY`` only where the rules name
    it), and a key with no model where the rules name it other than as an example (as
    tagging._decide does)."""
    found = set(rule_features(text))
    tags = {key for key, p in scores.items()
            if (key not in NAMED_ONLY or f"rule:{key}" in found) and decider.chosen(key, p, found)}
    tags |= {key for key in KEY_SERVICES if key not in scores and f"rule:{key}" in found
             and f"rule:{key}:aside" not in found}
    return tags if names_social_work_assessment(text) else tags - {"assessments"}


def fit_stack(inner: list[tuple[Example, dict[str, float]]], facts: tuple[dict, dict], c: float = STACK_C) -> dict:
    """The second stage: one logistic regression over every (paragraph, key with a model)
    pair of the inner folds' out-of-sample scores, and the bar on its probability that gives
    the best F1 there."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    prior, precision = facts
    rows, target = [], []
    for e, scores in inner:
        found = set(rule_features(e.text))
        for key, p in scores.items():
            rows.append(stacking.inputs(key, p, found, prior[key], precision[key]))
            target.append(key in e.services)
    model = LogisticRegression(C=c, max_iter=2000).fit(np.array(rows), np.array(target))
    stack = {"inputs": list(stacking.INPUTS), "weights": [round(float(w), 4) for w in model.coef_[0]],
             "intercept": round(float(model.intercept_[0]), 4), "threshold": 0.5,
             "prior": prior, "rule_precision": precision}

    def aim(bar: float) -> tuple[float, float]:
        decider, counts = stacking.Decider.of({**stack, "threshold": bar}), Counts()
        for e, scores in inner:
            counts.add(set(e.services), stacked_tags(decider, scores, e.text), "", "")
        if STACK_AIM == "balanced":
            return min(counts.precision, counts.recall), counts.f1
        return counts.f1, 0.0

    stack["threshold"] = max(_STACK_GRID if STACK_AIM == "f1" else _STACK_GRID_FINE, key=aim)
    return stack


def _thresholds(scored: list[Scored]) -> dict[str, float]:
    def f1(thresholds: dict[str, float]) -> float:
        counts = Counts()
        for scores, rules, gold, aside in scored:
            counts.add(set(gold), combine(scores, rules, thresholds, aside), "", "")
        return counts.f1

    best = max(((f1({"model": m, "rule": r}), m, r) for m in _MODEL_GRID for r in _RULE_GRID),
               key=lambda found: found[0])
    thresholds, score = {"model": best[1], "rule": best[2]}, best[0]
    # Generic labels ('assessment', 'placement', 'foster') name a key as context more often
    # than others: each key with enough examples may keep a higher bar of its own, one key at
    # a time. Never a lower one: that tagged the MASH where it is only the setting.
    labelled = Counter(key for _, _, gold, _ in scored for key in gold)
    for key in sorted(key for key, count in labelled.items() if count >= _OWN_BAR):
        for bar in (bar for bar in (*_RULE_GRID, 0.6, 0.7, 0.8) if bar > thresholds["rule"]):
            trial = {**thresholds, f"rule:{key}": bar}
            if (value := f1(trial)) > score + 1e-9:
                thresholds, score = trial, value
    return thresholds


@dataclass
class Evaluation:
    k: int
    folds: list[dict] = field(default_factory=list)  # per fold: candidate -> figures
    by_set: dict[str, Counts] = field(default_factory=dict)  # the shipped candidate (stacked), pooled
    tags: list[dict] = field(default_factory=list)  # the shipped candidate's tags of each test paragraph

    def summary(self) -> dict:
        candidates = self.folds[0]["candidates"].keys() if self.folds else []
        result = {}
        for name in candidates:
            per = [fold["candidates"][name] for fold in self.folds]
            result[name] = {
                measure: {"mean": round(statistics.mean(f[measure] for f in per), 3),
                          "sd": round(statistics.stdev(f[measure] for f in per), 3) if len(per) > 1 else 0.0,
                          "min": min(f[measure] for f in per), "max": max(f[measure] for f in per)}
                for measure in ("precision", "recall", "f1", "polarity_accuracy")
            }
        return result


def cross_validate(examples: Sequence[Example], k: int = 5, inner_k: int = 4) -> Evaluation:
    """Each candidate measured on each outer fold, trained and tuned on the others only."""
    evaluation = Evaluation(k)
    for number, (train, test) in enumerate(folds_by_report(examples, k), start=1):
        training = [examples[i] for i in train]
        testing = [examples[i] for i in test]
        inner = inner_scores(training, inner_k)
        thresholds = _thresholds(_as_scored(inner))
        stack = fit_stack(inner, key_facts(training))
        decider = stacking.Decider.of(stack)
        words_only = fit(training, with_rules=False)
        with_rules = fit(training, with_rules=True)
        counts = {name: Counts() for name in ("rules", "model-words", "model-words+rules", "combined", "stacked")}
        texts = [example.text for example in testing]
        for example, (words_scores, words_polarity), (scores, polarity) in zip(
                testing, words_only.scores(texts), with_rules.scores(texts), strict=True):
            gold, text = set(example.services), example.text
            rules = rule_tags(text)
            counts["rules"].add(gold, rules, example.polarity, rule_polarity(text).value)
            counts["model-words"].add(gold, {s for s, p in words_scores.items() if p >= 0.5}, example.polarity,
                                      words_polarity)
            counts["model-words+rules"].add(gold, {s for s, p in scores.items() if p >= 0.5}, example.polarity,
                                            polarity)
            by_bars = combine(scores, rules, thresholds, asides(text), text)
            counts["combined"].add(gold, by_bars, example.polarity, polarity)
            stacked = stacked_tags(decider, scores, text)
            counts["stacked"].add(gold, stacked, example.polarity, polarity)
            evaluation.by_set.setdefault(example.source, Counts()).add(gold, stacked, example.polarity, polarity)
            evaluation.tags.append({"fold": number, "file": example.file, "paragraph": example.paragraph,
                                    "gold": sorted(gold), "found": sorted(stacked), "polarity": example.polarity,
                                    "found_polarity": polarity})
        evaluation.folds.append({
            "fold": number, "train_reports": len({e.file for e in training}),
            "test_reports": len({e.file for e in testing}), "thresholds": thresholds,
            "stack": {name: stack[name] for name in ("weights", "intercept", "threshold")},
            "candidates": {name: c.figures() for name, c in counts.items()},
        })
    return evaluation


def train_shipped(examples: Sequence[Example], inner_k: int = 5) -> FindingsModel:
    """The model to ship: fitted on every labelled paragraph; its thresholds (kept for a
    model file without the second stage) and its second stage tuned on a k-fold split of
    them by report."""
    inner = inner_scores(examples, inner_k)
    thresholds = _thresholds(_as_scored(inner))
    stack = fit_stack(inner, key_facts(examples))
    fitted = fit(examples, with_rules=True, thresholds=thresholds)
    about = {"paragraphs": len(examples), "reports": len({e.file for e in examples}),
             "labelled_sets": sorted({e.source for e in examples}), "feature_scales": SCALES,
             "trained_by": "bench/findings_training.py train_shipped (bench/findings_eval.py --train)"}
    return FindingsModel(fitted.model.vectorizer, fitted.model.services, fitted.model.polarity, thresholds, about,
                         stack)
