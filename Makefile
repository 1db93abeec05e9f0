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

.PHONY: demo test bench screenshots
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
bench: $(VENV)/.installed
	$(VENV)/bin/python bench/run.py $(REPORTS)

# The README's screenshots of the pages (home, an authority, the national table), taken by
# the browser tests' Chromium over a store of a few reports: docs/screenshots/*.png.
screenshots: $(VENV)/.installed
	$(VENV)/bin/python -m tests.browser
