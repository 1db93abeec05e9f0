"""Measure a variant of the findings model's inputs the way bench/findings_eval.py measures
the shipped one: the combined candidate only, 5 folds by report, thresholds tuned on the
training folds only (an inner split by report). Nothing is shipped from here.

    python bench/findings_variants.py VARIANT [--cache /tmp/texts.json] [--labels A.csv B.csv] [--out x.json]

VARIANT: ``base`` (the shipped inputs); ``stems:N`` (each word longer than N letters adds its
first N letters as a feature); ``chars:SCALE`` (each word's character 3- to 5-grams, padded
with a space each side as scikit-learn's char_wb, their IDF times SCALE); ``positions:SCALE``
(the words of the first and the last sentence, and the 25 words after 'however', as features
of their own); ``fewest:N`` (a key with fewer than N labelled paragraphs in a training part gets no
model: the rules decide it); ``section:SCALE`` (the paragraph's section, e.g. care-leavers, as a
feature); ``context:SCALE`` (the services the rules name in the paragraph before it, in the same
section); ``c:C`` (the services' regularisation C instead of 64); ``cpol:C`` (the polarity's C instead
of 16); ``pscale:S`` (the rules' polarity features' IDF times S instead of 3);
``sentpol:SCALE`` (the rules' polarity of each sentence, counted, with 'played down' and
'only recent positives' marks, as features); ``pweight:none`` (the polarity model's classes
unweighted instead of balanced); ``fraction:F`` (each fold trains on a
random F of its training reports only, seed 1, for a learning curve). Several, joined by
commas, apply together (one of the feature variants at most). ``section`` and ``context`` need
--cache, whose sections and order they read. Prints each fold's precision, recall, F1 and
polarity accuracy as it ends, then their mean and standard deviation; --out keeps them with
every test paragraph's tags.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from functools import cache, partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import findings_eval  # noqa: E402
import findings_training as training  # noqa: E402

from ofsted_kg.extract.tagging import rule_features  # noqa: E402
from ofsted_kg.extract.textmodel import features, words  # noqa: E402

_SENTENCE = re.compile(r"[.!?](\s+)(?=[A-Z\u2018'\"(])")


def stems(text: str, length: int) -> list[str]:
    return [f"s:{word[:length]}" for word in words(text) if len(word) > length]


def chars(text: str) -> list[str]:
    grams = []
    for word in words(text):
        padded = f" {word} "
        grams += [f"c:{padded[i:i + n]}" for n in (3, 4, 5) for i in range(len(padded) - n + 1)]
    return grams


def positions(text: str) -> list[str]:
    breaks = [match.end(1) for match in _SENTENCE.finditer(text)]
    if not breaks:
        return []
    found = [f"F:{word}" for word in words(text[:breaks[0]])] + [f"L:{word}" for word in words(text[breaks[-1]:])]
    at = text.lower().find("however")
    return found + ([f"H:{word}" for word in words(text[at + 7:])[:25]] if at >= 0 else [])


_PLAYED_DOWN = re.compile(r"very small number|no (?:detrimental|adverse|negative) (?:impact|effect)"
                          r"|could be further|too early to|not affect", re.I)
_RECENT = re.compile(r"\b(?:recent(?:ly)?|beginning|starting|early stages?|newly|new)\b", re.I)


def sentence_polarity(text: str) -> list[str]:
    """The rules' polarity of each sentence, counted: the rules' "at least one unqualified
    positive and one unqualified weakness" is about sentences, not the paragraph's sum."""
    from ofsted_kg.extract.polarity import polarity

    breaks = [match.end(1) for match in _SENTENCE.finditer(text)]
    sentences = [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)], strict=True)]
    kinds = [polarity(sentence).value for sentence in sentences]
    plus = [s for s, k in zip(sentences, kinds, strict=True) if k == "strength"]
    minus = kinds.count("area-for-improvement")
    found = [f"sp:+{min(len(plus), 3)}", f"sp:-{min(minus, 3)}", f"sp:~{min(kinds.count('mixed'), 2)}"]
    if plus and minus:
        found.append("sp:both")
    if _PLAYED_DOWN.search(text):
        found.append("sp:down")
    if plus and all(_RECENT.search(s) for s in plus):
        found.append("sp:recent")
    return found


def _places(cache: Path) -> dict[str, tuple[str, str | None]]:
    """Each cached paragraph's text -> its section and the text of the paragraph before it in
    that section (None for a section's first)."""
    places = {}
    for found in json.loads(cache.read_text()).values():
        for (section, _, text, _), before in zip(found, [None, *found[:-1]], strict=True):
            places[text] = (section, before[2] if before and before[0] == section else None)
    return places


def before_named(before: str | None) -> list[str]:
    return [f"prev:{name}" for name in rule_features(before) if name.count(":") == 1
            and name.startswith("rule:")] if before else []


def use(extra, scales: dict[str, float]) -> None:
    """Replace the training's features by the shipped ones plus ``extra(text)``, each extra
    feature's IDF multiplied by the scale of its prefix."""
    @cache
    def with_extra(text: str, with_rules: bool) -> list[str]:
        return features(text, rule_features(text) if with_rules else ()) + extra(text)

    shipped_scale = training._scale

    def scale(name: str, factors: dict[str, float]) -> float:
        for prefix, value in scales.items():
            if name.startswith(prefix):
                return value
        return shipped_scale(name, factors)

    training._features, training._scale = with_extra, scale


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variant")
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--labels", type=Path, nargs="*", default=findings_eval.LABELS)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    keep = 1.0
    for part in args.variant.split(","):  # several at once: "cpol:16,sentpol:6"
        name, _, value = part.partition(":")
        if name == "stems":
            use(lambda text, n=int(value): stems(text, n), {"s:": 1.0})
        elif name == "chars":
            use(chars, {"c:": float(value or 1.0)})
        elif name == "positions":
            use(positions, dict.fromkeys(("F:", "L:", "H:"), float(value or 1.0)))
        elif name in ("section", "context"):
            if not args.cache:
                parser.error(f"{name} needs --cache")
            places = _places(args.cache)
            if name == "section":
                use(lambda text, places=places: [f"section:{places[text][0]}"], {"section:": float(value or 1.0)})
            else:
                use(lambda text, places=places: before_named(places[text][1]), {"prev:": float(value or 1.0)})
        elif name in ("c", "cpol"):
            fit = training.fit
            option = "c_services" if name == "c" else "c_polarity"
            training.fit = partial(fit, **{option: float(value)})
        elif name == "pscale":
            training.SCALES = {**training.SCALES, "polarity": float(value)}
        elif name == "sentpol":
            use(sentence_polarity, {"sp:": float(value or 1.0)})
        elif name == "pweight":
            training.POLARITY_WEIGHT = None if value == "none" else value
        elif name == "fraction":
            keep = float(value)
        elif name == "fewest":
            training.FEWEST = int(value)
        elif name != "base":
            parser.error(f"unknown variant {part}")

    examples, missing = training.load_examples([p for p in args.labels if p.exists()], findings_eval.CORPUS,
                                               findings_eval._texts(args.cache))
    for row in missing:
        print(f"not found: {row}", file=sys.stderr)
    started, folds, tags = time.time(), [], []
    for number, (train, test) in enumerate(training.folds_by_report(examples, args.folds), start=1):
        fitting = [examples[i] for i in train]
        if keep < 1.0:
            reports = sorted({e.file for e in fitting})
            chosen = set(random.Random(1).sample(reports, round(keep * len(reports))))
            fitting = [e for e in fitting if e.file in chosen]
        testing = [examples[i] for i in test]
        thresholds = training._thresholds(training._as_scored(training.inner_scores(fitting, 4)))
        fitted = training.fit(fitting, with_rules=True)
        counts = training.Counts()
        for example, (scores, polarity) in zip(testing, fitted.scores([e.text for e in testing]), strict=True):
            found = training.combine(scores, training.rule_tags(example.text), thresholds,
                                     training.asides(example.text), example.text)
            counts.add(set(example.services), found, example.polarity, polarity)
            tags.append({"fold": number, "file": example.file, "paragraph": example.paragraph,
                         "gold": sorted(example.services), "found": sorted(found),
                         "polarity": example.polarity, "found_polarity": polarity})
        folds.append({"fold": number, **counts.figures(), "thresholds": thresholds})
        f = folds[-1]
        print(f"{args.variant} fold {number}: precision {f['precision']} recall {f['recall']} f1 {f['f1']} "
              f"polarity {f['polarity_accuracy']} ({time.time() - started:.0f} s)", flush=True)
    summary = {m: {"mean": round(statistics.mean(f[m] for f in folds), 3),
                   "sd": round(statistics.stdev(f[m] for f in folds), 3)}
               for m in ("precision", "recall", "f1", "polarity_accuracy")}
    print(args.variant, json.dumps(summary))
    if args.out:
        args.out.write_text(json.dumps({"variant": args.variant, "folds": folds, "summary": summary,
                                        "tags": tags}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
