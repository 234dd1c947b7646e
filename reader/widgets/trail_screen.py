"""A quote's trail: where it first appeared, which outlets carried it and when, whom each credited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static
from textual.widgets.option_list import Option

from index.library import cite_statement
from index.textsafe import one_line
from reader.widgets.side_panel import KeyList
from reader.widgets.story_common import LibraryScreen, StoryStatus, day


def carrier_prompt(c: Any, first: bool) -> Text:
    text = Text(end="")
    text.append(day(c.ts, c.inferred).ljust(11) + " ", "dim")
    text.append(one_line(c.source or "(unknown outlet)", 40), "bold")
    text.append(" · " + one_line(c.speaker or "(unattributed)", 40), "italic")
    if first:
        text.append("  first", "bold reverse")
    text.append("\n            " + one_line(c.title, 160), "dim")
    return text


class TrailScreen(LibraryScreen):
    """The carriers of one quotation, first appearance first."""

    HINT = "enter open article · y copy citation · escape back"

    def __init__(self, trail: Any, open_article: Callable[[str], None]) -> None:
        super().__init__(id="trail-screen")
        self.trail = trail
        self.open_article = open_article

    def compose(self) -> ComposeResult:
        t = self.trail
        head = Text(end="")
        head.append("\u201c" + one_line(t.text, 600) + "\u201d", "italic")
        head.append(
            f"\ncarried by {len(t.carriers)} article(s) · {len(t.outlets)} outlet(s) · first: ",
            "dim",
        )
        if t.first is not None:
            head.append(f"{t.first.source or '(unknown outlet)'}, {day(t.first.ts).strip()}", "dim")
        else:
            head.append("unknown (no carrier gives its own date)", "dim")
        if t.disagreement:
            head.append(
                "\nspeakers disagree: " + one_line(" / ".join(t.speakers), 200), "bold yellow"
            )
        yield Static(head, id="trail-head", classes="story-heading", markup=False)
        listing = KeyList(id="trail-carriers")
        listing.add_options(
            [
                Option(carrier_prompt(c, c is t.first), id=f"carrier-{i}")
                for i, c in enumerate(t.carriers)
            ]
        )
        yield listing
        yield StoryStatus(self.HINT)

    def on_mount(self) -> None:
        listing = self.query_one("#trail-carriers", KeyList)
        listing.focus()
        if self.trail.carriers:
            listing.highlighted = 0

    def _current(self) -> Any:
        i = self.query_one("#trail-carriers", KeyList).highlighted
        return None if i is None else self.trail.carriers[i]

    def on_option_list_option_selected(self, event: KeyList.OptionSelected) -> None:
        event.stop()
        c = self._current()
        if c is not None:
            self.open_article(c.article_id)

    def citation(self) -> str | None:
        c = self._current()
        if c is None:
            return None
        when = None if c.ts is None else datetime.fromtimestamp(c.ts, timezone.utc)
        return cite_statement(c.text, c.speaker, c.source, when, c.title)
