"""The app as its parts see it: its state, its panes, and what one part calls in another.

`NewsroomApp` is made of mixins (`reader.key_queue`, `reader.library_workers`,
`reader.worker_answers`, `reader.search_flow`, `reader.feed_flow`, `reader.app_actions`, ...). Each
derives from `Host`, which the type checker reads as an `App` with the state set
in `NewsroomApp.__init__`; at run time `Host` is a plain class holding the panes'
accessors, so the app's own MRO past its mixins is Textual's `App` alone.
"""

from __future__ import annotations

import threading
from abc import abstractmethod
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.widgets.article_view import ArticleView
from reader.widgets.feed import Feed
from reader.widgets.search_box import SearchBox
from reader.widgets.side_panel import SidePanel
from reader.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from textual import events
    from textual.app import App
    from textual.timer import Timer

    from index.library import Config, Library
    from index.records import Article, FeedItem, Hit

    _AppBase = App[None]
    Opening = Future[
        tuple[
            Library,
            tuple[list[FeedItem], int, int] | None,
            tuple[set[str], set[str]] | None,
        ]
    ]
else:
    _AppBase = object


class Host(_AppBase):
    """The panes (by id) and, for the type checker, the app's state and cross-part calls."""

    # -- state, set in NewsroomApp.__init__ ----------------------------------------------
    _started: float
    library_path: Path
    ingest_seeds_if_empty: bool
    watch_sources: bool
    config: Config
    keymap: dict[str, str]
    suggestion: str | None
    palette_actors: list[tuple[str, str, int]] | None
    related_for: str | None
    library: Library | None
    feed_total: int  # the library's articles
    feed_unread: int  # of which unread (this reader's marks)
    _view_overrides: dict[str, bool]  # (reader.feed_flow) ids whose marks changed in the view
    read_ids: set[str]
    starred_ids: set[str]
    query_text: str
    sort: str
    hits_by_id: dict[str, Hit]
    open_article: Article | None
    _wanted_article: str | None
    ingesting: bool
    feed_ready_s: float | None
    _watch_timer: Timer | None
    _search_seq: int
    _answered_seq: int
    _search_limit: int
    _search_as_you_type: bool
    _search_total: int
    _keep_after_search: str | None
    _key_backlog: deque[events.Key | events.Paste]
    _key_in_flight: int
    _key_tokens: int
    _pumping: bool
    _key_timer: Timer | None
    _search_given_up: int
    _main_feed: Feed | None
    _library_users: int
    _library_idle: threading.Condition
    _opening: Opening
    _state_writer: ThreadPoolExecutor
    # (reader.story_actions)
    _view_pending: int
    # (reader.daylong)
    view: str
    saved_name: str | None

    # -- the panes -------------------------------------------------------------------

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

    if TYPE_CHECKING:
        # -- what one part calls in another (defined in the part named) ------------------

        # reader.key_queue
        @abstractmethod
        async def _pump_keys(self) -> None: ...

        # reader.library_workers (workers: calling one starts it)
        _open_library: Callable[[], Any]
        _check_sources: Callable[[], Any]
        _reingest: Callable[[], Any]
        _search: Callable[[str, int, str, bool, int], Any]
        _fetch_page: Callable[[str, int, str, bool, int], Any]
        _load_article: Callable[[str], Any]
        _load_related: Callable[[str], Any]
        _warm_library: Callable[[], Any]

        @abstractmethod
        def _save_state(self, article_id: str, read: bool | None, starred: bool | None) -> None: ...

        @abstractmethod
        def _using_library(self) -> AbstractContextManager[None]: ...

        # reader.search_flow
        @abstractmethod
        def _start_search(
            self, as_you_type: bool | None = None, limit: int = ..., keep: str | None = None
        ) -> None: ...

        @abstractmethod
        def _submit_search(self) -> None: ...

        @property
        @abstractmethod
        def search_settled(self) -> bool: ...

        @abstractmethod
        def open(self, article_id: str) -> None: ...

        @abstractmethod
        def filter_actor(self, name: str) -> None: ...

        @abstractmethod
        def set_query(self, query: str) -> None: ...

        @abstractmethod
        def set_sort(self, sort: str) -> None: ...

        @abstractmethod
        def action_clear_search(self) -> None: ...

        # reader.feed_flow
        @abstractmethod
        def _show_feed(self, keep: str | None = None) -> None: ...

        @abstractmethod
        def _show_first_page(self, items: list[FeedItem], total: int) -> None: ...

        @abstractmethod
        def _want_feed_pages(self, entries: Any, around: int) -> None: ...

        @abstractmethod
        def _note_mark(self, article_id: str) -> None: ...

        @abstractmethod
        def _count_read(self, newly_read: int) -> None: ...

        @abstractmethod
        def _marks_written(self) -> None: ...

        @abstractmethod
        def _mark_feed_read(self) -> None: ...

        # reader.app_actions
        @abstractmethod
        def _update_counts(self) -> None: ...

        @abstractmethod
        def _focus_feed(self) -> None: ...

        # reader.daylong (after these parts in the MRO: not abstract here)
        def daylong_library_ready(self, library: Any) -> None: ...
        def remember_query(self, query: str) -> None: ...
        def in_view(self, entries: Sequence[Any]) -> Sequence[Any]: ...
        def show_view_label(self) -> None: ...


__all__ = ["Host"]
