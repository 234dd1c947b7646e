"""The Library facade keeps its API while its jobs live in their own modules (issue 15)."""

from __future__ import annotations

import errno
import inspect
from datetime import datetime
from pathlib import Path

from index.errors import IngestInterrupted, LibraryBusy
from index.ingest.session import ingest_error
from index.ingest.worker import Interrupted, WorkerDied
from index.library import Library
from index.search.feed import Feed, feed_item, ordered
from index.storage.lock import WriterBusy

# What the reader, the CLI and the benchmark call: names and signatures stay as they were.
API = {
    "open": "(path: 'Path | str', *, check: 'bool' = True, readonly: 'bool' = False)",
    "close": "(self)",
    "refresh": "(self)",
    "warm": "(self)",
    "sources": "(self)",
    "source_counts": "(self)",
    "remove_source": "(self, path: 'Path | str')",
    "pending": "(self)",
    "ingest": "(self, paths: 'Iterable[Path | str]', progress: 'Progress | None' = None, "
    "rebuild: 'bool' = False, *, phase: 'Callable[[str], object] | None' = None, "
    "follow_links: 'bool | None' = None, jobs: 'int | None' = None)",
    "count": "(self)",
    "feed": "(self, sort: 'str' = 'date')",
    "article": "(self, id: 'str')",
    "read_ids": "(self)",
    "starred_ids": "(self)",
    "set_read": "(self, id: 'str', read: 'bool' = True)",
    "set_starred": "(self, id: 'str', starred: 'bool')",
    "actors": "(self, kind: 'str | None' = None, limit: 'int | None' = None)",  # (+ limit)
    "expand": "(self, value: 'str', field: 'str')",
    "statements": "(self, speaker: 'str | None' = None)",
    "search": "(self, query: 'str', limit: 'int' = 20, sort: 'str' = 'relevance', "
    "as_you_type: 'bool' = False, offset: 'int' = 0)",
    "related": "(self, id: 'str', limit: 'int' = 5)",
}


def test_the_library_keeps_its_public_methods_and_signatures() -> None:
    for name, expected in API.items():
        signature = inspect.signature(getattr(Library, name))
        assert str(signature.replace(return_annotation=inspect.Signature.empty)) == expected, name


def _row(n: int, title: str) -> tuple[object, ...]:
    return (f"id{n}", title, "2024-05-01T10:00:00", 0, "Wire", f"/news/{n}.txt")


def test_the_feed_is_built_once_per_key_and_again_after_forget() -> None:
    calls: list[int] = []

    def rows() -> list[tuple[object, ...]]:
        calls.append(1)
        return [_row(1, "beta"), _row(2, "Alpha")]

    feed = Feed()
    first = feed.items((1, 1), rows)
    assert feed.items((1, 1), rows) is first and len(calls) == 1
    assert feed.items((1, 2), rows) is not first and len(calls) == 2
    feed.forget()
    feed.items((1, 2), rows)
    assert len(calls) == 3
    assert [i.title for i in ordered(first, "title")] == ["Alpha", "beta"]
    assert ordered(first, "date") == first and ordered(first, "date") is not first


def test_a_feed_item_is_the_record_the_dataclass_would_make() -> None:
    item = feed_item(_row(7, "Harbour"))
    assert item.id == "id7" and item.published == datetime(2024, 5, 1, 10, 0)
    assert item.published_inferred is False and item.source == "Wire"
    assert feed_item(("x", "t", None, 1, None, "/p")).published is None


def test_what_stops_an_ingest_is_said_in_one_line() -> None:
    path = Path("/lib")
    busy = ingest_error(path, WriterBusy("busy", "process 12"), False)
    assert isinstance(busy, LibraryBusy) and busy.holder == "process 12"
    kept = ingest_error(path, Interrupted(40), False)
    assert isinstance(kept, IngestInterrupted) and kept.kept == 40
    assert "kept 40 articles" in str(kept)
    abandoned = ingest_error(path, Interrupted(40), True)
    assert isinstance(abandoned, IngestInterrupted) and abandoned.kept == 0
    assert "rebuild was abandoned" in str(abandoned)
    full = ingest_error(path, OSError(errno.ENOSPC, "No space left on device"), False)
    assert str(full) == (
        "/lib: ingest failed (no space left on device); what it had written was removed"
    )
    assert str(ingest_error(path, WorkerDied("worker 3 died"), False)) == (
        "/lib: ingest failed: worker 3 died"
    )
    for error in (busy, kept, abandoned, full):
        assert "\n" not in str(error)
