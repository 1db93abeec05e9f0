"""Validation of the whole graph: the shapes compiled to SPARQL on Oxigraph against pySHACL.

Usage: python bench/validation.py [--store PATH | REPORTS_FOLDER]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.build import build
from ofsted_kg.validate import validate_store, validate_triples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="../shared/ofsted-reports")
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--with-pyshacl", action="store_true",
                        help="Also time pySHACL on the same graph (minutes on the whole corpus).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.store
        if path is None:
            path = Path(tmp) / "graph"
            build([Path(args.folder)], path)
        store = ox.Store.read_only(str(path))
        quads = store.quads_for_pattern(None, None, None)
        triples = list({ox.Triple(q.subject, q.predicate, q.object) for q in quads})
        started = time.perf_counter()
        ours = validate_store(store)
        compiled = time.perf_counter() - started
        print(f"| graph | {len(triples)} triples |\n|---|---|")
        print(f"| shapes compiled to SPARQL, on the store | {compiled:.2f} s ({len(ours.problems)} results) |")
        if args.with_pyshacl:
            started = time.perf_counter()
            reference = validate_triples(triples, engine="pyshacl")
            pyshacl = time.perf_counter() - started
            print(f"| pySHACL | {pyshacl:.2f} s ({len(reference.problems)} results, {pyshacl / compiled:.0f}x) |")


if __name__ == "__main__":
    main()
