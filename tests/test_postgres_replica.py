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


def test_reads_from_a_hot_standby(pg_server: Any, tmp_path: Path, monkeypatch: Any) -> None:
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
        _reads_go_to_read_url(url, replica_url, extra, monkeypatch)
    finally:
        standby_cm.__exit__(None, None, None)


def _reads_go_to_read_url(url: str, replica_url: str, extra: Path, monkeypatch: Any) -> None:
    """With `read_url` the reads come from the standby, marks and writes go to the primary."""
    import psycopg

    from index.postgres.library import PgLibrary

    monkeypatch.setenv("NEWSROOM_READ_URL", replica_url)
    with Library.open(url) as lib:
        assert isinstance(lib, PgLibrary)
        assert lib.notices == [] and lib.read_url == replica_url
        eventually(lambda: lib.count() == 6, "the 6 articles")
        # Replay paused: what the primary writes now is not on the standby yet.
        with psycopg.connect(replica_url, autocommit=True) as standby_con:
            standby_con.execute("SELECT pg_wal_replay_pause()")
            try:
                name = sorted(p.name for p in SEEDS.iterdir())[2]
                shutil.copy(SEEDS / name, extra / "another.txt")
                with PgLibrary.connect(url, read_url="") as primary:
                    primary.ingest([extra])
                    assert primary.count() == 7
                assert lib.count() == 6  # read from the paused standby
                assert lib.feed_count() == 6 and len(lib.feed_slice(0, 40)) == 6
                first = lib.feed()[0].id
                lib.set_read(first, True)  # written to the primary, seen at once
                assert lib.read_ids() == {first}
                lib.set_starred(first, True)
                assert lib.starred_ids() == {first}
            finally:
                standby_con.execute("SELECT pg_wal_replay_resume()")
        eventually(lambda: lib.refresh() and lib.count() == 7, "the 7th article")


def test_a_read_url_that_cannot_serve_keeps_reads_on_the_primary(pg_server: Any) -> None:
    from index.postgres.library import PgLibrary
    from index.postgres.server import _free_port

    url = new_database(pg_server)
    name = url.rsplit("/", 1)[1]
    closed = pg_server.url(name).replace(f":{pg_server.port}/", f":{_free_port()}/")
    assert closed != url
    cases = {
        new_database(pg_server): "names another database",  # another library: refused
        closed: "cannot reach",  # nobody listens there
        url: None,  # the primary itself: nothing to say
    }
    for read_url, said in cases.items():
        lib = PgLibrary.connect(url, read_url=read_url)
        with lib:
            assert lib.rcon is lib.con and lib.read_url == "" and lib.count() == 0
            if said is None:
                assert lib.notices == []
            else:
                assert len(lib.notices) == 1 and said in lib.notices[0], lib.notices
                assert "reading from the primary" in lib.notices[0]
