"""A reader that queries while a build writes sees whole reports and gets no error."""

import subprocess
import sys

import pytest

from ofsted_kg.store import open_store

from .conftest import CORPUS
from .sample_reports import EXTRA_SAMPLES, SAMPLES, write_samples

# Every report, and of each report's inspections those with no judgement: a report is
# stored in one transaction with its judgements, so a reader never sees one without.
CONSISTENCY = """
PREFIX ofsted: <https://w3id.org/ofsted-kg/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT (COUNT(DISTINCT ?report) AS ?reports) (COUNT(DISTINCT ?bare) AS ?without_judgements) WHERE {
  ?report a ofsted:Report .
  OPTIONAL { ?bare ofsted:describedIn ?report ; ofsted:framework/skos:notation "ilacs" .
             FILTER NOT EXISTS { ?bare ofsted:judgement ?j } }
}
"""


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """The thirteen sample reports, in seven authority folders."""
    root = tmp_path_factory.mktemp("thirteen")
    write_samples(root, SAMPLES + EXTRA_SAMPLES)
    return sorted(p for p in root.iterdir() if p.is_dir())


@pytest.mark.corpus
def test_queries_during_a_build_see_a_consistent_growing_graph(tmp_path):
    """Another process sees what a build wrote when it flushes, every 16 MiB: twelve real
    authorities' reports are enough to flush several times, the sample is not."""
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
            seen.append((int(row["reports"].value), int(row["without_judgements"].value)))
        finally:
            reader.close()
    _, errors = build.communicate()
    assert build.returncode in (0, 1), errors
    counts = [reports for reports, _ in seen]
    assert all(bare == 0 for _, bare in seen)
    assert counts == sorted(counts)  # never fewer reports than a read before
    assert len(set(counts)) > 2, f"the reads did not overlap the build: {counts[:5]}...{counts[-5:]}"
    final = open_store(store, read_only=True)
    try:
        assert int(next(iter(final.query(CONSISTENCY)))["reports"].value) >= counts[-1]
    finally:
        final.close()


def test_command_line_readers_beside_a_build_never_fail(tmp_path, folders):
    """Each read opens the store afresh while the build writes and compacts (where RocksDB
    can report 'Corruption' for a file just replaced): every read answers, none errs."""
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
