"""The reader's story keys: `e` stories, `t` a statement's trail, `i` an actor's record, `y` copy a citation."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from index.textsafe import one_line
from reader.widgets.actor_screen import ActorScreen
from reader.widgets.stories_screen import StoriesScreen
from reader.widgets.story_common import LibraryScreen
from reader.widgets.story_screen import StoryScreen
from reader.widgets.trail_screen import TrailScreen

STORY_BINDINGS = [
    Binding("e", "stories", "Stories", show=False, id="stories",
            tooltip="switch the feed between articles and stories (same event)"),
    Binding("t", "trail", "Trail", show=False, id="trail",
            tooltip="the trail of the selected statement: who carried it first, and since"),
    Binding("i", "actor_record", "Record", show=False, id="actor-record",
            tooltip="the selected actor's (or speaker's) record across the library"),
    Binding("y", "copy_citation", "Copy", show=False, id="copy-citation",
            tooltip="copy the selected statement, or the article, with its citation"),
]


class StoryActions:
    """Mixed into NewsroomApp: the actions of STORY_BINDINGS and the screens they open."""

    library: Any
    open_article: Any

    def _story_library(self) -> Any:
        lib = self.library
        if lib is None:
            self.notify("The library is still opening.", timeout=2, markup=False)  # type: ignore[attr-defined]
        return lib

    def _say(self, text: str) -> None:
        self.status.set_detail(text)  # type: ignore[attr-defined]

    def _guard(self, fn: Any) -> Any:
        from index.library import StoriesError

        try:
            return fn()
        except StoriesError as exc:
            self._say(str(exc))
            return None

    def action_stories(self) -> None:
        lib = self._story_library()
        if lib is None:
            return
        found = self._guard(lib.stories)
        if found is not None:
            self.push_screen(StoriesScreen(found, self.show_story))  # type: ignore[attr-defined]

    def show_story(self, story_id: str) -> None:
        lib = self._story_library()
        detail = self._guard(lambda: lib.story(story_id)) if lib is not None else None
        if detail is not None:
            self.push_screen(StoryScreen(detail, self.story_open_article))  # type: ignore[attr-defined]

    def story_open_article(self, article_id: str) -> None:
        """From a story, trail or record: back to the reader, with the article open."""
        while isinstance(self.screen, LibraryScreen):  # type: ignore[attr-defined]
            self.pop_screen()  # type: ignore[attr-defined]
        self.open(article_id)  # type: ignore[attr-defined]

    def _selected(self) -> tuple[str, Any] | None:
        """("statement", Statement) or ("actor", Actor) selected in the side panel, if focused."""
        focused = self.focused  # type: ignore[attr-defined]
        article = self.open_article
        if focused is None or article is None or focused.id not in ("statements", "actors"):
            return None
        if focused.highlighted is None:
            return None
        oid = focused.get_option_at_index(focused.highlighted).id or ""
        if oid.startswith("statement-"):
            return "statement", article.statements[int(oid[10:])]
        if oid.startswith("actor-"):
            return "actor", self.side._actors[int(oid[6:])]  # type: ignore[attr-defined]
        return None

    def action_trail(self) -> None:
        sel = self._selected()
        lib = self._story_library()
        if lib is None:
            return
        if sel is None or sel[0] != "statement":
            self._say("t: select a statement in the side panel first (s)")
            return
        article = self.open_article
        statement = sel[1]
        ids = self._guard(lambda: lib.trail_ids([article.id])) or {}
        # An utterance's passages share the trail of any of them.
        passages = [s for s in article.statements if s.utterance == statement.utterance]
        tid = ids.get((article.id, statement.start, statement.end))
        for s in passages:
            if tid is not None:
                break
            tid = ids.get((article.id, s.start, s.end))
        trail = self._guard(lambda: lib.trail(tid)) if tid is not None else None
        if trail is None:
            self._say("no trail: only direct quotations of five words or more are traced")
            return
        self.push_screen(TrailScreen(trail, self.story_open_article))  # type: ignore[attr-defined]

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
        lib = self._story_library()
        if lib is None:
            return
        record = self._guard(lambda: lib.actor_record(name))
        if record is None:
            self._say(f"no record for {one_line(name, 60)}")
            return
        self.push_screen(ActorScreen(record, self.story_open_article, self.show_actor))  # type: ignore[attr-defined]

    def action_copy_citation(self) -> None:
        from index.library import cite_article, cite_statement

        sel = self._selected()
        article = self.open_article
        if sel is not None and sel[0] == "statement" and article is not None:
            s = sel[1]
            text = cite_statement(s.text, s.speaker, article.source, article.published,
                                  article.title)
        elif article is not None and self.focused is not self.feed:  # type: ignore[attr-defined]
            text = cite_article(article.title, article.source, article.published)
        else:
            entry = self.feed.current  # type: ignore[attr-defined]
            if entry is None:
                self._say("nothing to copy")
                return
            text = cite_article(entry.title, entry.source, entry.published)
        # OSC 52: the terminal puts it on the clipboard, over SSH too.
        self.copy_to_clipboard(text)  # type: ignore[attr-defined]
        self._say(f"copied: {text}")
