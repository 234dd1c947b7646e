"""Damaged or missing library files: each is detected, told in one line, and repaired by an ingest."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from index.ingest.recovery import COMPLETE_FILE, REBUILD_DIR
from index.library import Library, LibraryError
from index.storage import schema, whoosh_private
from index.storage.catalog import CATALOG_FILE
from index.storage.state import STATE_FILE

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def build(tmp_path: Path) -> tuple[Path, Path, str]:
    """A library of the 5 seeds with one article read and starred: (library, folder, that id)."""
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    path = tmp_path / "lib"
    with Library.open(path) as lib:
        lib.ingest([folder])
        some = lib.feed()[0].id
        lib.set_read(some)
        lib.set_starred(some, True)
    for name in (CATALOG_FILE, STATE_FILE):  # the data in the files themselves, not the WAL
        con = sqlite3.connect(path / name)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
    return path, folder, some


def toc(path: Path) -> Path:
    return next((path / schema.INDEX_DIR).glob("_*.toc"))


def garble(file: Path, at: float = 0.4, size: int = 4096) -> None:
    data = bytearray(file.read_bytes())
    start = int(len(data) * at)
    data[start : start + size] = bytes((i * 7 + 13) % 256 for i in range(size))[: len(data) - start]
    file.write_bytes(bytes(data))


def truncate(file: Path, keep: float = 0.3) -> None:
    file.write_bytes(file.read_bytes()[: int(file.stat().st_size * keep)])


def assert_whole(path: Path, some: str | None = None) -> None:
    with Library.open(path) as lib:
        assert lib.count() == 5
        assert lib.search("Pedersen").total == 2
        assert lib._ix.doc_count() == 5  # no duplicates, nothing missing
        if some is not None:
            assert lib.read_ids() == {some} and lib.starred_ids() == {some}


def one_line(exc: pytest.ExceptionInfo[LibraryError]) -> str:
    message = str(exc.value)
    assert "\n" not in message and "Traceback" not in message
    return message


@pytest.mark.parametrize("damage", ["truncated", "garbled"])
def test_a_damaged_toc_is_told_at_open_and_a_plain_ingest_rebuilds(
    tmp_path: Path, damage: str
) -> None:
    path, folder, some = build(tmp_path)
    (truncate if damage == "truncated" else garble)(toc(path), 0.1)
    with pytest.raises(LibraryError) as err:
        Library.open(path)
    assert "--rebuild" in one_line(err)
    with Library.open(path, check=False) as lib:
        report = lib.ingest([folder])
        assert any("rebuilding" in n for n in report.notes)
    assert_whole(path, some)


@pytest.mark.parametrize("damage", ["truncated", "garbled"])
def test_rebuild_works_from_a_damaged_toc(tmp_path: Path, damage: str) -> None:
    path, folder, some = build(tmp_path)
    (truncate if damage == "truncated" else garble)(toc(path), 0.1)
    with Library.open(path, check=False) as lib:
        assert lib.ingest([folder], rebuild=True).added == 5
    assert_whole(path, some)


@pytest.mark.parametrize("what", ["toc", "folder"])
def test_a_missing_index_is_not_silent_and_a_plain_ingest_repairs_it(
    tmp_path: Path, what: str
) -> None:
    path, folder, some = build(tmp_path)
    if what == "toc":
        toc(path).unlink()
    else:
        shutil.rmtree(path / schema.INDEX_DIR)
    with pytest.raises(LibraryError) as err:
        Library.open(path)
    assert "missing" in one_line(err)
    with Library.open(path, check=False) as lib:
        report = lib.ingest([folder])
        assert report.notes and "missing" in report.notes[0]
    assert_whole(path, some)


def test_a_deleted_catalog_then_ingest_indexes_nothing_twice(tmp_path: Path) -> None:
    path, folder, some = build(tmp_path)
    for suffix in ("", "-wal", "-shm"):
        (path / (CATALOG_FILE + suffix)).unlink(missing_ok=True)
    with pytest.raises(LibraryError) as err:
        Library.open(path)
    assert "missing or empty" in one_line(err)
    with Library.open(path, check=False) as lib:
        report = lib.ingest([folder])
        assert any("disagree" in n for n in report.notes)
    assert_whole(path, some)


def test_a_catalog_garbled_in_the_middle_is_rebuilt_and_kept_aside(tmp_path: Path) -> None:
    path, folder, some = build(tmp_path)
    garble(path / CATALOG_FILE, 0.5)
    with Library.open(path, check=False) as lib:
        report = lib.ingest([folder])
        assert any("damaged" in n for n in report.notes)
    assert list(path.glob(CATALOG_FILE + ".damaged*"))
    assert_whole(path, some)


def test_a_truncated_catalog_is_told_at_open_and_rebuild_recovers(tmp_path: Path) -> None:
    path, folder, some = build(tmp_path)
    truncate(path / CATALOG_FILE)
    with pytest.raises(LibraryError) as err:
        Library.open(path)
    assert "damaged" in one_line(err) and "--rebuild" in one_line(err)
    with Library.open(path, check=False) as lib:
        assert any("damaged" in n for n in lib.notices)
        lib.ingest([folder], rebuild=True)
    assert (path / (CATALOG_FILE + ".damaged")).exists()
    assert_whole(path, some)


@pytest.mark.parametrize("damage", ["truncated", "garbled"])
def test_damaged_marks_are_set_aside_and_reading_goes_on(tmp_path: Path, damage: str) -> None:
    path, _folder, some = build(tmp_path)
    (truncate if damage == "truncated" else garble)(path / STATE_FILE, 0.3)
    with Library.open(path) as lib:
        assert any("marks were lost" in n for n in lib.notices)
        assert all("\n" not in n for n in lib.notices)
        assert lib.search("Pedersen").total == 2
        assert lib.read_ids() == set()
        lib.set_read(some)
        assert lib.read_ids() == {some}
    assert (path / (STATE_FILE + ".damaged")).exists()


def test_a_read_only_library_is_searched_and_says_marks_cannot_be_saved(tmp_path: Path) -> None:
    path, folder, some = build(tmp_path)
    with Library.open(path, readonly=True) as lib:
        assert any("can't be saved" in n for n in lib.notices)
        assert lib.search("Pedersen").total == 2
        assert lib.read_ids() == {some}
        other = lib.feed()[1].id
        lib.set_read(other)  # kept for the session only, no error
        assert other in lib.read_ids()
        with pytest.raises(LibraryError):
            lib.ingest([folder])
    with Library.open(path) as lib:
        assert lib.read_ids() == {some}


def test_a_library_that_cannot_be_written_opens_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _, some = build(tmp_path)
    # As root chmod changes nothing: say the folder is not writable instead.
    monkeypatch.setattr(schema, "writable", lambda p: False)
    with Library.open(path) as lib:
        assert lib.readonly and lib.read_ids() == {some}
        assert lib.search("Pedersen").total == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_a_read_only_folder_opens_read_only(tmp_path: Path) -> None:
    path, _, some = build(tmp_path)
    for f in [path, *path.rglob("*")]:
        f.chmod(f.stat().st_mode & ~0o222)
    try:
        with Library.open(path) as lib:
            assert lib.readonly and any("can't be saved" in n for n in lib.notices)
            assert lib.search("Pedersen").total == 2
            assert lib.read_ids() == {some}
    finally:
        for f in [path, *path.rglob("*")]:
            f.chmod(f.stat().st_mode | 0o200)


def test_stale_library_actors_are_merged_by_the_next_ingest(tmp_path: Path) -> None:
    path, folder, _ = build(tmp_path)
    con = sqlite3.connect(path / CATALOG_FILE)
    # What a kill -9 during the final actor merge leaves: rows committed, actors not.
    con.execute("DELETE FROM lib_actors")
    con.execute("INSERT INTO lib_actors VALUES (0, 'Old', 'person', '[]', '[]', 1)")
    con.execute("INSERT OR REPLACE INTO meta VALUES ('actors_stale', '1')")
    con.commit()
    con.close()
    with Library.open(path) as lib:
        assert lib.pending()
        report = lib.ingest([folder])
        assert report.unchanged == 5
        names = {a.name for a in lib.actors()}
        assert "Old" not in names and len(names) > 5
        assert not lib.pending()


def test_a_killed_rebuild_is_rolled_back_and_the_old_library_stays(tmp_path: Path) -> None:
    path, _, some = build(tmp_path)
    aside = path / REBUILD_DIR
    schema.create_index(aside)
    (aside / CATALOG_FILE).write_bytes(b"half")
    assert_whole(path, some)  # opening removed the unfinished rebuild
    assert not aside.exists()


def test_a_rebuild_killed_during_the_swap_is_finished_on_next_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, folder, some = build(tmp_path)
    (folder / "extra.txt").write_text("Extra edition\n\nThe harbour council met on Monday.\n")
    from index.ingest import recovery

    def killed(lib_path: Path) -> None:
        raise SystemExit("killed")

    monkeypatch.setattr(recovery, "finish_rebuild", killed)
    with Library.open(path) as lib, pytest.raises(SystemExit):
        lib.ingest([folder], rebuild=True)
    assert (path / REBUILD_DIR / COMPLETE_FILE).exists()
    monkeypatch.undo()
    with Library.open(path) as lib:
        assert any("finished" in n for n in lib.notices)
        assert lib.count() == 6 and lib.search("harbour council").total == 1
        assert lib.read_ids() == {some}
    assert not (path / REBUILD_DIR).exists()


def test_a_reader_keeps_the_old_library_during_a_rebuild_and_then_sees_the_new(
    tmp_path: Path,
) -> None:
    path, folder, _ = build(tmp_path)
    (folder / "extra.txt").write_text("Extra edition\n\nThe harbour council met on Monday.\n")
    reader = Library.open(path)
    seen: list[tuple[str, int, int]] = []

    def phase(name: str) -> None:
        reader.refresh()
        seen.append((name, reader.count(), reader.search("Pedersen").total))

    with Library.open(path) as writer:
        writer.ingest([folder], rebuild=True, phase=phase)
    assert seen and all(count == 5 and total == 2 for _, count, total in seen)
    assert [n for n, _, _ in seen][-1] == "switching to the rebuilt library"
    assert reader.refresh()
    assert reader.count() == 6
    assert reader.search("harbour council").total == 1
    assert reader.search("Pedersen").total == 2
    reader.close()


def test_a_full_disk_leaves_no_partial_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, folder, _some = build(tmp_path)
    (folder / "extra.txt").write_text("Extra edition\n\nThe harbour council met on Monday.\n")

    def files() -> list[str]:
        return sorted(p.name for p in (path / schema.INDEX_DIR).iterdir() if "LOCK" not in p.name)

    before = files()

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(whoosh_private, "write_toc", full)
    with Library.open(path) as lib, pytest.raises(LibraryError) as err:
        lib.ingest([folder])
    assert "no space left on device" in one_line(err)
    assert files() == before
    monkeypatch.undo()
    with Library.open(path) as lib:
        assert lib.ingest([folder]).added == 1
        assert lib.count() == 6


def test_leftovers_of_a_killed_writer_are_removed_on_next_open(tmp_path: Path) -> None:
    path, _, some = build(tmp_path)
    folder = path / schema.INDEX_DIR
    (folder / "MAIN_deadbeef12345678.seg").write_bytes(b"partial")
    (folder / "MAIN.999.1.tmp").mkdir()
    assert_whole(path, some)
    assert not (folder / "MAIN_deadbeef12345678.seg").exists()
    assert not (folder / "MAIN.999.1.tmp").exists()


def test_articles_indexed_but_not_catalogued_by_a_killed_ingest_are_not_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, folder, some = build(tmp_path)
    for i in range(3):
        (folder / f"extra{i}.txt").write_text(f"Extra {i}\n\nThe harbour council met on day {i}.\n")
    from index.storage.catalog import Catalog

    def killed(*args: object) -> None:  # dies between the index commit and the catalog's
        raise SystemExit("killed")

    monkeypatch.setattr(Catalog, "put_rows", killed)
    with Library.open(path) as lib, pytest.raises(SystemExit):
        lib.ingest([folder])
    monkeypatch.undo()
    with Library.open(path) as lib:
        assert any("half-written" in n for n in lib.notices)
        assert lib.count() == 5
        assert lib.search("harbour council").total == 0
        assert lib._ix.doc_count() == 5
        report = lib.ingest([folder])
        assert report.added == 3
        assert lib.search("harbour council").total == 3
    with Library.open(path) as lib:
        assert lib.count() == 8 and lib._ix.doc_count() == 8
        assert lib.read_ids() == {some}


def test_the_cli_says_one_line_when_the_catalog_fails_mid_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader import cli

    path, _, _ = build(tmp_path)

    def malformed(*args: object, **kwargs: object) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(Library, "search", malformed)
    assert cli.main(["--library", str(path), "search", "Pedersen"]) == 2
    err = capsys.readouterr().err
    assert "catalog is damaged" in err and "Traceback" not in err and err.count("\n") == 1


def test_a_catalog_unreadable_past_its_schema_is_told_at_open_never_a_traceback(
    tmp_path: Path,
) -> None:
    path, folder, some = build(tmp_path)
    catalog = path / CATALOG_FILE
    size = catalog.stat().st_size
    with catalog.open("r+b") as f:  # keep page 1 (the schema), garble every other page
        f.seek(4096)
        f.write(bytes((i * 31 + 7) % 256 for i in range(size - 4096)))
    with pytest.raises(LibraryError) as err:
        Library.open(path)
    assert "damaged" in one_line(err)
    with Library.open(path, check=False) as lib:
        lib.ingest([folder])
    assert_whole(path, some)


def test_marks_on_files_made_read_only_under_the_reader_stay_for_the_session(
    tmp_path: Path,
) -> None:
    path, _, some = build(tmp_path)
    with Library.open(path) as lib:
        real = lib._state.con

        class ReadOnly:  # what SQLite answers once the file can't be written
            def execute(self, sql: str, *args: object) -> object:
                if sql.startswith(("INSERT", "DELETE")):
                    raise sqlite3.OperationalError("attempt to write a readonly database")
                return real.execute(sql, *args)

            def close(self) -> None:
                real.close()

        lib._state.con = ReadOnly()  # type: ignore[assignment]
        other = lib.feed()[1].id
        lib.set_read(other)
        assert lib.read_ids() == {some, other}
        assert lib._state.notice and "can't be saved" in lib._state.notice
