# Quick start: `make run` (the app on the bundled seeds) and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# Python keeps compiled modules in __pycache__ for the next process: with
# PYTHONDONTWRITEBYTECODE set (as on this machine), every process the
# suite starts (three workers, the CLI, tmux and crash runs) compiled textual, rich
# and whoosh from source again, ~2 s of CPU each (pip installs with --no-compile).
unexport PYTHONDONTWRITEBYTECODE
# `make run` installs the runtime only; `make test` (and setup) adds the test tools.
RUN_STAMP := $(VENV)/.runtime-stamp
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup run test lint bench screenshots clean

PIP    := $(PY) -m pip install -q --disable-pip-version-check --no-compile
SETUPTOOLS := 'setuptools>=77'

# A venv without the pip that ensurepip bundles: a current pip resolves the test tools
# several times faster (most of a clean clone's `make test` setup was the old one
# sifting index pages). Where python3 has no pip of its own, the usual venv.
# setuptools goes into the venv too: the editable install then builds with it in place
# (--no-build-isolation) instead of installing it into a throwaway build env each time.
$(PY):
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(PY) install -q --disable-pip-version-check --no-compile pip $(SETUPTOOLS) \
		|| { $(PYTHON) -m venv --clear --upgrade-deps $(VENV) && $(PIP) $(SETUPTOOLS); }

$(RUN_STAMP): pyproject.toml | $(PY)
	$(PIP) --no-build-isolation -e .
	touch $(RUN_STAMP)

# One install of everything (not the runtime first, then the rest: the editable
# build and the resolution would run twice).
$(STAMP): pyproject.toml | $(PY)
	$(PIP) --no-build-isolation -e '.[test,postgres]'
	touch $(RUN_STAMP) $(STAMP)

setup: $(STAMP)

run: $(RUN_STAMP)
	$(VENV)/bin/newsroom $(ARGS)

# The suite on three pytest-xdist workers (three, not two: on a 2-core machine that other
# processes keep busy, a third worker wins a larger share of the cores; tests/conftest.py
# keeps a module, and all the PostgreSQL tests, on one worker), with `make lint` running
# beside it: lint's output is printed after the tests' under its own heading, then
# pytest's closing line once more (the last line stays the test count), and either
# failing fails the target.
test: $(STAMP)
	@$(MAKE) --no-print-directory lint > $(VENV)/lint.log 2>&1 & lint=$$!; \
	{ $(PY) -m pytest -n 3 --dist loadgroup; echo $$? > $(VENV)/pytest.rc; } \
		| tee $(VENV)/pytest.log; \
	wait $$lint; linted=$$?; \
	echo "== make lint (ran beside the tests): $$([ $$linted = 0 ] && echo passed || echo FAILED)"; \
	cat $(VENV)/lint.log; \
	echo "== pytest:"; tail -n 1 $(VENV)/pytest.log; \
	[ "$$(cat $(VENV)/pytest.rc)" = 0 ] && [ $$linted = 0 ]

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
