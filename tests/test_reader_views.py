"""Issue 13: saved searches and history across runs, views, mark all read, piping `|`."""

from __future__ import annotations

import json
from pathlib import Path

from index.saved import SavedSearches
from reader.app import NewsroomApp, create_app
from reader.widgets.confirm_screen import ConfirmScreen
from reader.widgets.prompt_screen import PromptScreen
from reader.widgets.saved_screen import SavedScreen
from tests.test_app_flows import library, open_seed, ready, search, wait_for

__all__ = ["library"]  # the fixture


def make(library: Path) -> NewsroomApp:
    return create_app(library, watch=False)


def header(app: NewsroomApp) -> str:
    return str(app.status.query_one("#status-text").render())


def test_saved_searches_file_round_trip_and_damage(tmp_path: Path) -> None:
    store = SavedSearches(tmp_path)
    store.save("envoy", "speaker:Pedersen")
    store.save("envoy", "actor:Pedersen")  # same name: replaced
    for query in ("a", "b", "a"):
        store.remember(query)
    again = SavedSearches(tmp_path)
    assert [(s.name, s.query) for s in again.saved()] == [("envoy", "actor:Pedersen")]
    assert again.history() == ["b", "a"]
    (tmp_path / "searches.json").write_text("{broken", encoding="utf-8")
    damaged = SavedSearches(tmp_path)
    assert damaged.saved() == [] and damaged.notice and "searches.json" in damaged.notice


async def test_saved_search_and_history_survive_a_restart(library: Path) -> None:
    app = make(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await search(pilot, "aleppo")
        await pilot.press("enter")
        await search(pilot, "rebels")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.search_settled and bool(app.feed.entries))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen), what="the prompt")
        await pilot.press(*"reb", "enter")
        await wait_for(pilot, lambda: app.saved_name == "reb", what="saved")
        assert "saved: reb" in header(app)
        await wait_for(
            pilot,
            lambda: (
                (library / "searches.json").exists()
                and "rebels" in (library / "searches.json").read_text()
            ),
        )
    again = make(library)
    async with again.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("slash", "up")
        assert again.search_box.value == "rebels"
        await pilot.press("up")
        assert again.search_box.value == "aleppo"
        await pilot.press("down", "down")
        assert again.search_box.value == ""
        await pilot.press("escape", "S")
        await wait_for(pilot, lambda: isinstance(again.screen, SavedScreen), what="the list")
        screen = again.screen
        assert isinstance(screen, SavedScreen)
        await wait_for(pilot, lambda: "reb" in screen.counts, what="unread counts")
        unread, total = screen.counts["reb"]
        assert total > 0 and unread == total  # a fresh copy of the library: nothing read
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: again.query_text == "rebels" and again.search_settled,
            what="the saved search open",
        )
        assert "saved: reb" in header(again)


async def test_views_and_mark_all_read(library: Path) -> None:
    app = make(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        total = len(app.feed.entries)
        await open_seed(pilot, "001_")  # opened: read
        await pilot.press("m")  # starred
        starred = app.open_article.id
        app.feed.focus()
        await pilot.press("v")
        assert app.view == "unread" and "view: unread only" in header(app)
        assert len(app.feed.entries) == total - 1
        assert starred not in {e.id for e in app.feed.entries}
        await pilot.press("v")
        assert [e.id for e in app.feed.entries] == [starred]
        assert "view: starred only" in header(app)
        await pilot.press("v")
        assert app.view == "all" and len(app.feed.entries) == total
        await pilot.press("A")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await pilot.press("n")
        assert len(app.read_ids & {e.id for e in app.feed.entries}) == 1
        await pilot.press("A", "y")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        assert {e.id for e in app.feed.entries} <= app.read_ids
        assert "· 0 unread" in header(app)
    again = make(library)
    async with again.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        assert {e.id for e in again.feed.entries} <= again.read_ids, "saved in the library"


async def test_a_view_filters_search_results(library: Path) -> None:
    app = make(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await open_seed(pilot, "001_")
        opened = app.open_article.id
        await search(pilot, "syria")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.search_settled)
        hits = {e.id for e in app.feed.entries}
        assert opened in hits
        await pilot.press("v")
        await wait_for(pilot, lambda: app.search_settled)
        assert {e.id for e in app.feed.entries} == hits - {opened}


async def test_pipe_the_article_to_cat(library: Path, tmp_path: Path) -> None:
    text_out, json_out = tmp_path / "article.txt", tmp_path / "article.json"
    app = make(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await open_seed(pilot, "001_")
        await pilot.press("vertical_line")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen), what="the prompt")
        app.screen.query_one("#prompt-input").value = f"cat > {text_out}"
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: text_out.exists() and text_out.stat().st_size > 0, what="the text piped"
        )
        await pilot.press("backslash")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen), what="the prompt")
        app.screen.query_one("#prompt-input").value = f"cat > {json_out}"
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: json_out.exists() and json_out.stat().st_size > 0, what="the JSON piped"
        )
        await wait_for(pilot, lambda: json_out.read_text().endswith("\n"))
        title = app.open_article.title
    assert text_out.read_text().startswith(" ".join(title.split())[:40])
    assert json.loads(json_out.read_text())["title"] == title
