"""The Newsroom reader app and `create_app`, the one factory the CLI, tests and screenshots use."""

from __future__ import annotations

import gc
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import App, ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input
from textual.worker import Worker, WorkerState, get_current_worker

from index.config import Config, load_config, parse_keymap
from index.records import Article, FeedItem, Hit, IngestReport, SearchResult
from index.textsafe import one_line
from reader import daylong
from reader.bundled import seeds_path
from reader.keys import keys_for
from reader.paged import PAGE, PagedHits, Pending
from reader.story_actions import STORY_BINDINGS, StoryActions  # stories (issue 12)
from reader.widgets.article_view import ArticleView
from reader.widgets.commands import NewsroomCommands
from reader.widgets.feed import Feed
from reader.widgets.help_screen import HelpScreen
from reader.widgets.search_box import SearchBox
from reader.widgets.side_panel import SidePanel
from reader.widgets.status_line import StatusLine

if TYPE_CHECKING:  # imported when the library opens, after the first paint
    from index.library import Library

# Search-as-you-type: a pause just long enough to coalesce a burst of keys (a paste, key
# repeat); stale answers are dropped anyway, and every ms here is keystroke latency.
DEBOUNCE_S = 0.01
# Hits fetched per keystroke: each costs ~0.25 ms of highlighting in the library, so a
# page (two screens of feed) keeps typing fast; moving near its end fetches more.
SEARCH_PAGE = 40
MORE_MARGIN = 5
WATCH_INTERVAL_S = 5.0
STARTUP_WATCH_DELAY_S = 1.0  # after the first paint, not competing with it
RELATED_LIMIT = 5
RELATED_DELAY_S = 0.25
# Keys are handled one at a time, in the order typed (see `on_event`). These only bound a
# wait that should never happen (a key whose widget vanished, a search that never answers).
KEY_STUCK_S = 2.0
SEARCH_STUCK_S = 15.0
LIBRARY_CLOSE_WAIT_S = 10.0  # a thread still in the library then: the process exit closes it


def _in_library(method: Callable[..., None]) -> Callable[..., None]:
    """A worker body that uses the library: quitting closes it only once this is out."""

    @wraps(method)
    def run(self: NewsroomApp, *args: Any, **kwargs: Any) -> None:
        with self._using_library():
            method(self, *args, **kwargs)

    return run


class NewsroomApp(daylong.DaylongMixin, StoryActions, App[None]):  # stories (issue 12): StoryActions
    """Search box on top, feed | article | side panel, status line and footer."""

    CSS_PATH = str(Path(__file__).with_name("app.tcss"))
    TITLE = "Newsroom"
    # Textual declares it `ClassVar[...] | None`, which mypy reads as an instance variable.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [  # type: ignore[misc]
        (0, "-narrow"), (110, "-wide")
    ]
    COMMANDS = App.COMMANDS | {NewsroomCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: handled when the key arrives, so the keys typed right after it (a
        # pasted "/Pedersen") already go to the search box; inside it "/" is text.
        Binding("slash", "focus_search", "Search", id="focus-search", priority=True,
                tooltip="search (results update as you type)"),
        # Help and Quit early: the footer is cut on the right at 70 columns.
        Binding("question_mark", "help", "Help", id="help", tooltip="this help"),
        Binding("q", "quit", "Quit", id="quit", tooltip="quit (outside the search box)"),
        Binding("escape", "back", "Back", id="back",
                tooltip="leave the search box · clear the search · back to the feed"),
        Binding("n", "hit(1)", "Next hit", id="next-hit",
                tooltip="next search hit in the article"),
        Binding("N", "hit(-1)", "Prev hit", show=False, id="previous-hit",
                tooltip="previous search hit in the article"),
        Binding("a", "side_list('actors')", "Actors", id="actors",
                tooltip="actors of the article (enter filters the feed to one)"),
        Binding("s", "side_list('statements')", "Statements", show=False, id="statements",
                tooltip="statements of the article (who said what)"),
        Binding("r", "toggle_read", "Read", show=False, id="toggle-read",
                tooltip="mark read / unread"),
        Binding("m", "toggle_star", "Star", show=False, id="toggle-star",
                tooltip="star / unstar"),
        Binding("o", "open_source", "Open file", show=False, id="open-source",
                tooltip="open the source file in $PAGER"),
        Binding("d", "toggle_sort", "Sort", show=False, id="toggle-sort",
                tooltip="sort search results by relevance / date"),
        Binding("p", "toggle_side", "Panel", id="toggle-side",
                tooltip="show / hide the side panel"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit-anywhere",
                tooltip="quit from anywhere"),
        Binding("ctrl+y", "accept_suggestion", "Accept suggestion", show=False, priority=True,
                id="accept-suggestion", tooltip="search for the \"did you mean\" suggestion"),
        Binding("tab", "focus_next", "Next pane", show=False, id="focus-next",
                tooltip="next pane"),
        Binding("shift+tab", "focus_previous", "Previous pane", show=False,
                id="focus-previous", tooltip="previous pane"),
        *daylong.BINDINGS,  # views, saved searches, mark all read, pipe
        *STORY_BINDINGS,  # stories (issue 12)
    ]

    # -- messages from the app's workers back to the app (posted from threads) ----

    @dataclass
    class LibraryReady(Message):
        """The library is open (worker -> app)."""

        library: Library

    @dataclass
    class FeedLoaded(Message):
        """Every article, newest first, with the reader state (worker -> app)."""

        items: list[FeedItem]
        read_ids: set[str]
        starred_ids: set[str]

    @dataclass
    class SearchDone(Message):
        seq: int
        result: SearchResult

    @dataclass
    class PageLoaded(Message):
        """One more page of a long result list (worker -> app)."""

        seq: int
        offset: int
        hits: tuple[Any, ...]
        asked: int

    @dataclass
    class ArticleLoaded(Message):
        article: Article

    @dataclass
    class RelatedLoaded(Message):
        article_id: str
        related: list[Hit]

    @dataclass
    class IngestStarted(Message):
        label: str

    @dataclass
    class WatchChecked(Message):
        """The sources were checked; check again in `delay` seconds."""

        delay: float

    @dataclass
    class IngestProgress(Message):
        done: int
        total: int

    @dataclass
    class IngestFinished(Message):
        report: IngestReport | None
        error: str | None = None

    @dataclass
    class KeyDone(Message):
        """Posted to a widget right behind a key: it bubbles back here once the key has."""

        token: int
        settled: bool = False

    @dataclass
    class Failed(Message):
        """A background step failed; `message` is one line for the status bar."""

        message: str

    def __init__(self, library_path: Path, *, ingest_seeds_if_empty: bool = True,
                 watch: bool = True, keymap: dict[str, str] | None = None,
                 config: Config | None = None) -> None:
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
        self.feed_items: list[FeedItem] = []
        self._feed_ids: set[str] = set()
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
            tuple[Library, list[FeedItem] | None, tuple[set[str], set[str]] | None]
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
        yield Footer(compact=True)

    @property
    def feed(self) -> Feed:
        return self.query_one("#feed", Feed)

    @property
    def article_view(self) -> ArticleView:
        return self.query_one("#article", ArticleView)

    @property
    def side(self) -> SidePanel:
        return self.query_one("#side", SidePanel)

    @property
    def search_box(self) -> SearchBox:
        return self.query_one("#search", SearchBox)

    @property
    def status(self) -> StatusLine:
        return self.query_one("#status", StatusLine)

    def on_mount(self) -> None:
        from reader.settings import apply_config

        self.keymap = apply_config(self, replace(self.config, keys=self.keymap))
        last = {name: keys_for(name, self.keymap).split(" / ")[-1]
                for name in ("feed.down", "feed.up", "feed.open", "help")}
        # The first hint follows the keymap, like the footer and the help screen.
        self.article_view.show_notice(
            f"Open an article: move in the feed with {last['feed.down']}/{last['feed.up']} and "
            f"press {last['feed.open']}.  {last['help']} lists every key.")
        self._main_feed = self.feed  # (on the main screen, whatever screen is on top)
        self.feed.set_entries([], empty_text="Opening the library…")
        self.feed.focus()
        self._open_library()

    async def _on_message(self, message: Message) -> None:
        # Workers answer when they finish, and widgets' messages travel, possibly until
        # after the screen is gone (quitting, a test ending): then there is nothing left
        # to show them on. Only the reader's own messages; Textual's go on as ever.
        if (type(message).__module__.startswith("reader.") and self._main_feed is not None
                and not self._main_feed.is_attached):
            return
        await super()._on_message(message)

    # -- keys: one at a time, in order ----------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        # Textual hands each key to the focused widget's queue at once, and its bindings
        # run only once the key has bubbled back to the app: printable keys overtake
        # bound ones (backspace), and keys typed after `enter` reach the widget that had
        # the focus before it. Here the next key goes out only once the previous one is
        # done, so every key sees the focus and the results the previous keys left.
        # A paste (bracketed, from the terminal) queues with the keys, in order.
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            self._key_backlog.append(event)
            await self._pump_keys()
            return
        await super().on_event(event)

    def _keys_wait_for_search(self) -> bool:
        """Keys for the feed wait for the answer to the query typed before them."""
        return (self.focused is self.feed and bool(self.query_text)
                and self.library is not None and not self.search_settled
                and self._search_given_up != self._search_seq)

    async def _pump_keys(self) -> None:
        if self._pumping:
            return
        self._pumping = True
        try:
            while self._key_backlog and not self._key_in_flight:
                if self._keys_wait_for_search():
                    self._arm_key_timer(SEARCH_STUCK_S)
                    return
                await self._send_key(self._key_backlog.popleft())
        finally:
            self._pumping = False

    async def _send_key(self, event: events.Key | events.Paste) -> None:
        """What Textual does with a key, plus a marker that comes back when it is done."""
        screen = self.screen
        if isinstance(event, events.Key):
            if not self.app_focus:
                self.app_focus = True
            if (screen.maximized is not None and event.key == "escape"
                    and self.escape_to_minimize):
                screen.minimize()
                return
            if await self._check_bindings(event.key, priority=True):
                return
            if event.key == "enter" and self.focused is self.search_box.input:
                self._submit_search()  # now: the keys after it belong to the feed
                return
        target = self.focused or screen
        self._key_tokens += 1
        self._key_in_flight = self._key_tokens
        target._forward_event(event)
        target.post_message(self.KeyDone(self._key_tokens))
        self._arm_key_timer(KEY_STUCK_S)

    def _arm_key_timer(self, delay: float) -> None:
        if self._key_timer is not None:
            self._key_timer.stop()
        self._key_timer = self.set_timer(delay, self._keys_stuck, name="keys")

    async def _keys_stuck(self) -> None:
        if self._key_in_flight:
            self._key_in_flight = 0  # its widget went away with the marker
        elif self._keys_wait_for_search():
            self._search_given_up = self._search_seq
        await self._pump_keys()

    async def on_newsroom_app_key_done(self, message: NewsroomApp.KeyDone) -> None:
        message.stop()
        if message.token != self._key_in_flight:
            return
        # The key itself is done, but what it set off may still be on its way (enter on
        # an actor: OptionSelected, then ActorChosen, then the new search and the focus
        # move). The next key waits until every widget's queue is empty and the app has
        # handled what they sent it (this marker goes round once more behind those).
        if self._widgets_busy():
            self.set_timer(0.002, lambda: self.post_message(self.KeyDone(message.token)))
            return
        if not message.settled:
            self.post_message(self.KeyDone(message.token, settled=True))
            return
        self._key_in_flight = 0
        if self._key_timer is not None:
            self._key_timer.stop()
        await self._pump_keys()

    @property
    def is_quiet(self) -> bool:
        """No key waiting or being handled, the search answered, no message in flight."""
        return (not self._key_backlog and not self._key_in_flight and self.search_settled
                and not self._widgets_busy() and self._message_queue.empty())

    def _widgets_busy(self) -> bool:
        return any(not node._message_queue.empty()
                   for screen in self.screen_stack
                   for node in screen.walk_children(with_self=True))

    # -- background work (workers post messages back) --------------------------------

    def _prefetch(self) -> None:
        """Import the index and read the feed while Textual starts (from `__init__`)."""
        try:
            from index.library import Library

            library = Library.open(self.library_path)
            feed = library.feed(sort="date") if library.count() else None
            state = (library.read_ids(), library.starred_ids()) if feed else None
            self._opening.set_result((library, feed, state))
        except BaseException as exc:  # handed to the worker, which reports it
            self._opening.set_exception(exc)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    @_in_library
    def _open_library(self) -> None:
        from index.library import LibraryError

        try:
            library, feed, state = self._opening.result()
        except (LibraryError, OSError) as exc:
            self.post_message(self.Failed(f"cannot open {self.library_path}: {exc}"))
            return
        self.post_message(self.LibraryReady(library))
        for notice in getattr(library, "notices", ()):  # marks lost, read-only: one line each
            self.post_message(self.Failed(notice))
        if feed and state:
            self.post_message(self.FeedLoaded(feed, *state))
            return
        if self.ingest_seeds_if_empty and library.count() == 0:
            self._run_ingest(library, [seeds_path()], "ingesting the bundled seeds")
        self._post_feed(library)

    def _post_feed(self, library: Library) -> None:
        items = library.feed(sort="date")
        self.post_message(self.FeedLoaded(items, library.read_ids(), library.starred_ids()))

    def _run_ingest(self, library: Library, paths: list[Path], label: str) -> None:
        """Ingest (in the calling worker thread), reporting progress at most ~20 times/s."""
        self.ingesting = True
        self.post_message(self.IngestStarted(label))
        last = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= 0.05 or done >= total:
                last = now
                self.post_message(self.IngestProgress(done, total))

        try:
            report = library.ingest(paths, progress=progress,
                                    phase=lambda name: self.post_message(self.IngestStarted(name)))
        except Exception as exc:  # reported in the status line, never a traceback
            holder = getattr(exc, "holder", None)  # LibraryBusy: another ingest is running
            error = f"waiting for the ingest by {holder}" if holder else f"ingest failed: {exc}"
            self.post_message(self.IngestFinished(None, error=error))
        else:
            self.post_message(self.IngestFinished(report))
        finally:
            self.ingesting = False

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    @_in_library
    def _check_sources(self) -> None:
        library = self.library
        if library is None or self.ingesting:
            return
        started = time.perf_counter()
        try:
            changed = library.refresh()
            pending = library.pending()
        except Exception as exc:
            self.post_message(self.Failed(f"watching the sources failed: {exc}"))
            return
        finally:
            # pending() walks every source folder: on a huge library keep that walk
            # under ~5% of the time, so browsing never competes with it for long.
            took = time.perf_counter() - started
            self.post_message(self.WatchChecked(max(WATCH_INTERVAL_S, took * 20)))
        if pending:
            self._run_ingest(library, library.sources(), "ingesting new files")
            self._post_feed(library)
        elif changed:
            self._post_feed(library)

    @work(thread=True, exclusive=True, group="ingest", exit_on_error=False)
    @_in_library
    def _reingest(self) -> None:
        library = self.library
        if library is None or self.ingesting:
            return
        sources = library.sources()
        if not sources:
            self.post_message(self.Failed("no watched folders yet: run `newsroom ingest PATH`"))
            return
        self._run_ingest(library, sources, "re-ingesting")
        self._post_feed(library)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    @_in_library
    def _search(self, query: str, seq: int, sort: str, as_you_type: bool, limit: int) -> None:
        if as_you_type:
            time.sleep(DEBOUNCE_S)
            if get_current_worker().is_cancelled or seq != self._search_seq:
                return
        library = self.library
        assert library is not None  # searches start once the library is open
        result = library.search(query, limit=limit, sort=sort, as_you_type=as_you_type)
        if seq == self._search_seq:
            self.post_message(self.SearchDone(seq, result))

    @work(thread=True, group="page", exit_on_error=False)
    @_in_library
    def _fetch_page(self, query: str, seq: int, sort: str, as_you_type: bool,
                    offset: int) -> None:
        library = self.library
        if seq != self._search_seq or library is None:
            return
        result = library.search(query, limit=PAGE, sort=sort, as_you_type=as_you_type,
                                     offset=offset)
        self.post_message(self.PageLoaded(seq, offset, tuple(result.hits), PAGE))

    @work(thread=True, exclusive=True, group="article", exit_on_error=False)
    @_in_library
    def _load_article(self, article_id: str) -> None:
        library = self.library
        assert library is not None  # articles open once the library is
        try:
            article = library.article(article_id)
        except KeyError:
            self.post_message(self.Failed("that article is no longer in the library"))
            return
        self.post_message(self.ArticleLoaded(article))

    @work(thread=True, exclusive=True, group="related", exit_on_error=False)
    @_in_library
    def _load_related(self, article_id: str) -> None:
        if self.open_article is None or self.open_article.id != article_id:
            return  # the reader moved on meanwhile: no related list worth its CPU
        library = self.library
        if library is None:
            return
        related = library.related(article_id, limit=RELATED_LIMIT)
        self.post_message(self.RelatedLoaded(article_id, related))

    def _save_state(self, article_id: str, read: bool | None, starred: bool | None) -> None:
        """Persist a mark off the UI thread, in the order the keys were pressed."""
        library = self.library
        assert library is not None  # marks are made on articles of an open library

        def write() -> None:
            if read is not None:
                library.set_read(article_id, read)
            if starred is not None:
                library.set_starred(article_id, starred)

        def done(future: Future[None]) -> None:
            if future.exception() is not None:
                self.post_message(self.Failed(f"saving a mark failed: {future.exception()}"))

        self._state_writer.submit(write).add_done_callback(done)

    @contextmanager
    def _using_library(self) -> Iterator[None]:
        with self._library_idle:
            self._library_users += 1
        try:
            yield
        finally:
            with self._library_idle:
                self._library_users -= 1
                self._library_idle.notify_all()

    def on_unmount(self) -> None:
        # Marks pressed just before quitting are written before the app exits.
        self._state_writer.shutdown(wait=True)
        if self.library is None or self.ingesting:
            return
        # Closing SQLite under a thread still reading it (an article's related list, a
        # search) can crash the process: wait for them (they take milliseconds).
        with self._library_idle:
            idle = self._library_idle.wait_for(lambda: self._library_users == 0,
                                               timeout=LIBRARY_CLOSE_WAIT_S)
        if idle:
            self.library.close()

    # -- messages from workers -------------------------------------------------------

    def on_newsroom_app_library_ready(self, message: NewsroomApp.LibraryReady) -> None:
        self.library = message.library
        self.status.set_state("ready")
        self.daylong_library_ready(message.library)

    def on_newsroom_app_watch_checked(self, message: NewsroomApp.WatchChecked) -> None:
        self._schedule_watch(message.delay)

    def on_newsroom_app_ingest_started(self, message: NewsroomApp.IngestStarted) -> None:
        self.status.set_state(message.label)

    def _schedule_watch(self, delay: float) -> None:
        if self._watch_timer is not None:
            self._watch_timer.stop()
        self._watch_timer = self.set_timer(delay, self._check_sources, name="watch")

    def on_newsroom_app_feed_loaded(self, message: NewsroomApp.FeedLoaded) -> None:
        self.feed_items = message.items
        self._feed_ids = {item.id for item in message.items}
        if self.feed_ready_s is not None:  # the library changed: the palette's actors too
            self._warm_library()
        # 100,000 feed items make every full garbage collection a visible stall (~0.1 s
        # per key at random); they are acyclic and long-lived, so move them out of its way.
        gc.freeze()
        self.read_ids, self.starred_ids = message.read_ids, message.starred_ids
        self.feed.set_marks(self.read_ids, self.starred_ids)
        if self.query_text:
            self._start_search()
        else:
            self._show_feed(keep=getattr(self.feed.current, "id", None))
        self._update_counts()
        if self.feed_ready_s is None:
            self.call_after_refresh(self._mark_painted)
            if self.watch_sources:  # files may have arrived while the reader was closed
                self._schedule_watch(STARTUP_WATCH_DELAY_S)

    def _mark_painted(self) -> None:
        self.feed_ready_s = time.perf_counter() - self._started
        self._warm_library()

    @work(thread=True, exclusive=True, group="warm", exit_on_error=False)
    @_in_library
    def _warm_library(self) -> None:
        """Open the searcher and load the vocabulary now, not on the first keystroke; and
        the palette's actors, so ctrl+p does not wait for them."""
        if self.library is not None:
            self.library.warm()
            self._load_palette_actors()

    def _load_palette_actors(self) -> None:
        from reader.widgets.commands import ACTOR_LIMIT

        if self.library is None:
            return
        actors = self.library.actors()[:ACTOR_LIMIT]
        self.palette_actors = [(a.name, a.kind, a.mentions) for a in actors]

    async def on_newsroom_app_search_done(self, message: NewsroomApp.SearchDone) -> None:
        if message.seq != self._search_seq:
            return  # a newer request is on its way: an older answer never wins
        self._answered_seq = message.seq
        result = message.result
        self.hits_by_id = {hit.id: hit for hit in result.hits}
        self.suggestion = result.suggestion
        self.search_box.show_result(result.total, result.suggestion, result.error, self.sort,
                                    exact=getattr(result, "total_exact", True),
                                    accept_key=keys_for("accept-suggestion", self.keymap, True))
        hits = list(result.hits)
        if self.sort == "date":  # undated hits last, as in the feed
            hits = [h for h in hits if h.published] + [h for h in hits if not h.published]
        self._search_total = result.total
        # Every hit has a row (G goes to the real end); pages fill in as the cursor moves.
        total = len(hits) if len(hits) < self._search_limit else max(result.total, len(hits))
        entries = PagedHits(hits, total) if self.view == "all" else self.in_view(hits)
        self.feed.set_entries(entries, keep=self._keep_after_search,
                              empty_text=f"No article matches {result.query!r}.")
        self._rehighlight()
        await self._pump_keys()  # keys typed meanwhile now apply to this answer

    def _rehighlight(self) -> None:
        """The open article's search terms follow the current query."""
        if self.open_article is not None:
            hit = self.hits_by_id.get(self.open_article.id)
            self.article_view.set_hits(tuple(hit.body_spans) if hit is not None else (),
                                       tuple(hit.title_spans) if hit is not None else ())

    def on_newsroom_app_article_loaded(self, message: NewsroomApp.ArticleLoaded) -> None:
        article = message.article
        if article.id != self._wanted_article:
            return  # the reader has moved on to another article meanwhile
        self.open_article = article
        hit = self.hits_by_id.get(article.id)
        self.article_view.show(article, tuple(hit.body_spans) if hit is not None else (),
                               tuple(hit.title_spans) if hit is not None else ())
        self.side.show_article(article)
        # Related articles can cost a second of CPU on a big library (a title's words
        # everywhere): asked only once the article is painted and still open a moment later,
        # so they never delay opening it nor the next one when browsing quickly.
        self.set_timer(RELATED_DELAY_S, lambda: self._load_related(article.id))
        if article.id not in self.read_ids:
            self.read_ids.add(article.id)
            self._save_state(article.id, True, None)
            self.feed.refresh()
            self._update_counts()

    def on_newsroom_app_related_loaded(self, message: NewsroomApp.RelatedLoaded) -> None:
        if self.open_article is not None and self.open_article.id == message.article_id:
            self.side.show_related(message.related)
            self.related_for = message.article_id

    def on_newsroom_app_ingest_progress(self, message: NewsroomApp.IngestProgress) -> None:
        self.status.set_state(f"ingesting {message.done:,}/{message.total:,}")
        self.status.set_progress(message.done, message.total)

    def on_newsroom_app_ingest_finished(self, message: NewsroomApp.IngestFinished) -> None:
        self.status.set_progress(None, None)
        report = message.report
        if message.error or report is None:
            self.status.set_state(message.error or "")
            return
        skipped = len(report.skipped)
        state = f"ingested {report.added + report.updated:,} new or changed"
        if skipped:
            state += f", {skipped} skipped"
        self.status.set_state(state)

    async def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A bug or an unexpected library error in the background: one line, no traceback.
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.post_message(self.Failed(f"{event.worker.group} failed: "
                                     f"{type(error).__name__}: {error}"))
            if event.worker.group == "search":  # no answer is coming: stop waiting for it
                self._search_given_up = self._search_seq
                await self._pump_keys()

    async def on_newsroom_app_failed(self, message: NewsroomApp.Failed) -> None:
        self.status.set_state(message.message)
        if self.library is None:  # nothing to browse: say why where there is room to
            self.feed.set_entries([], empty_text="The library could not be opened.")
            self.article_view.show_notice(message.message)
        await self._pump_keys()

    # -- messages from widgets -------------------------------------------------------

    @on(SearchBox.QueryChanged)
    def _query_changed(self, message: SearchBox.QueryChanged) -> None:
        # The box's text now, not the message's: changes arrive after the keys that made
        # them, and a query already submitted (or set for an actor) must stay as it is.
        query = self.search_box.value.strip()
        if query != self.query_text:
            self.query_text = query
            self._start_search(as_you_type=True)

    @on(SearchBox.Submitted)
    def _query_submitted(self) -> None:
        self._submit_search()

    def _submit_search(self) -> None:
        """Enter in the search box: the final query (whole words, no prefix, "did you
        mean") for the text in the box, and the feed, whose keys wait for its answer."""
        self.query_text = self.search_box.value.strip()
        self.remember_query(self.query_text)
        self._start_search(as_you_type=False)
        self._focus_feed()
        self.feed.action_jump(0)

    @on(Feed.Selected)
    def _feed_selected(self, message: Feed.Selected) -> None:
        if isinstance(message.entry, Pending):
            self.notify("Still loading this part of the results.", timeout=2, markup=False)
            return
        self.open(message.entry.id)

    @on(Feed.Highlighted)
    def _feed_moved(self, message: Feed.Highlighted) -> None:
        entries = self.feed.entries
        if not isinstance(entries, PagedHits) or not self.search_settled:
            return
        around = max(PAGE // 2, self.feed.scrollable_content_region.height) + MORE_MARGIN
        for offset in entries.wanted(self.feed.cursor, around):
            entries.requested.add(offset)
            self._fetch_page(self.query_text, self._search_seq, self.sort,
                             self._search_as_you_type, offset)

    def on_newsroom_app_page_loaded(self, message: NewsroomApp.PageLoaded) -> None:
        entries = self.feed.entries
        if message.seq != self._search_seq or not isinstance(entries, PagedHits):
            return
        self.hits_by_id.update((hit.id, hit) for hit in message.hits)
        if entries.fill(message.offset, message.hits, message.asked):
            # The total was an estimate: the list ends at the last hit there is.
            index = min(self.feed.cursor, len(entries) - 1)
            self.feed.set_entries(entries)
            self.feed.action_jump(max(0, index))
            self.search_box.show_result(len(entries), self.suggestion, None, self.sort,
                                        accept_key=keys_for("accept-suggestion", self.keymap,
                                                            True))
        else:
            self.feed.refresh_rows()
        current = self.feed.current
        if current is not None:
            self._feed_moved(Feed.Highlighted(self.feed, current))

    @on(SidePanel.ActorFocused)
    def _actor_focused(self, message: SidePanel.ActorFocused) -> None:
        self.article_view.mark_actor(message.name)

    @on(SidePanel.ActorChosen)
    def _actor_chosen(self, message: SidePanel.ActorChosen) -> None:
        self.filter_actor(message.actor.name)

    @on(SidePanel.StatementFocused)
    def _statement_focused(self, message: SidePanel.StatementFocused) -> None:
        self.article_view.mark_statement(message.index)

    @on(SidePanel.RelatedChosen)
    def _related_chosen(self, message: SidePanel.RelatedChosen) -> None:
        self.open(message.entry.id)

    @on(ArticleView.HitMoved)
    def _hit_moved(self, message: ArticleView.HitMoved) -> None:
        if message.total and message.index:
            self.status.set_detail(f"hit {message.index}/{message.total}")
        elif message.total:
            plural = "s" if message.total != 1 else ""
            self.status.set_detail(f"{message.total} hit{plural} in the article (n/N)")
        else:
            self.status.set_detail("")

    # -- the app's own operations -----------------------------------------------------

    def open(self, article_id: str) -> None:
        if self.library is not None:
            self._wanted_article = article_id
            self._load_article(article_id)

    def filter_actor(self, name: str) -> None:
        escaped = name.replace("\\", "\\\\").replace('"', '\\"')
        self.set_query(f'actor:"{escaped}"')
        self._focus_feed()

    def set_query(self, query: str) -> None:
        """Search for `query` now (a submitted query): older answers can no longer win."""
        if self.saved_name is not None:  # (a saved search sets its name after this)
            self.saved_name = None
            self.show_view_label()
        self.search_box.set_query(query)
        self.query_text = query.strip()
        self._start_search(as_you_type=False)

    def set_sort(self, sort: str) -> None:
        self.sort = sort
        if self.query_text:
            self._start_search()  # the same query, typed or submitted, in the other order
        else:
            self.notify("Without a search the feed is always newest first.", timeout=3,
                        markup=False)

    def _start_search(self, as_you_type: bool | None = None, limit: int = SEARCH_PAGE,
                      keep: str | None = None) -> None:
        """Ask for the current query; `as_you_type` None keeps the last request's mode."""
        if as_you_type is None:
            as_you_type = self._search_as_you_type
        self._search_seq += 1
        if self.view != "all":  # filtered after the search: fetch the hits at once
            limit = daylong.VIEW_LIMIT
        self._search_limit, self._search_as_you_type = limit, as_you_type
        self._keep_after_search = keep
        if not self.query_text:
            self.workers.cancel_group(self, "search")
            self._answered_seq = self._search_seq
            self.hits_by_id = {}
            self._rehighlight()
            self.search_box.show_result(None)
            self._show_feed(keep=getattr(self.feed.current, "id", None))
            return
        if self.library is not None:
            self._search(self.query_text, self._search_seq, self.sort, as_you_type, limit)

    def _show_feed(self, keep: str | None = None) -> None:
        self.feed.set_entries(self.in_view(self.feed_items), keep=keep,
                              empty_text="The library is empty: `newsroom ingest FOLDER`.")

    @property
    def search_settled(self) -> bool:
        """True when the feed shows the answer to the latest query typed."""
        return self._answered_seq == self._search_seq

    def _update_counts(self) -> None:
        # Read marks can outlive their articles (removed files), so intersect with the feed.
        total = len(self.feed_items)
        self.status.set_counts(total, total - len(self.read_ids & self._feed_ids))

    def _target_id(self) -> str | None:
        """The article `r`/`m`/`o` act on: the one open in the article pane, else the cursor's."""
        if self.focused is not self.feed and self.open_article is not None:
            return self.open_article.id
        entry = self.feed.current
        return entry.id if entry is not None and not isinstance(entry, Pending) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # In any text input (the search box, the palette's) "/" goes on as text.
        return not (action == "focus_search" and isinstance(self.focused, Input))

    def focus_now(self, widget: Widget) -> None:
        """Move the focus before the next key is dispatched.

        `Widget.focus()` defers the move, so keys typed ahead ("/Pedersen" pasted,
        or sent at once over a slow link) would still go to the old widget.
        """
        self.screen.set_focus(widget)

    # -- actions ---------------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.focus_now(self.search_box.input)

    # Textual runs a sync action as well as its own async one.
    def action_back(self) -> None:  # type: ignore[override]
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        if self.focused is self.feed and not self._feed_covered():
            if self.query_text:
                self.action_clear_search()
        else:  # the search box, the article, the side panel: back to the feed
            self._focus_feed()

    def action_clear_search(self) -> None:
        self.set_query("")

    def _feed_covered(self) -> bool:
        """At 80 columns the side panel, when shown, takes the feed's place."""
        main = self.feed.screen
        return main.has_class("-narrow") and main.has_class("-side-shown")

    def _focus_feed(self) -> None:
        """The focus to the feed, and the feed back on screen if the side panel covers it."""
        if self._feed_covered():
            self._set_side(False)
        self.focus_now(self.feed)

    def action_accept_suggestion(self) -> None:
        if self.suggestion and self.query_text:
            self.set_query(self.suggestion)
            self._focus_feed()
        else:
            self.notify("No \"did you mean\" suggestion for this search.", timeout=2,
                        markup=False)

    def action_hit(self, step: int) -> None:
        if not self.article_view.jump_hit(step):
            self.notify("No search hits in this article.", timeout=2, markup=False)

    def action_side_list(self, which: str) -> None:
        self._set_side(True)
        self.side.focus_list(which)

    def action_toggle_side(self) -> None:
        self._set_side(not self.side.display or self.side.region.width == 0)

    def _set_side(self, shown: bool) -> None:
        screen = self.feed.screen
        screen.set_class(shown, "-side-shown")
        screen.set_class(not shown, "-side-hidden")
        # At 80 columns the panel takes the feed's place: keep the focus on something visible.
        if shown and self.focused is self.feed and screen.has_class("-narrow"):
            self.side.focus_list("actors")
        elif not shown and self.focused is not None and self.side in self.focused.ancestors:
            self.focus_now(self.feed)

    def action_toggle_read(self) -> None:
        article_id = self._target_id()
        if article_id is None or self.library is None:
            return
        read = article_id not in self.read_ids
        (self.read_ids.add if read else self.read_ids.discard)(article_id)
        self.feed.refresh()
        self._update_counts()
        self._save_state(article_id, read, None)

    def action_toggle_star(self) -> None:
        article_id = self._target_id()
        if article_id is None or self.library is None:
            return
        starred = article_id not in self.starred_ids
        (self.starred_ids.add if starred else self.starred_ids.discard)(article_id)
        self.feed.refresh()
        self._save_state(article_id, None, starred)

    def action_toggle_sort(self) -> None:
        self.set_sort("date" if self.sort == "relevance" else "relevance")

    def action_reingest(self) -> None:
        self._reingest()

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        from reader.keys import all_bindings

        self.push_screen(HelpScreen(all_bindings(), self.keymap))

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        """The palette's "Screenshot": an SVG under the data dir (not ~/Downloads, which
        may not exist), and a notice saying where."""
        from reader.cli import data_dir

        folder = Path(path) if path else data_dir() / "screenshots"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            saved = self.save_screenshot(filename, str(folder), time_format)
        except OSError as exc:
            self.notify(one_line(f"screenshot not saved: {folder}: {exc.strerror or exc}"),
                        severity="error", markup=False)
            return None
        self.notify(f"Screenshot saved to {one_line(saved, 200)}", title="Screenshot",
                    timeout=8, markup=False)
        return saved

    def action_open_source(self) -> None:
        article_id = self._target_id()
        entry = next((e for e in (self.open_article, self.feed.current)
                      if e is not None and e.id == article_id), None)
        if entry is None:
            return
        path = Path(entry.path)
        if not path.is_file():
            self.notify(f"{one_line(str(path))}: the source file is gone", severity="error",
                        markup=False)
            return
        pager = self.config.pager
        try:
            with self.suspend():
                subprocess.call([*pager, str(path)])
        except SuspendNotSupported:
            self.notify(f"cannot suspend here; the file is {one_line(str(path))}", timeout=5,
                        markup=False)
        except OSError as exc:
            self.notify(one_line(f"{pager[0]}: {exc.strerror or exc}"), severity="error",
                        markup=False)


__all__ = ["NewsroomApp", "create_app", "parse_keymap"]


def create_app(library_path: Path, *, ingest_seeds_if_empty: bool = True,
               watch: bool = True, config: Config | None = None) -> NewsroomApp:
    """The reader on the library at `library_path` (created if new), with the user's
    config ($XDG_CONFIG_HOME/newsroom/config.toml, NEWSROOM_* variables) unless given."""
    return NewsroomApp(Path(library_path), ingest_seeds_if_empty=ingest_seeds_if_empty,
                       watch=watch, config=config if config is not None else load_config())
