"""What the app does with its workers' answers: library open, feed, article, ingest (a mixin of NewsroomApp)."""

from __future__ import annotations

import gc
import time

from textual.worker import Worker, WorkerState

from reader.host import Host
from reader.messages import (
    ArticleLoaded,
    Failed,
    FeedLoaded,
    IngestFinished,
    IngestProgress,
    IngestStarted,
    LibraryReady,
    RelatedLoaded,
    WatchChecked,
)

STARTUP_WATCH_DELAY_S = 1.0  # after the first paint, not competing with it
RELATED_DELAY_S = 0.25


class WorkerAnswers(Host):
    """The handlers of `reader.messages` but the search's (`reader.search_flow`)."""

    def on_newsroom_app_library_ready(self, message: LibraryReady) -> None:
        self.library = message.library
        self.status.set_state("ready")
        self.daylong_library_ready(message.library)

    def on_newsroom_app_watch_checked(self, message: WatchChecked) -> None:
        self._schedule_watch(message.delay)

    def on_newsroom_app_ingest_started(self, message: IngestStarted) -> None:
        self.status.set_state(message.label)

    def _schedule_watch(self, delay: float) -> None:
        if self._watch_timer is not None:
            self._watch_timer.stop()
        self._watch_timer = self.set_timer(delay, self._check_sources, name="watch")

    def on_newsroom_app_feed_loaded(self, message: FeedLoaded) -> None:
        self.feed_total, self.feed_unread = message.total, message.unread
        if self.feed_ready_s is not None:  # the library changed: the palette's actors too
            self._warm_library()
        # 100,000 marks make every full garbage collection a visible stall (~0.1 s per
        # key at random); they are acyclic and long-lived, so move them out of its way.
        gc.freeze()
        self.read_ids, self.starred_ids = message.read_ids, message.starred_ids
        self.feed.set_marks(self.read_ids, self.starred_ids)
        if self.query_text:
            self._start_search()
        elif self.feed_ready_s is None and self.view == "all" and message.items is not None:
            self._show_first_page(message.items, message.total)
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

    def on_newsroom_app_article_loaded(self, message: ArticleLoaded) -> None:
        article = message.article
        if article.id != self._wanted_article:
            return  # the reader has moved on to another article meanwhile
        self.open_article = article
        hit = self.hits_by_id.get(article.id)
        self.article_view.show(
            article,
            tuple(hit.body_spans) if hit is not None else (),
            tuple(hit.title_spans) if hit is not None else (),
        )
        self.side.show_article_soon(article)  # (its lists painted a frame after the text)
        # Related articles can cost a second of CPU on a big library (a title's words
        # everywhere): asked only once the article is painted and still open a moment later,
        # so they never delay opening it nor the next one when browsing quickly.
        self.set_timer(RELATED_DELAY_S, lambda: self._load_related(article.id))
        if article.id not in self.read_ids:
            self._note_mark(article.id)
            self.read_ids.add(article.id)
            self._count_read(1)
            self._save_state(article.id, True, None)
            self.feed.refresh()
            self._update_counts()

    def on_newsroom_app_related_loaded(self, message: RelatedLoaded) -> None:
        if self.open_article is not None and self.open_article.id == message.article_id:
            self.side.show_related(message.related)
            self.related_for = message.article_id

    def on_newsroom_app_ingest_progress(self, message: IngestProgress) -> None:
        self.status.set_state(f"ingesting {message.done:,}/{message.total:,}")
        self.status.set_progress(message.done, message.total)

    def on_newsroom_app_ingest_finished(self, message: IngestFinished) -> None:
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
            self.post_message(
                Failed(f"{event.worker.group} failed: {type(error).__name__}: {error}")
            )
            if event.worker.group == "search":  # no answer is coming: stop waiting for it
                self._search_given_up = self._search_seq
                await self._pump_keys()
            elif event.worker.group == "view":  # (reader.story_actions)
                self._view_pending = 0
                await self._pump_keys()

    async def on_newsroom_app_failed(self, message: Failed) -> None:
        self.status.set_state(message.message)
        if self.library is None:  # nothing to browse: say why where there is room to
            self.feed.set_entries([], empty_text="The library could not be opened.")
            self.article_view.show_notice(message.message)
        await self._pump_keys()
