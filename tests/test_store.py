"""The Whoosh side: pre-analysis equals Whoosh's analyzers, the writer lock, damage detection."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.library import Library, LibraryError
from index.pipeline import load
from index.storage import lock, schema

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def whoosh_items(field: str, text: str) -> list[tuple[bytes, int, float, bytes]]:
    return sorted(schema.SCHEMA[field].index(text))


def fast_items(field: str, text: str) -> list[tuple[bytes, int, float, bytes]]:
    if field in ("title", "body", "quotes"):
        tokens, first = schema.text_tokens(text)
    else:
        tokens, first = schema.name_tokens(text), 0
    return sorted(schema._postings(field, tokens, first).items) if tokens else []


@pytest.mark.parametrize("field", ["title", "body", "source", "actors"])
def test_fast_analysis_equals_whoosh_on_the_seeds(field: str) -> None:
    for article in load([SEEDS]):
        text = {"title": article.title, "body": article.body}.get(field) or (
            article.source or "" if field == "source" else " ".join(a.name for a in article.actors)
        )
        assert fast_items(field, text) == whoosh_items(field, text)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab cZ'’.é-İ\n1!the of"), max_size=60))
def test_fast_analysis_equals_whoosh_on_any_text(text: str) -> None:
    for field in ("body", "dateline"):
        assert fast_items(field, text) == whoosh_items(field, text)


def test_second_writer_waits_then_fails_with_the_holders_pid(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from index.storage import lock\n"
            "with lock.writer_lock(Path(sys.argv[1])):\n"
            "    print('locked', flush=True)\n"
            "    time.sleep(30)\n",
            str(tmp_path),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(lock.WriterBusy) as err, lock.writer_lock(tmp_path, wait_s=0.6):
            pass
        assert time.monotonic() - started >= 0.5
        assert f"process {holder.pid}" in str(err.value)
    finally:
        holder.kill()
        holder.wait()
    # the kernel released the dead holder's flock: no stale lock to clean up
    with lock.writer_lock(tmp_path, wait_s=0.1):
        pass


def test_stale_whoosh_lock_file_is_removed(tmp_path: Path) -> None:
    schema.create_index(tmp_path)
    stale = tmp_path / schema.INDEX_DIR / "MAIN_WRITELOCK"
    leftover = tmp_path / schema.INDEX_DIR / "MAIN.1234.99.tmp"
    leftover.mkdir()
    stale.write_text("")
    with lock.writer_lock(tmp_path, wait_s=0.1):
        assert not stale.exists()
        assert not leftover.exists()


def _segments(lib: Path) -> list[Path]:
    return sorted((lib / schema.INDEX_DIR).glob("*.seg"))


def test_damaged_index_is_detected_and_rebuilt_keeping_reader_state(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    path = tmp_path / "lib"
    with Library.open(path) as lib:
        lib.ingest([folder])
        some = lib.feed()[0].id
        lib.set_read(some)
        lib.set_starred(some, True)
    seg = _segments(path)[0]
    with seg.open("r+b") as f:
        f.truncate(os.path.getsize(seg) // 2)
    with pytest.raises(LibraryError) as err:
        Library.open(path)
    message = str(err.value)
    assert "damaged" in message and "--rebuild" in message and "\n" not in message
    with Library.open(path, check=False) as lib:
        with pytest.raises(LibraryError):
            lib.search("Aleppo")
        report = lib.ingest([folder], rebuild=True)
        assert report.added == 5
    with Library.open(path) as lib:
        assert lib.count() == 5
        assert lib.search("Pedersen").total == 2
        assert lib.read_ids() == {some}
        assert lib.starred_ids() == {some}


def test_libraries_made_before_the_storage_package_still_open() -> None:
    # Whoosh pickles the schema into every TOC; before issue 15 its field class
    # lived in index/store.py, so old libraries name `index.store.PreText`.
    import pickle

    data = pickle.dumps(schema.SCHEMA)
    assert b"index.store" in data and b"whoosh_private" not in data
    code = (
        "import pickle, sys\n"
        "from index.storage import schema\n"
        "print(type(pickle.loads(sys.stdin.buffer.read())['title']).__name__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], input=data, capture_output=True, check=True, cwd=ROOT
    )
    assert out.stdout.decode().strip() == "PreText"
