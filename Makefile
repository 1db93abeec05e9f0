# The two commands of the README. Each sets up a virtual environment in .venv first.
PYTHON ?= python3
VENV := .venv
REPORTS ?= ../shared/ofsted-reports
STORE ?= ofsted-kg-store

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

.PHONY: demo test bench soak screenshots readme
# Build the graph from a folder of reports, then print the national judgement table.
# (build exits 1 when some files are not reports; the rest is still stored.)
demo: $(VENV)/.installed
	-$(VENV)/bin/ofsted-kg build $(REPORTS) --store $(STORE)
	$(VENV)/bin/ofsted-kg query inspection-judgements --store $(STORE) --format table

test: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/pytest

# Every benchmark in one run (raw extraction, builds, stages, rebuilds, queries, validation,
# memory, 10x and 100x graphs): bench/results.json and bench/results.md. Takes about an hour.
# The soak test of the server (issue 17): 200 clients for 60 s against the whole corpus
# while a build runs; left out of `make test`, which it would slow by minutes.
soak: $(VENV)/.installed
	$(VENV)/bin/pytest -m soak tests/test_serve_soak.py

bench: $(VENV)/.installed
	$(VENV)/bin/python bench/run.py $(REPORTS)

# The README's screenshots of the pages (home, an authority, the national table), taken by
# the browser tests' Chromium over a store of a few reports: docs/screenshots/*.png.
screenshots: $(VENV)/.installed
	$(VENV)/bin/python -m tests.browser

# The README's examples of the stored queries, run again on the sample reports the tests
# make (tests/readme_examples.py); tests/test_readme.py fails until they are up to date.
readme: $(VENV)/.installed
	$(VENV)/bin/python -m tests.readme_examples
