"""Command palette entries: filter by actor, sort, side panel, re-ingest (themes come built in)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
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
            actors = await asyncio.to_thread(library.actors)
        except Exception:  # a busy or damaged library must not break the palette
            actors = []
        self._actors = [(a.name, a.kind, a.mentions) for a in actors[:ACTOR_LIMIT]]

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
