"""Reads from a hot standby (`pg_basebackup -R`, streaming replication) of a private server."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from index.library import Library, LibraryError
from tests.conftest import new_database

pytestmark = pytest.mark.postgres

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def eventually(check: Callable[[], bool], what: str, tries: int = 300) -> None:
    """Replication is asynchronous: wait (bounded) until the standby has replayed."""
    for _ in range(tries):
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"the standby never showed {what}")


def test_reads_from_a_hot_standby(pg_server: Any, tmp_path: Path) -> None:
    from index.postgres.server import ServerUnavailable

    url = new_database(pg_server)
    db = url.rsplit("/", 1)[1]
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    extra = folder.parent / "extra"
    extra.mkdir()
    with Library.open(url) as primary:
        primary.ingest([folder])
    try:
        standby_cm = pg_server.standby()
        standby = standby_cm.__enter__()
    except ServerUnavailable as exc:
        pytest.skip(f"no standby: {exc}")
    try:
        replica_url = standby.url(db)
        with Library.open(replica_url, readonly=True) as replica:
            eventually(lambda: replica.count() == 5, "the 5 articles")
            assert replica.search("Pedersen").total == 2
            replica.set_read(replica.feed()[0].id, True)  # read-only: not written
            assert replica.read_ids() == set()
            with pytest.raises(LibraryError, match="read-only"):
                replica.ingest([folder])
            shutil.copy(SEEDS / sorted(p.name for p in SEEDS.iterdir())[1], extra / "copy.txt")
            with Library.open(url) as primary:
                primary.ingest([extra])
            eventually(lambda: replica.refresh() and replica.count() == 6, "the new article")
            assert replica.search("Pedersen").total in (2, 3)
        with Library.open(replica_url) as writable:  # a standby refuses writes: one line
            with pytest.raises(LibraryError) as info:
                writable.set_starred("x", True)
            assert "read-only transaction" in str(info.value) and "\n" not in str(info.value)
    finally:
        standby_cm.__exit__(None, None, None)
