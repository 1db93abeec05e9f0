"""How long a full-text search takes on a store of the whole corpus.

    python bench/search_latency.py --store /tmp/corpus-store [--runs 50]

Times, on an existing store: making the index from the store (what the first search after
a write costs), then each query below answered from the index (what every later search
costs: the index already matches the store's generation, checked on every call). Writes
bench/search-latency.json and .md. Build the store first:
``ofsted-kg build ../shared/ofsted-reports --store /tmp/corpus-store``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

QUERIES = [
    {"text": "care leavers accommodation"},
    {"text": "care leavers accommodation", "polarity": "area-for-improvement", "latest": True},
    {"text": "care leavers accommodation", "service": "leaving-care", "since": "2018-01-01"},
    {"text": "management oversight", "authority": "Greenwich"},
    {"text": "multi agency safeguarding hub thresholds"},
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args(argv)

    from ofsted_kg.search import index_path, refresh_index, search

    started = time.perf_counter()
    refresh_index(args.store, force=True)
    index_seconds = time.perf_counter() - started
    results = []
    for query in QUERIES:
        options = {k: v for k, v in query.items() if k != "text"}
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            hits = search(args.store, query["text"], **options)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        results.append({"query": query, "hits": len(hits), "median_ms": round(statistics.median(timings), 2),
                        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 2),
                        "max_ms": round(timings[-1], 2)})
    rows = json.loads(json.dumps(results))
    summary = {"store": str(args.store), "runs": args.runs, "index_rows": None,
               "index_bytes": index_path(args.store).stat().st_size, "index_seconds": round(index_seconds, 2),
               "queries": rows}
    import sqlite3

    with sqlite3.connect(index_path(args.store)) as connection:
        summary["index_rows"] = int(dict(connection.execute("SELECT key, value FROM meta"))["rows"])
    out = Path(__file__).resolve().parent
    (out / "search-latency.json").write_text(json.dumps(summary, indent=1) + "\n")
    lines = [f"# Search latency ({args.runs} runs per query)", "",
             f"Index of {summary['index_rows']} findings and recommendations, "
             f"{summary['index_bytes'] // 1024} KB, "
             f"made from the store in {summary['index_seconds']} s.", "",
             "| query | hits | median ms | p95 ms | max ms |", "|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {json.dumps(row['query'])} | {row['hits']} | {row['median_ms']} | {row['p95_ms']} | "
                     f"{row['max_ms']} |")
    (out / "search-latency.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
