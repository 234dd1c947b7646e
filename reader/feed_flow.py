"""The feed by pages (issue 14): a view's length and first page, rows filled as the user moves (a mixin of NewsroomApp).

The reader never holds the whole feed: a view ("all", "unread", "starred") is a
`PagedHits` of the library's `feed_count`, its pages read with `feed_slice` as the
cursor nears them, like a long search's. A view stays as it was when it was made:
an article read (or starred) meanwhile keeps its row, and the pages read later are
asked with those articles counted in or out (`keep`, `drop`), so they line up.
"""

from __future__ import annotations

import contextlib
from typing import Any

from textual import work

from index.records import FeedItem
from reader.host import Host
from reader.library_workers import in_library
from reader.messages import FeedShown, PageLoaded
from reader.paged import PAGE, PagedHits

EMPTY = {
    "all": "The library is empty: `newsroom ingest FOLDER`.",
    "unread": "No unread article: v shows the others.",
    "starred": "No starred article: m stars the one under the cursor.",
}


class FeedFlow(Host):
    """The feed's views, paged from the library; keys typed meanwhile wait for the first page."""

    # -- a view, from the top or around an article ----------------------------------------

    def _show_feed(self, keep: str | None = None) -> None:
        """Show the current view of the feed, the cursor on article `keep` when it is in it."""
        self._search_seq += 1
        self._view_overrides = {}
        if keep is not None and keep.startswith("\x00"):  # a row still loading: no article
            keep = None
        if self.library is None:
            self._answered_seq = self._search_seq
            return
        self._load_feed(self._search_seq, self.view, keep)

    def _show_first_page(self, items: list[FeedItem], total: int) -> None:
        """The launch's feed: the first page read with the library's opening."""
        self._search_seq += 1
        self._answered_seq = self._search_seq
        self._view_overrides = {}
        self.feed.set_entries(PagedHits(items, total), at=0, empty_text=EMPTY["all"])

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    @in_library
    def _load_feed(self, seq: int, view: str, keep: str | None) -> None:
        library = self.library
        if library is None or seq != self._search_seq:
            return
        self._marks_written()  # the view counts the marks pressed before it was asked for
        total = library.feed_count(view)
        at = library.feed_position(keep, view) if keep is not None else None
        pages = {0: library.feed_slice(0, PAGE, view)}
        if at is not None and at >= PAGE:
            offset = at // PAGE * PAGE
            pages[offset] = library.feed_slice(offset, PAGE, view, total=total)
        self.post_message(FeedShown(seq, view, total, pages, at or 0))

    async def on_newsroom_app_feed_shown(self, message: FeedShown) -> None:
        if message.seq != self._search_seq:
            return  # a newer view or search was asked for meanwhile
        self._answered_seq = message.seq
        entries = PagedHits([], message.total)
        for offset, items in sorted(message.pages.items()):
            entries.fill(offset, items, len(items))
        self.feed.set_entries(entries, at=message.at, empty_text=EMPTY[message.view])
        await self._pump_keys()  # keys typed meanwhile now apply to this view

    # -- pages as the cursor moves --------------------------------------------------------

    def _want_feed_pages(self, entries: PagedHits, around: int) -> None:
        keep = [i for i, member in self._view_overrides.items() if member]
        drop = [i for i, member in self._view_overrides.items() if not member]
        for offset in entries.wanted(self.feed.cursor, around):
            entries.requested.add(offset)
            # The rows next to the page, when read: the library starts from them (keyset).
            after, before = entries.known(offset - 1), entries.known(offset + PAGE)
            self._fetch_feed_page(
                self._search_seq, self.view, offset, keep, drop, (len(entries), after, before)
            )

    @work(thread=True, group="page", exit_on_error=False)
    @in_library
    def _fetch_feed_page(
        self,
        seq: int,
        view: str,
        offset: int,
        keep: list[str],
        drop: list[str],
        near: tuple[int, FeedItem | None, FeedItem | None],
    ) -> None:
        library = self.library
        if seq != self._search_seq or library is None:
            return
        # (the view keeps its length: `total` lets a far page be read from the end)
        total, after, before = near
        items = library.feed_slice(
            offset, PAGE, view, keep=keep, drop=drop, total=total, after=after, before=before
        )
        self.post_message(PageLoaded(seq, offset, tuple(items), PAGE))

    # -- marks while a view is shown ------------------------------------------------------

    def _note_mark(self, article_id: str) -> None:
        """Before a mark changes: the article keeps its place in (or out of) the view shown."""
        if self.query_text or self.view == "all" or article_id in self._view_overrides:
            return
        if self.view == "unread":
            member = article_id not in self.read_ids
        else:
            member = article_id in self.starred_ids
        self._view_overrides = {**self._view_overrides, article_id: member}

    def _count_read(self, newly_read: int) -> None:
        """The library's unread count after `newly_read` marks (negative: marked unread)."""
        self.feed_unread = max(0, min(self.feed_total, self.feed_unread - newly_read))

    def _marks_written(self) -> None:
        """In a worker: wait until the marks pressed so far are in the library."""
        with contextlib.suppress(RuntimeError):  # the writer is shut down: the app is quitting
            self._state_writer.submit(lambda: None).result()

    def _mark_feed_read(self) -> None:
        """`A` on the feed: every article of the view read (their ids read in a worker)."""
        app: Any = self
        view = self.view
        keep = [i for i, member in self._view_overrides.items() if member]
        drop = [i for i, member in self._view_overrides.items() if not member]

        def present(ids: list[str]) -> None:
            from reader.widgets.confirm_screen import ConfirmScreen

            unread = [i for i in ids if i not in self.read_ids]
            if not unread:
                self.notify("Every article in this view is read already.", timeout=3, markup=False)
                return
            what = "the feed" + (f" ({view} only)" if view != "all" else "")
            plural = "s" if len(unread) != 1 else ""
            question = f"Mark {len(unread):,} article{plural} of {what} read?"

            def answered(yes: bool | None) -> None:
                if yes:
                    app.mark_read(unread)

            self.push_screen(ConfirmScreen(question), answered)

        app._build_view(lambda lib: lib.feed_ids(view, keep=keep, drop=drop), present)
