"""Ingest that can be trusted: Ctrl-C keeps work, phases are named, symlinks stay in, stats match bytes."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest

from index import files, pipeline
from index.ingest import worker
from index.library import IngestInterrupted, Library, LibraryBusy
from index.records import Problem
from index.storage import lock, schema
from reader import cli

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def write_articles(folder: Path, count: int, start: int = 0) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + count):
        (folder / f"a{i:03d}.txt").write_text(
            f"Council story {i}\n\nThe harbour council of town {i} met on Monday, "
            f'and Mayor Anna Berg{i} said: "We will build the bridge {i}."\n'
        )


def interrupt_at(monkeypatch: pytest.MonkeyPatch, nth: int) -> None:
    """Send ourselves Ctrl-C while the `nth` file is being read (as a user at the keyboard)."""
    real = worker.read_stamped
    calls = 0

    def reading(path: str) -> tuple[tuple[int, int], bytes]:
        nonlocal calls
        calls += 1
        if calls == nth:
            os.kill(os.getpid(), signal.SIGINT)
        return real(path)

    monkeypatch.setattr(worker, "read_stamped", reading)
    monkeypatch.setattr(worker, "CHUNK", 4)


def test_ctrl_c_commits_what_was_done_and_says_how_many(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "articles"
    write_articles(folder, 20)
    interrupt_at(monkeypatch, 6)
    with Library.open(tmp_path / "lib") as lib:
        with pytest.raises(IngestInterrupted) as err:
            lib.ingest([folder])
        assert err.value.kept == 8  # the chunk being read is finished, then committed
        assert str(err.value).startswith("interrupted: kept 8 articles")
        assert lib.count() == 8
        monkeypatch.undo()
        assert lib.pending()
        report = lib.ingest([folder])
        assert (report.added, report.unchanged) == (12, 8)
        assert lib.count() == 20 and lib.search("harbour").total == 20
        assert any(a.name.startswith("Anna Berg") for a in lib.actors())


def test_ctrl_c_in_the_cli_prints_one_line_and_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "articles"
    write_articles(folder, 12)
    interrupt_at(monkeypatch, 2)
    code = cli.main(["--library", str(tmp_path / "lib"), "ingest", str(folder)])
    err = capsys.readouterr().err
    assert code == 130
    assert "interrupted: kept 4 articles" in err and "Traceback" not in err


def test_first_ingests_commit_in_batches_whatever_their_size() -> None:
    assert worker.batch_size(3000) <= 2000  # a Ctrl-C at 57 % keeps a batch or more
    assert worker.batch_size(100_000) <= worker.COMMIT_EVERY
    assert worker.batch_size(10) >= 1


def test_the_final_phases_are_named(tmp_path: Path) -> None:
    phases: list[str] = []
    with Library.open(tmp_path / "lib") as lib:
        lib.ingest([SEEDS], phase=phases.append)
    assert phases == ["merging segments", "merging actors", "grouping stories"]


def test_a_second_writer_says_whose_ingest_it_waits_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lock, "WRITER_WAIT_S", 0.1)
    lib = Library.open(tmp_path / "lib")
    with lock.writer_lock(tmp_path / "lib"), pytest.raises(LibraryBusy) as err:
        lib.ingest([SEEDS])
    lib.close()
    assert err.value.holder == f"process {os.getpid()}"


def test_a_file_changed_while_it_is_ingested_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "articles"
    write_articles(folder, 1)
    target = folder / "a000.txt"
    real = pipeline.process_file

    def edited_meanwhile(path: str):  # type: ignore[no-untyped-def]
        target.write_text("Edited story\n\nThe museum reopened after the storm.\n")
        st = target.stat()
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
        return real(path)

    monkeypatch.setattr(pipeline, "process_file", edited_meanwhile)
    with Library.open(tmp_path / "lib") as lib:
        lib.ingest([folder])
        monkeypatch.undo()
        assert lib.pending()
        report = lib.ingest([folder])
        assert report.unchanged == 0 and report.updated == 1
        assert lib.search("museum").total == 1


def test_remove_source_takes_its_articles_out(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write_articles(a, 3)
    write_articles(b, 2, start=10)
    with Library.open(tmp_path / "lib") as lib:
        lib.ingest([a, b])
        assert lib.remove_source(b) == 2
        assert lib.count() == 3 and lib.sources() == [a.resolve()]
        assert lib.search("harbour").total == 3
        assert not any(a.name == "Anna Berg10" for a in lib.actors())


# --- symbolic links ---------------------------------------------------------------


@pytest.fixture
def linked(tmp_path: Path) -> tuple[Path, Path, Path]:
    folder = tmp_path / "articles"
    write_articles(folder, 2)
    outside = tmp_path / "private" / "secret.txt"
    outside.parent.mkdir()
    outside.write_text("Private notes\n\nThe password of the harbour vault is swordfish.\n")
    (folder / "link.txt").symlink_to(outside)
    return tmp_path / "lib", folder, outside


def test_a_link_out_of_the_source_folder_is_not_followed_and_is_reported(
    linked: tuple[Path, Path, Path],
) -> None:
    lib_path, folder, _ = linked
    (folder / "inside.txt").symlink_to(folder / "a000.txt")
    with Library.open(lib_path) as lib:
        report = lib.ingest([folder])
        reasons = [str(p) for p in report.skipped]
        assert len(reasons) == 1
        assert "link.txt" in reasons[0] and "outside the source folder" in reasons[0]
        assert lib.count() == 2 and lib.search("swordfish").total == 0
        assert not lib.pending()


def test_follow_links_allows_them_and_a_removed_link_removes_its_article(
    linked: tuple[Path, Path, Path],
) -> None:
    lib_path, folder, _ = linked
    with Library.open(lib_path) as lib:
        lib.ingest([folder], follow_links=True)
        assert lib.search("swordfish").total == 1
        (folder / "link.txt").unlink()
        assert lib.pending()
        report = lib.ingest([folder])
        assert report.removed == 1 and lib.search("swordfish").total == 0


def test_an_entry_no_longer_under_a_source_leaves_the_library(
    linked: tuple[Path, Path, Path],
) -> None:
    lib_path, folder, _ = linked
    with Library.open(lib_path) as lib:
        lib.ingest([folder], follow_links=True)
        assert lib.count() == 3
        # Links are not followed any more: the file outside is no longer under a source.
        report = lib.ingest([folder], follow_links=False)
        assert report.removed == 1 and lib.count() == 2


def test_a_dangling_link_says_broken_symbolic_link(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write_articles(folder, 1)
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    problems = [p for p in files.iter_files([folder]) if isinstance(p, Problem)]
    assert [p.reason for p in problems] == ["broken symbolic link"]


def test_the_reader_and_the_ingest_walk_alike(linked: tuple[Path, Path, Path]) -> None:
    lib_path, folder, outside = linked
    shutil.copy(outside, folder / "copy.txt")
    with Library.open(lib_path) as lib:
        lib.ingest([folder])
        assert not lib.pending()
        (folder / "b.txt").write_text("New story\n\nThe rail strike ended.\n")
        assert lib.pending()


async def test_the_reader_says_whose_ingest_it_waits_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.app import create_app
    from tests.test_app_flows import wait_for

    monkeypatch.setattr(lock, "WRITER_WAIT_S", 0.1)
    path = tmp_path / "lib"
    path.mkdir()
    # Held before the app exists: its opening thread only tries the lock (to recover
    # what a killed writer left), which could otherwise beat this 0.1 s wait on a loaded machine.
    with lock.writer_lock(path):  # another ingest holds the library
        app = create_app(path, watch=False)
        async with app.run_test(size=(120, 36)) as pilot:

            def status() -> str:
                return str(app.status.query_one("#status-text").render())

            await wait_for(pilot, lambda: "waiting for" in status(), what="the busy message")
            assert f"waiting for the ingest by process {os.getpid()}" in status()
            assert "ingest failed" not in status()


def test_a_link_out_is_reported_once(linked: tuple[Path, Path, Path]) -> None:
    lib_path, folder, _ = linked
    with Library.open(lib_path) as lib:
        assert len(lib.ingest([folder]).skipped) == 1
        assert lib.ingest([folder]).skipped == ()
        (folder / "link.txt").unlink()
        (folder / "link.txt").symlink_to(lib_path.parent / "private" / "secret.txt")
        assert lib.ingest([folder]).skipped == ()  # the same link, still known


async def test_the_reader_says_a_read_only_library_cannot_save_marks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.app import create_app
    from tests.test_app_flows import seeded_library, wait_for

    path = seeded_library(tmp_path)
    monkeypatch.setattr(schema, "writable", lambda p: False)  # as root chmod changes nothing
    app = create_app(path, watch=False)
    async with app.run_test(size=(120, 36)) as pilot:

        def status() -> str:
            return str(app.status.query_one("#status-text").render())

        await wait_for(pilot, lambda: "can't be saved" in status(), what="the read-only notice")
        await wait_for(pilot, lambda: len(app.feed.entries) == 5, what="the feed")
