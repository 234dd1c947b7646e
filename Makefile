# Quick start: `make run` (the app on the bundled seeds) and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# `make run` installs the runtime only; `make test` (and setup) adds the test tools.
RUN_STAMP := $(VENV)/.runtime-stamp
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup run test lint bench screenshots clean

$(RUN_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e .
	touch $(RUN_STAMP)

$(STAMP): pyproject.toml $(RUN_STAMP)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test,postgres]'
	touch $(STAMP)

setup: $(STAMP)

run: $(RUN_STAMP)
	$(VENV)/bin/newsroom $(ARGS)

test: lint
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check index reader tests tools
	$(VENV)/bin/ruff format --check index reader tests tools
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(PY) -m tools.check_size

bench: $(STAMP)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test,bench]'
	$(PY) -m tests.benchmarks $(ARGS)

screenshots: $(STAMP)
	$(PY) -m reader.screenshots

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
