"""A one-line prompt over the reader: a name for a saved search, a command to pipe to."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class PromptScreen(ModalScreen[str | None]):
    """Enter answers with the text typed (stripped); esc answers None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel", tooltip="prompts: cancel"),
    ]

    def __init__(self, title: str, value: str = "", placeholder: str = "", note: str = "") -> None:
        super().__init__()
        self._title, self._value, self._placeholder, self._note = title, value, placeholder, note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield Input(value=self._value, placeholder=self._placeholder, id="prompt-input")
            if self._note:
                yield Static(self._note, classes="dialog-note", markup=False)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#prompt-input", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
