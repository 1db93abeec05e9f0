"""Digests of what a build's worker makes of each PDF, to show a change leaves it alone.

For every PDF under FOLDER: SHA-256 (first 16 hex digits) of the pickled text read
(``read_pdf``), of the extracted facts (``extract_report``: findings with their tags, cues
and evidence), of the validation problems of the mapped graph, and of what ``build_one``
sends back (graph name, N-Quads, error, problems), written as JSON. Run it on two trees and
compare the files:

    PYTHONPATH=src python bench/worker_digests.py ../shared/ofsted-reports before.json
    (change the code)
    PYTHONPATH=src python bench/worker_digests.py ../shared/ofsted-reports after.json
    python bench/worker_digests.py --compare before.json after.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
from pathlib import Path
from typing import Any


def _digest(value: Any) -> str:
    return hashlib.sha256(pickle.dumps(value)).hexdigest()[:16]


def digests(folder: Path) -> dict[str, dict[str, Any]]:
    from ofsted_kg import build
    from ofsted_kg.extract import extract_report
    from ofsted_kg.mapping import map_report
    from ofsted_kg.read import read_pdf
    from ofsted_kg.validate import validate_triples

    found: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.rglob("*.pdf")):
        record: dict[str, Any] = {}
        try:
            document = read_pdf(str(path))
            record["text"] = _digest(document)
            report = extract_report(document)
            record["facts"] = _digest(report)
            outcome = validate_triples(map_report(report, stamp="x"), keep_store=False)
            record["problems"], record["problem_count"] = _digest(outcome.problems), len(outcome.problems)
        except Exception as error:  # noqa: BLE001 - a file that fails must fail alike
            record["error"] = repr(error)[:200]
        built = build.build_one(str(path), stamp="x")  # a fixed stamp: the reader's digest changes with the code
        record["built"] = _digest((built.graph, built.nquads, built.error, built.problems))
        found[str(path.relative_to(folder))] = record
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs=2, type=Path, help="FOLDER OUT.json, or with --compare two JSON files")
    parser.add_argument("--compare", action="store_true")
    arguments = parser.parse_args()
    if arguments.compare:
        before, after = (json.loads(p.read_text()) for p in arguments.paths)
        differ = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
        print(f"{len(before)} and {len(after)} files; {len(differ)} differ", *differ[:20], sep="\n")
        sys.exit(1 if differ else 0)
    folder, out = arguments.paths
    found = digests(folder)
    out.write_text(json.dumps(found, indent=0, sort_keys=True))
    print(f"{len(found)} files, {sum('error' in r for r in found.values())} not read, "
          f"{sum(r.get('problem_count', 0) for r in found.values())} validation problems")


if __name__ == "__main__":
    main()
