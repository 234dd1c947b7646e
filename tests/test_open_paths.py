"""Pilot tests of the two paths issue 13 times: ctrl+p (a palette kept between openings,
actors read a few at a time) and enter on a feed entry (the article and its side panel)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.command import CommandInput, CommandList, CommandPalette

from index.library import Library
from reader.widgets.article_view import ArticleView
from reader.widgets.side_panel import SidePanel
from tests.test_app_flows import SEED_001, library, make_app, ready, wait_for  # noqa: F401


def listed(app: Any) -> list[str]:
    commands = app.screen.query_one(CommandList)
    return [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]


async def open_palette(pilot: Any) -> CommandPalette:
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_for(
        pilot,
        lambda: (
            isinstance(app.screen, CommandPalette)
            and app.screen.query_one(CommandList).option_count > 0
            and not app.screen.query_one(CommandInput).value
        ),
        what="the palette listed",
    )
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CommandPalette)
    return screen


async def test_the_palette_is_kept_and_opens_afresh(library: Path) -> None:  # noqa: F811
    app = make_app(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        first = await open_palette(pilot)
        discovered = listed(app)
        assert any("Sort by date" in entry for entry in discovered)
        await pilot.press(*"by relev")
        await wait_for(pilot, lambda: "relevance" in listed(app)[0], what="the search")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.feed.screen, what="the reader")

        again = await open_palette(pilot)
        assert again is first  # not composed and styled anew
        assert listed(app) == discovered  # the query typed last time is gone
        assert again.query_one(CommandList).highlighted == 0

        app.sort = "date"
        await pilot.press(*"by relev")
        await wait_for(pilot, lambda: "relevance" in listed(app)[0], what="the search")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.sort == "relevance", what="the command run")
        await wait_for(pilot, lambda: app.screen is app.feed.screen, what="the reader")
        assert await open_palette(pilot) is first
        assert listed(app) == discovered  # the list emptied by the choice is back


async def test_the_palette_follows_the_system_commands(library: Path) -> None:  # noqa: F811
    app = make_app(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await open_palette(pilot)
        before = listed(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.feed.screen, what="the reader")
        app.action_show_help_panel()  # "Keys" now hides the panel: its help changes
        await pilot.pause()
        await open_palette(pilot)
        await wait_for(pilot, lambda: listed(app) != before, what="the commands gathered again")
        assert any("Hide the keys" in entry for entry in listed(app))


async def test_the_side_panel_is_filled_after_the_text_is_painted(
    library: Path,  # noqa: F811
    monkeypatch: Any,
) -> None:
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        events: list[str] = []
        paint, fill = ArticleView.render_line, SidePanel.show_article

        def painted(view: ArticleView, y: int) -> Any:
            if view.article is not None and "text" not in events:
                events.append("text")
            return paint(view, y)

        def filled(panel: SidePanel, article: Any) -> None:
            events.append("lists")
            fill(panel, article)

        monkeypatch.setattr(ArticleView, "render_line", painted)
        monkeypatch.setattr(SidePanel, "show_article", filled)
        app.feed.focus()
        index = next(
            i for i, e in enumerate(app.feed.entries) if Path(e.path).name.startswith(SEED_001)
        )
        app.feed.cursor = index
        await pilot.press("enter", "a")  # "a" typed before the lists are there
        await wait_for(pilot, lambda: app.focused is app.side.query_one("#actors"), what="a")
        assert events[:2] == ["text", "lists"]
        assert app.open_article is not None
        assert app.side.shown_id == app.open_article.id
        actors = app.side.query_one("#actors")
        assert actors.highlighted is not None  # the first actor, as ever
        assert app.side.actor_names


def test_library_actors_take_a_limit(library: Path) -> None:  # noqa: F811
    with Library.open(library) as lib:
        every = lib.actors()
        assert len(every) > 3
        assert lib.actors(limit=3) == every[:3]
        people = lib.actors("person")
        assert lib.actors("person", limit=2) == people[:2]
        assert lib.actors(limit=None) == every


async def test_the_next_article_scrolls_to_its_own_end(library: Path) -> None:  # noqa: F811
    # A new article's length reaches the scrollbar without a layout of the screen.
    app = make_app(library)
    async with app.run_test(size=(80, 16)) as pilot:
        await ready(pilot)
        view = app.article_view
        for prefix in ("001_", "000_", "001_"):
            index = next(
                i for i, e in enumerate(app.feed.entries) if Path(e.path).name.startswith(prefix)
            )
            app.feed.focus()
            app.feed.cursor = index
            await pilot.press("enter")
            await wait_for(
                pilot,
                lambda p=prefix: (
                    app.open_article is not None and Path(app.open_article.path).name.startswith(p)
                ),
                what=prefix,
            )
            await pilot.pause()
            height = view.scrollable_content_region.height
            assert view.virtual_size.height == len(view.lines)
            assert view.max_scroll_y == max(0, len(view.lines) - height)
            assert view.vertical_scrollbar.window_virtual_size == len(view.lines)
            view.focus()
            await pilot.press("G")
            assert view.scroll_y == view.max_scroll_y
