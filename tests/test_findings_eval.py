"""The findings tagger measured out of sample: cross-validation by report on the hand-labelled
paragraphs (tests/expected/findings-eval.csv, findings-labelled.csv and
findings-labelled-more.csv, labelled by the
rules of ../shared/findings-labelling.md). The full run, with five folds and the figures
the README quotes, is bench/findings_eval.py; this one checks the method on fewer folds."""

from __future__ import annotations

import pytest

from .conftest import CORPUS, EXPECTED

pytest.importorskip("sklearn", reason="the training extra is not installed (pip install -e '.[train]')")

from findings_eval import LABELS as LABEL_FILES  # noqa: E402  (the training files bench/ measures)


@pytest.fixture(scope="module")
def examples():
    from findings_training import load_examples

    found, missing = load_examples(LABEL_FILES, CORPUS)
    assert missing == []  # every labelled paragraph is found, with its page, in the extracted findings
    return found


@pytest.mark.corpus
def test_folds_never_put_one_reports_paragraphs_on_both_sides(examples):
    from findings_training import folds_by_report

    assert len({e.file for e in examples}) >= 15
    for train, test in folds_by_report(examples, 5):
        assert {examples[i].file for i in train}.isdisjoint({examples[i].file for i in test})
        assert sorted(train + test) == list(range(len(examples)))


@pytest.mark.corpus
def test_the_combination_beats_the_rules_out_of_sample(examples):
    from findings_training import cross_validate

    # The method on the first two label files' 2,325 paragraphs: all 8,486 take minutes more
    # (bench/findings_eval.py measures them all).
    evaluation = cross_validate([e for e in examples if e.source != "findings-labelled-more.csv"], k=3, inner_k=2)
    summary = evaluation.summary()
    print(summary)
    assert len(evaluation.folds) == 3
    assert summary["combined"]["f1"]["mean"] > summary["rules"]["f1"]["mean"]
    assert summary["combined"]["precision"]["mean"] > summary["rules"]["precision"]["mean"]
    assert summary["combined"]["polarity_accuracy"]["mean"] >= summary["rules"]["polarity_accuracy"]["mean"] - 0.02
    # The second stage the package ships (stacking.py) decides from the same scores.
    assert summary["stacked"]["f1"]["mean"] > summary["rules"]["f1"]["mean"]
    assert summary["stacked"]["precision"]["mean"] > summary["rules"]["precision"]["mean"]


@pytest.mark.corpus
def test_the_shipped_model_on_reports_it_never_saw(examples):
    """findings-held-out.csv was labelled after the model was first trained, and read again blind
    (findings-agreement.csv), on 21 reports that no training file holds: the figures
    bench/findings-held-out.json records for the shipped file."""
    from findings_training import Counts, Fitted, load_examples, stacked_tags

    from ofsted_kg.extract.textmodel import shipped_model

    held_out, missing = load_examples([EXPECTED / "findings-held-out.csv"], CORPUS)
    assert missing == []
    assert (len(held_out), len({e.file for e in held_out})) == (354, 21)
    assert {e.file for e in held_out}.isdisjoint({e.file for e in examples})
    model = shipped_model()
    assert model.about["paragraphs"] == len(examples)  # trained on the training files alone
    counts = Counts()
    for example, (scores, polarity) in zip(held_out, Fitted(model, with_rules=True).scores(
            [e.text for e in held_out]), strict=True):
        counts.add(set(example.services), stacked_tags(model.decider, scores, example.text), example.polarity,
                   polarity)
    assert counts.figures() == {"paragraphs": 354, "precision": 0.863, "recall": 0.851, "f1": 0.857,
                                "polarity_accuracy": 0.864}


def test_two_readers_of_the_rules_and_the_final_labels():
    """findings-agreement.csv: every labelled paragraph read a second time, blind; where the
    readings differed a third reader decided, and the label files carry that decision."""
    from findings_agreement import agreement, keys, readings
    from findings_training import read_labels

    rows = readings(EXPECTED / "findings-agreement.csv")
    labelled = {(path.name, row["file"], row["paragraph"], row["page"]): row
                for path in [*LABEL_FILES, EXPECTED / "findings-held-out.csv"] for row in read_labels(path)}
    assert len(rows) == len(labelled) == 8840  # every row of the four label files, once
    for row in rows:
        label = labelled[(row["labels"], row["file"], row["paragraph"], row["page"])]
        assert (keys(label["services"]), label["polarity"]) == (keys(row["final_services"]), row["final_polarity"])
        if (keys(row["first_services"]), row["first_polarity"]) == (keys(row["second_services"]),
                                                                   row["second_polarity"]):
            assert (keys(row["final_services"]), row["final_polarity"]) == (keys(row["first_services"]),
                                                                            row["first_polarity"])
    result = agreement(rows)
    assert (result["paragraphs"], result["reports"], result["readings_differ"],
            result["final_differs_from_first"]) == (8840, 323, 855, 460)
    assert result["second_against_first"] == {"paragraphs": 8840, "precision": 0.965, "recall": 0.97,
                                              "f1": 0.968, "polarity_accuracy": 0.972}
    assert result["first_against_final"] == {"paragraphs": 8840, "precision": 0.988, "recall": 0.978,
                                             "f1": 0.983, "polarity_accuracy": 0.986}
    assert result["by_labels"]["findings-labelled-more.csv"]["second_against_first"] == {
        "paragraphs": 6161, "precision": 0.965, "recall": 0.975, "f1": 0.97, "polarity_accuracy": 0.974}
    assert result["by_labels"]["findings-held-out.csv"]["second_against_first"] == {
        "paragraphs": 354, "precision": 0.978, "recall": 0.98, "f1": 0.979, "polarity_accuracy": 0.98}
