"""Keys typed ahead: never lost or reordered, applied to the answer they were typed for."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual import events

from reader.app import NewsroomApp
from reader.render import about
from tests.test_app_flows import library, make_app, open_seed, ready, search, wait_for

__all__ = ["library"]  # the fixture

CHARACTERS = {"slash": "/", "backspace": "\x7f", "enter": "\r", "escape": "\x1b"}


def burst(app: NewsroomApp, keys: list[str]) -> None:
    """Post `keys` all at once, as a paste or a fast link delivers them (no waiting between)."""
    for key in keys:
        app.post_message(events.Key(key, CHARACTERS.get(key, key if len(key) == 1 else None)))


@contextmanager
def held_searches(
    app: NewsroomApp, submitted_only: bool = False
) -> Iterator[tuple[threading.Event, list[dict[str, Any]]]]:
    """Searches block until the event is set: the app is slower than the keys, for sure.
    `submitted_only` lets the as-you-type searches through: a burst of typed letters holds
    no thread then (Textual runs thread workers on a pool of cpu_count + 4, so six held
    searches would keep the submitted one waiting for the 30 s safety timeout)."""
    gate = threading.Event()
    calls: list[dict[str, Any]] = []
    real: Callable[..., Any] = app.library.search

    def slow(query: str, **kwargs: Any) -> Any:
        calls.append({"query": query, **kwargs})
        if not (submitted_only and kwargs.get("as_you_type", False)):
            gate.wait(30)
        return real(query, **kwargs)

    app.library.search = slow
    try:
        yield gate, calls
    finally:
        gate.set()
        app.library.search = real


def names(app: NewsroomApp) -> list[str]:
    return [Path(e.path).name[:4] for e in app.feed.entries]


async def test_backspaces_and_letters_keep_their_order(library: Path) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await search(pilot, "Pedersen")
        await pilot.press("escape")
        assert app.focused is app.feed
        burst(app, ["slash", *["backspace"] * 8, *"hama"])
        await wait_for(
            pilot,
            lambda: app.search_box.value == "hama" and app.search_settled,
            what="the box to read hama",
        )
        assert app.query_text == "hama"


async def test_a_pasted_query_and_two_enters_open_its_first_hit(library: Path) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        unfiltered_top = app.feed.entries[0].id
        with held_searches(app, submitted_only=True) as (gate, calls):
            burst(app, ["slash", *"Pedersen", "enter", "enter"])
            await wait_for(
                pilot,
                lambda: any(not c.get("as_you_type", False) for c in calls),
                what="the submitted search",
            )
            await pilot.pause()
            assert app.open_article is None, "opened blind, before the answer"
            gate.set()
            await wait_for(pilot, lambda: app.open_article is not None, what="an article")
        assert app.open_article is not None
        assert app.open_article.id == app.feed.entries[0].id
        assert names(app) in (["001_", "004_"], ["004_", "001_"])
        assert app.open_article.id != unfiltered_top or names(app)[0] == "001_"
        assert "Pedersen" in app.open_article.body


async def test_keys_after_enter_go_to_the_answer_in_the_feed(library: Path) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        with held_searches(app, submitted_only=True) as (gate, _):
            burst(app, ["slash", *"Pedersen", "enter", "j", "enter"])
            await pilot.pause()
            gate.set()
            await wait_for(pilot, lambda: app.open_article is not None, what="an article")
        assert app.search_box.value == "Pedersen", "j went to the feed, not the box"
        assert app.feed.cursor == 1
        assert app.open_article is not None and app.open_article.id == app.feed.entries[1].id


async def test_an_actor_chosen_never_shows_the_previous_answer(library: Path) -> None:
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await open_seed(pilot, "000_")
        stale = {h.id for h in app.library.search("Pedersen").hits}
        # an actor none of whose articles matches the query typed just before choosing it
        actor = next(
            n
            for n in app.side.actor_names
            if not stale & {h.id for h in app.library.search(f'actor:"{n}"').hits}
        )
        await pilot.press("a")
        for _ in range(60):
            if app.article_view.focus_actor == actor:
                break
            await pilot.press("j")
        assert app.article_view.focus_actor == actor
        opened: list[str] = []
        real_open = app.open
        app.open = lambda article_id: (opened.append(article_id), real_open(article_id))
        with held_searches(app) as (gate, calls):
            app.query_text = "Pedersen"  # its answer comes back after the actor's request
            app._start_search(as_you_type=False)
            burst(app, ["enter", "enter"])  # choose the actor, open the first result
            await wait_for(pilot, lambda: len(calls) >= 2, what="both searches asked")
            await pilot.pause()
            assert opened == [], "opened from a list that is not the actor's"
            gate.set()
            await wait_for(pilot, lambda: bool(opened), what="the first result opened")
        assert app.query_text == f'actor:"{actor}"'
        expected = {h.id for h in app.library.search(app.query_text, limit=40).hits}
        assert {e.id for e in app.feed.entries} == expected
        assert opened == [app.feed.entries[0].id]
        assert opened[0] not in stale


async def test_sort_toggle_reruns_the_submitted_query(library: Path) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await search(pilot, "Aleppo")
        await pilot.press("enter")  # submitted: whole words, an exact total
        await wait_for(pilot, lambda: app.search_settled, what="the final answer")
        total = app._search_total
        ids = {e.id for e in app.feed.entries}
        with held_searches(app) as (gate, calls):
            gate.set()  # only recording the requests here
            await pilot.press("d")
            await wait_for(pilot, lambda: app.search_settled, what="the re-sorted answer")
        assert [c.get("as_you_type") for c in calls] == [False]
        assert calls[0]["sort"] == "date"
        assert app._search_total == total and {e.id for e in app.feed.entries} == ids
        dated = [e.published for e in app.feed.entries if e.published is not None]
        assert dated == sorted(dated, reverse=True)


async def test_escape_at_80_columns_brings_the_feed_back(library: Path) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await open_seed(pilot, "001_")
        await pilot.press("a")  # the side panel takes the feed's place
        await pilot.pause()
        assert app.feed.region.width == 0 and app.side.region.width > 0
        opened = app.open_article
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is app.feed
        assert app.feed.region.width > 0, "the feed is back on screen"
        await pilot.press("home", "j")
        assert app.feed.cursor == 1
        assert app.open_article is opened, "nothing opened blind"


async def test_escape_from_the_side_panel_at_80_columns_after_p(library: Path) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await open_seed(pilot, "000_")
        app.feed.focus()
        await pilot.press("p")
        await pilot.pause()
        assert app.feed.region.width == 0
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is app.feed and app.feed.region.width > 0


async def test_an_estimated_total_says_about(library: Path) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await search(pilot, "Aleppo")
        result = app.library.search("Aleppo")
        estimated = replace(result, total=2068)
        object.__setattr__(estimated, "total_exact", False)  # the field may not exist yet
        app._search_seq += 1
        await app.on_newsroom_app_search_done(app.SearchDone(app._search_seq, estimated))
        info = str(app.search_box.query_one("#search-info").render())
        assert "about 2,100 hits" in info
        await app.on_newsroom_app_search_done(app.SearchDone(app._search_seq, result))
        info = str(app.search_box.query_one("#search-info").render())
        assert "about" not in info and f"{result.total:,} hit" in info


def test_about_rounds_to_two_figures() -> None:
    assert [about(n) for n in (7, 99, 100, 2068, 2050, 15_432, 1_000_000)] == [
        7,
        99,
        100,
        2100,
        2100,
        15_000,
        1_000_000,
    ]


async def test_the_palette_screenshot_goes_to_the_data_dir(
    library: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no ~/Downloads there
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    app = make_app(library)
    notices: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        monkeypatch.setattr(app, "notify", lambda message, **_: notices.append(message))
        saved = app.deliver_screenshot()
    assert saved is not None
    path = Path(saved)
    assert path.parent == tmp_path / "data" / "newsroom" / "screenshots"
    assert path.read_text(encoding="utf-8").startswith("<svg")
    assert notices and str(path) in notices[-1]


async def test_a_bracketed_paste_keeps_its_place_among_the_keys(library: Path) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        with held_searches(app) as (gate, _):
            app.post_message(events.Key("slash", "/"))
            app.post_message(events.Paste("Pedersen"))
            burst(app, ["enter", "enter"])
            await pilot.pause()
            gate.set()
            await wait_for(pilot, lambda: app.open_article is not None, what="an article")
        assert app.search_box.value == "Pedersen"
        assert sorted(names(app)) == ["001_", "004_"]
        assert app.open_article is not None and app.open_article.id == app.feed.entries[0].id
