"""Measure the findings tagger out of sample, and train the model the package ships.

    python bench/findings_eval.py [--folds 5] [--train] [--cache /tmp/findings-texts.json] [--tags-out TAGS]

Reads the hand-labelled paragraphs (tests/expected/findings-eval.csv and
findings-labelled.csv), takes their text from the reports in ../shared/ofsted-reports,
and cross-validates by report (findings_training.py, beside this script): the rules, the learned model
(words and word pairs; with the rules' findings as features) and their combination, with
thresholds tuned on the training folds only. Writes bench/findings-eval.json and .md.
With --train, also fits the shipped model on every labelled paragraph
(src/ofsted_kg/extract/models/findings.json.gz). With --tags-out, also writes every labelled
paragraph's out-of-sample tags (the second stage's) for bench/findings_agreement.py --tags.
Needs scikit-learn (pip install -e '.[train]').

With --held-out A.csv [B.csv], measures instead a model trained and tuned (as the shipped one)
on --labels alone on the paragraphs of the held-out files (reports it never saw, labelled
without its output): adds an entry for those files to bench/findings-held-out.json. With
--shipped as well, the model measured is the shipped file itself, not trained again: the
held-out files must hold no report it was trained on.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "ofsted-reports"
LABELS = [ROOT / "tests" / "expected" / name
          for name in ("findings-eval.csv", "findings-labelled.csv", "findings-labelled-more.csv")]


def _texts(cache: Path | None):
    """An extractor that keeps each report's findings in a JSON cache between runs."""
    from findings_training import findings_only

    from ofsted_kg.facts import Finding

    kept = json.loads(cache.read_text()) if cache and cache.exists() else {}

    def extract(path: Path):
        key = str(path)
        if key not in kept:
            found = findings_only(path)
            kept[key] = [[f.section, f.number, f.text, f.page] for f in found]
            if cache:
                cache.write_text(json.dumps(kept))
        return [Finding(section, number, text, page, None, "") for section, number, text, page in kept[key]]

    return extract


def markdown(result: dict) -> str:
    lines = [f"# Findings tagger, cross-validated by report ({result['k']} folds)", "",
             f"{result['paragraphs']} labelled paragraphs of {result['reports']} reports "
             f"({', '.join(result['label_files'])}); every figure below is **out of sample**: "
             "each fold's reports were never seen in training, and thresholds were tuned on the "
             "training folds only (an inner split by report).", "",
             "| candidate | service precision | service recall | F1 | polarity accuracy |",
             "|---|---|---|---|---|"]
    for name, figures in result["summary"].items():
        cells = [f"{figures[m]['mean']:.3f} ± {figures[m]['sd']:.3f}" for m in
                 ("precision", "recall", "f1", "polarity_accuracy")]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "mean ± standard deviation across folds. Per fold:", "",
              "| fold | test reports | candidate | precision | recall | polarity "
              "| thresholds (model, rule; keys' own rule bars; polarity offsets) |",
              "|---|---|---|---|---|---|---|"]
    for fold in result["folds"]:
        for name, f in fold["candidates"].items():
            t = fold["thresholds"]
            own = ", ".join(f"{key[5:]} {bar}" for key, bar in sorted(t.items()) if key.startswith("rule:"))
            offsets = sorted(fold.get("polarity_offsets", {}).items())
            shifts = ", ".join(f"{klass} {shift:+}" for klass, shift in offsets)
            lines.append(f"| {fold['fold']} | {fold['test_reports']} | {name} | {f['precision']:.3f} | "
                         f"{f['recall']:.3f} | {f['polarity_accuracy']:.3f} | {t['model']}, {t['rule']}"
                         f"{'; ' + own if own else ''}{'; ' + shifts if shifts else ''} |")
    if result.get("per_set"):
        lines += ["", "By labelled set (the shipped candidate, stacked, pooled over the folds' test "
                  "paragraphs):", ""]
        for name, f in result["per_set"].items():
            lines.append(f"- {name}: precision {f['precision']:.3f}, recall {f['recall']:.3f}, "
                         f"polarity {f['polarity_accuracy']:.3f} on {f['paragraphs']} paragraphs")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--inner-folds", type=int, default=4)
    parser.add_argument("--train", action="store_true", help="also write the shipped model")
    parser.add_argument("--cache", type=Path, help="JSON file keeping findings between runs")
    parser.add_argument("--labels", type=Path, nargs="*", default=LABELS)
    parser.add_argument("--held-out", type=Path, nargs="*", help="measure on these labelled files instead")
    parser.add_argument("--shipped", action="store_true", help="with --held-out: measure the shipped model file")
    parser.add_argument("--stack-aim", choices=("f1", "balanced"), default="f1",
                        help="the second stage's bar: best F1, or the best lower of precision and recall")
    parser.add_argument("--tags-out", type=Path, help="write every test paragraph's stacked tags here "
                        "(for bench/findings_agreement.py --tags)")
    args = parser.parse_args(argv)

    import findings_training as training

    training.STACK_AIM = args.stack_aim
    started = time.perf_counter()
    examples, missing = training.load_examples([p for p in args.labels if p.exists()], CORPUS, _texts(args.cache))
    for row in missing:
        print(f"not found: {row}", file=sys.stderr)
    if args.held_out:
        return held_out(training, examples, args)
    if args.train:
        from ofsted_kg.extract.textmodel import MODEL_FILE

        model = training.train_shipped(examples, args.folds)
        # mtime=0: the same model gives the same bytes.
        MODEL_FILE.write_bytes(gzip.compress(json.dumps(model.to_json(), separators=(",", ":")).encode(), mtime=0))
        print(f"wrote {MODEL_FILE} (thresholds {model.thresholds})", flush=True)
    evaluation = training.cross_validate(examples, args.folds, args.inner_folds)
    result = {
        "k": args.folds, "paragraphs": len(examples), "reports": len({e.file for e in examples}),
        "label_files": [p.name for p in args.labels if p.exists()], "unmatched_rows": missing,
        "summary": evaluation.summary(), "folds": evaluation.folds,
        "per_set": {name: counts.figures() for name, counts in evaluation.by_set.items()},
        "seconds": round(time.perf_counter() - started, 1),
    }
    if args.tags_out:
        args.tags_out.write_text(json.dumps({"variant": "stacked", "tags": evaluation.tags}) + "\n")
    out = Path(__file__).resolve().parent
    (out / "findings-eval.json").write_text(json.dumps(result, indent=1) + "\n")
    (out / "findings-eval.md").write_text(markdown(result))
    print(markdown(result))
    return 0


def held_out(training, examples: list, args: argparse.Namespace) -> int:
    """A model trained and tuned on ``examples`` as the shipped one is, measured on the
    held-out files' paragraphs: the rules alone and the combination."""
    tests, missing = training.load_examples(args.held_out, CORPUS, _texts(args.cache))
    seen = {e.file for e in examples}
    if missing or seen & {e.file for e in tests}:
        raise SystemExit(f"held-out rows unmatched ({len(missing)}) or reports on both sides")
    if args.shipped:
        from ofsted_kg.extract.textmodel import shipped_model

        model = shipped_model()
        if model is None or model.stack is None:
            raise SystemExit("no shipped model with a second stage to measure")
        trained = {"paragraphs": model.about["paragraphs"], "reports": model.about["reports"], "model": "shipped"}
    else:
        model = training.train_shipped(examples, args.folds)
        trained = {"paragraphs": len(examples), "reports": len(seen)}
    fitted = training.Fitted(model, with_rules=True)
    decider = model.decider  # train_shipped always fits the second stage
    counts = {"rules": training.Counts(), "combined": training.Counts(), "stacked": training.Counts()}
    for example, (scores, polarity) in zip(tests, fitted.scores([e.text for e in tests]), strict=True):
        rules = training.rule_tags(example.text)
        counts["rules"].add(set(example.services), rules, example.polarity,
                            training.rule_polarity(example.text).value)
        by_bars = training.combine(scores, rules, model.thresholds, training.asides(example.text), example.text)
        counts["combined"].add(set(example.services), by_bars, example.polarity, polarity)
        counts["stacked"].add(set(example.services), training.stacked_tags(decider, scores, example.text),
                              example.polarity, polarity)
    result = {"trained_on": trained,
              "held_out": {"files": [p.name for p in args.held_out], "paragraphs": len(tests),
                           "reports": len({e.file for e in tests})},
              "thresholds": model.thresholds, "candidates": {name: c.figures() for name, c in counts.items()}}
    # One entry per held-out set, so that runs on several sets are kept side by side.
    path = Path(__file__).resolve().parent / "findings-held-out.json"
    kept = json.loads(path.read_text()) if path.exists() else {}
    kept[" + ".join(p.name for p in args.held_out)] = result
    path.write_text(json.dumps(kept, indent=1, sort_keys=True) + "\n")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
