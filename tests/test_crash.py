"""kill -9 in the middle of an ingest: the library opens, keeps its last commit, and re-ingest finishes."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from index.library import Library

ROOT = Path(__file__).resolve().parent.parent
VOCAB = (
    "council",
    "minister",
    "river",
    "harbour",
    "budget",
    "strike",
    "festival",
    "election",
    "court",
    "trade",
    "market",
    "farmers",
    "bridge",
    "storm",
    "vaccine",
    "school",
    "rail",
    "airport",
    "energy",
    "police",
    "museum",
    "treaty",
    "protest",
)

DRIVER = """
import sys
from pathlib import Path
from index.ingest import worker
from index.library import Library
worker.COMMIT_EVERY = int(sys.argv[3])
lib = Library.open(sys.argv[1])
def progress(done, total):
    print(done, total, flush=True)
rebuild = len(sys.argv) > 4 and sys.argv[4] == "rebuild"
paths = [Path(p) for p in sys.argv[2].split(",")]
report = lib.ingest(paths, progress=progress, rebuild=rebuild)
print("done", report.added, flush=True)
"""


def write_corpus(folder: Path, start: int, count: int) -> None:
    folder.mkdir(parents=True)
    rng = random.Random(start)
    for i in range(start, start + count):
        words = " ".join(rng.choice(VOCAB) for _ in range(160))
        (folder / f"{i:04d}.txt").write_text(
            f"Report number {i}\n\nMar 3, 2021\n\nuniq{i} {words}.\n\n{words[::-1]} end.\n",
            encoding="utf-8",
        )


def children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            out += [int(x) for x in (task / "children").read_text().split()]
    return out


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purpose
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def start_ingest(
    lib: Path, folders: list[Path], commit_every: int, rebuild: bool = False
) -> subprocess.Popen[str]:
    args = [str(lib), ",".join(map(str, folders)), str(commit_every)]
    return subprocess.Popen(
        [sys.executable, "-c", DRIVER, *args, *(["rebuild"] if rebuild else [])],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for_progress(proc: subprocess.Popen[str], at_least: int) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        parts = line.split()
        if parts[0] != "done" and int(parts[0]) >= at_least:
            return
    raise AssertionError(
        f"ingest ended before the kill: {proc.stderr.read() if proc.stderr else ''}"
    )


def kill_group(proc: subprocess.Popen[str]) -> None:
    """SIGKILL the ingest and its workers, and return once every one of them is gone.

    Waiting for the leader alone is not enough on a loaded machine: a worker that
    has not died yet still holds the inherited writer lock, so the next open can't
    clean up what the killed run left.
    """
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    for _ in range(1200):  # a bound, not a timing check: 60 s at most
        if not _alive_in_group(proc.pid):
            return
        time.sleep(0.05)


def _alive_in_group(pgid: int) -> bool:
    """Whether a process of group `pgid` still runs (zombies don't: their locks are gone)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return False
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            return True
    return False


def check_library(lib_path: Path, expected: int) -> None:
    with Library.open(lib_path) as lib:
        assert lib.count() == expected
        searcher = lib._get_searcher()
        assert searcher.doc_count() == expected  # no document indexed twice
        for i in random.Random(7).sample(range(expected), 25):
            result = lib.search(f"uniq{i}")
            assert result.total == 1, (i, result.total)


def test_kill_9_mid_ingest_keeps_the_last_commit_and_recovers(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    write_corpus(first, 0, 60)
    write_corpus(second, 60, 240)
    lib_path = tmp_path / "lib"
    with Library.open(lib_path) as lib:
        assert lib.ingest([first]).added == 60

    # Kill the whole process group (the ingest and its workers) mid-way; commits
    # every 40 articles mean some batches are committed and some are not.
    proc = start_ingest(lib_path, [first, second], 40)
    wait_for_progress(proc, 120)
    kill_group(proc)

    with Library.open(lib_path) as lib:
        count = lib.count()
        assert 60 <= count <= 300
        assert lib.search("uniq5").total == 1  # the earlier commit is intact
        assert lib.search("uniq59").total == 1
        # what the killed run indexed but never catalogued was taken out again
        assert lib._get_searcher().doc_count() == count

    with Library.open(lib_path) as lib:
        report = lib.ingest([first, second])
        assert report.added + report.unchanged == 300
        assert report.unchanged >= 60
    check_library(lib_path, 300)


def test_kill_9_of_the_main_process_leaves_no_workers_behind(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    write_corpus(folder, 0, 200)
    lib_path = tmp_path / "lib"
    proc = start_ingest(lib_path, [folder], 10_000)
    wait_for_progress(proc, 30)
    workers = children(proc.pid)
    assert workers, "the ingest runs worker processes for 200 files"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(w) for w in workers)
    with Library.open(lib_path) as lib:
        lib.ingest([folder])
    check_library(lib_path, 200)


def test_kill_9_mid_rebuild_leaves_the_old_library_readable(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    write_corpus(first, 0, 60)
    write_corpus(second, 60, 240)
    lib_path = tmp_path / "lib"
    with Library.open(lib_path) as lib:
        assert lib.ingest([first]).added == 60

    proc = start_ingest(lib_path, [first, second], 40, rebuild=True)
    wait_for_progress(proc, 120)
    with Library.open(lib_path) as reader:  # during the rebuild: the old library
        assert reader.count() == 60 and reader.search("uniq5").total == 1
    kill_group(proc)

    check_library(lib_path, 60)  # the unfinished rebuild is never seen
    with Library.open(lib_path) as lib:
        lib.ingest([first, second], rebuild=True)
    assert not (lib_path / "rebuild.tmp").exists()
    check_library(lib_path, 300)


def test_a_killed_ingest_leaves_no_uncatalogued_document_even_without_the_marker(
    tmp_path: Path,
) -> None:
    """A worker's segment can hold documents of a batch the killed run never catalogued,
    and the uncatalogued marker names only the batch being committed: after a killed
    ingest the next open takes out every document the catalog does not know."""
    import sqlite3

    folder = tmp_path / "a"
    write_corpus(folder, 0, 30)
    lib_path = tmp_path / "lib"
    with Library.open(lib_path) as lib:
        assert lib.ingest([folder]).added == 30
    # What a run killed between a segment's commit and its catalog rows leaves: documents
    # in the index without rows, the "ingesting" flag, and no marker for them.
    con = sqlite3.connect(lib_path / "catalog.sqlite")
    with con:
        gone = con.execute("SELECT id, file FROM articles ORDER BY id LIMIT 7").fetchall()
        con.executemany("DELETE FROM articles WHERE id=?", [(g[0],) for g in gone])
        con.executemany("DELETE FROM files WHERE path=?", [(g[1],) for g in gone])
        con.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('ingesting', '1')")
    con.close()

    with Library.open(lib_path) as lib:
        assert lib.count() == 23
        assert lib._get_searcher().doc_count() == 23  # failed before: 30
        assert any("7 articles" in n for n in lib.notices), lib.notices
    with Library.open(lib_path) as lib:  # the next ingest brings them back, once each
        lib.ingest([folder])
        assert lib.count() == 30
        assert lib._get_searcher().doc_count() == 30
