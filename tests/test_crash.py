"""A build killed part way (SIGKILL) leaves a store that opens, holds only whole reports,
and that a second build completes."""

import signal
import subprocess
import sys
import time
from collections import Counter

import pyoxigraph as ox
import pytest

from .conftest import CORPUS

pytestmark = pytest.mark.corpus


def graph_sizes(path):
    store = ox.Store.read_only(str(path))
    sizes = Counter(q.graph_name.value for q in store.quads_for_pattern(None, None, None)
                    if isinstance(q.graph_name, ox.NamedNode) and "/report/" in q.graph_name.value)
    del store
    return sizes


def stored(path):
    """Whether a report graph is stored (asked beside the writer: a failed open is a no)."""
    try:
        store = ox.Store.read_only(str(path))
    except (OSError, RuntimeError):
        return False
    found = any("/report/" in graph.value for graph in store.named_graphs())
    del store
    return found


def test_a_killed_build_leaves_whole_reports_and_a_rerun_completes(tmp_path, built):
    store = tmp_path / "graph"
    process = subprocess.Popen([sys.executable, "-m", "ofsted_kg", "build", str(CORPUS), "--store", str(store),
                                "-j", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Killed once a report is stored, with most still to come (a 1-worker build stores
    # each report in its own transaction; with more workers, in batches of some 20).
    deadline = time.monotonic() + 300
    while not stored(store) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    partial = graph_sizes(store)
    complete = graph_sizes(built[0])
    assert 1 <= len(partial) < len(complete)
    # Every report graph in the killed store is exactly as a full build makes it.
    assert {name: partial[name] for name in partial} == {name: complete[name] for name in partial}
    partial_stats = stats(store)  # kept, if the kill left a generation naming the store's state
    assert stats(store) == stats(store, "--no-cache") == partial_stats
    rerun = subprocess.run([sys.executable, "-m", "ofsted_kg", "build", str(CORPUS), "--store", str(store)],
                           capture_output=True, text=True)
    assert rerun.returncode == 1  # the two HTML pages in the corpus
    assert rerun.stderr.startswith(
        f"{329 - len(partial)} ingested, 0 stored with problems, {len(partial)} unchanged, 2 failed")
    assert graph_sizes(store) == complete
    # The answer kept from the killed store's state is not given for the completed one.
    assert stats(store) == stats(store, "--no-cache") == stats(built[0], "--no-cache") != partial_stats


def stats(store, *flags):
    return subprocess.run([sys.executable, "-m", "ofsted_kg", "query", "stats", "--store", str(store), *flags],
                          capture_output=True, text=True, check=True).stdout
