"""What the story, trail and actor screens share: a copy-aware status line and date labels."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from index.textsafe import one_line


def day(ts: int | None, inferred: bool = False) -> str:
    """`2024-12-01` (`~` when the year was inferred), or a dash for undated."""
    if ts is None:
        return "    —     "
    text = datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%d")
    return text + ("~" if inferred else "")


class StoryStatus(Static):
    """The screen's last line: what `y` copied, or the keys."""

    def __init__(self, hint: str, *, id: str | None = None) -> None:
        super().__init__(Text(hint, "dim"), id=id, classes="story-status", markup=False)
        self.hint = hint

    def copied(self, what: str) -> None:
        self.update(Text(f"copied: {one_line(what, 200)}", "bold"))


class LibraryScreen(Screen[None]):
    """A full screen over the reader: escape goes back, `y` copies a citation."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_screen", "Back", id="story.back"),
        Binding("y", "copy", "Copy citation", id="story.copy"),
    ]
    HINT = "escape back · y copy citation"

    def citation(self) -> str | None:
        """The citation `y` copies (the selected entry's)."""
        return None

    def action_dismiss_screen(self) -> None:
        self.dismiss()

    def action_copy(self) -> None:
        text = self.citation()
        status = self.query_one(StoryStatus)
        if not text:
            status.update(Text("nothing to copy here", "dim"))
            return
        # OSC 52: the terminal puts it on the clipboard, over SSH too.
        self.app.copy_to_clipboard(text)
        status.copied(text)
