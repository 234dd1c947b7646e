"""The saved searches, listed like feeds with unread counts; enter opens one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from index.textsafe import one_line


class SavedScreen(ModalScreen[Any]):
    """Answers the chosen saved search, or None; `d` forgets the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="saved.close", tooltip="saved searches: close"),
        Binding(
            "d,delete",
            "forget",
            "Forget",
            id="saved.forget",
            tooltip="saved searches: forget the highlighted one",
        ),
        Binding("j", "cursor(1)", show=False, id="saved.down", tooltip="saved searches: down"),
        Binding("k", "cursor(-1)", show=False, id="saved.up", tooltip="saved searches: up"),
    ]

    def __init__(self, saved: Sequence[Any]) -> None:
        super().__init__()
        self.saved = list(saved)
        self.counts: dict[str, tuple[int, int]] = {}  # name -> (unread, total)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="saved-dialog"):
            yield Static(
                "Saved searches  (enter: open · d: forget · esc: close)",
                classes="dialog-title",
                markup=False,
            )
            yield OptionList(id="saved-list", markup=False)

    @property
    def listing(self) -> OptionList:
        return self.query_one("#saved-list", OptionList)

    def on_mount(self) -> None:
        self._fill()
        self.set_focus(self.listing)

    def _prompt(self, index: int) -> Text:
        entry = self.saved[index]
        text = Text(end="")
        counts = self.counts.get(entry.name)
        if counts is None:
            text.append("    … counting   ", "dim")
        else:
            unread, total = counts
            text.append(f"{unread:>5,} unread", "bold" if unread else "dim")
            text.append(f" of {total:<6,}", "dim")
        text.append(" " + one_line(entry.name, 40), "bold")
        text.append("  " + one_line(entry.query, 80), "dim")
        return text

    def _fill(self) -> None:
        listing = self.listing
        at = listing.highlighted
        listing.clear_options()
        if not self.saved:
            listing.add_option(
                Option(
                    Text("No saved searches yet: ^s saves the current one.", "italic"),
                    disabled=True,
                )
            )
            return
        listing.add_options(Option(self._prompt(i), id=str(i)) for i in range(len(self.saved)))
        listing.highlighted = min(at or 0, len(self.saved) - 1)

    def set_counts(self, counts: Mapping[str, tuple[int, int]]) -> None:
        self.counts.update(counts)
        if self.is_mounted:
            self._fill()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(self.saved[int(event.option.id)])

    def action_cursor(self, step: int) -> None:
        (self.listing.action_cursor_down if step > 0 else self.listing.action_cursor_up)()

    def action_forget(self) -> None:
        index = self.listing.highlighted
        if index is None or not self.saved:
            return
        entry = self.saved.pop(index)
        forget = getattr(self.app, "forget_saved_search", None)
        if forget is not None:
            forget(entry.name)
        self._fill()

    def action_close(self) -> None:
        self.dismiss(None)
