"""Pilot tests of the reader's parts: story views built in workers (stale answers dropped,
keys typed meanwhile waiting for them), and a footer rebuilt only when its keys change."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.widgets import Footer

from reader.widgets.actor_screen import ActorScreen
from reader.widgets.stories_screen import StoriesScreen
from reader.widgets.story_screen import StoryScreen
from reader.widgets.trail_screen import TrailScreen
from tests.test_app_flows import library, make_app, open_seed, ready, wait_for  # noqa: F401

BLOCK_LIMIT_S = 5.0  # a bound on a wait that a working reader never reaches


def spy(
    monkeypatch: pytest.MonkeyPatch,
    obj: object,
    name: str,
    threads: list[str],
    gate: threading.Event | None = None,
) -> None:
    """Record the thread each call of `obj.name` runs on; hold the calls until `gate`."""
    real: Callable[..., Any] = getattr(obj, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        if gate is not None:
            gate.wait(BLOCK_LIMIT_S)
        return real(*args, **kwargs)

    monkeypatch.setattr(obj, name, wrapper)


async def test_story_trail_and_record_views_are_built_off_the_ui_thread(
    library: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        threads: list[str] = []
        for name in ("stories", "story", "trail_ids", "trail", "actor_record"):
            spy(monkeypatch, app.library, name, threads)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, StoriesScreen), what="stories")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, StoryScreen), what="the story")
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: app.screen is app.feed.screen, what="the reader")
        await open_seed(pilot, "000_")
        await pilot.press("s")
        listing = app.side.query_one("#statements")
        article = app.open_article
        assert article is not None
        steps = next(
            i
            for i in range(listing.option_count)
            if (listing.get_option_at_index(i).id or "").startswith("statement-")
            and article.statements[int(listing.get_option_at_index(i).id[10:])].kind == "direct"
        )
        await pilot.press(*["j"] * (steps - (listing.highlighted or 0)), "t")
        await wait_for(pilot, lambda: isinstance(app.screen, TrailScreen), what="the trail")
        await pilot.press("escape", "i")
        await wait_for(pilot, lambda: isinstance(app.screen, ActorScreen), what="the record")
        assert len(threads) >= 5
        assert threading.main_thread().name not in threads, threads


async def test_keys_typed_while_a_view_is_built_wait_for_it(
    library: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        gate = threading.Event()
        threads: list[str] = []
        spy(monkeypatch, app.library, "stories", threads, gate)
        await pilot.press("e", "enter")  # typed at once: enter is for the stories list
        await wait_for(pilot, lambda: bool(threads), what="the stories asked for")
        await pilot.pause()
        assert app.open_article is None, "enter went to the feed before the stories came"
        assert app.is_running and app.screen is app.feed.screen
        gate.set()
        await wait_for(pilot, lambda: isinstance(app.screen, StoryScreen), what="the story")
        assert app.open_article is None


async def test_an_older_view_answer_is_dropped(
    library: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        assert app.library is not None
        names = [a.name for a in app.library.actors()[:2]]
        gate = threading.Event()
        real = app.library.actor_record
        asked: list[str] = []
        answered: list[str] = []

        def record(name: str) -> Any:
            asked.append(name)
            if name == names[0]:
                gate.wait(BLOCK_LIMIT_S)  # the first asked answers last
            answered.append(name)
            return real(name)

        monkeypatch.setattr(app.library, "actor_record", record)
        app.show_actor(names[0])
        await wait_for(pilot, lambda: asked == [names[0]], what="the first being built")
        app.show_actor(names[1])
        await wait_for(pilot, lambda: isinstance(app.screen, ActorScreen), what="a record")
        gate.set()
        await wait_for(pilot, lambda: answered == [names[1], names[0]], what="both answers")
        await wait_for(
            pilot,
            lambda: (
                app.is_quiet and not any(w.group == "view" and w.is_running for w in app.workers)
            ),
            what="the older answer handled",
        )
        records = [s for s in app.screen_stack if isinstance(s, ActorScreen)]
        assert [s.record.name for s in records] == [names[1]]


def footer_keys(app: Any) -> list[Any]:
    return list(app.feed.screen.query_one(Footer).children)


async def test_the_footer_is_not_rebuilt_under_the_palette(library: Path) -> None:  # noqa: F811
    app = make_app(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.pause()
        before = footer_keys(app)
        assert before
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
        await pilot.pause()
        assert footer_keys(app) == before  # the same widgets: not rebuilt
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.feed.screen, what="the reader")
        await pilot.pause()
        assert footer_keys(app) == before
        await pilot.press("slash")  # in the search box "/" is text: the key leaves the footer
        await wait_for(pilot, lambda: footer_keys(app) != before, what="the footer rebuilt")
        await wait_for(
            pilot,
            lambda: all(getattr(k, "key", "") != "slash" for k in footer_keys(app)),
            what="no / key",
        )
