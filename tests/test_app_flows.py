"""Pilot tests of the reader's flows on a real library built from the seeds in a temp dir."""

from __future__ import annotations

import asyncio
import atexit
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.app import NewsroomApp, create_app, parse_keymap
from reader.bundled import seeds_path
from reader.widgets.help_screen import HelpScreen

SEED_000 = "000_"  # NationPress: the Syrian Defense Ministry's statements
SEED_001 = "001_"  # Times of Oman: Geir Pedersen's warning


async def wait_for(
    pilot: Pilot, predicate: Callable[[], bool], timeout: float = 60.0, what: str = "condition"
) -> None:
    """Let the app run until `predicate()` holds (workers post back asynchronously)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


async def ready(pilot: Pilot) -> NewsroomApp:
    app = pilot.app
    assert isinstance(app, NewsroomApp)
    await wait_for(
        pilot, lambda: app.feed_ready_s is not None and bool(app.feed.entries), what="the feed"
    )
    return app


async def search(pilot: Pilot, query: str, *, typed: bool = False) -> None:
    """Enter `query` in the search box (keystroke by keystroke when `typed`) and wait
    for its answer to reach the feed."""
    app = pilot.app
    assert isinstance(app, NewsroomApp)
    if app.focused is not app.search_box.input:
        await pilot.press("slash")
    if typed:
        await pilot.press(*query)
    else:  # the same Input.Changed path as typing, without ~0.1 s of Pilot per key
        app.search_box.set_query(query)
    await wait_for(
        pilot,
        lambda: app.query_text == query.strip() and app.search_settled,
        what=f"search {query!r}",
    )


async def open_seed(pilot: Pilot, prefix: str) -> None:
    """Move the feed cursor to the seed file starting with `prefix` and press enter."""
    app = pilot.app
    assert isinstance(app, NewsroomApp)
    app.feed.focus()
    await pilot.press("home")
    index = next(i for i, e in enumerate(app.feed.entries) if Path(e.path).name.startswith(prefix))
    await pilot.press(*["j"] * index, "enter")
    await wait_for(
        pilot,
        lambda: (
            app.open_article is not None
            and Path(app.open_article.path).name.startswith(prefix)
            and bool(app.side.query_one("#statements").option_count)
        ),
        what=f"seed {prefix} open",
    )


def statements_shown(app: NewsroomApp) -> list[str]:
    listing = app.side.query_one("#statements")
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


_TEMPLATE: list[Path] = []


def seeded_library(tmp_path: Path) -> Path:
    """A fresh copy (own reader state) of a library ingested from the seeds once per process:
    extraction makes the first ingest the slow part of these tests."""
    from index.library import Library

    if not _TEMPLATE:
        root = Path(tempfile.mkdtemp(prefix="newsroom-template-"))
        atexit.register(shutil.rmtree, root, True)
        with Library.open(root / "library") as lib:
            lib.ingest([seeds_path()])
        _TEMPLATE.append(root / "library")
    path = tmp_path / "library"
    shutil.copytree(_TEMPLATE[0], path)
    return path


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return seeded_library(tmp_path)


def make_app(library: Path, **kwargs: bool) -> NewsroomApp:
    kwargs.setdefault("watch", False)
    return create_app(library, **kwargs)


async def test_first_run_ingests_the_seeds_and_paints_the_feed(tmp_path: Path) -> None:
    app = make_app(tmp_path / "new-library")
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        assert len(app.feed.entries) == 5
        dates = [e.published for e in app.feed.entries if e.published is not None]
        assert dates == sorted(dates, reverse=True), "newest first"
        assert app.feed.entries[-1].published is None, "undated last"
        status = str(app.status.query_one("#status-text").render())
        assert "5 articles" in status and "5 unread" in status


async def test_typing_a_query_filters_the_feed(library: Path) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await search(pilot, "Pedersen", typed=True)
        names = sorted(Path(e.path).name[:4] for e in app.feed.entries)
        assert names == ["001_", "004_"]
        info = str(app.search_box.query_one("#search-info").render())
        assert "2 hits" in info
        await pilot.press("escape")  # leave the search box for the feed
        assert app.focused is app.feed
        await pilot.press("escape")  # clear the search
        await wait_for(pilot, lambda: len(app.feed.entries) == 5, what="the full feed back")
        assert app.search_box.value == ""


async def test_query_errors_and_suggestions_are_inline(library: Path) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        app.search_box.set_query('"unbalanced')
        await wait_for(
            pilot,
            lambda: bool(str(app.search_box.query_one("#search-info").render())),
            what="search info",
        )
        assert app.is_running  # never a crash
        app.search_box.set_query("pedersn")
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: (
                "did you mean" in str(app.search_box.query_one("#search-note").render())
                or bool(app.feed.entries)
            ),
            what="an answer",
        )


async def test_enter_in_search_moves_to_first_result_and_q_types_there(library: Path) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash", "q")
        assert app.is_running and app.search_box.value == "q", "q is text in the search box"
        await pilot.press("backspace")
        await search(pilot, "aleppo")
        await pilot.press("enter")
        assert app.focused is app.feed and app.feed.cursor == 0
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running, what="quit on q")


async def test_opening_seed_000_shows_the_ministry_statement(library: Path) -> None:
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await open_seed(pilot, SEED_000)
        assert app.article_view.lines[0].startswith("Rebels Gain Ground in Syria")
        assert any("NationPress" in line for line in app.article_view.lines[:3])
        shown = statements_shown(app)
        assert any(
            s.startswith("Syrian Defense Ministry: “We confirm that our armed forces")
            for s in shown
        ), shown
        actors = app.side.actor_names
        assert "Syrian Defense Ministry" in actors
        assert app.open_article is not None and app.open_article.id in app.read_ids


async def test_opening_seed_001_shows_pedersen_and_related(library: Path) -> None:
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await open_seed(pilot, SEED_001)
        shown = statements_shown(app)
        assert any(s.startswith("Geir Pedersen: “The latest developments") for s in shown), shown
        await wait_for(
            pilot, lambda: app.side.query_one("#related").option_count > 0, what="related articles"
        )
        # Selecting a statement scrolls the article to it and underlines it.
        index = next(i for i, s in enumerate(statements_shown(app)) if "latest developments" in s)
        await pilot.press("s", *["j"] * index)
        article = app.open_article
        assert article is not None

        def focused_text() -> str:
            at = app.article_view.focus_statement
            return "" if at is None else article.statements[at].text

        # The highlight travels up as messages (list -> side panel -> app -> article
        # view); on a loaded machine the last ones may still be queued when the
        # keys are in, so wait for them rather than read a state half way.
        await wait_for(
            pilot, lambda: "latest developments" in focused_text(), what="the focused statement"
        )
        top = int(app.article_view.scroll_offset.y)
        height = app.article_view.scrollable_content_region.height
        visible = "\n".join(app.article_view.lines[top : top + height])
        assert "The latest developments" in visible


async def test_actor_filter(library: Path) -> None:
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await open_seed(pilot, SEED_001)
        names = app.side.actor_names
        assert "Geir Pedersen" in names, names
        await pilot.press("a")
        actors = app.side.query_one("#actors")
        assert app.focused is actors
        assert app.article_view.focus_actor == names[0], "a highlights the first actor"
        await pilot.press("j")  # headings are skipped
        assert app.article_view.focus_actor == names[1]
        # Highlighting an actor (as j/k do) marks its mentions in the article.
        actors.highlighted = next(
            i
            for i in range(actors.option_count)
            if actors.get_option_at_index(i).id == f"actor-{names.index('Geir Pedersen')}"
        )
        await pilot.pause()
        assert app.article_view.focus_actor == "Geir Pedersen"
        await pilot.press("enter")
        assert app.search_box.value == 'actor:"Geir Pedersen"'
        await wait_for(
            pilot,
            lambda: app.search_settled and app.query_text.startswith("actor:"),
            what="the actor filter",
        )
        assert sorted(Path(e.path).name[:4] for e in app.feed.entries) == ["001_", "004_"]


async def test_hit_navigation(library: Path) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await search(pilot, "aleppo")
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: app.open_article is not None, what="an open article")
        view = app.article_view
        total = len(view.hits)
        assert total >= 3, "Aleppo occurs several times in every seed that matches"
        body = app.open_article.body if app.open_article else ""
        assert all(body[a:b].lower().startswith("aleppo") for a, b in view.hits)
        await pilot.press("n")
        assert view.hit_index == 0
        await pilot.press("n", "n")
        assert view.hit_index == 2
        status = str(app.status.query_one("#status-text").render())
        assert f"hit 3/{total}" in status
        await pilot.press("N")
        assert view.hit_index == 1
        await pilot.press("G")
        await pilot.press("n")
        assert view.hit_index == 2
        # The current hit's line is on screen.
        line = next(
            i
            for i, _ in enumerate(view.lines)
            if view._starts[i]
            <= view._layout.display_offset(view.hits[2][0])
            < (view._starts[i + 1] if i + 1 < len(view._starts) else 10**9)
        )
        top = int(view.scroll_offset.y)
        assert top <= line < top + view.scrollable_content_region.height
        # A new query re-marks the open article with its own terms; no query, no marks.
        await search(pilot, "hama")
        assert view.hits and all(body[a:b].lower() == "hama" for a, b in view.hits)
        await search(pilot, "")
        assert view.hits == ()


async def test_read_and_star_persist_across_runs(library: Path) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        first, second, third = (e.id for e in app.feed.entries[:3])
        await pilot.press("enter")  # opening marks read
        await wait_for(pilot, lambda: first in app.read_ids, what="read mark")
        await pilot.press("m")  # star the first
        await pilot.press("j", "r")  # mark the second read without opening it
        await pilot.press("j", "m", "m")  # star and unstar the third
        await app.workers.wait_for_complete()

    again = make_app(library, ingest_seeds_if_empty=False)
    async with again.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        assert again.read_ids >= {first, second}
        assert third not in again.read_ids
        assert again.starred_ids == {first}
        status = str(again.status.query_one("#status-text").render())
        assert "3 unread" in status
        await pilot.press("r")  # unread again, persisted
        await again.workers.wait_for_complete()
    from index.library import Library

    with Library.open(library) as lib:
        assert first not in lib.read_ids()


async def test_80x24_layout_has_no_overlap_and_side_panel_behind_a_key(library: Path) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.open_article is not None, what="an open article")

        def check() -> None:
            shown = [
                w
                for w in (
                    app.status,
                    app.search_box,
                    app.feed,
                    app.article_view,
                    app.side,
                    app.query_one("Footer"),
                )
                if w.display and w.region
            ]
            screen = app.screen.region
            for widget in shown:
                assert screen.contains_region(widget.region), widget
            for i, a in enumerate(shown):
                for b in shown[i + 1 :]:
                    assert not a.region.overlaps(b.region), (a, b)

        assert not app.side.region, "the side panel is collapsed at 80 columns"
        assert app.feed.region.width >= 28 and app.article_view.region.width >= 40
        check()
        await pilot.press("a")
        assert app.side.region.width > 0 and app.focused is app.side.query_one("#actors")
        check()
        await pilot.press("p")
        assert not app.side.region
        check()
        # Every article line fits the pane: wrapped at words, nothing cut.
        width = app.article_view.scrollable_content_region.width
        assert all(len(line) <= width for line in app.article_view.lines)


async def test_help_screen_lists_every_key_and_the_query_language(library: Path) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.plain_text()
        for key in (
            "/",
            "esc",
            "n",
            "N",
            "a",
            "s",
            "r",
            "m",
            "o",
            "?",
            "q",
            "ctrl+q",
            "ctrl+p",
            "tab / shift+tab",
            "down / j",
            "up / k",
        ):
            assert key in text, key
        from reader.keys import all_bindings

        for binding in all_bindings():  # every binding, pane movement too, by id
            assert binding.id and binding.id in text, binding
        for field in ("actor:", "speaker:", "quote:", "source:", "date:", "title:"):
            assert field in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


def test_keymap_spec_parses_and_remaps() -> None:
    assert parse_keymap("help=f1; quit = ctrl+x;junk;=x") == {"help": "f1", "quit": "ctrl+x"}


async def test_remapped_key_works_and_shows_in_help(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSROOM_KEYS", "help=f1")
    app = make_app(library)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert "f1" in app.screen.plain_text()


async def test_sort_toggle_and_command_palette(library: Path) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await search(pilot, "syria")
        await pilot.press("escape", "d")
        await wait_for(
            pilot,
            lambda: "by date" in str(app.search_box.query_one("#search-info").render()),
            what="date sort",
        )
        dates = [e.published.timestamp() if e.published else 0 for e in app.feed.entries]
        assert dates == sorted(dates, reverse=True)
        await pilot.press("ctrl+p")
        await pilot.press(*"by relev")
        from textual.command import CommandList

        def offered() -> bool:
            commands = app.screen.query(CommandList)
            return (
                bool(commands)
                and commands.first().option_count > 0
                and "relevance" in str(commands.first().get_option_at_index(0).prompt)
            )

        await wait_for(pilot, offered, what="the palette to offer the command")
        await pilot.press("enter")  # the best match is highlighted
        await wait_for(pilot, lambda: app.sort == "relevance", what="palette command")


async def test_new_files_in_a_watched_folder_appear(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    seed = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("001_*.txt"))[0]
    (folder / "a.txt").write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    from index.library import Library

    with Library.open(tmp_path / "lib") as lib:
        lib.ingest([folder])
    app = make_app(tmp_path / "lib", watch=True, ingest_seeds_if_empty=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        assert len(app.feed.entries) == 1
        (folder / "b.txt").write_text(
            "Envoy warns of wider war\n\nGeneva, Dec 3, 2024 - The envoy said on Tuesday that "
            "the fighting around Hama could spread.\n\nDiplomats met again in the evening "
            "and agreed to keep talking, officials said.\n",
            encoding="utf-8",
        )
        app._check_sources()  # what the timer does every few seconds
        await wait_for(pilot, lambda: len(app.feed.entries) == 2, what="the new article")
        assert "ingested 1 new" in str(app.status.query_one("#status-text").render())


async def test_unopenable_library_is_a_one_line_status_not_a_crash(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    app = make_app(not_a_folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(
            pilot,
            lambda: "cannot open" in str(app.status.query_one("#status-text").render()),
            what="the error line",
        )
        assert app.is_running
        # The whole reason, wrapped in the article pane where there is room for it.
        shown = " ".join(app.article_view.lines)
        assert "cannot open" in shown and str(not_a_folder.name) in shown


async def test_a_second_reader_sees_the_first_readers_marks_on_refresh(library: Path) -> None:
    from index.library import Library

    app = make_app(library, watch=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        target = app.feed.entries[3].id
        assert target not in app.starred_ids
        with Library.open(library) as other:  # another reader, as another process would
            other.set_starred(target, True)
            other.set_read(target, True)
        app._check_sources()  # what the timer does every few seconds
        await wait_for(
            pilot,
            lambda: target in app.starred_ids and target in app.read_ids,
            what="the other reader's marks",
        )
        assert "4 unread" in str(app.status.query_one("#status-text").render())


async def test_status_line_shows_ingest_progress() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import ProgressBar

    from reader.widgets.status_line import StatusLine

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield StatusLine(id="status")

    host = Host()
    async with host.run_test(size=(80, 3)) as pilot:
        status = host.query_one(StatusLine)
        status.set_counts(1234, 56)
        status.set_state("ingesting 340/1,200")
        status.set_progress(340, 1200)
        await pilot.pause()
        bar = status.query_one(ProgressBar)
        assert bar.region.width > 0 and bar.progress == 340 and bar.total == 1200
        text = str(status.query_one("#status-text").render())
        assert "1,234 articles · 56 unread · ingesting 340/1,200" in text
        status.set_progress(None, None)
        await pilot.pause()
        assert not bar.region.width


async def test_a_tiny_terminal_degrades_without_crashing(library: Path) -> None:
    app = make_app(library)
    async with app.run_test(size=(40, 10)) as pilot:
        await ready(pilot)
        await pilot.press("enter", "p", "question_mark", "escape", "p")
        await wait_for(pilot, lambda: app.open_article is not None, what="an open article")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.is_running and app.article_view.lines


async def test_search_g_goes_to_the_real_last_hit(tmp_path: Path) -> None:
    import json

    from index.library import Library
    from reader.app import SEARCH_PAGE

    folder = tmp_path / "in"
    folder.mkdir()
    records = [
        {
            "id": f"r{i}",
            "title": f"Harbour report number {i}",
            "date": f"2024-11-{1 + i % 28:02d}",
            "source": "Port Wire",
            "body": f"The harbour master said on day {i} that ships kept moving. "
            "Dock workers agreed and the port stayed open.",
        }
        for i in range(SEARCH_PAGE + 20)
    ]
    (folder / "port.jsonl").write_text(
        "\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8"
    )
    with Library.open(tmp_path / "lib") as lib:
        assert lib.ingest([folder]).added == len(records)
    app = make_app(tmp_path / "lib", ingest_seeds_if_empty=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await search(pilot, "harbour")
        # every hit has a row at once; only the first page is fetched
        assert len(app.feed.entries) == len(records)
        assert f"{len(records)} hits" in str(app.search_box.query_one("#search-info").render())
        await pilot.press("escape", "G")  # to the feed, then its real last entry
        assert app.feed.cursor == len(records) - 1
        every = app.library.search("harbour", limit=len(records) + 5, as_you_type=True)
        await wait_for(
            pilot, lambda: app.feed.current.id == every.hits[-1].id, what="the last page"
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.open_article is not None, what="the last hit open")
        assert app.open_article.id == every.hits[-1].id
        ids = [e.id for e in app.feed.entries]
        assert ids[-SEARCH_PAGE:] == [h.id for h in every.hits][-SEARCH_PAGE:]
