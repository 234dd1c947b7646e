"""The help screen: every key (as currently bound) and the query language."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import ClassVar

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.keys import key_label

QUERY_LANGUAGE: tuple[tuple[str, str], ...] = (
    ("aleppo offensive", "both words (stemmed: offensive matches offensives)"),
    ('"special envoy"', "the exact phrase"),
    ("hama OR idlib", "either word; AND and NOT work too, with (parentheses)"),
    ("-russia", "without the word"),
    ("title:rebels", "in the title only"),
    ('actor:"Geir Pedersen"', "articles naming an actor (person: org: place: narrow the kind)"),
    ("speaker:Pedersen", "articles where the actor is quoted"),
    ("quote:terrorist", "words inside statements"),
    ("source:xinhua", "by source"),
    ("date:2024-12-01", "one day; date:2024-11-28..2024-12-01 a range"),
    ('date:>2024-12-01  date:"last 7 days"', "after a day; a relative range"),
)

MARKS: tuple[tuple[str, str], ...] = (
    ("●  ★", "unread · starred (feed)"),
    ("2024-12-01~", "the year was inferred from the other articles"),
    ("bold, coloured by kind", "people, organizations, countries, places"),
    ("italic", "statements: quoted (with their quote marks) or reported (muted)"),
    ("‹Name›", "who made the statement just before"),
    ("reverse", "search terms (n / N go from one to the next)"),
    ("underline", "the actor or statement selected in the side panel"),
)

# Keys Textual handles itself (no binding id to remap), described once here.
PANE_KEYS: tuple[tuple[str, str], ...] = (
    ("tab / shift+tab", "next / previous pane (also focus-next / focus-previous)"),
    ("ctrl+p", "command palette: filter by actor, sort, views, saved searches, theme"),
)


def key_rows(bindings: Iterable[Binding], keymap: Mapping[str, str]) -> list[tuple[str, ...]]:
    """(keys, description, binding id) for each binding worth listing, as currently bound."""
    rows: list[tuple[str, ...]] = []
    for binding in bindings:
        if not binding.description:
            continue
        bound = keymap.get(binding.id or "", binding.key)
        keys = " / ".join(key_label(key) for key in bound.split(","))
        rows.append((keys, binding.tooltip or binding.description, binding.id or ""))
    return rows


def _table(title: str, rows: Iterable[tuple[str, ...]]) -> Table:
    table = Table.grid(padding=(0, 2), expand=True)
    table.add_column(no_wrap=True, style="bold")
    table.add_column(ratio=1)
    table.add_column(no_wrap=True, style="dim")
    table.title = title
    table.title_style = "bold underline"
    table.title_justify = "left"
    for row in rows:
        left, right, *rest = row
        # Text objects, never strings: nothing here is parsed as markup.
        table.add_row(Text(left), Text(right), Text(rest[0] if rest else ""))
    return table


def help_renderable(bindings: Iterable[Binding], keymap: Mapping[str, str]) -> Group:
    """The help screen's content: keys as bound now, the query language, remapping."""
    note = Text(
        "Remap keys by binding id (right column), e.g. "
        'NEWSROOM_KEYS="help=f1;quit=ctrl+x". esc, q or ? closes this screen.',
        style="italic",
    )
    return Group(
        _table("Keys", [*key_rows(bindings, keymap), *PANE_KEYS]),
        Text(""),
        _table("Query language", QUERY_LANGUAGE),
        Text(""),
        _table("Marks", MARKS),
        Text(""),
        note,
    )


class HelpScreen(ModalScreen[None]):
    """A scrollable list of keys and the query language; any of esc, q, ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,q,question_mark",
            "dismiss",
            "Close",
            id="help.close",
            tooltip="help: close this screen",
        ),
        Binding(
            "j,down", "scroll(1)", "Down", show=False, id="help.down", tooltip="help: scroll down"
        ),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="help.up", tooltip="help: scroll up"),
    ]

    def __init__(self, bindings: Iterable[Binding], keymap: Mapping[str, str]) -> None:
        super().__init__()
        self._bindings_shown = list(bindings)
        self._keymap = dict(keymap)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(
                help_renderable(self._bindings_shown, self._keymap), id="help-text", markup=False
            )

    def plain_text(self, width: int = 100) -> str:
        """The help as plain text (what the screen shows, for tests and docs)."""
        console = Console(width=width, file=io.StringIO(), color_system=None, record=True)
        console.print(help_renderable(self._bindings_shown, self._keymap))
        return console.export_text()

    def action_scroll(self, lines: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=lines, animate=False)
