"""The reader's story keys: `e` stories, `t` a statement's trail, `i` an actor's record, `y` copy a citation.

Each view is built in a worker (the stories of a 20k library take ~0.5 s): the UI stays
live meanwhile, keys typed after the key wait for the view (as keys after a query wait
for its answer), and an answer older than the latest view asked for is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import work
from textual.binding import Binding

from index.textsafe import one_line
from reader.host import Host
from reader.library_workers import in_library
from reader.messages import ViewBuilt
from reader.widgets.actor_screen import ActorScreen
from reader.widgets.stories_screen import StoriesScreen
from reader.widgets.story_common import LibraryScreen
from reader.widgets.story_screen import StoryScreen
from reader.widgets.trail_screen import TrailScreen

if TYPE_CHECKING:
    from index.library import Library
    from index.records import Statement

STORY_BINDINGS = [
    Binding(
        "e",
        "stories",
        "Stories",
        show=False,
        id="stories",
        tooltip="switch the feed between articles and stories (same event)",
    ),
    Binding(
        "t",
        "trail",
        "Trail",
        show=False,
        id="trail",
        tooltip="the trail of the selected statement: who carried it first, and since",
    ),
    Binding(
        "i",
        "actor_record",
        "Record",
        show=False,
        id="actor-record",
        tooltip="the selected actor's (or speaker's) record across the library",
    ),
    Binding(
        "y",
        "copy_citation",
        "Copy",
        show=False,
        id="copy-citation",
        tooltip="copy the selected statement, or the article, with its citation",
    ),
]


class StoryActions(Host):
    """Mixed into NewsroomApp: the actions of STORY_BINDINGS and the screens they open."""

    _view_seq = 0  # the latest view asked for
    _view_pending = 0  # the view the keys wait for (0: none)

    def _story_library(self) -> Library | None:
        lib = self.library
        if lib is None:
            self.notify("The library is still opening.", timeout=2, markup=False)
        return lib

    def _say(self, text: str) -> None:
        self.status.set_detail(text)

    # -- views built off the UI thread ----------------------------------------------------

    def _build_view(self, build: Callable[[Library], Any], present: Callable[[Any], None]) -> None:
        """`build(library)` in a worker, then `present(data)` here, if still wanted."""
        lib = self._story_library()
        if lib is None:
            return
        self._view_seq += 1
        self._view_pending = self._view_seq
        self._view_worker(lib, self._view_seq, self.screen, build, present)

    @work(thread=True, exclusive=True, group="view", exit_on_error=False)
    @in_library
    def _view_worker(
        self,
        lib: Library,
        seq: int,
        origin: object,
        build: Callable[[Library], Any],
        present: Callable[[Any], None],
    ) -> None:
        from index.library import StoriesError

        try:
            data = build(lib)
        except StoriesError as exc:
            self.post_message(ViewBuilt(seq, origin, error=str(exc)))
            return
        self.post_message(ViewBuilt(seq, origin, data, present))

    async def on_newsroom_app_view_built(self, message: ViewBuilt) -> None:
        if message.seq == self._view_pending:
            self._view_pending = 0
        if message.seq == self._view_seq and self.screen is message.origin:
            if message.error is not None:
                self._say(message.error)
            elif message.present is not None:
                message.present(message.data)
        await self._pump_keys()  # keys typed meanwhile now apply to the view

    # -- the keys --------------------------------------------------------------------------

    def action_stories(self) -> None:
        def present(found: Any) -> None:
            self.push_screen(StoriesScreen(found, self.show_story))

        self._build_view(lambda lib: lib.stories(), present)

    def show_story(self, story_id: str) -> None:
        def present(detail: Any) -> None:
            if detail is not None:
                self.push_screen(StoryScreen(detail, self.story_open_article))

        self._build_view(lambda lib: lib.story(story_id), present)

    def story_open_article(self, article_id: str) -> None:
        """From a story, trail or record: back to the reader, with the article open."""
        while isinstance(self.screen, LibraryScreen):
            self.pop_screen()
        self.open(article_id)

    def _selected(self) -> tuple[str, Any] | None:
        """("statement", Statement) or ("actor", Actor) selected in the side panel, if focused."""
        focused: Any = self.focused
        article = self.open_article
        if focused is None or article is None or focused.id not in ("statements", "actors"):
            return None
        if focused.highlighted is None:
            return None
        oid = focused.get_option_at_index(focused.highlighted).id or ""
        if oid.startswith("statement-"):
            return "statement", article.statements[int(oid[10:])]
        if oid.startswith("actor-"):
            return "actor", self.side._actors[int(oid[6:])]
        return None

    def action_trail(self) -> None:
        sel = self._selected()
        if self.library is None:
            self._story_library()
            return
        article = self.open_article
        if sel is None or sel[0] != "statement" or article is None:
            self._say("t: select a statement in the side panel first (s)")
            return
        statement: Statement = sel[1]
        # An utterance's passages share the trail of any of them.
        passages = [
            (s.start, s.end) for s in article.statements if s.utterance == statement.utterance
        ]
        spans = [(statement.start, statement.end), *passages]

        def present(trail: Any) -> None:
            if trail is None:
                self._say(
                    "no trail: only quotations (or quoted fragments) of five words or more are traced"
                )
                return
            self.push_screen(TrailScreen(trail, self.story_open_article))

        self._build_view(lambda lib: _trail(lib, article.id, spans), present)

    def action_actor_record(self) -> None:
        sel = self._selected()
        if sel is None:
            self._say("i: select an actor (a) or a statement (s) in the side panel first")
            return
        name = sel[1].name if sel[0] == "actor" else sel[1].speaker
        if not name:
            self._say("this statement has no known speaker")
            return
        self.show_actor(name)

    def show_actor(self, name: str) -> None:
        def present(record: Any) -> None:
            if record is None:
                self._say(f"no record for {one_line(name, 60)}")
                return
            self.push_screen(ActorScreen(record, self.story_open_article, self.show_actor))

        self._build_view(lambda lib: _quietly(lambda: lib.actor_record(name)), present)

    def action_copy_citation(self) -> None:
        from index.library import cite_article, cite_statement

        sel = self._selected()
        article = self.open_article
        if sel is not None and sel[0] == "statement" and article is not None:
            s = sel[1]
            text = cite_statement(
                s.text, s.speaker, article.source, article.published, article.title
            )
        elif article is not None and self.focused is not self.feed:
            text = cite_article(article.title, article.source, article.published)
        else:
            entry = self.feed.current
            if entry is None:
                self._say("nothing to copy")
                return
            text = cite_article(entry.title, entry.source, entry.published)
        # OSC 52: the terminal puts it on the clipboard, over SSH too.
        self.copy_to_clipboard(text)
        self._say(f"copied: {text}")


def _quietly(fn: Callable[[], Any]) -> Any:
    """`fn()`, or None when the stories store cannot answer (the view then says so)."""
    from index.library import StoriesError

    try:
        return fn()
    except StoriesError:
        return None


def _trail(lib: Library, article_id: str, spans: list[tuple[int, int]]) -> Any:
    """The trail of the first of `spans` (a statement's passages) that has one, or None."""
    ids = _quietly(lambda: lib.trail_ids([article_id])) or {}
    keys = [(article_id, start, end) for start, end in spans]
    tid = next((ids[key] for key in keys if key in ids), None)
    return _quietly(lambda: lib.trail(tid)) if tid is not None else None
