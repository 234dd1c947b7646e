"""Issue 14: the feed by pages on both backends (windows, counts, positions, views, ids), and the CLI's look-ups."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from index.search.feed import FEED_VIEWS
from tests.conftest import new_database

N = 37  # more than a page of 10, not a multiple of it


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """N articles: several on one day (the title decides), two with one title, three undated."""
    folder = tmp_path_factory.mktemp("wire") / "in"
    folder.mkdir()
    records = []
    for i in range(N):
        record: dict[str, Any] = {
            "id": f"w{i}",
            "title": f"Wire report {i % 11:02d}" if i != 5 else "Wire report 03",
            "source": "Wire",
            "body": f"Report number {i} from the wire desk. The harbour stayed open.",
        }
        if i % 12 != 7:
            record["date"] = f"2024-11-{1 + i % 9:02d}"
        records.append(record)
    (folder / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return folder


@pytest.fixture(params=["embedded", pytest.param("postgres", marks=pytest.mark.postgres)])
def lib(request: pytest.FixtureRequest, wire: Path) -> Iterator[Any]:
    from index.library import Library

    if request.param == "embedded":
        library: Any = Library.open(Path(tempfile.mkdtemp(dir=wire.parent)) / "lib")
    else:
        from index.postgres.library import PgLibrary

        library = PgLibrary.connect(new_database(request.getfixturevalue("pg_server")), user="al")
    assert library.ingest([wire]).added == N
    yield library
    library.close()


def pages(lib: Any, view: str = "all", size: int = 10, **kw: Any) -> list[Any]:
    out: list[Any] = []
    while True:
        page = lib.feed_slice(len(out), size, view, **kw)
        out.extend(page)
        if len(page) < size:
            return out


def test_pages_make_the_whole_feed_in_its_order(lib: Any) -> None:
    whole = lib.feed()
    assert len(whole) == N == lib.feed_count()
    assert pages(lib) == whole
    assert lib.feed_slice(30, 10) == whole[30:]
    assert lib.feed_slice(N, 10) == [] and lib.feed_slice(5, 0) == []
    assert all(f.published is None for f in whole[-3:])  # undated last
    assert [lib.feed_position(f.id) for f in whole] == list(range(N))
    assert lib.feed_position("no-such-id") is None
    assert lib.feed_ids() == [f.id for f in whole]


def test_views_page_with_the_marks(lib: Any) -> None:
    whole = lib.feed()
    read = {f.id for f in whole[::3]}
    starred = {whole[1].id, whole[20].id, whole[-1].id}
    for i in read:
        lib.set_read(i, True)
    for i in starred:
        lib.set_starred(i, True)
    lib.set_read("gone-article", True)  # a mark outliving its article counts for nothing
    unread = [f for f in whole if f.id not in read]
    assert lib.feed_count("unread") == len(unread)
    assert pages(lib, "unread", 4) == unread
    assert lib.feed_count("starred") == 3
    assert pages(lib, "starred", 2) == [f for f in whole if f.id in starred]
    assert [lib.feed_position(f.id, "unread") for f in unread] == list(range(len(unread)))
    assert lib.feed_position(whole[0].id, "unread") is None  # read: not in the view
    assert lib.feed_ids("unread") == [f.id for f in unread]
    with pytest.raises(ValueError, match="unknown feed view"):
        lib.feed_count("everything")


def test_a_view_stays_as_it_was_with_keep_and_drop(lib: Any) -> None:
    """The reader's unread view keeps an article read meanwhile (`keep`), and leaves out
    one marked unread meanwhile (`drop`): later pages line up with the first."""
    whole = lib.feed()
    lib.set_read(whole[0].id, True)
    before = pages(lib, "unread", 5)
    lib.set_read(whole[4].id, True)  # read while the view is shown
    lib.set_read(whole[0].id, False)  # marked unread while the view is shown
    again = pages(lib, "unread", 5, keep=[whole[4].id], drop=[whole[0].id])
    assert again == before
    assert lib.feed_ids("unread", keep=[whole[4].id], drop=[whole[0].id]) == [f.id for f in before]


def test_mark_many_read_and_feed_items(lib: Any) -> None:
    whole = lib.feed()
    lib.set_read_many([f.id for f in whole[:30]], True)
    assert lib.feed_count("unread") == N - 30 and lib.read_ids() == {f.id for f in whole[:30]}
    lib.set_read_many([whole[0].id, whole[0].id], False)
    assert lib.feed_count("unread") == N - 29
    wanted = [whole[9].id, "no-such-id", whole[2].id]
    assert lib.feed_items(wanted) == [whole[2], whole[9]]
    assert lib.feed_items([]) == []


def test_far_windows_and_positions_are_read_from_the_nearer_end(
    lib: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past FROM_THE_END rows a window (on PostgreSQL a position too) is read from the
    nearer end, or from the rows next to it: the same rows, in every view."""
    from index.storage import feed_pages

    if hasattr(lib, "con"):
        from index.postgres import feed

        monkeypatch.setattr(feed, "FROM_THE_END", 3)
    monkeypatch.setattr(feed_pages, "FROM_THE_END", 3)
    whole = lib.feed()
    for f in whole[::4]:
        lib.set_read(f.id, True)
    for f in whole[1::3]:
        lib.set_starred(f.id, True)
    keep, drop = [whole[0].id], [whole[1].id]  # read, counted in; unread, counted out
    read, starred = {f.id for f in whole[::4]}, {f.id for f in whole[1::3]}
    members = {
        "all": lambda i: True,
        "unread": lambda i: i not in read,
        "starred": lambda i: i in starred,
    }
    plain = {view: [f for f in whole if members[view](f.id)] for view in FEED_VIEWS}
    expected = {
        view: [f for f in whole if (members[view](f.id) or f.id in keep) and f.id not in drop]
        for view in FEED_VIEWS
    }
    for view in FEED_VIEWS:
        rows, n = expected[view], len(expected[view])
        for offset in (2, 4, n // 2, n - 5, n - 1, n, n + 3):
            want = rows[offset : offset + 5]
            got = lib.feed_slice(offset, 5, view, keep=keep, drop=drop)
            assert got == want, (view, offset)
            assert lib.feed_slice(offset, 5, view, keep=keep, drop=drop, total=n) == want
            if 0 < offset <= n:  # keyset: from the row before the window, or after it
                after = lib.feed_slice(
                    offset, 5, view, keep=keep, drop=drop, after=rows[offset - 1]
                )
                assert after == want, (view, offset)
            if offset + 5 < n:
                before = lib.feed_slice(
                    offset, 5, view, keep=keep, drop=drop, before=rows[offset + 5]
                )
                assert before == want, (view, offset)
        assert lib.feed_count(view) == len(plain[view])
        positions = [lib.feed_position(f.id, view) for f in plain[view]]
        assert positions == list(range(len(plain[view]))), view


def test_a_read_only_library_pages_its_marks_from_memory(wire: Path, tmp_path: Path) -> None:
    from index.library import Library

    with Library.open(tmp_path / "lib") as writable:
        writable.ingest([wire])
        first = writable.feed()[0].id
        writable.set_starred(first, True)
    with Library.open(tmp_path / "lib", readonly=True) as lib:
        assert lib.feed_count("starred") == 1
        lib.set_read(first, True)  # kept in memory for the session
        assert lib.feed_count("unread") == N - 1
        assert lib.feed_slice(0, 1, "unread")[0].id != first


def test_quotes_read_only_their_articles_never_the_whole_feed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from index.library import Library
    from reader.cli import main

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    assert main(["--library", str(tmp_path / "lib"), "ingest", str(seeds)]) == 0

    def whole_feed(self: Any, sort: str = "date") -> Any:
        raise AssertionError("the whole feed was read")

    monkeypatch.setattr(Library, "feed", whole_feed)
    capsys.readouterr()
    for argv in (["quotes", "--json"], ["quotes", "--json", "--limit", "2"]):
        assert main(["--library", str(tmp_path / "lib"), *argv]) == 0
        quotes = json.loads(capsys.readouterr().out)
        assert quotes and all(q["article_title"] for q in quotes)
        assert all("citation" in q for q in quotes)
    assert main(["--library", str(tmp_path / "lib"), "quotes", "--speaker", "Pedersen"]) == 0
    assert capsys.readouterr().out.startswith("Geir Pedersen: ")


def test_feed_counts_are_articles_and_unread(lib: Any) -> None:
    whole = lib.feed()
    assert lib.feed_counts() == (N, N)
    lib.set_read_many([f.id for f in whole[:5]] + ["gone-article"], True)
    assert lib.feed_counts() == (N, N - 5) == (lib.count(), lib.feed_count("unread"))
