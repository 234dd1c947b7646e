"""An actor's record: what they said (repeats folded), mentions per day (a Sparkline), associated actors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Sparkline, Static
from textual.widgets.option_list import Option

from index.library import cite_statement
from index.textsafe import one_line
from reader.widgets.side_panel import KeyList
from reader.widgets.story_common import LibraryScreen, StoryStatus, day


def entry_prompt(e: Any) -> Text:
    text = Text(end="")
    text.append(day(e.ts).ljust(11) + " ", "dim")
    text.append(one_line(e.source or "(unknown outlet)", 40), "bold")
    mark = "\u201c{}\u201d" if e.kind == "direct" else "{}"
    text.append(
        "\n  " + mark.format(one_line(e.text, 400)),
        "italic" if e.kind == "direct" else "dim italic",
    )
    if e.carriers > 1:
        text.append(
            f"\n  carried by {len(e.outlets)} outlet(s), {e.carriers} article(s), "
            f"first in {e.source or '?'}",
            "dim",
        )
    return text


class ActorScreen(LibraryScreen):
    """Everything an actor said across the library; enter on an associate opens theirs."""

    HINT = "enter open (article · associate) · y copy citation · escape back"

    def __init__(
        self, record: Any, open_article: Callable[[str], None], open_actor: Callable[[str], None]
    ) -> None:
        super().__init__(id="actor-screen")
        self.record = record
        self.open_article = open_article
        self.open_actor = open_actor

    def compose(self) -> ComposeResult:
        r = self.record
        head = Text(end="")
        head.append(one_line(r.name, 100), "bold")
        head.append(
            f" · named in {r.articles:,} article(s) · {len(r.statements)} statement(s)", "dim"
        )
        if r.aliases:
            head.append(" · aka " + one_line(", ".join(r.aliases), 100), "dim italic")
        if r.first_day:
            head.append(f"\nmentions per day from {r.first_day}", "dim")
        yield Static(head, id="actor-head", classes="story-heading", markup=False)
        yield Sparkline(list(r.per_day) or [0], id="actor-spark")
        listing = KeyList(id="actor-entries")
        listing.add_options(
            [Option(entry_prompt(e), id=f"said-{i}") for i, e in enumerate(r.statements)]
        )
        if r.associates:
            listing.add_option(Option(Text("Appears with", "bold underline"), disabled=True))
            for i, a in enumerate(r.associates):
                line = Text(end="")
                line.append(one_line(a.name, 60), "bold")
                line.append(f"  in {a.together} article(s) together", "dim")
                listing.add_option(Option(line, id=f"assoc-{i}"))
        if not listing.option_count:
            listing.add_option(Option(Text("nothing said, no associates", "italic"), disabled=True))
        yield listing
        yield StoryStatus(self.HINT)

    def on_mount(self) -> None:
        listing = self.query_one("#actor-entries", KeyList)
        listing.focus()
        if self.record.statements or self.record.associates:
            listing.action_first()

    def _current(self) -> tuple[str, Any] | None:
        listing = self.query_one("#actor-entries", KeyList)
        if listing.highlighted is None:
            return None
        oid = listing.get_option_at_index(listing.highlighted).id or ""
        if oid.startswith("said-"):
            return "said", self.record.statements[int(oid[5:])]
        if oid.startswith("assoc-"):
            return "assoc", self.record.associates[int(oid[6:])]
        return None

    def on_option_list_option_selected(self, event: KeyList.OptionSelected) -> None:
        event.stop()
        cur = self._current()
        if cur is None:
            return
        if cur[0] == "said":
            self.open_article(cur[1].article_id)
        else:
            self.open_actor(cur[1].name)

    def citation(self) -> str | None:
        cur = self._current()
        if cur is None or cur[0] != "said":
            return None
        e = cur[1]
        when = None if e.ts is None else datetime.fromtimestamp(e.ts, timezone.utc)
        return cite_statement(e.text, self.record.name, e.source, when, e.title)
