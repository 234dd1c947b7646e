"""The side panel: the open article's actors by kind, its statements, and related articles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from index.records import ACTOR_KINDS, Actor, Article, Hit, Statement
from index.textsafe import one_line
from reader.widgets.article_text import format_date

KIND_HEADINGS = {
    "person": "People",
    "organization": "Organizations",
    "country": "Countries",
    "place": "Places",
}


class KeyList(OptionList):
    """An OptionList that also moves with j/k, and never parses its prompts as markup."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "down,j", "cursor_down", "Down", show=False, id="list.down", tooltip="lists: next entry"
        ),
        Binding(
            "up,k", "cursor_up", "Up", show=False, id="list.up", tooltip="lists: previous entry"
        ),
        Binding(
            "pagedown,space",
            "page_down",
            "Page down",
            show=False,
            id="list.page-down",
            tooltip="lists: page down",
        ),
        Binding(
            "pageup,b",
            "page_up",
            "Page up",
            show=False,
            id="list.page-up",
            tooltip="lists: page up",
        ),
        Binding(
            "home,g", "first", "First", show=False, id="list.first", tooltip="lists: first entry"
        ),
        Binding("end,G", "last", "Last", show=False, id="list.last", tooltip="lists: last entry"),
        Binding(
            "enter",
            "select",
            "Choose",
            show=False,
            id="list.choose",
            tooltip="lists: actor: filter the feed · statement: show it · related: open",
        ),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)


def statement_prompt(statement: Statement, limit: int = 90) -> Text:
    """`speaker: text` with the speaker in bold; direct quotes keep their quote marks."""
    return utterance_prompt([statement], limit)


def utterance_prompt(parts: Sequence[Statement], limit: int = 90, muted: bool = False) -> Text:
    """One utterance as one entry: `speaker: “A” … “B”`, its passages in text order;
    attributions that are not speech are dim, their act named."""
    text = Text(end="", style="dim" if muted else "")
    text.append(one_line(parts[0].speaker or "?", 60), "bold")
    if muted and parts[0].act != "speech":
        text.append(f" ({parts[0].act})", "italic")
    text.append(": ")
    room = max(20, limit // len(parts))
    for n, part in enumerate(parts):
        if n:
            text.append(" … ", "dim")
        body = one_line(part.text, room)
        text.append(
            f"“{body}”" if part.kind == "direct" else body,
            "italic" if part.kind == "direct" else "",
        )
    return text


def group_statements(
    statements: Sequence[Statement],
) -> tuple[list[list[int]], list[list[int]]]:
    """(speech, other): each a list of utterances (statement indices in text order);
    speech grouped by speaker in the order speakers first speak, the rest in text order."""
    # (records built by hand may all carry the default utterance 0: the speaker and act
    # keep those apart)
    utterances: dict[tuple[int, str | None, str], list[int]] = {}
    for i, s in enumerate(statements):
        utterances.setdefault((s.utterance, s.speaker, s.act), []).append(i)
    speech: dict[str | None, list[list[int]]] = {}
    other: list[list[int]] = []
    for parts in utterances.values():
        if statements[parts[0]].act == "speech":
            speech.setdefault(statements[parts[0]].speaker, []).append(parts)
        else:
            other.append(parts)
    return [u for group in speech.values() for u in group], other


class SidePanel(Vertical, can_focus=False):
    """Actors grouped by kind with mention counts, statements, related articles."""

    @dataclass
    class ActorFocused(Message):
        """An actor was highlighted (its mentions should be marked); None to clear."""

        name: str | None

    @dataclass
    class ActorChosen(Message):
        """Enter on an actor: filter the feed to it."""

        actor: Actor

    @dataclass
    class StatementFocused(Message):
        """A statement was highlighted: scroll the article to it."""

        index: int

    @dataclass
    class RelatedChosen(Message):
        """A related article was chosen: open it."""

        entry: Hit

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._actors: list[Actor] = []
        self._related: list[Hit] = []
        self._pending: tuple[Article | None] | None = None  # (to show after the next paint)
        self.shown_id: str | None = None  # the article whose lists are shown

    def compose(self) -> ComposeResult:
        yield Label("Actors", classes="side-heading", id="actors-heading")
        yield KeyList(id="actors")
        yield Label("Statements", classes="side-heading", id="statements-heading")
        yield KeyList(id="statements")
        yield Label("Related", classes="side-heading", id="related-heading")
        yield KeyList(id="related")

    # -- attributes down -------------------------------------------------------------

    def show_article_soon(self, article: Article | None) -> None:
        """Show `article`'s actors and statements once the screen has been painted.

        Its lists cost as much to paint as the article's text (issue 13: open under
        0.1 s): the text comes first, the lists a frame later. Anything that reads the
        lists (focus, keys, the related articles) shows them at once first."""
        self._pending = (article,)
        self.call_after_refresh(self._show_pending)

    def _show_pending(self) -> None:
        if self._pending is not None and self.is_attached:
            self.show_article(self._pending[0])

    def show_article(self, article: Article | None) -> None:
        self._pending = None
        self.shown_id = None if article is None else article.id
        actors_list = self.query_one("#actors", KeyList)
        statements_list = self.query_one("#statements", KeyList)
        self._actors = []
        if article is None:
            actors_list.clear_options()
            statements_list.clear_options()
            self.show_related([])
            return
        options: list[Option] = []
        for kind in ACTOR_KINDS:
            group = sorted(
                (a for a in article.actors if a.kind == kind),
                key=lambda a: (-len(a.mentions), a.name),
            )
            if not group:
                continue
            options.append(
                Option(Text(f"{KIND_HEADINGS[kind]} ({len(group)})", "bold"), disabled=True)
            )
            for actor in group:
                prompt = Text(end="")
                prompt.append(" " + one_line(actor.name, 60))
                prompt.append(f" ×{len(actor.mentions)}", "dim")
                options.append(Option(prompt, id=f"actor-{len(self._actors)}"))
                self._actors.append(actor)
        if not options:
            options.append(Option(Text("no actors found", "italic"), disabled=True))
        actors_list.clear_options().add_options(options)
        self._heading("#actors-heading", f"Actors ({len(self._actors)})")

        # what each speaker said, grouped by speaker, one entry per utterance; beliefs,
        # evidence and stances apart and muted
        found = article.statements
        speech, other = group_statements(found)
        statements = [
            Option(utterance_prompt([found[i] for i in parts]), id=f"statement-{parts[0]}")
            for parts in speech
        ]
        if other:
            statements.append(
                Option(Text(f"Also attributed ({len(other)})", "dim bold"), disabled=True)
            )
            statements.extend(
                Option(
                    utterance_prompt([found[i] for i in parts], muted=True),
                    id=f"statement-{parts[0]}",
                )
                for parts in other
            )
        if not statements:
            statements = [Option(Text("no statements found", "italic"), disabled=True)]
        statements_list.clear_options().add_options(statements)
        self._heading("#statements-heading", f"Statements ({len(speech)})")
        self.show_related([])

    def _heading(self, selector: str, text: str) -> None:
        # A Label's update asks for a new layout of the screen, even with the same text.
        label = self.query_one(selector, Label)
        if str(label.content) != text:
            label.update(text)

    def show_related(self, entries: Sequence[Hit]) -> None:
        self._show_pending()
        related = self.query_one("#related", KeyList)
        self._related = list(entries)
        if not entries:
            if related.option_count:  # (already empty: nothing to repaint)
                related.clear_options()
            return
        options = []
        for i, entry in enumerate(self._related):
            prompt = Text(end="")
            prompt.append(
                format_date(entry.published, entry.published_inferred).strip() + " ", "dim"
            )
            prompt.append(one_line(entry.title, 120))
            options.append(Option(prompt, id=f"related-{i}"))
        related.clear_options().add_options(options)

    @property
    def actor_names(self) -> list[str]:
        self._show_pending()
        return [a.name for a in self._actors]

    def focus_list(self, which: str) -> None:
        """Focus the actors or statements list, with its first entry highlighted."""
        self._show_pending()
        target = self.query_one(f"#{which}", KeyList)
        self.screen.set_focus(target)  # at once: keys typed ahead must land here
        if target.highlighted is None and target.option_count:
            target.action_first()

    # -- messages up -----------------------------------------------------------------

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("actor-"):
            self.post_message(self.ActorFocused(self._actors[int(option_id[6:])].name))
        elif option_id.startswith("statement-"):
            self.post_message(self.StatementFocused(int(option_id[10:])))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("actor-"):
            self.post_message(self.ActorChosen(self._actors[int(option_id[6:])]))
        elif option_id.startswith("statement-"):
            self.post_message(self.StatementFocused(int(option_id[10:])))
        elif option_id.startswith("related-"):
            self.post_message(self.RelatedChosen(self._related[int(option_id[8:])]))
