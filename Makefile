# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast install browser java bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## run: set up, load the bundled Osaka data into the default store (once), start the dashboard
run: install
	$(VENV)/bin/tsunagari bootstrap
	$(VENV)/bin/streamlit run app.py --server.address 127.0.0.1 --browser.gatherUsageStats false

## browser: Debian's chromium and Japanese fonts for the real-browser tests (apt, when missing)
browser:
	bash scripts/ensure_browser.sh

## java: Debian's Java 17 runtime for the Spark engine's agreement tests (apt, when missing)
java:
	bash scripts/ensure_java.sh

## test: set up with test extras and run the whole suite (browser tests included)
test: install browser java
	$(PY) -m pytest

## test-fast: the quick tier (no tests marked slow, no browser): seconds to a few minutes
test-fast: install
	$(PY) -m pytest -m "not slow and not browser"

bench: install
	$(VENV)/bin/tsunagari bench ingest
	$(VENV)/bin/tsunagari bench analyze

clean:
	rm -rf $(VENV) data/tsunagari.duckdb data/tsunagari.duckdb.wal data/tsunagari.duckdb.version data/synth
