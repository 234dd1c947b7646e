"""Issue 13 in the reader: config and keymap, widths, instant scrolling, suggestions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from index.config import load_config
from reader.app import NewsroomApp, create_app
from reader.widgets.help_screen import HelpScreen
from tests.test_app_flows import library, open_seed, ready, search, wait_for

__all__ = ["library"]  # the fixture


def make(library: Path) -> NewsroomApp:
    return create_app(library, watch=False)


def write_config(text: str) -> Path:
    path = load_config().path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def screen_text(app: NewsroomApp) -> list[str]:
    return ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]


def notices(app: NewsroomApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_config_theme_keys_and_date_format(library: Path) -> None:
    write_config('theme = "nord"\ndate_format = "%d.%m.%Y"\n[keys]\nhelp = "f1"\n')
    app = make(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        assert app.theme == "nord"
        assert any("12.2024" in line for line in screen_text(app)), "the feed's date format"
        footer = screen_text(app)[-1]
        assert "f1 Help" in footer and "? Help" not in footer
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert "f1" in app.screen.plain_text()


async def test_bad_theme_and_unknown_binding_warn_and_start(library: Path) -> None:
    path = write_config('theme = "no-such-theme"\n[keys]\nhlep = "f1"\n')
    app = make(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        assert app.theme == "textual-dark"
        said = notices(app)
        assert any("theme" in n and str(path) in n for n in said), said
        assert any("keys.hlep" in n and "no binding" in n for n in said), said


async def test_theme_picked_is_remembered(library: Path) -> None:
    app = make(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.theme = "gruvbox"
        await pilot.pause()
    assert load_config().get("theme") == "gruvbox"
    assert load_config().origins["theme"] == "file"
    again = make(library)
    async with again.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert again.theme == "gruvbox"


async def test_keys_from_the_environment_update_footer_and_hints(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSROOM_KEYS", "quit=ctrl+x;accept-suggestion=ctrl+o")
    app = make(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert "^x Quit" in screen_text(app)[-1]
        await search(pilot, "pedersn")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.suggestion is not None, what="a suggestion")
        note = str(app.search_box.query_one("#search-note").render())
        assert "ctrl+o" in note


async def test_widths_follow_the_terminal(library: Path) -> None:
    sizes: dict[int, dict[str, int]] = {}
    for width in (120, 200):
        app = make(library)
        async with app.run_test(size=(width, 30)) as pilot:
            await ready(pilot)
            sizes[width] = {"feed": app.feed.size.width, "side": app.side.size.width}
    assert sizes[120]["feed"] >= 40, sizes  # titles of ~40 characters, not ~27
    assert sizes[200]["side"] > sizes[120]["side"], sizes
    app = make(library)
    async with app.run_test(size=(70, 20)) as pilot:
        await ready(pilot)
        assert "q Quit" in screen_text(app)[-1]


async def test_article_scrolling_is_instant(library: Path) -> None:
    app = make(library)
    async with app.run_test(size=(80, 16)) as pilot:
        await ready(pilot)
        await open_seed(pilot, "001_")
        view = app.article_view
        view.focus()
        await pilot.pause()
        assert view.max_scroll_y > 0
        await pilot.press("G")
        assert view.scroll_y == view.max_scroll_y, "G lands at once (no animation)"
        await pilot.press("g")
        assert view.scroll_y == 0
        await pilot.press("space")
        assert view.scroll_y == min(view.max_scroll_y, view.scrollable_content_region.height)


async def test_suggestion_readable_at_80_columns_and_accepted_with_a_key(library: Path) -> None:
    app = make(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await search(pilot, "pedersn")
        await pilot.press("enter")
        # The note is laid out a frame after the answer lands: wait for it on the screen.
        await wait_for(
            pilot,
            lambda: any(
                "did you mean pedersen? (^y searches for it)" in line for line in screen_text(app)
            ),
            what="the suggestion on the screen",
        )
        assert app.suggestion is not None
        await pilot.press("ctrl+y")
        await wait_for(
            pilot,
            lambda: app.query_text == "pedersen" and app.search_settled and bool(app.feed.entries),
            what="the suggestion searched",
        )
        await search(pilot, '"unbalanced quote and a long query to make the error longer')
        note: Any = app.search_box.query_one("#search-note")
        await wait_for(
            pilot,
            lambda: "⚠" in str(note.render()) and note.size.width >= 70,
            what="the error shown at least 70 columns wide",
        )


def test_search_terms_are_marked_in_the_title_too() -> None:
    from rich.style import Style

    from index.records import Article
    from reader.widgets.article_text import Marks, render_article

    article = Article(
        id="x", path="x", title="  Geir   Pedersen warns\tof escalation", body="Pedersen said so."
    )
    hit = Style(reverse=True)
    shown = render_article(
        article, {"hit": hit}, Marks(hits=((0, 8),), title_hits=((9, 17), (27, 37)))
    )
    title = shown.text.plain.split("\n")[0]
    assert title == "Geir Pedersen warns of escalation"
    marked = {
        title[s.start : s.end] for s in shown.text.spans if s.style == hit and s.end <= len(title)
    }
    assert marked == {"Pedersen", "escalation"}


async def test_open_article_marks_the_title(library: Path) -> None:
    app = make(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await search(pilot, "rebels")
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: app.open_article is not None, what="an article")
        assert app.article_view.title_hits


async def test_remapped_keys_show_in_the_first_hint(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSROOM_KEYS", "feed.down=ctrl+n;help=f1")
    app = make(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        hint = " ".join(app.article_view.lines)
        assert "ctrl+n/k" in hint and "f1 lists every key" in hint
        await pilot.press("ctrl+n")
        assert app.feed.cursor == 1
