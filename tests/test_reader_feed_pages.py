"""Issue 14: the reader's feed pages from the library (never read whole): total at once, rows as the user moves."""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from pathlib import Path

import pytest

from index.library import Library
from reader.app import NewsroomApp, create_app
from reader.paged import PAGE, PagedHits, Pending
from reader.widgets.confirm_screen import ConfirmScreen
from tests.test_app_flows import ready, search, wait_for

N = 3 * PAGE + 7
_TEMPLATE: list[Path] = []


def wire_library(tmp_path: Path) -> Path:
    """A fresh copy of a library of N short articles (three undated), ingested once."""
    if not _TEMPLATE:
        root = Path(tempfile.mkdtemp(prefix="newsroom-feed-pages-"))
        atexit.register(shutil.rmtree, root, True)
        folder = root / "in"
        folder.mkdir()
        records = []
        for i in range(N):
            record = {
                "id": f"w{i}",
                "title": f"Wire report tag{i}x",
                "source": "Wire",
                "body": f"Report tag{i}x from the wire desk. The harbour stayed open.",
            }
            if i % 40 != 13:
                record["date"] = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
            records.append(record)
        (folder / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
        with Library.open(root / "library") as lib:
            assert lib.ingest([folder]).added == N
        _TEMPLATE.append(root / "library")
    path = tmp_path / "library"
    shutil.copytree(_TEMPLATE[0], path)
    return path


@pytest.fixture
def wire(tmp_path: Path) -> Path:
    return wire_library(tmp_path)


def make(library: Path) -> NewsroomApp:
    return create_app(library, watch=False, ingest_seeds_if_empty=False)


def header(app: NewsroomApp) -> str:
    return str(app.status.query_one("#status-text").render())


def rows_match(app: NewsroomApp, expected: list[str]) -> bool:
    """Every row loaded so far is the article the library has at that index."""
    entries = app.feed.entries
    assert len(entries) == len(expected)
    return all(isinstance(e, Pending) or e.id == expected[i] for i, e in enumerate(entries))


async def test_the_feed_shows_the_total_and_pages_in_rows_as_the_user_moves(wire: Path) -> None:
    with Library.open(wire) as lib:
        feed = [f.id for f in lib.feed()]
    app = make(wire)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        entries = app.feed.entries
        assert isinstance(entries, PagedHits) and len(entries) == N
        assert len(entries.loaded) == PAGE  # one page read at launch, the rest placeholders
        assert isinstance(entries[N - 1], Pending)
        assert f"{N} articles · {N} unread" in header(app)
        await pilot.press("space", "space")
        await wait_for(pilot, lambda: not isinstance(app.feed.current, Pending), what="a page")
        assert len(entries.loaded) < N and rows_match(app, feed)
        await pilot.press("G")  # the real end, not the end of what was read
        assert app.feed.cursor == N - 1
        await wait_for(pilot, lambda: app.feed.current.id == feed[-1], what="the last page")
        assert app.feed.current.published is None  # undated last
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.open_article is not None, what="the last article")
        assert app.open_article.id == feed[-1]
        assert f"{N - 1} unread" in header(app)
        assert rows_match(app, feed)


async def test_views_page_and_keep_their_rows_while_marks_change(wire: Path) -> None:
    with Library.open(wire) as lib:
        feed = [f.id for f in lib.feed()]
        lib.set_read_many(feed[: PAGE + 5], True)
        starred = [feed[3], feed[70], feed[-2]]
        for i in starred:
            lib.set_starred(i, True)
    unread = feed[PAGE + 5 :]
    app = make(wire)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        assert f"{len(unread)} unread" in header(app)
        await pilot.press("v", "G")  # G waits for the view's first page: its real end
        assert app.view == "unread" and len(app.feed.entries) == len(unread)
        assert app.feed.cursor == len(unread) - 1
        await wait_for(pilot, lambda: app.feed.current.id == unread[-1], what="the last page")
        await pilot.press("g", "j", "enter")  # opened: read, and still in the view shown
        await wait_for(pilot, lambda: unread[1] in app.read_ids, what="marked read")
        app.feed.focus()
        await pilot.press("r", "k", "r")  # unread[1] unread again, unread[0] read
        assert unread[0] in app.read_ids and unread[1] not in app.read_ids
        for _ in range(4):  # the middle pages are read after those marks: they line up
            await pilot.press("space")
        await wait_for(pilot, lambda: not isinstance(app.feed.current, Pending), what="a page")
        assert rows_match(app, unread)
        await pilot.press("v", "G")
        # The view's rows come from a worker: on a loaded machine they may still be
        # on their way when the keys are in.
        await wait_for(
            pilot,
            lambda: app.view == "starred" and [e.id for e in app.feed.entries] == starred,
            what="the starred view",
        )
        assert app.feed.cursor == 2
        await pilot.press("v")
        await wait_for(pilot, lambda: app.search_settled, what="the whole feed")
        assert app.view == "all" and len(app.feed.entries) == N
        assert app.feed.current.id == starred[-1]  # the cursor stays on its article
        assert app.feed.cursor == N - 2


async def test_mark_all_read_in_a_paged_view(wire: Path) -> None:
    app = make(wire)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("v", "A")  # the unread view: every article of it, not a page
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        screen = app.screen
        assert isinstance(screen, ConfirmScreen)
        assert screen._question == f"Mark {N:,} articles of the feed (unread only) read?"
        await pilot.press("y")
        await wait_for(pilot, lambda: app.search_settled and not app.feed.entries, what="empty")
        assert "· 0 unread" in header(app)
        assert "No unread article" in app.feed.empty_text
    with Library.open(wire) as lib:
        assert lib.feed_count("unread") == 0 and len(lib.read_ids()) == N


async def test_leaving_a_search_puts_the_cursor_on_its_article_deep_in_the_feed(
    wire: Path,
) -> None:
    with Library.open(wire) as lib:
        target = next(f for f in lib.feed()[2 * PAGE :] if "tag" in f.title)
        at = lib.feed_position(target.id)
    word = target.title.split()[-1]
    app = make(wire)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await search(pilot, word)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.search_settled and app.feed.current.id == target.id)
        await pilot.press("escape")  # (in the feed: clears the search)
        await wait_for(pilot, lambda: app.search_settled and not app.query_text, what="the feed")
        assert app.feed.cursor == at and app.feed.current.id == target.id
        assert len(app.feed.entries) == N


@pytest.mark.postgres
async def test_the_reader_pages_a_postgresql_feed(tmp_path: Path, pg_url: str) -> None:
    wire_library(tmp_path)  # (makes the articles' folder beside the template)
    folder = _TEMPLATE[0].parent / "in"
    with Library.open(pg_url) as lib:
        assert lib.ingest([folder]).added == N
        feed = [f.id for f in lib.feed()]
        lib.set_read_many(feed[:PAGE], True)
    app = make(Path(pg_url))
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        entries = app.feed.entries
        assert isinstance(entries, PagedHits) and len(entries) == N
        assert len(entries.loaded) == PAGE and f"{N - PAGE} unread" in header(app)
        for _ in range(3):
            await pilot.press("space")
        await wait_for(pilot, lambda: not isinstance(app.feed.current, Pending), what="a page")
        await pilot.press("G")
        await wait_for(pilot, lambda: app.feed.current.id == feed[-1], what="the last page")
        assert rows_match(app, feed)
        await pilot.press("v", "G")
        assert app.view == "unread" and len(app.feed.entries) == N - PAGE
        await wait_for(pilot, lambda: app.feed.current.id == feed[-1], what="the last unread")
        await pilot.press("g", "enter")  # read while the view is shown: its row stays
        await wait_for(pilot, lambda: feed[PAGE] in app.read_ids, what="marked read")
        app.feed.focus()
        await pilot.press("space", "space")
        await wait_for(pilot, lambda: not isinstance(app.feed.current, Pending), what="a page")
        assert rows_match(app, feed[PAGE:])
