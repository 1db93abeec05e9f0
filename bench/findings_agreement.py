"""How far two readers of the labelling rules agree, and how far the tagger is from them.

    python bench/findings_agreement.py [--tags variant-out.json ...]

Reads tests/expected/findings-agreement.csv: 200 paragraphs drawn at random from the
training files, each labelled a second time by a reader who saw neither the first label
nor the tagger's, and, where the two readings differed, a third reader's decision between
them (the final label, which the training files now carry). Scores, with the measures of
bench/findings_eval.py (service precision and recall over keys, polarity accuracy): the
second reading against the first, and each reading against the final one. With --tags
(the --out file of bench/findings_variants.py, every paragraph's out-of-sample tags),
scores those tags on the same paragraphs too. Writes bench/findings-agreement.json and .md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import findings_training as training  # noqa: E402

from ofsted_kg.extract.keys import as_keys  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
AGREEMENT = ROOT / "tests" / "expected" / "findings-agreement.csv"


def keys(services: str) -> set[str]:
    return set(as_keys({name for name in services.split(";") if name}))


def readings(path: Path = AGREEMENT) -> list[dict]:
    return training.read_labels(path)


def score(rows: list[dict], gold: str, found: str) -> dict:
    """``found``'s reading scored against ``gold``'s (column prefixes: first, second, final)."""
    counts = training.Counts()
    for row in rows:
        counts.add(keys(row[f"{gold}_services"]), keys(row[f"{found}_services"]),
                   row[f"{gold}_polarity"], row[f"{found}_polarity"])
    return counts.figures()


def agreement(rows: list[dict]) -> dict:
    disagreeing = [row for row in rows if keys(row["first_services"]) != keys(row["second_services"])
                   or row["first_polarity"] != row["second_polarity"]]
    return {"paragraphs": len(rows), "reports": len({row["file"] for row in rows}),
            "readings_differ": len(disagreeing),
            "final_differs_from_first": sum(keys(row["final_services"]) != keys(row["first_services"])
                                            or row["final_polarity"] != row["first_polarity"] for row in rows),
            "second_against_first": score(rows, "first", "second"),
            "first_against_final": score(rows, "final", "first"),
            "second_against_final": score(rows, "final", "second")}


def tagger(rows: list[dict], tags_file: Path) -> dict:
    """The out-of-sample tags of one findings_variants run, on the agreement's paragraphs."""
    found = {(tag["file"], str(tag["paragraph"])): tag for tag in json.loads(tags_file.read_text())["tags"]}
    result = {}
    for gold in ("first", "final"):
        counts = training.Counts()
        for row in rows:
            tag = found[(row["file"], row["paragraph"])]
            counts.add(keys(row[f"{gold}_services"]), set(tag["found"]), row[f"{gold}_polarity"],
                       tag["found_polarity"])
        result[f"against_{gold}"] = counts.figures()
    return result


def markdown(result: dict) -> str:
    lines = ["# Two readers of the labelling rules, and the tagger", "",
             f"{result['paragraphs']} paragraphs of {result['reports']} reports, drawn at random from the "
             "training files and labelled again blind; the readings differed on "
             f"{result['readings_differ']}, and a third reader's decision changed "
             f"{result['final_differs_from_first']} first labels.", "",
             "| reading | against | service precision | service recall | F1 | polarity accuracy |",
             "|---|---|---|---|---|---|"]
    rows = [("second", "first", result["second_against_first"]), ("first", "final", result["first_against_final"]),
            ("second", "final", result["second_against_final"])]
    rows += [(f"tagger ({name})", gold, figures[f"against_{gold}"])
             for name, figures in result.get("tagger", {}).items() for gold in ("first", "final")]
    for reading, gold, f in rows:
        lines.append(f"| {reading} | {gold} | {f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f} | "
                     f"{f['polarity_accuracy']:.3f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tags", type=Path, nargs="*", default=[])
    args = parser.parse_args(argv)
    rows = readings()
    result = agreement(rows)
    if args.tags:
        result["tagger"] = {json.loads(path.read_text())["variant"] + f" ({path.name})": tagger(rows, path)
                            for path in args.tags}
    out = Path(__file__).resolve().parent
    (out / "findings-agreement.json").write_text(json.dumps(result, indent=1) + "\n")
    (out / "findings-agreement.md").write_text(markdown(result))
    print(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
