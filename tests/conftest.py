"""Shared fixtures: an empty config dir for every test (the user's own config.toml never leaks in),
and a private PostgreSQL server for the tests of the PostgreSQL backend."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run and machine (the suite is
# deterministic); a failure found once is found again by the next run.
settings.register_profile("newsroom", derandomize=True, database=None)
settings.load_profile("newsroom")


@pytest.fixture(autouse=True)
def _empty_config_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("config-home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    for name in (
        "NEWSROOM_THEME",
        "NEWSROOM_PAGER",
        "NEWSROOM_DATE_FORMAT",
        "NEWSROOM_PIPE",
        "NEWSROOM_KEYS",
    ):
        monkeypatch.delenv(name, raising=False)
    return home


# Modules that read one library built once per process (the harbour library of the
# search tests) go to the same worker.
SAME_WORKER = {"tests/test_search_best_blocks.py": "tests/test_search_lean.py"}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`make test` runs the suite on three pytest-xdist workers (`--dist loadgroup`): a module
    stays on one worker (its module fixtures are built once), and every PostgreSQL test
    goes to one worker, which then starts the only server. Inert without xdist."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        group = "postgres" if item.get_closest_marker("postgres") else item.nodeid.split("::")[0]
        group = SAME_WORKER.get(group, group)
        item.add_marker(pytest.mark.xdist_group(group))


_dbs = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    """A throwaway PostgreSQL server for the session (skipped, saying why, where none can run).

    initdb into a fresh /tmp folder, run as an unprivileged user when we are root
    (the server refuses root: `postgres`, else `nobody`), on a free port of
    127.0.0.1 with its socket in that folder; stopped and removed at the end.
    """
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("PostgreSQL tests: psycopg is not installed (pip install -e '.[postgres]')")
    from index.postgres.server import ServerUnavailable, private_server

    try:
        with private_server() as server, pytest.MonkeyPatch.context() as env:
            # A PostgreSQL library keeps this user's local files (saved searches) in the data dir.
            env.setenv("XDG_DATA_HOME", str(server.root / "data-home"))
            yield server
    except ServerUnavailable as exc:
        pytest.skip(f"PostgreSQL tests: {exc}")


def new_database(server: Any) -> str:
    """A fresh empty database on `server`; its URL."""
    import psycopg

    name = f"t{next(_dbs)}"
    with psycopg.connect(server.url(), autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name} TEMPLATE template0")
    return server.url(name)


@pytest.fixture
def pg_url(pg_server: Any) -> str:
    """The URL of a new empty database for one test."""
    return new_database(pg_server)
