"""How far two readers of the labelling rules agree, and how far the tagger is from them.

    python bench/findings_agreement.py [--tags variant-out.json ...]

Reads tests/expected/findings-agreement.csv: every labelled paragraph (the training files and
the held-out file, named in its ``labels`` column), each labelled a second time by a reader
who saw neither the first label nor the tagger's, and, where the two readings differed, a
third reader's decision between them (the final label, which the label files now carry).
Scores, with the measures of bench/findings_eval.py (service precision and recall over keys,
polarity accuracy): the second reading against the first, and each reading against the final
one, over all rows and per label file. With --tags (the --out file of
bench/findings_variants.py or bench/findings_eval.py --tags-out, every training paragraph's
out-of-sample tags), scores those tags on the paragraphs they cover too. Writes
bench/findings-agreement.json and .md.
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
    result = _agreement(rows)
    result["by_labels"] = {name: _agreement([row for row in rows if row["labels"] == name])
                           for name in sorted({row["labels"] for row in rows})}
    return result


def _agreement(rows: list[dict]) -> dict:
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
    """The out-of-sample tags of one findings_variants run, on the agreement's paragraphs it covers
    (the training files': cross-validation never tags the held-out file)."""
    found = {(tag["file"], str(tag["paragraph"])): tag for tag in json.loads(tags_file.read_text())["tags"]}
    rows = [row for row in rows if (row["file"], row["paragraph"]) in found]
    result = {"paragraphs": len(rows)}
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
             f"{result['paragraphs']} labelled paragraphs of {result['reports']} reports, each labelled "
             "again blind; the readings differed on "
             f"{result['readings_differ']}, and a third reader's decision changed "
             f"{result['final_differs_from_first']} first labels.", "",
             "| paragraphs | reading | against | service precision | service recall | F1 | polarity accuracy |",
             "|---|---|---|---|---|---|---|"]
    parts = [("all", result)] + list(result.get("by_labels", {}).items())
    rows = [(name, reading, gold, part[f"{reading}_against_{gold}"]) for name, part in parts
            for reading, gold in (("second", "first"), ("first", "final"), ("second", "final"))]
    rows += [(f"{figures['paragraphs']} tagged", f"tagger ({name})", gold, figures[f"against_{gold}"])
             for name, figures in result.get("tagger", {}).items() for gold in ("first", "final")]
    for part, reading, gold, f in rows:
        lines.append(f"| {part} | {reading} | {gold} | {f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f} | "
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
