"""The reader's text rendering: literal article text, offsets, wrapping, hostile input, NO_COLOR."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult

from index.records import Actor, Article, Statement
from reader.widgets.article_text import Marks, format_date, line_of, render_article, wrap
from reader.widgets.feed import Feed
from tests.test_app_flows import make_app, ready, seeded_library, wait_for

STYLES = {
    "title": Style(bold=True),
    "person": Style(bold=True, color="cyan"),
    "organization": Style(bold=True, color="green"),
    "direct": Style(italic=True),
    "indirect": Style(italic=True, dim=True),
    "speaker": Style(color="magenta"),
    "hit": Style(reverse=True),
    "focus": Style(underline=True),
    "focus-statement": Style(underline=True),
}

HOSTILE_BODY = (
    "Beirut, Dec 2, 2024 - Officials said the talks would go on. "
    "\x1b]2;pwned-title\x07 An OSC 2 title change sits here. "
    "\x1b]52;c;ZXZpbCBjbGlwYm9hcmQ=\x07 An OSC 52 clipboard write sits here. "
    "\x1b[2J\x1b[H A CSI screen clear sits here, and a bell \x07 and a C1 CSI \x9b31m too.\n\n"
    "Markup must stay literal: [bold]not bold[/bold] and [link=https://evil.example]click[/link] "
    "and [red]red?[/]. The envoy said the situation was grave.\n"
)


def seeded_article() -> Article:
    body = 'Geir Pedersen said "the risks are severe" on Monday. The UN agreed, Pedersen said.'
    quote_start = body.index("the risks")
    return Article(
        id="x",
        path="/tmp/x.txt",
        title="Envoy warns",
        body=body,
        published=datetime(2024, 12, 2),
        published_inferred=True,
        source="Wire",
        actors=(
            Actor(
                "Geir Pedersen",
                "person",
                ("Pedersen",),
                ((0, 13), (body.index("Pedersen said."), body.index("Pedersen said.") + 8)),
            ),
            Actor(
                "United Nations",
                "organization",
                ("UN",),
                ((body.index("UN"), body.index("UN") + 2),),
            ),
        ),
        statements=(
            Statement(
                "Geir Pedersen",
                "the risks are severe",
                "direct",
                "said",
                quote_start,
                quote_start + len("the risks are severe"),
            ),
        ),
    )


def style_at(text: Text, offset: int) -> Style:
    return text.get_style_at_offset(_console(), offset)


def _console():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(width=80)


def test_spans_land_on_the_right_characters_despite_speaker_tags() -> None:
    article = seeded_article()
    body = article.body
    rendered = render_article(
        article, STYLES, Marks(hits=((body.index("UN"), body.index("UN") + 2),))
    )
    plain = rendered.text.plain
    assert "‹Geir Pedersen›" in plain, "statements are tagged with their speaker"
    # Every mention, statement and hit maps back to the same characters.
    for actor in article.actors:
        for start, end in actor.mentions:
            a, b = rendered.display_offset(start), rendered.display_offset(end, end=True)
            assert plain[a:b] == body[start:end]
            assert style_at(rendered.text, a).bold
    for statement in article.statements:
        a = rendered.display_offset(statement.start)
        b = rendered.display_offset(statement.end, end=True)
        assert plain[a:b] == statement.text
        assert style_at(rendered.text, a).italic
    un = rendered.display_offset(body.index("UN"))
    assert style_at(rendered.text, un).reverse
    # The speaker tag follows the closing quote mark, not inside the quote.
    assert '"the risks are severe" ‹Geir Pedersen›' in plain


def test_focus_actor_underlines_only_its_mentions() -> None:
    article = seeded_article()
    rendered = render_article(article, STYLES, Marks(focus_actor="United Nations"))
    body = article.body
    assert style_at(rendered.text, rendered.display_offset(body.index("UN"))).underline
    assert not style_at(rendered.text, rendered.display_offset(0)).underline


def test_meta_line_marks_inferred_dates_and_feed_dates_are_fixed_width() -> None:
    rendered = render_article(seeded_article(), STYLES)
    assert "02 Dec 2024 (year inferred) · Wire" in rendered.text.plain.splitlines()[1]
    assert format_date(datetime(2024, 12, 2), True) == "2024-12-02~"
    assert (
        len(
            {
                len(format_date(d, i))
                for d, i in [
                    (None, False),
                    (datetime(2024, 1, 1), False),
                    (datetime(2024, 1, 1), True),
                ]
            }
        )
        == 1
    )


def test_wrap_breaks_at_words_and_keeps_offsets() -> None:
    text = Text("alpha beta gamma delta epsilon\n\nzeta eta theta iota kappa lambda mu")
    lines, starts = wrap(text, 12)
    assert all(line.cell_len <= 12 for line in lines)
    assert [line.plain for line in lines][:3] == ["alpha beta", "gamma delta", "epsilon"]
    assert lines[3].plain == "", "blank lines survive"
    for line, start in zip(lines, starts, strict=True):
        assert text.plain[start : start + len(line.plain)] == line.plain
    assert line_of(starts, text.plain.index("theta")) == starts.index(
        max(s for s in starts if s <= text.plain.index("theta"))
    )


def test_hostile_text_is_inert_in_the_rendered_text() -> None:
    article = Article(
        id="h", path="/tmp/h.txt", title="\x1b]2;owned\x07Title [bold]x[/]", body=HOSTILE_BODY
    )
    plain = render_article(article, STYLES).text.plain
    assert "\x1b" not in plain and "\x07" not in plain and "\x9b" not in plain
    assert "[bold]not bold[/bold]" in plain and "[link=https://evil.example]click[/link]" in plain
    assert len(plain) >= len(HOSTILE_BODY), "control characters become visible placeholders"


async def test_hostile_article_renders_inert_under_pilot(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "hostile.txt").write_text(
        "Talks \x1b]2;pwned\x07 go on [bold]today[/bold]\n\n" + HOSTILE_BODY, encoding="utf-8"
    )
    from index.library import Library

    with Library.open(tmp_path / "lib") as lib:
        report = lib.ingest([folder])
        assert report.added == 1, report
    app = make_app(tmp_path / "lib", ingest_seeds_if_empty=False)
    async with app.run_test(size=(120, 50)) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.open_article is not None, what="the hostile article")
        await pilot.pause()
        strips = app.screen._compositor.render_strips()
        segments = [segment for strip in strips for segment in strip]
        screen = "\n".join("".join(s.text for s in strip) for strip in strips)
        for segment in segments:
            assert "\x1b" not in segment.text and "\x07" not in segment.text, segment
            assert "\x9b" not in segment.text
            assert segment.style is None or not segment.style.link, "no [link] interpreted"
        shown = " ".join(app.article_view.lines)  # the pane's wrapped lines, rejoined
        assert "[bold]not bold[/bold]" in shown
        assert "[link=https://evil.example]click[/link]" in shown
        assert "[bold]today[/bold]" in screen, "titles stay literal"
        # The escape sequences stay visible as inert placeholders (␛ for ESC).
        assert "␛]52;c;" in screen


async def test_no_color_keeps_highlights_distinguishable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(seeded_library(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app.no_color
        app.search_box.set_query("aleppo")
        await wait_for(pilot, lambda: app.search_settled and bool(app.hits_by_id), what="hits")
        await pilot.press("enter")  # the feed has focus: open the first hit
        await wait_for(pilot, lambda: app.open_article is not None, what="article")
        await pilot.pause()
        view = app.article_view
        assert view.hits
        line_index = line_of(view._starts, view._layout.display_offset(view.hits[0][0]))
        line = view._lines[line_index]
        styles = [span.style for span in line.spans if isinstance(span.style, Style)]
        assert any(style.reverse for style in styles), "hits are reversed, not only coloured"


class FeedOnly(App[None]):
    def compose(self) -> ComposeResult:
        yield Feed(id="feed")


async def test_feed_paints_100k_articles() -> None:
    # Speed is the benchmark's (tests/benchmarks tui): here only that it works at this size.
    from index.library import FeedItem

    items = [
        FeedItem(
            f"{i:016x}",
            f"Headline number {i} about Aleppo",
            datetime(2024, 12, 2),
            False,
            "Wire",
            f"/tmp/{i}.txt",
        )
        for i in range(100_000)
    ]
    app = FeedOnly()
    async with app.run_test(size=(80, 24)) as pilot:
        feed = app.query_one(Feed)
        feed.set_entries(items)
        await pilot.pause()
        assert "Headline number 0 " in "".join(s.text for s in feed.render_line(1))
        feed.focus()
        await pilot.press("end")
        assert feed.cursor == 99_999
        assert feed.scroll_offset.y > 0
        feed.action_cursor(-1)
        await pilot.pause()
        assert feed.current is not None and feed.current.id == items[99_998].id


async def test_a_theme_change_restyles_the_open_article(tmp_path: Path) -> None:
    app = make_app(seeded_library(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: app.open_article is not None and bool(app.open_article.actors),
            what="an article with actors",
        )
        await pilot.pause()
        view = app.article_view
        actor = app.open_article.actors[0] if app.open_article else None
        assert actor is not None

        def mention_colour() -> object:
            layout = view._layout
            assert layout is not None
            start = layout.display_offset(actor.mentions[0][0])
            return style_at(layout.text, start).color

        before = mention_colour()
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await wait_for(pilot, lambda: mention_colour() != before, what="new highlight colours")
