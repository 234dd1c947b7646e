"""The search box: the query input plus a line for hit count, suggestion or query error."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from index.textsafe import one_line
from reader.render import about

PLACEHOLDER = 'search: words, "a phrase", actor:Pedersen, speaker:, date:2024-12-01..'


class SearchBox(Horizontal):
    """Posts `QueryChanged` as the user types and `Submitted` on enter."""

    DEFAULT_CSS = """
    SearchBox { height: 1; }
    SearchBox > #search-prompt { width: 3; padding: 0 1; text-style: bold; }
    SearchBox > Input { width: 1fr; }
    SearchBox > #search-info { width: 40%; max-width: 48; height: 1; padding: 0 1; }
    """

    @dataclass
    class QueryChanged(Message):
        query: str

    @dataclass
    class Submitted(Message):
        query: str

    def compose(self) -> ComposeResult:
        yield Static("/", id="search-prompt", markup=False)
        yield Input(placeholder=PLACEHOLDER, id="search-input", select_on_focus=False,
                    compact=True)
        yield Static("", id="search-info", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def value(self) -> str:
        return self.input.value

    def set_query(self, query: str) -> None:
        """Replace the query text (posts `QueryChanged` like typing would)."""
        self.input.value = query
        self.input.cursor_position = len(query)

    def show_result(self, total: int | None, suggestion: str | None = None,
                    error: str | None = None, sort: str = "relevance",
                    exact: bool = True) -> None:
        """The info line: an error wins, then the count (or an estimate) and any suggestion."""
        info = self.query_one("#search-info", Static)
        text = Text(end="", no_wrap=True, overflow="ellipsis")
        self.set_class(bool(error), "-error")
        if error:
            text.append("⚠ " + one_line(error, 70) + " · ", "bold")
        if total is not None:
            count = f"{total:,}" if exact else f"about {about(total):,}"
            text.append(f"{count} hit{'s' if total != 1 or not exact else ''}", "bold")
            text.append(f" · by {sort}")
        if suggestion:
            text.append(" · did you mean ")
            text.append(one_line(suggestion, 60), "bold underline")
            text.append("?")
        info.update(text, layout=False)  # a fixed width: no relayout per keystroke

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.QueryChanged(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value))

