"""Search as you type, long result lists by pages, and what the feed shows (a mixin of NewsroomApp)."""

from __future__ import annotations

from reader import daylong
from reader.host import Host
from reader.keys import keys_for
from reader.messages import PageLoaded, SearchDone
from reader.paged import PAGE, PagedHits, Pending
from reader.widgets.feed import Feed
from reader.widgets.search_box import SearchBox

# Hits fetched per keystroke: each costs ~0.25 ms of highlighting in the library, so a
# page (two screens of feed) keeps typing fast; moving near its end fetches more.
SEARCH_PAGE = 40
MORE_MARGIN = 5


class SearchFlow(Host):
    """Each query gets a sequence number; an answer older than the latest is dropped."""

    async def on_newsroom_app_search_done(self, message: SearchDone) -> None:
        if message.seq != self._search_seq:
            return  # a newer request is on its way: an older answer never wins
        self._answered_seq = message.seq
        result = message.result
        self.hits_by_id = {hit.id: hit for hit in result.hits}
        self.suggestion = result.suggestion
        self.search_box.show_result(
            result.total,
            result.suggestion,
            result.error,
            self.sort,
            exact=getattr(result, "total_exact", True),
            accept_key=keys_for("accept-suggestion", self.keymap, True),
        )
        hits = list(result.hits)
        if self.sort == "date":  # undated hits last, as in the feed
            hits = [h for h in hits if h.published] + [h for h in hits if not h.published]
        self._search_total = result.total
        # Every hit has a row (G goes to the real end); pages fill in as the cursor moves.
        total = len(hits) if len(hits) < self._search_limit else max(result.total, len(hits))
        entries = PagedHits(hits, total) if self.view == "all" else self.in_view(hits)
        self.feed.set_entries(
            entries,
            keep=self._keep_after_search,
            empty_text=f"No article matches {result.query!r}.",
        )
        self._rehighlight()
        await self._pump_keys()  # keys typed meanwhile now apply to this answer

    def _rehighlight(self) -> None:
        """The open article's search terms follow the current query."""
        if self.open_article is not None:
            hit = self.hits_by_id.get(self.open_article.id)
            self.article_view.set_hits(
                tuple(hit.body_spans) if hit is not None else (),
                tuple(hit.title_spans) if hit is not None else (),
            )

    def on_search_box_query_changed(self, message: SearchBox.QueryChanged) -> None:
        # The box's text now, not the message's: changes arrive after the keys that made
        # them, and a query already submitted (or set for an actor) must stay as it is.
        query = self.search_box.value.strip()
        if query != self.query_text:
            self.query_text = query
            self._start_search(as_you_type=True)

    def on_search_box_submitted(self) -> None:
        self._submit_search()

    def _submit_search(self) -> None:
        """Enter in the search box: the final query (whole words, no prefix, "did you
        mean") for the text in the box, and the feed, whose keys wait for its answer."""
        self.query_text = self.search_box.value.strip()
        self.remember_query(self.query_text)
        self._start_search(as_you_type=False)
        self._focus_feed()
        self.feed.action_jump(0)

    def on_feed_selected(self, message: Feed.Selected) -> None:
        if isinstance(message.entry, Pending):
            self.notify("Still loading this part of the results.", timeout=2, markup=False)
            return
        self.open(message.entry.id)

    def on_feed_highlighted(self, message: Feed.Highlighted) -> None:
        entries = self.feed.entries
        if not isinstance(entries, PagedHits) or not self.search_settled:
            return
        around = max(PAGE // 2, self.feed.scrollable_content_region.height) + MORE_MARGIN
        if not self.query_text:  # the feed's own pages (reader.feed_flow)
            self._want_feed_pages(entries, around)
            return
        for offset in entries.wanted(self.feed.cursor, around):
            entries.requested.add(offset)
            self._fetch_page(
                self.query_text, self._search_seq, self.sort, self._search_as_you_type, offset
            )

    def on_newsroom_app_page_loaded(self, message: PageLoaded) -> None:
        entries = self.feed.entries
        if message.seq != self._search_seq or not isinstance(entries, PagedHits):
            return
        if self.query_text:  # (the feed's pages are no hits: no highlights)
            self.hits_by_id.update((hit.id, hit) for hit in message.hits)
        if entries.fill(message.offset, message.hits, message.asked):
            # The total was an estimate (or the feed shrank): the list ends at the last row.
            index = min(self.feed.cursor, len(entries) - 1)
            self.feed.set_entries(entries, at=max(0, index))
            self.feed.action_jump(max(0, index))
            if not self.query_text:
                return
            self.search_box.show_result(
                len(entries),
                self.suggestion,
                None,
                self.sort,
                accept_key=keys_for("accept-suggestion", self.keymap, True),
            )
        else:
            self.feed.refresh_rows()
        current = self.feed.current
        if current is not None:
            self.on_feed_highlighted(Feed.Highlighted(self.feed, current))

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
            self.notify(
                "Without a search the feed is always newest first.", timeout=3, markup=False
            )

    def _start_search(
        self, as_you_type: bool | None = None, limit: int = SEARCH_PAGE, keep: str | None = None
    ) -> None:
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
            self.hits_by_id = {}
            self._rehighlight()
            self.search_box.show_result(None)
            self._show_feed(keep=getattr(self.feed.current, "id", None))
            return
        if self.library is not None:
            self._search(self.query_text, self._search_seq, self.sort, as_you_type, limit)

    @property
    def search_settled(self) -> bool:
        """True when the feed shows the answer to the latest query typed."""
        return self._answered_seq == self._search_seq

    def action_accept_suggestion(self) -> None:
        if self.suggestion and self.query_text:
            self.set_query(self.suggestion)
            self._focus_feed()
        else:
            self.notify('No "did you mean" suggestion for this search.', timeout=2, markup=False)

    def action_clear_search(self) -> None:
        self.set_query("")
