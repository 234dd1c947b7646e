# Quick start: `make run` (the app on the bundled seeds) and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# `make run` installs the runtime only; `make test` (and setup) adds the test tools.
RUN_STAMP := $(VENV)/.runtime-stamp
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup run test lint bench screenshots clean

PIP    := $(PY) -m pip install -q --disable-pip-version-check --no-compile

# A venv without the pip that ensurepip bundles: a current pip resolves the test tools
# several times faster (most of a clean clone's `make test` setup was the old one
# sifting index pages). Where python3 has no pip of its own, the usual venv.
$(PY):
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(PY) install -q --disable-pip-version-check --no-compile pip \
		|| $(PYTHON) -m venv --clear --upgrade-deps $(VENV)

$(RUN_STAMP): pyproject.toml | $(PY)
	$(PIP) -e .
	touch $(RUN_STAMP)

# One install of everything (not the runtime first, then the rest: the editable
# build and the resolution would run twice).
$(STAMP): pyproject.toml | $(PY)
	$(PIP) -e '.[test,postgres]'
	touch $(RUN_STAMP) $(STAMP)

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
