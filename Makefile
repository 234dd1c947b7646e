# Quick start: `make run` (the app on the bundled seeds) and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup run test lint bench screenshots clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/newsroom $(ARGS)

test: $(STAMP)
	$(VENV)/bin/ruff check index reader tests
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check index reader tests

bench: $(STAMP)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test,bench]'
	$(PY) -m tests.benchmarks $(ARGS)

screenshots: $(STAMP)
	$(PY) -m reader.screenshots

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
