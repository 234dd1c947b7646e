"""One story: its articles in time order, what each added (the rest dimmed), who each outlet quoted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static
from textual.widgets.option_list import Option

from index.library import cite_article
from index.textsafe import one_line
from reader.widgets.article_text import format_date
from reader.widgets.side_panel import KeyList
from reader.widgets.story_common import LibraryScreen, StoryStatus, day

# Carried sentences shown (dimmed) per article before "… N more".
CARRIED_SHOWN = 3


def article_block(article: Any, add: Any | None) -> Text:
    """Heading, then the article's sentences: what it added in full, what it carried dimmed."""
    text = Text(end="")
    text.append(format_date(article.published, article.published_inferred) + " ", "dim")
    text.append(one_line(article.source or "(unknown outlet)", 40), "bold")
    text.append(" · " + one_line(article.title, 160))
    if add is None:
        return text
    body = article.body
    text.append(
        f"\n  added {len(add.sentences)} sentence(s), {len(add.actors)} actor(s), "
        f"{len(add.statements)} statement(s)",
        "italic",
    )
    spans = sorted(
        [(s, e, True) for s, e in add.sentences] + [(s, e, False) for s, e in add.carried]
    )
    dimmed = 0
    for start, end, new in spans:
        if new:
            text.append("\n  + " + one_line(body[start:end], 400))
        else:
            dimmed += 1
            if dimmed <= CARRIED_SHOWN:
                text.append("\n    " + one_line(body[start:end], 400), "dim")
    if dimmed > CARRIED_SHOWN:
        text.append(f"\n    … {dimmed - CARRIED_SHOWN} more sentence(s) already carried", "dim")
    if add.actors:
        text.append("\n  new actors: " + one_line(", ".join(add.actors), 300), "italic")
    return text


class StoryScreen(LibraryScreen):
    """A story opened from the stories list (or from an article)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_article", "Open article", show=False, id="story.open"),
    ]
    HINT = "enter open article · y copy citation · escape back"

    def __init__(self, detail: Any, open_article: Callable[[str], None]) -> None:
        super().__init__(id="story-screen")
        self.detail = detail
        self.open_article = open_article

    def compose(self) -> ComposeResult:
        story = self.detail.story
        head = Text(end="")
        head.append(one_line(story.title, 300), "bold")
        outlets = len(story.outlets)
        head.append(
            f"\n{story.size} articles · {outlets} outlet{'s' * (outlets != 1)} · "
            f"{day(story.first).strip()} to {day(story.last).strip()}",
            "dim",
        )
        if story.actors:
            head.append(" · " + one_line(", ".join(story.actors), 200), "dim italic")
        yield Static(head, id="story-head", classes="story-heading", markup=False)
        listing = KeyList(id="story-articles")
        added = {a.article_id: a for a in self.detail.added}
        listing.add_options(
            [
                Option(article_block(art, added.get(art.id)), id=f"art-{i}")
                for i, art in enumerate(self.detail.articles)
            ]
        )
        if self.detail.quoted:
            listing.add_option(Option(Text("Quoted, by outlet", "bold underline"), disabled=True))
            for speaker, outlets_ in self.detail.quoted:
                line = Text(end="")
                line.append(one_line(speaker, 50), "bold")
                line.append(": " + one_line(", ".join(outlets_), 200))
                listing.add_option(Option(line, disabled=True))
        yield listing
        yield StoryStatus(self.HINT)

    def on_mount(self) -> None:
        listing = self.query_one("#story-articles", KeyList)
        listing.focus()
        if self.detail.articles:
            listing.highlighted = 0

    def _current(self) -> Any:
        listing = self.query_one("#story-articles", KeyList)
        i = listing.highlighted
        if i is None or i >= len(self.detail.articles):
            return None
        return self.detail.articles[i]

    def on_option_list_option_selected(self, event: KeyList.OptionSelected) -> None:
        event.stop()
        self.action_open_article()

    def action_open_article(self) -> None:
        art = self._current()
        if art is not None:
            self.open_article(art.id)

    def citation(self) -> str | None:
        art = self._current()
        return cite_article(art.title, art.source, art.published) if art is not None else None
