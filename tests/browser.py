"""Debian's Chromium driven by Playwright, for the page tests and the README's screenshots.

Playwright's own browser download is never used: the tests launch /usr/bin/chromium
(apt package ``chromium``, installed by .ci/run). axe-core comes from the npm package
that .ci/run installs into tests/.node.

Screenshots: ``make screenshots`` (or ``python -m tests.browser``) builds a small store
from a few reports, serves it, and writes docs/screenshots/{home,authority,national}.png.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = os.environ.get("OFSTED_KG_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / ".node" / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: The reports of the small store: Greenwich's three, and two other authorities'.
SMALL_STORE_AUTHORITIES = ("80495_greenwich", "80563_stockton-on-tees", "80556_south gloucestershire")


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium with a fresh profile; yields the Playwright browser context."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="ofsted-kg-chromium-")
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, headless=True, args=FLAGS, accept_downloads=True,
                viewport={"width": 1200, "height": 900})
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def axe_violations(page: object, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """Run axe-core in the page; one line per violation of the given impacts."""
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    results = page.evaluate("async () => await axe.run(document)")  # type: ignore[attr-defined]
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"] if v.get("impact") in impacts]


@contextmanager
def served(store: Path, port: int, log: Path) -> Iterator[str]:
    """``ofsted-kg serve`` on loopback; yields its base URL."""
    from tests.servers import wait_for

    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "ofsted_kg", "serve", "--store", str(store),
                                    "--port", str(port)], stdout=sink, stderr=subprocess.STDOUT)
    try:
        wait_for(port, process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


def screenshots(corpus: Path, folder: Path) -> list[Path]:
    """Screenshots of the home, authority and national pages over a small store."""
    from ofsted_kg.build import build
    from tests.servers import free_port

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="ofsted-kg-shots-") as scratch:
        store = Path(scratch) / "graph"
        build([corpus / name for name in SMALL_STORE_AUTHORITIES], store, workers=1)
        with served(store, free_port(), Path(scratch) / "serve.log") as url, chromium() as context:
            page = context.new_page()
            for name, path in (("home", "/"), ("authority", "/id/authority/80495"), ("national", "/national")):
                page.goto(url + path)
                target = folder / f"{name}.png"
                page.screenshot(path=str(target))
                written.append(target)
    return written


if __name__ == "__main__":
    from tests.conftest import CORPUS

    for path in screenshots(CORPUS, Path(__file__).resolve().parents[1] / "docs" / "screenshots"):
        print(path)
