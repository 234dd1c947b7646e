"""The app's background work on the library: open, ingest, watch, search, load (a mixin of NewsroomApp).

Each worker posts a message back (`reader.messages`); the app's handlers are in
`reader.worker_answers` and `reader.search_flow`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.worker import get_current_worker

from reader.bundled import seeds_path
from reader.host import Host
from reader.messages import (
    ArticleLoaded,
    Failed,
    FeedLoaded,
    IngestFinished,
    IngestProgress,
    IngestStarted,
    LibraryReady,
    PageLoaded,
    RelatedLoaded,
    SearchDone,
    WatchChecked,
)
from reader.paged import PAGE

if TYPE_CHECKING:
    from index.library import Library

# Search-as-you-type: a pause just long enough to coalesce a burst of keys (a paste, key
# repeat); stale answers are dropped anyway, and every ms here is keystroke latency.
DEBOUNCE_S = 0.01
WATCH_INTERVAL_S = 5.0
RELATED_LIMIT = 5
LIBRARY_CLOSE_WAIT_S = 10.0  # a thread still in the library then: the process exit closes it


def in_library(method: Callable[..., None]) -> Callable[..., None]:
    """A worker body that uses the library: quitting closes it only once this is out."""

    @wraps(method)
    def run(self: LibraryWorkers, *args: Any, **kwargs: Any) -> None:
        with self._using_library():
            method(self, *args, **kwargs)

    return run


class LibraryWorkers(Host):
    """Threads that read or write the library; the UI thread never waits for them."""

    def _prefetch(self) -> None:
        """Open the library and read the feed while Textual starts (from `__init__`)."""
        try:
            from index.library import Library

            library = Library.open(self.library_path)
            # One page and the counts: the reader never reads the whole feed (issue 14).
            total, unread = library.feed_counts()
            feed = None
            if total:
                feed = (library.feed_slice(0, PAGE), total, unread)
            state = (library.read_ids(), library.starred_ids()) if feed else None
            self._opening.set_result((library, feed, state))
        except BaseException as exc:  # handed to the worker, which reports it
            self._opening.set_exception(exc)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    @in_library
    def _open_library(self) -> None:
        from index.library import LibraryError

        try:
            library, feed, state = self._opening.result()
        except (LibraryError, OSError) as exc:
            self.post_message(Failed(f"cannot open {self.library_path}: {exc}"))
            return
        self.post_message(LibraryReady(library))
        for notice in getattr(library, "notices", ()):  # marks lost, read-only: one line each
            self.post_message(Failed(notice))
        if feed and state:
            self.post_message(FeedLoaded(*feed, *state))
            return
        if self.ingest_seeds_if_empty and library.count() == 0:
            self._run_ingest(library, [seeds_path()], "ingesting the bundled seeds")
        self._post_feed(library)

    def _post_feed(self, library: Library) -> None:
        """The library's counts and marks (the view itself is read by `_show_feed`)."""
        self._marks_written()
        first = library.feed_slice(0, PAGE) if self.feed_ready_s is None else None
        total, unread = library.feed_counts()
        self.post_message(
            FeedLoaded(first, total, unread, library.read_ids(), library.starred_ids())
        )

    def _run_ingest(self, library: Library, paths: list[Path], label: str) -> None:
        """Ingest (in the calling worker thread), reporting progress at most ~20 times/s."""
        self.ingesting = True
        self.post_message(IngestStarted(label))
        last = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= 0.05 or done >= total:
                last = now
                self.post_message(IngestProgress(done, total))

        try:
            report = library.ingest(
                paths, progress=progress, phase=lambda name: self.post_message(IngestStarted(name))
            )
        except Exception as exc:  # reported in the status line, never a traceback
            holder = getattr(exc, "holder", None)  # LibraryBusy: another ingest is running
            error = f"waiting for the ingest by {holder}" if holder else f"ingest failed: {exc}"
            self.post_message(IngestFinished(None, error=error))
        else:
            self.post_message(IngestFinished(report))
        finally:
            self.ingesting = False

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    @in_library
    def _check_sources(self) -> None:
        library = self.library
        if library is None or self.ingesting:
            return
        started = time.perf_counter()
        try:
            changed = library.refresh()
            pending = library.pending()
        except Exception as exc:
            self.post_message(Failed(f"watching the sources failed: {exc}"))
            return
        finally:
            # pending() walks every source folder: on a huge library keep that walk
            # under ~5% of the time, so browsing never competes with it for long.
            took = time.perf_counter() - started
            self.post_message(WatchChecked(max(WATCH_INTERVAL_S, took * 20)))
        if pending:
            self._run_ingest(library, library.sources(), "ingesting new files")
            self._post_feed(library)
        elif changed:
            self._post_feed(library)

    @work(thread=True, exclusive=True, group="ingest", exit_on_error=False)
    @in_library
    def _reingest(self) -> None:
        library = self.library
        if library is None or self.ingesting:
            return
        sources = library.sources()
        if not sources:
            self.post_message(Failed("no watched folders yet: run `newsroom ingest PATH`"))
            return
        self._run_ingest(library, sources, "re-ingesting")
        self._post_feed(library)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    @in_library
    def _search(self, query: str, seq: int, sort: str, as_you_type: bool, limit: int) -> None:
        if as_you_type:
            time.sleep(DEBOUNCE_S)
            if get_current_worker().is_cancelled or seq != self._search_seq:
                return
        library = self.library
        assert library is not None  # searches start once the library is open
        result = library.search(query, limit=limit, sort=sort, as_you_type=as_you_type)
        if seq == self._search_seq:
            self.post_message(SearchDone(seq, result))

    @work(thread=True, group="page", exit_on_error=False)
    @in_library
    def _fetch_page(self, query: str, seq: int, sort: str, as_you_type: bool, offset: int) -> None:
        library = self.library
        if seq != self._search_seq or library is None:
            return
        result = library.search(
            query, limit=PAGE, sort=sort, as_you_type=as_you_type, offset=offset
        )
        self.post_message(PageLoaded(seq, offset, tuple(result.hits), PAGE))

    @work(thread=True, exclusive=True, group="article", exit_on_error=False)
    @in_library
    def _load_article(self, article_id: str) -> None:
        library = self.library
        assert library is not None  # articles open once the library is
        try:
            article = library.article(article_id)
        except KeyError:
            self.post_message(Failed("that article is no longer in the library"))
            return
        self.post_message(ArticleLoaded(article))

    @work(thread=True, exclusive=True, group="related", exit_on_error=False)
    @in_library
    def _load_related(self, article_id: str) -> None:
        if self.open_article is None or self.open_article.id != article_id:
            return  # the reader moved on meanwhile: no related list worth its CPU
        library = self.library
        if library is None:
            return
        related = library.related(article_id, limit=RELATED_LIMIT)
        self.post_message(RelatedLoaded(article_id, related))

    @work(thread=True, exclusive=True, group="warm", exit_on_error=False)
    @in_library
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
        actors = self.library.actors(limit=ACTOR_LIMIT)
        self.palette_actors = [(a.name, a.kind, a.mentions) for a in actors]

    def _save_state(self, article_id: str, read: bool | None, starred: bool | None) -> None:
        """Persist a mark off the UI thread, in the order the keys were pressed."""
        library = self.library
        assert library is not None  # marks are made on articles of an open library

        def write() -> None:  # (FeedFlow._note_mark has kept the view as it was)
            if read is not None:
                library.set_read(article_id, read)
            if starred is not None:
                library.set_starred(article_id, starred)

        def done(future: Future[None]) -> None:
            if future.exception() is not None:
                self.post_message(Failed(f"saving a mark failed: {future.exception()}"))

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
            idle = self._library_idle.wait_for(
                lambda: self._library_users == 0, timeout=LIBRARY_CLOSE_WAIT_S
            )
        if idle:
            self.library.close()
