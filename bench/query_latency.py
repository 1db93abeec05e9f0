"""Latency of every stored query (defaults for parameters) on a built graph.

Usage: python bench/query_latency.py [--store PATH | REPORTS_FOLDER] [--runs N] [--kept]
With a folder, builds it into a temporary store first. Prints a Markdown table of the
median and 95th percentile per query, after one warm-up run: the engine's times, or
with --kept those of the answers kept since the warm-up (a query asked again).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from ofsted_kg.build import build
from ofsted_kg.query import prepare, stored_queries
from ofsted_kg.store import OxigraphStore, open_store
from ofsted_kg.store.answers import ANSWERS_FOLDER


def _timed(store: OxigraphStore, text: str, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        list(store.query(text))
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def measure(store_path: Path, runs: int, kept: bool = False) -> list[tuple[str, int, float, float]]:
    """(name, rows, median ms, p95 ms) of each stored query after one warm-up run: the
    engine's times, or with ``kept`` the times of the answers kept since the warm-up."""
    shutil.rmtree(store_path / ANSWERS_FOLDER, ignore_errors=True)
    store = open_store(store_path, read_only=True, keep_answers=kept)
    results = []
    for name in sorted(stored_queries()):
        text = prepare(name)
        rows = len(list(store.query(text)))  # warm-up, and the row count
        results.append((name, rows, *_timed(store, text, runs)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="../shared/ofsted-reports")
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--kept", action="store_true", help="Time the answers kept after the warm-up.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store_path = args.store
        if store_path is None:
            store_path = Path(tmp) / "graph"
            build([Path(args.folder)], store_path)
        print("| query | rows | median ms | p95 ms |\n|---|---:|---:|---:|")
        for name, rows, median, p95 in measure(store_path, args.runs, args.kept):
            print(f"| {name} | {rows} | {median:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
