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

# Files kept in `ruff format` style; the rest of the tree joins once it is
# reformatted in one commit of its own (a mass reformat would collide with every branch).
FORMATTED := \
	index/records.py \
	index/names.py \
	index/errors.py \
	index/files.py \
	index/opening.py \
	index/library.py \
	index/location.py \
	index/copying.py \
	reader/cli_copy.py \
	index/postgres/__init__.py \
	index/postgres/connection.py \
	index/postgres/library.py \
	index/postgres/parsing.py \
	index/postgres/reading.py \
	index/postgres/rows.py \
	index/postgres/schema.py \
	index/postgres/search.py \
	index/postgres/server.py \
	index/postgres/sqlquery.py \
	index/postgres/writer.py \
	index/ingest/__init__.py \
	index/ingest/plan.py \
	index/ingest/commit.py \
	index/ingest/recovery.py \
	index/ingest/session.py \
	index/ingest/sources.py \
	index/search/__init__.py \
	index/search/answer.py \
	index/search/dates.py \
	index/search/engine.py \
	index/search/feed.py \
	index/search/vocabulary.py \
	index/parse/text.py \
	index/parse/header.py \
	index/parse/body.py \
	index/parse/paragraphs.py \
	index/parse/lines.py \
	index/storage/__init__.py \
	index/storage/lock.py \
	index/storage/whoosh_private.py \
	tools/__init__.py \
	tools/check_size.py \
	tests/test_size.py

test: lint
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check index reader tests tools
	$(VENV)/bin/ruff format --check $(FORMATTED)
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
