"""The Newsroom reader app and `create_app`, the one factory the CLI, tests and screenshots use.

The app is assembled from parts, one concern each: `reader.key_queue` (keys in order),
`reader.library_workers` (threads on the library), `reader.worker_answers` (their
answers), `reader.search_flow` (search), `reader.feed_flow` (the feed by pages),
`reader.app_actions` (keys' actions), `reader.daylong` (views, saved searches, `|`)
and `reader.story_actions` (stories, trails, records). Their messages are in `reader.messages`.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer

from index.library import Config, Library, load_config, parse_keymap
from index.records import Article, FeedItem, Hit
from reader import daylong, messages
from reader.app_actions import AppActions
from reader.feed_flow import FeedFlow
from reader.key_queue import KeyQueue
from reader.keys import keys_for
from reader.library_workers import LibraryWorkers
from reader.search_flow import SEARCH_PAGE, SearchFlow
from reader.story_actions import STORY_BINDINGS, StoryActions  # stories (issue 12)
from reader.widgets.article_view import ArticleView
from reader.widgets.commands import NewsroomCommands
from reader.widgets.feed import Feed
from reader.widgets.footer import ReaderFooter
from reader.widgets.search_box import SearchBox
from reader.widgets.side_panel import SidePanel
from reader.widgets.status_line import StatusLine
from reader.worker_answers import WorkerAnswers


class NewsroomApp(
    KeyQueue,
    LibraryWorkers,
    WorkerAnswers,
    SearchFlow,
    FeedFlow,
    AppActions,
    daylong.DaylongMixin,
    StoryActions,
    App[None],
):  # stories (issue 12): StoryActions
    """Search box on top, feed | article | side panel, status line and footer."""

    CSS_PATH = str(Path(__file__).with_name("app.tcss"))
    TITLE = "Newsroom"
    # Textual declares it `ClassVar[...] | None`, which mypy reads as an instance variable.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [  # type: ignore[misc]
        (0, "-narrow"),
        (110, "-wide"),
    ]
    COMMANDS = App.COMMANDS | {NewsroomCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: handled when the key arrives, so the keys typed right after it (a
        # pasted "/Pedersen") already go to the search box; inside it "/" is text.
        Binding(
            "slash",
            "focus_search",
            "Search",
            id="focus-search",
            priority=True,
            tooltip="search (results update as you type)",
        ),
        # Help and Quit early: the footer is cut on the right at 70 columns.
        Binding("question_mark", "help", "Help", id="help", tooltip="this help"),
        Binding("q", "quit", "Quit", id="quit", tooltip="quit (outside the search box)"),
        Binding(
            "escape",
            "back",
            "Back",
            id="back",
            tooltip="leave the search box · clear the search · back to the feed",
        ),
        Binding("n", "hit(1)", "Next hit", id="next-hit", tooltip="next search hit in the article"),
        Binding(
            "N",
            "hit(-1)",
            "Prev hit",
            show=False,
            id="previous-hit",
            tooltip="previous search hit in the article",
        ),
        Binding(
            "a",
            "side_list('actors')",
            "Actors",
            id="actors",
            tooltip="actors of the article (enter filters the feed to one)",
        ),
        Binding(
            "s",
            "side_list('statements')",
            "Statements",
            show=False,
            id="statements",
            tooltip="statements of the article (who said what)",
        ),
        Binding(
            "r", "toggle_read", "Read", show=False, id="toggle-read", tooltip="mark read / unread"
        ),
        Binding("m", "toggle_star", "Star", show=False, id="toggle-star", tooltip="star / unstar"),
        Binding(
            "o",
            "open_source",
            "Open file",
            show=False,
            id="open-source",
            tooltip="open the source file in $PAGER",
        ),
        Binding(
            "d",
            "toggle_sort",
            "Sort",
            show=False,
            id="toggle-sort",
            tooltip="sort search results by relevance / date",
        ),
        Binding(
            "p", "toggle_side", "Panel", id="toggle-side", tooltip="show / hide the side panel"
        ),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            show=False,
            priority=True,
            id="quit-anywhere",
            tooltip="quit from anywhere",
        ),
        Binding(
            "ctrl+y",
            "accept_suggestion",
            "Accept suggestion",
            show=False,
            priority=True,
            id="accept-suggestion",
            tooltip='search for the "did you mean" suggestion',
        ),
        Binding("tab", "focus_next", "Next pane", show=False, id="focus-next", tooltip="next pane"),
        Binding(
            "shift+tab",
            "focus_previous",
            "Previous pane",
            show=False,
            id="focus-previous",
            tooltip="previous pane",
        ),
        *daylong.BINDINGS,  # views, saved searches, mark all read, pipe
        *STORY_BINDINGS,  # stories (issue 12)
    ]

    # Messages from the app's workers (`reader.messages`), under their old names.
    LibraryReady = messages.LibraryReady
    FeedLoaded = messages.FeedLoaded
    SearchDone = messages.SearchDone
    PageLoaded = messages.PageLoaded
    ArticleLoaded = messages.ArticleLoaded
    RelatedLoaded = messages.RelatedLoaded
    IngestStarted = messages.IngestStarted
    WatchChecked = messages.WatchChecked
    IngestProgress = messages.IngestProgress
    IngestFinished = messages.IngestFinished
    KeyDone = messages.KeyDone
    Failed = messages.Failed

    def __init__(
        self,
        library_path: Path,
        *,
        ingest_seeds_if_empty: bool = True,
        watch: bool = True,
        keymap: dict[str, str] | None = None,
        config: Config | None = None,
    ) -> None:
        self._started = time.perf_counter()
        super().__init__()
        self.library_path = Path(library_path)
        self.ingest_seeds_if_empty = ingest_seeds_if_empty
        self.watch_sources = watch
        self.config = config or Config(Path(), {}, {})
        self.keymap: dict[str, str] = {**self.config.keys, **(keymap or {})}
        self.suggestion: str | None = None
        self.palette_actors: list[tuple[str, str, int]] | None = None  # (name, kind, mentions)
        self.related_for: str | None = None  # the article whose related list is shown
        self.library: Library | None = None
        self.feed_total = self.feed_unread = 0
        self._view_overrides: dict[str, bool] = {}
        self.read_ids: set[str] = set()
        self.starred_ids: set[str] = set()
        self.query_text = ""
        self.sort = "relevance"
        self.hits_by_id: dict[str, Hit] = {}
        self.open_article: Article | None = None
        self._wanted_article: str | None = None
        self.ingesting = False
        self.feed_ready_s: float | None = None  # launch to first painted feed, for reports
        self._watch_timer: Timer | None = None
        self._search_seq = 0
        self._answered_seq = 0
        self._search_limit = SEARCH_PAGE
        self._search_as_you_type = True
        self._search_total = 0
        self._keep_after_search: str | None = None
        # Typed-ahead keys wait here for the key before them (and, when they act on the
        # feed, for the search answer they should apply to).
        self._key_backlog: deque[events.Key | events.Paste] = deque()
        self._key_in_flight = 0  # token of the key being handled by a widget, 0 when none
        self._key_tokens = 0
        self._pumping = False
        self._key_timer: Timer | None = None
        self._search_given_up = 0  # a search answer no longer waited for (seq)
        # Worker threads inside the library: it is closed only once they are out of it.
        self._main_feed: Feed | None = None
        self._library_users = 0
        self._library_idle = threading.Condition()
        # Opening the library overlaps with Textual's own start-up (launch < 1 s).
        self._opening: Future[
            tuple[Library, tuple[list[FeedItem], int, int] | None, tuple[set[str], set[str]] | None]
        ] = Future()
        # One writer thread: marks reach SQLite in the order they were made.
        self._state_writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="marks")
        threading.Thread(target=self._prefetch, name="newsroom-open", daemon=True).start()

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield SearchBox(id="search")
        with Horizontal(id="main"):
            yield Feed(id="feed")
            yield ArticleView(id="article")
            yield SidePanel(id="side")
        yield ReaderFooter(compact=True)

    def on_mount(self) -> None:
        from reader.settings import apply_config

        self.keymap = apply_config(self, replace(self.config, keys=self.keymap))
        last = {
            name: keys_for(name, self.keymap).split(" / ")[-1]
            for name in ("feed.down", "feed.up", "feed.open", "help")
        }
        # The first hint follows the keymap, like the footer and the help screen.
        self.article_view.show_notice(
            f"Open an article: move in the feed with {last['feed.down']}/{last['feed.up']} and "
            f"press {last['feed.open']}.  {last['help']} lists every key."
        )
        self._main_feed = self.feed  # (on the main screen, whatever screen is on top)
        self.feed.set_entries([], empty_text="Opening the library…")
        self.feed.focus()
        self._open_library()

    async def _on_message(self, message: Message) -> None:
        # Workers answer when they finish, and widgets' messages travel, possibly until
        # after the screen is gone (quitting, a test ending): then there is nothing left
        # to show them on. Only the reader's own messages; Textual's go on as ever.
        if (
            type(message).__module__.startswith("reader.")
            and self._main_feed is not None
            and not self._main_feed.is_attached
        ):
            return
        await super()._on_message(message)


__all__ = ["NewsroomApp", "create_app", "parse_keymap"]


def create_app(
    library_path: Path,
    *,
    ingest_seeds_if_empty: bool = True,
    watch: bool = True,
    config: Config | None = None,
) -> NewsroomApp:
    """The reader on the library at `library_path` (created if new), with the user's
    config ($XDG_CONFIG_HOME/newsroom/config.toml, NEWSROOM_* variables) unless given."""
    return NewsroomApp(
        Path(library_path),
        ingest_seeds_if_empty=ingest_seeds_if_empty,
        watch=watch,
        config=config if config is not None else load_config(),
    )
