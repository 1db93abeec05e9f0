"""The build's own worker pool (ofsted_kg.workers: limits, a dead worker replaced) against
the ProcessPoolExecutor it replaced, on the same reports: wall time and CPU time.

    .venv/bin/python bench/build_pool.py ../shared/ofsted-reports --folders 30 --runs 2
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from ofsted_kg import build as building


def _executor_results(paths, workers, findings, limits, stamp=None):
    """What build._results was before the pool of its own (no limits)."""
    one = partial(building.build_one, findings=findings, stamp=stamp)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(one, paths, chunksize=4)


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--folders", type=int, default=30)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    folders = sorted(p for p in args.corpus.iterdir() if p.is_dir())[: args.folders]
    own = building._results
    for run in range(args.runs):
        for name, results in (("executor", _executor_results), ("own pool", own)):
            building._results = results
            folder = Path(tempfile.mkdtemp(prefix="bench-pool-"))
            try:
                cpu, started = _cpu(), time.perf_counter()
                summary = building.build(folders, folder / "store", workers=args.workers)
                wall, used = time.perf_counter() - started, _cpu() - cpu
            finally:
                shutil.rmtree(folder)
            print(f"run {run + 1} {name:9} {len(summary.ingested)} ingested, {len(summary.failed)} failed: "
                  f"{wall:6.1f} s wall, {used:6.1f} s CPU", flush=True)
    building._results = own


if __name__ == "__main__":
    main()
