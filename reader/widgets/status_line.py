"""The header line: library size, unread count and background state with a progress bar."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from index.textsafe import one_line


class StatusLine(Horizontal):
    """`Newsroom · 1,234 articles · 56 unread · ingesting 340/1,200 [====   ]`."""

    DEFAULT_CSS = """
    StatusLine { height: 1; }
    StatusLine > #status-text { width: 1fr; height: 1; }
    StatusLine > ProgressBar { width: 30; height: 1; display: none; }
    StatusLine.-busy > ProgressBar { display: block; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.count: int | None = None
        self.unread: int | None = None
        self.state = "opening library…"
        self.detail = ""
        self.view = ""  # the active view or saved search, e.g. "view: unread only"

    def compose(self) -> ComposeResult:
        yield Static("", id="status-text", markup=False)
        yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="status-progress")

    def on_mount(self) -> None:
        self._paint()

    def set_counts(self, count: int, unread: int) -> None:
        self.count, self.unread = count, unread
        self._paint()

    def set_state(self, state: str, detail: str | None = None) -> None:
        self.state = state
        if detail is not None:
            self.detail = detail
        self._paint()

    def set_detail(self, detail: str) -> None:
        self.detail = detail
        self._paint()

    def set_view(self, view: str) -> None:
        self.view = view
        self._paint()

    def set_progress(self, done: int | None, total: int | None) -> None:
        """Show the progress bar at done/total; `None` hides it."""
        bar = self.query_one(ProgressBar)
        if done is None:
            self.remove_class("-busy")
            return
        self.add_class("-busy")
        bar.update(total=total or None, progress=done)

    def _paint(self) -> None:
        text = Text(end="", no_wrap=True, overflow="ellipsis")
        text.append(" Newsroom", "bold")
        if self.count is not None:
            text.append(f" · {self.count:,} article{'s' if self.count != 1 else ''}")
        if self.unread is not None:
            text.append(f" · {self.unread:,} unread")
        if self.view:
            text.append(f" · {one_line(self.view, 80)}", "bold reverse")
        # States can quote paths and library errors: one inert line each.
        if self.state:
            text.append(f" · {one_line(self.state, 300)}", "italic")
        if self.detail:
            text.append(f" · {one_line(self.detail, 120)}")
        self.query_one("#status-text", Static).update(text, layout=False)
