"""A reader that queries while a build writes sees whole reports and gets no error."""

import subprocess
import sys

import pytest

from ofsted_kg.store import open_store

from .conftest import CORPUS

pytestmark = pytest.mark.corpus

# Reports, inspections with an overall grade, and the shortcut derived from each such
# grade (graph/derived): a reader sees them change together, never reports whose
# derived answers are not made yet.
CONSISTENCY = """
PREFIX ofsted: <https://w3id.org/ofsted-kg/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT (COUNT(DISTINCT ?report) AS ?reports) (COUNT(DISTINCT ?graded) AS ?graded)
       (COUNT(DISTINCT ?shortcut) AS ?shortcuts) WHERE {
  { ?report a ofsted:Report }
  UNION { ?graded ofsted:judgement/ofsted:area/skos:notation "overall-effectiveness" }
  UNION { ?shortcut ofsted:overallGrade ?grade }
}
"""


def test_readers_during_a_build_see_the_store_before_it_or_after_it(tmp_path):
    folders = sorted(p for p in CORPUS.iterdir() if p.is_dir())[:12]
    store = tmp_path / "graph"
    # The store exists (empty) before the reader starts.
    open_store(store).close()
    build = subprocess.Popen([sys.executable, "-m", "ofsted_kg", "build", *map(str, folders), "--store",
                              str(store), "--no-findings"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = []
    while build.poll() is None or not seen:
        reader = open_store(store, read_only=True)
        try:
            row = next(iter(reader.query(CONSISTENCY)))
            seen.append(tuple(int(row[name].value) for name in ("reports", "graded", "shortcuts")))
        finally:
            reader.close()
    _, errors = build.communicate()
    assert build.returncode in (0, 1), errors
    final = open_store(store, read_only=True)
    try:
        row = next(iter(final.query(CONSISTENCY)))
        after = tuple(int(row[name].value) for name in ("reports", "graded", "shortcuts"))
    finally:
        final.close()
    assert after[0] > 30 and after[1] == after[2]
    assert set(seen) <= {(0, 0, 0), after}
    assert seen.count((0, 0, 0)) > 2, f"the reads did not overlap the build: {seen[:5]}"


def test_command_line_readers_beside_a_build_never_fail(tmp_path):
    """Each read opens the store afresh while the build writes and compacts (where RocksDB
    can report 'Corruption' for a file just replaced): every read answers, none errs."""
    folders = sorted(p for p in CORPUS.iterdir() if p.is_dir())[:8]
    store = tmp_path / "graph"
    open_store(store).close()
    build = subprocess.Popen([sys.executable, "-m", "ofsted_kg", "build", *map(str, folders), "--store",
                              str(store), "--no-findings"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    reads = []
    while build.poll() is None or not reads:
        reads.append(subprocess.run([sys.executable, "-m", "ofsted_kg", "query", "stats", "--store", str(store),
                                     "--no-cache", "--format", "csv"], capture_output=True, text=True))
    _, errors = build.communicate()
    assert build.returncode in (0, 1), errors
    assert [(r.returncode, r.stderr) for r in reads if r.returncode or r.stderr] == []
    assert all(r.stdout.startswith("label,count\n") for r in reads)
