"""The PostgreSQL backend on a private server: concurrent writers, kill -9, dropped connections, bad URLs."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from index.library import LibraryError

pytestmark = pytest.mark.postgres

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
PEOPLE = ["Geir Pedersen", "Amina Haddad", "Lars Holm", "Rosa Quint", "Omar Tell"]
PLACES = ["Aleppo", "Hama", "Idlib", "Oslo", "Geneva"]


def make_corpus(folder: Path, n: int) -> Path:
    """`n` small dated articles with speakers and places (made here, never research texts)."""
    folder.mkdir(parents=True)
    for i in range(n):
        who, where = PEOPLE[i % len(PEOPLE)], PLACES[(i // 5) % len(PLACES)]
        day = 1 + i % 28
        (folder / f"{i:04d}.txt").write_text(
            f"Report {i} from {where} on topic{i}\n\nDec {day}, 2024\n\n"
            f"{where}, Dec {day} (Wire) Talks resumed in {where} on Monday, item{i}. "
            f'"We will keep talking," {who} said. {who} met delegates in {where}.\n',
            "utf-8",
        )
    return folder


def open_pg(url: str, **kw: Any) -> Any:
    from index.postgres.library import PgLibrary

    return PgLibrary.connect(url, **kw)


def table_counts(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url) as con:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("articles", "files", "article_keys", "article_actors", "statements")
        }


def writer_process(
    url: str, folder: Path, batch: int, *, block_on_first_commit: bool = False
) -> Any:
    code = (
        "import sys\n"
        "from index.postgres.library import PgLibrary\n"
        f"lib = PgLibrary.connect({url!r})\n"
        "def said(kept):\n"
        "    print('committed', kept, flush=True)\n"
        f"r = lib.ingest([{str(folder)!r}], batch={batch}, on_commit=said)\n"
        "print('done', r.added, r.updated, r.unchanged, flush=True)\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# --- the writer ------------------------------------------------------------------


def test_incremental_reingest(pg_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    with open_pg(pg_url) as lib:
        first = lib.ingest([folder])
        assert (first.added, first.updated, first.unchanged, first.removed) == (5, 0, 0, 0)
        assert lib.sources() == [folder.resolve()]
        again = lib.ingest([folder])
        assert (again.added, again.updated, again.unchanged, again.removed) == (0, 0, 5, 0)
        changed = next(folder.glob("001_*"))
        changed.write_text(changed.read_text("utf-8") + "\nA quokka was seen.\n", "utf-8")
        next(folder.glob("003_*")).unlink()
        (folder / "005_new.txt").write_text(
            "Zanzibar quokka report\n\nDec 3, 2024\n\nThe quokka arrived.\n", "utf-8"
        )
        report = lib.ingest([folder])
        assert (report.added, report.updated, report.unchanged, report.removed) == (1, 1, 3, 1)
        assert lib.count() == 5
        assert {Path(h.path).name[:3] for h in lib.search("quokka").hits} == {"001", "005"}
        assert lib.search("Alhamdo").total == 0  # only the deleted 003 named him
        assert table_counts(pg_url)["files"] == 5


def test_pending_and_remove_source(pg_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    other = make_corpus(tmp_path / "other", 3)
    with open_pg(pg_url) as lib:
        lib.ingest([folder])
        lib.ingest([other])
        assert lib.pending() is False
        (other / "new.txt").write_text("Late news\n\nDec 3, 2024\n\nA quokka.\n", "utf-8")
        assert lib.pending() is True
        lib.ingest([other])
        assert lib.pending() is False and lib.count() == 9
        assert lib.remove_source(other) == 4
        assert lib.count() == 5 and lib.sources() == [folder.resolve()]
        assert lib.search("quokka").total == 0
        assert not [a for a in lib.actors() if a.name == "Amina Haddad"]
        with pytest.raises(LibraryError, match="not a source"):
            lib.remove_source(other)


def test_two_processes_ingesting_the_same_files(pg_server: Any, tmp_path: Path) -> None:
    from tests.conftest import new_database

    folder = make_corpus(tmp_path / "corpus", 120)
    reference = new_database(pg_server)
    with open_pg(reference) as lib:
        lib.ingest([folder])
        expected_actors = [(a.name, a.mentions, sorted(a.article_ids)) for a in lib.actors()]
    url = new_database(pg_server)
    open_pg(url).close()  # the tables exist before the race (creating them is tested below)
    writers = [writer_process(url, folder, batch=7) for _ in range(2)]
    outs = [w.communicate(timeout=300) for w in writers]
    for w, (out, err) in zip(writers, outs, strict=True):
        assert w.returncode == 0, err
        assert "done" in out
    # Nothing lost, nothing twice: every table as one writer alone leaves it.
    assert table_counts(url) == table_counts(reference)
    with open_pg(url) as lib:
        assert lib.count() == 120
        assert [
            (a.name, a.mentions, sorted(a.article_ids)) for a in lib.actors()
        ] == expected_actors
        assert lib.search("speaker:Pedersen").total == 24


def test_two_writers_creating_a_new_library_at_once(pg_url: str, tmp_path: Path) -> None:
    folder = make_corpus(tmp_path / "corpus", 10)
    writers = [writer_process(pg_url, folder, batch=3) for _ in range(2)]
    for w in writers:
        _, err = w.communicate(timeout=300)
        assert w.returncode == 0, err
    assert table_counts(pg_url)["articles"] == 10


def _wait_for_lock_waiter(url: str, pid_of: Any) -> int:
    """The backend pid of the session that is waiting on a lock (the blocked writer)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        for _ in range(600):
            row = con.execute(
                "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                " AND datname = current_database()"
            ).fetchone()
            if row is not None:
                return int(row[0])
            time.sleep(0.05)
    raise AssertionError("the writer never blocked")


def test_kill_9_loses_at_most_the_open_batch(pg_url: str, tmp_path: Path) -> None:
    import psycopg

    folder = make_corpus(tmp_path / "corpus", 40)
    open_pg(pg_url).close()
    writer = writer_process(pg_url, folder, batch=10)
    assert writer.stdout is not None
    line = writer.stdout.readline()
    assert line.split() == ["committed", "10"]
    # Hold the actor log every batch writes to: the writer's second batch then
    # waits inside its transaction, its articles written but not committed.
    holder = psycopg.connect(pg_url)
    holder.execute("LOCK TABLE actor_log IN SHARE MODE")
    _wait_for_lock_waiter(pg_url, writer.pid)
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    holder.rollback()
    holder.close()
    # What the writer said it committed before it was killed (a batch may have
    # slipped through before the row was held): all of it stays, nothing more.
    rest = writer.stdout.read().split()
    kept = int(rest[-1]) if rest else 10
    assert kept < 40
    # The server notices the dead client and rolls its open transaction back.
    for _ in range(200):
        if table_counts(pg_url)["articles"] <= kept:
            break
        time.sleep(0.05)
    counts = table_counts(pg_url)
    assert counts["articles"] == kept and counts["files"] == kept
    with open_pg(pg_url) as lib:
        report = lib.ingest([folder])
        assert (report.added, report.unchanged) == (40 - kept, kept)
        assert lib.count() == 40
        # The merge the killed writer never ran is done by this one.
        assert sum(len(a.article_ids) for a in lib.actors() if a.name == "Geir Pedersen") == 8


# --- bad input ---------------------------------------------------------------------


def _one_line(exc: BaseException) -> str:
    text = str(exc)
    assert "\n" not in text and "Traceback" not in text
    return text


def test_unreachable_server() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # Nothing listens on `port` now.
    with pytest.raises(LibraryError) as info:
        open_pg(f"postgresql://someone:secret@127.0.0.1:{port}/news", connect_timeout=2)
    text = _one_line(info.value)
    assert "cannot reach the PostgreSQL server" in text and "secret" not in text


def test_wrong_password(pg_server: Any) -> None:
    with pytest.raises(LibraryError) as info:
        open_pg(pg_server.url("postgres", password="s3cr3t-guess"))
    text = _one_line(info.value)
    assert "refused the login" in text and "s3cr3t" not in text


def test_missing_database(pg_server: Any) -> None:
    with pytest.raises(LibraryError) as info:
        open_pg(pg_server.url("no_such_db"))
    assert "no database 'no_such_db'" in _one_line(info.value)


def test_connection_dropped_mid_ingest_then_a_later_ingest_completes(
    pg_url: str, tmp_path: Path
) -> None:
    import psycopg

    from index.postgres.connection import ConnectionLost

    folder = make_corpus(tmp_path / "corpus", 30)
    admin = psycopg.connect(pg_url, autocommit=True)
    lib = open_pg(pg_url)

    def cut(kept: int) -> None:
        # The server drops us right after the first committed batch.
        admin.execute("SELECT pg_terminate_backend(%s)", (lib.con.info.backend_pid,))

    with pytest.raises(ConnectionLost) as info:
        lib.ingest([folder], batch=10, on_commit=cut)
    text = _one_line(info.value)
    assert "connection to the server was lost" in text and "kept 10 articles" in text
    assert info.value.kept == 10
    lib.close()
    admin.close()
    with open_pg(pg_url) as again:
        assert again.count() == 10
        report = again.ingest([folder])
        assert (report.added, report.unchanged) == (20, 10)
        assert again.count() == 30


def test_a_foreign_format_is_refused(pg_url: str) -> None:
    import psycopg

    open_pg(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute("UPDATE meta SET value = '999' WHERE key = 'format'")
    with pytest.raises(LibraryError) as info:
        open_pg(pg_url)
    assert "another version of Newsroom" in _one_line(info.value)


def test_unstorable_text_and_file_names(pg_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "nul.json").write_text(
        '{"title": "Nul\\u0000 title", "body": "Before\\u0000after, Pedersen said."}', "utf-8"
    )
    with open(os.fsencode(folder) + b"/bad-\xff.txt", "wb") as f:
        f.write(b"Bad name\n\nDec 1, 2024\n\nA quokka.\n")
    with open_pg(pg_url) as lib:
        report = lib.ingest([folder])
        assert report.added == 1
        assert any("not valid UTF-8" in p.reason for p in report.skipped)
        hit = lib.search("Pedersen").hits[0]
        body = lib.article(hit.id).body
        assert "\x00" not in body and len(body) == len("Before\x00after, Pedersen said.")


# --- readers -----------------------------------------------------------------------


def test_marks_are_per_user(pg_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    alice = open_pg(pg_url, user="alice")
    alice.ingest([folder])
    bob = open_pg(pg_url, user="bob")
    first, second = (f.id for f in alice.feed()[:2])
    alice.set_read(first)
    bob.set_read(second)
    bob.set_starred(first, True)
    assert alice.read_ids() == {first} and alice.starred_ids() == set()
    assert bob.read_ids() == {second} and bob.starred_ids() == {first}
    bob.refresh()
    alice.set_starred(second, True)
    assert bob.refresh() is False  # alice's marks are not bob's changes
    assert bob.starred_ids() == {first}
    alice.close()
    bob.close()


def test_default_user_is_the_os_user(pg_url: str) -> None:
    import getpass

    with open_pg(pg_url) as lib:
        assert lib.user == getpass.getuser()


def test_feed_pages_cover_the_feed_in_order(pg_url: str, tmp_path: Path) -> None:
    folder = make_corpus(tmp_path / "corpus", 23)
    (folder / "undated1.txt").write_text("Undated b\n\nNo date here, Pedersen.\n", "utf-8")
    (folder / "undated2.txt").write_text("Undated a\n\nNo date either.\n", "utf-8")
    with open_pg(pg_url) as lib:
        lib.ingest([folder])
        whole = lib.feed()
        paged: list[Any] = []
        cursor = None
        pages = 0
        while True:
            page, cursor = lib.feed_page(cursor, 4)
            paged.extend(page)
            pages += 1
            assert len(page) <= 4
            if cursor is None:
                break
        assert paged == whole and len(whole) == 25 and pages == 7
        assert [f.title for f in whole[-2:]] == ["Undated a", "Undated b"]


def test_refresh_sees_another_writer(pg_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    reader = open_pg(pg_url)
    assert reader.search("Pedersen").total == 0
    writer = open_pg(pg_url)
    writer.ingest([folder])
    assert reader.refresh() is True
    assert reader.refresh() is False
    assert reader.search("Pedersen").total == 2 and len(reader.feed()) == 5
    writer.close()
    reader.close()


def test_broad_query_total_is_flagged_when_cut(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.postgres import search as pglib

    folder = make_corpus(tmp_path / "corpus", 30)
    with open_pg(pg_url) as lib:
        lib.ingest([folder])
        monkeypatch.setattr(pglib, "EXACT_UP_TO", 10)
        monkeypatch.setattr(pglib, "RANK_BUDGET", 12)
        monkeypatch.setattr(pglib, "FIRST_WINDOW", 4)
        broad = lib.search("talks", limit=5)
        assert not broad.total_exact and broad.total >= 10 and len(broad.hits) == 5
        again = lib.search("talks", limit=5)
        assert [h.id for h in again.hits] == [h.id for h in broad.hits]
        narrow = lib.search("item7", limit=5)
        assert narrow.total_exact and narrow.total == 1


def test_many_queries_from_threads_share_nothing_wrong(pg_url: str, tmp_path: Path) -> None:
    # One library object per thread, as the reader's workers would use.
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    open_pg(pg_url).ingest([folder])
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with open_pg(pg_url) as lib:
                for _ in range(5):
                    assert lib.search("Pedersen").total == 2
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_no_server_binaries_is_a_visible_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    from index.postgres import server

    monkeypatch.setenv("PG_BINDIR", "/nonexistent")
    monkeypatch.setattr(server.glob, "glob", lambda pattern: [])
    monkeypatch.setattr(server.shutil, "which", lambda name: None)
    with pytest.raises(server.ServerUnavailable, match="install postgresql-15 or set PG_BINDIR"):
        server.find_bindir()


def test_open_library_picks_the_backend(pg_url: str, tmp_path: Path) -> None:
    from index.library import Library
    from index.location import redact
    from index.postgres.library import PgLibrary

    with Library.open(pg_url) as lib:
        assert isinstance(lib, PgLibrary)
        assert lib.where == redact(pg_url) and "newsroom-test" not in lib.where
    # A URL that went through Path (argparse's type=Path) lost a slash: still a URL.
    with Library.open(Path(pg_url)) as lib:
        assert isinstance(lib, PgLibrary)
    with Library.open(tmp_path / "lib") as lib:
        assert not isinstance(lib, PgLibrary)


def test_pglibrary_answers_every_public_call_of_library() -> None:
    # PgLibrary subclasses Library without its folder state: a public call it does not
    # define itself would reach the embedded code. The stories calls go through
    # `_read` and `_spoken`, which PgStoriesMixin defines (the database's story tables).
    from index.library import Library
    from index.postgres.feed import PgFeedPages
    from index.postgres.library import PgLibrary
    from index.postgres.stories import PgStoriesMixin

    through_read = {"stories", "story", "story_of", "trail", "trail_ids", "trail_sizes"}
    through_read |= {"actor_record"}  # `story` reads its articles with PgLibrary's `article`
    safe = {"open", "warm"} | through_read  # `open` dispatches URLs; `warm` calls `search`
    public = {n for n in dir(Library) if not n.startswith("_")}
    # (mixins: the feed by pages, the stories)
    own = set(vars(PgLibrary)) | set(vars(PgFeedPages)) | set(vars(PgStoriesMixin))
    assert not {n for n in public if n not in own and n not in safe}
    assert {"_read", "_spoken", "_catch_up"} <= set(vars(PgStoriesMixin))
