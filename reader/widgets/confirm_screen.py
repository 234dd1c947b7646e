"""A yes/no question over the reader (mark every article in the view read?)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool]):
    """y or enter answers True; n, esc or q answers False."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes", tooltip="dialogs: yes"),
        Binding("n,escape,q", "answer(False)", "No", id="confirm.no", tooltip="dialogs: no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._question, classes="dialog-title", markup=False)
            yield Static("y / enter: yes · n / esc: no", classes="dialog-note", markup=False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
