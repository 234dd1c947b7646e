"""Command palette entries: filter by actor, sort, side panel, re-ingest (themes come built in)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import App
from textual.command import (
    CommandInput,
    CommandList,
    CommandPalette,
    DiscoveryHit,
    Hit,
    Hits,
    Provider,
)
from textual.fuzzy import Matcher

from index.textsafe import one_line

if TYPE_CHECKING:
    from reader.app import NewsroomApp

ACTOR_LIMIT = 200


class NewsroomCommands(Provider):
    """The reader's own commands, plus one "Filter by actor" command per library actor."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._actors: list[tuple[str, str, int]] = []
        self._listed: list[tuple[str, Callable[[], Any], str]] | None = None

    @property
    def _app(self) -> NewsroomApp:
        return self.app  # type: ignore[return-value]

    async def startup(self) -> None:
        cached = getattr(self._app, "palette_actors", None)
        if cached is not None:  # loaded ahead by the app: the palette opens at once
            self._actors = list(cached)
            return
        library = self._app.library
        if library is None:
            return
        try:
            actors = await asyncio.to_thread(library.actors, None, ACTOR_LIMIT)
        except Exception:  # a busy or damaged library must not break the palette
            actors = []
        self._actors = [(a.name, a.kind, a.mentions) for a in actors]

    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        """Built once per palette (each keystroke searches them all), actors included."""
        if self._listed is None:
            self._listed = self._own_commands() + self._actor_commands()
        return self._listed

    def _own_commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        app = self._app
        return [
            ("Sort by date", lambda: app.set_sort("date"), "Newest first"),
            ("Sort by relevance", lambda: app.set_sort("relevance"), "Best match first"),
            ("Toggle side panel", app.action_toggle_side, "Show or hide actors and statements"),
            ("Re-ingest sources", app.action_reingest, "Read the watched folders again"),
            ("Clear search", app.action_clear_search, "Back to every article"),
            ("Help", app.action_help, "Every key and the query language"),
            ("View: all articles", lambda: app.set_view("all"), "No filter"),
            ("View: unread only", lambda: app.set_view("unread"), "Hide read articles"),
            ("View: starred only", lambda: app.set_view("starred"), "Only starred articles"),
            ("Save search", app.action_save_search, "Save the current search under a name"),
            ("Saved searches", app.action_saved_searches, "Open a saved search"),
            ("Mark all read", app.action_mark_all_read, "Every article in the current view"),
            ("Pipe article to a command", lambda: app.action_pipe(False), "Its text"),
            ("Pipe article as JSON", lambda: app.action_pipe(True), "One JSON object"),
            ("Stories", app.action_stories, "Articles grouped by event"),  # stories (issue 12)
        ]

    def _actor_commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        app = self._app
        commands: list[tuple[str, Callable[[], Any], str]] = []
        for name, kind, mentions in self._actors:
            label = one_line(name, 80)
            commands.append(
                (
                    f"Filter by actor: {label}",
                    partial(app.filter_actor, name),
                    f"{kind}, {mentions} mentions",
                )
            )
            commands.append(
                (  # stories (issue 12)
                    f"Actor record: {label}",
                    partial(app.show_actor, name),
                    "What they said, mentions per day, who they appear with",
                )
            )
        return commands

    async def discover(self) -> Hits:
        # The first six of the reader's own: the 400 actor commands wait for a query.
        for title, callback, help_text in self._own_commands()[:6]:
            yield DiscoveryHit(Text(title), callback, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, _highlight(matcher, title), callback, text=title, help=help_text)


class ReaderPalette(CommandPalette):
    """Textual's palette, built once for the main screen and shown again on each ctrl+p.

    A new palette costs ~60 ms of CPU before its first paint (its widgets composed and
    styled, four restyles as its classes arrive, the commands gathered and rendered):
    most of the 0.1 s budget. Kept installed, reopening it only repaints; the commands
    are gathered again only when they may differ (a query typed, a command chosen, the
    system commands changed: "Maximize" follows the focus)."""

    # The app's -narrow/-wide classes are for the main screen's panes: on the palette
    # they would only cost one more restyle of all its widgets.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = []  # type: ignore[misc]

    def __init__(self) -> None:
        super().__init__(id="--command-palette")
        self.built_for = self.app.theme
        self._discovered: tuple[tuple[str, str], ...] | None = None

    def _system_commands(self) -> tuple[tuple[str, str], ...]:
        screen = self._calling_screen
        if screen is None:
            return ()
        return tuple((c.title, c.help) for c in self.app.get_system_commands(screen))

    def _gather_commands(self, search_value: str) -> Any:
        # (a worker: the commands listed are those of this search once it is done)
        self._discovered = None if search_value else self._system_commands()
        return super()._gather_commands(search_value)

    def reopen(self) -> None:
        """Ready for another ctrl+p: an empty query with the commands discovered."""
        self._selected_command = None
        prompt = self.query_one(CommandInput)
        commands = self.query_one(CommandList)
        stale = (
            bool(prompt.value)
            or not commands.option_count
            or self._discovered != self._system_commands()
        )
        if prompt.value:
            with self.prevent(CommandInput.Changed):
                prompt.value = ""
        if stale:
            self._cancel_gather_commands()
            self._gather_commands("")
        else:
            commands.highlighted = 0
            commands.scroll_home(animate=False, immediate=True)
        self.app.post_message(CommandPalette.Opened())


def open_palette(app: App[Any]) -> None:
    """ctrl+p: the main screen's palette kept from last time, another screen's anew."""
    if not app.use_command_palette or CommandPalette.is_open(app):
        return
    if len(app.screen_stack) > 1:  # over a story, a record...: their own commands
        app.push_screen(CommandPalette(id="--command-palette"))
        return
    palette = getattr(app, "_reader_palette", None)
    if palette is not None and palette.built_for != app.theme:  # styled for the old theme
        app.uninstall_screen(palette)
        palette.remove()
        palette = None
    if palette is None:
        palette = ReaderPalette()
        app.install_screen(palette, name="reader-palette")
        app._reader_palette = palette  # type: ignore[attr-defined]
    else:
        palette.reopen()
    app.push_screen(palette)


def _highlight(matcher: Matcher, title: str) -> Text:
    """The title with the fuzzy-matched letters underlined, as literal text.

    `Matcher.highlight` parses its candidate as markup, and actor names come from
    articles: a Rich Text prompt is shown as is.
    """
    text = Text(title)
    _, offsets = matcher.fuzzy_search.match(matcher.query, title)
    for offset in offsets:
        text.stylize("bold underline", offset, offset + 1)
    return text
