"""The search box: the query input and hit count, a line for a query error or suggestion,
and the search history on up / down."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static

from index.textsafe import one_line
from reader.render import about

PLACEHOLDER = 'search: words, "a phrase", actor:Pedersen, speaker:, date:2024-12-01..'


class SearchBox(Vertical):
    """Posts `QueryChanged` as the user types and `Submitted` on enter.

    A query error or a "did you mean" gets a line of its own under the input: at 80
    columns the space beside it holds only the count.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "up",
            "history(-1)",
            "Earlier search",
            show=False,
            id="search.history-back",
            tooltip="search box: the previous search in the history",
        ),
        Binding(
            "down",
            "history(1)",
            "Later search",
            show=False,
            id="search.history-forward",
            tooltip="search box: the next search in the history",
        ),
    ]
    DEFAULT_CSS = """
    SearchBox { height: auto; }
    SearchBox > #search-row { height: 1; }
    SearchBox #search-prompt { width: 3; padding: 0 1; text-style: bold; }
    SearchBox #search-row > Input { width: 1fr; }
    SearchBox #search-info { width: 34; max-width: 40%; height: 1; padding: 0 1; }
    SearchBox > #search-note { height: auto; max-height: 3; padding: 0 1 0 3; display: none; }
    SearchBox.-noted > #search-note { display: block; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.history: list[str] = []  # oldest first
        self._history_at: int | None = None  # index into history while browsing it
        self._draft = ""

    @dataclass
    class QueryChanged(Message):
        query: str

    @dataclass
    class Submitted(Message):
        query: str

    def compose(self) -> ComposeResult:
        with Horizontal(id="search-row"):
            yield Static("/", id="search-prompt", markup=False)
            yield Input(
                placeholder=PLACEHOLDER, id="search-input", select_on_focus=False, compact=True
            )
            yield Static("", id="search-info", markup=False)
        yield Static("", id="search-note", markup=False)

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

    def show_result(
        self,
        total: int | None,
        suggestion: str | None = None,
        error: str | None = None,
        sort: str = "relevance",
        exact: bool = True,
        accept_key: str = "^y",
    ) -> None:
        """The count (or an estimate) beside the input; an error and any suggestion under it."""
        info = self.query_one("#search-info", Static)
        text = Text(end="", no_wrap=True, overflow="ellipsis")
        self.set_class(bool(error), "-error")
        if total is not None:
            count = f"{total:,}" if exact else f"about {about(total):,}"
            text.append(f"{count} hit{'s' if total != 1 or not exact else ''}", "bold")
            text.append(f" · by {sort}")
        note = Text(end="", overflow="fold")
        if error:
            note.append("⚠ " + one_line(error, 200), "bold")
        if suggestion:
            if error:
                note.append(" · ")
            note.append("did you mean ")
            note.append(one_line(suggestion, 120), "bold underline")
            note.append(f"? ({accept_key} searches for it)")
        info.update(text, layout=False)  # a fixed width: no relayout per keystroke
        self.query_one("#search-note", Static).update(note)
        self.set_class(bool(note.plain), "-noted")

    # -- history ---------------------------------------------------------------------

    def set_history(self, history: list[str]) -> None:
        self.history = list(history)
        self._history_at = None

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        if self._history_at is None:
            if step > 0:
                return
            self._draft = self.value
            at = len(self.history) - 1
        else:
            at = self._history_at + step
        if at < 0:
            return
        if at >= len(self.history):
            self._history_at = None
            self.set_query(self._draft)
            return
        self._history_at = at
        self.set_query(self.history[at])

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.QueryChanged(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._history_at = None
        event.stop()
        self.post_message(self.Submitted(event.value))
