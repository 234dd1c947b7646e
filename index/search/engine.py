"""Running compiled queries on the full-text index: budgeted top hits, date order, totals."""

from __future__ import annotations

import contextlib
import heapq
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from index.records import Article
from index.search import lean
from index.storage import whoosh_private
from index.storage.backend import Ranked
from index.storage.schema import NAME_ANALYZER, TEXT_ANALYZER

if TYPE_CHECKING:
    from index.search.language import Highlight

# whoosh.query and the query language load on the first search, not when a
# library opens: a cold open (the app's first paint) only needs the catalog.

# Matches scored at most, the most recently added first; a query with more is cut
# there and its total is an estimate ("about N").
SCAN_BUDGET = 6000
# Postings decoded at most (about 3 us each): reading stops after the window of
# documents in which a query passed this, its total then an estimate too.
WORK_BUDGET = 8000
BUDGET_PAGE = 1000


class Engine:
    """One library's Whoosh index and its current searcher (the caller serialises calls).

    `ix` is None when the index could not be opened (`damage` says why).
    """

    def __init__(self, ix: Any, damage: str | None) -> None:
        self.ix = ix
        self.damage = damage
        self._searcher: Any = None
        self._published: tuple[Any, list[int]] | None = None
        self._lengths = lean.Lengths()

    def reset(self, ix: Any, damage: str | None) -> None:
        """Use another index (a rebuild was swapped in)."""
        self.close()
        self.ix, self.damage = ix, damage
        self._lengths = lean.Lengths()

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def generation(self) -> int:
        """The index's commit generation (-1 without a readable index)."""
        if self.ix is None:
            return -1
        try:
            return int(self.ix.latest_generation())
        except Exception:
            return -1

    def searcher(self) -> Any:
        """A searcher on the latest commit (the index must be there)."""
        if self._searcher is None:
            self._searcher = self.ix.searcher()
        elif not self._searcher.up_to_date():
            self._refresh()
        return self._searcher

    def refresh(self) -> None:
        """Move an open searcher to the latest commit."""
        if self._searcher is not None and not self._searcher.up_to_date():
            self._refresh()

    def _refresh(self) -> None:
        self._searcher = whoosh_private.refreshed(self.ix, self._searcher)
        # The field lengths of segments a merge removed are of no more use.
        self._lengths.keep_only(whoosh_private.segment_ids(self._searcher))

    def run(self, q: Any, limit: int, sort: str, exact: bool = True, offset: int = 0) -> Ranked:
        """Top `limit` article ids after the first `offset`, with scores, the total and
        whether it is exact (the reader fetches a long list page by page).

        Every cut is counted in work (postings decoded, matches), never in time,
        so the same query on the same library gives the same hits and total on any
        machine and load. `exact` is kept for the seam: typing and submitting a
        query now read the same (see `lean.run`).
        """
        # The caller has just asked for `searcher()` (which checks the index for a newer
        # commit, a directory listing): not again for the same search.
        searcher = self._searcher if self._searcher is not None else self.searcher()
        offset = max(0, offset)
        limit = max(1, limit) + offset
        if sort == "date":
            try:
                every = lean.matches(searcher, q, self._lengths)
            except lean.Unsupported:
                every = list(searcher.docs_for_query(q))
            field = searcher.schema["published"]
            # The column holds sortable values: an undated document has the largest.
            missing = field.to_column_value(field.max_value)
            docnums, total = _by_date(every, limit, self._published_column(searcher), missing)
            docnums = docnums[offset:]
            stored = [searcher.stored_fields(d)["id"] for d in docnums]
            return stored, [0.0] * len(stored), total, True
        # A caller asking for more hits than the budget gets them (the CLI's --limit).
        scan = max(SCAN_BUDGET, limit)
        # The reader's pages (up to BUDGET_PAGE hits deep) all come from the same cut;
        # a longer list (the CLI's --limit) reads in proportion.
        work = WORK_BUDGET * max(1, -(-limit // BUDGET_PAGE))
        try:
            found = lean.run(searcher, q, limit, scan, work, self._lengths)
        except lean.Unsupported:  # another weighting (the library never sets one)
            results = searcher.search(q, limit=None, terms=False)
            hits = [
                (results.docnum(i), float(results.score(i) or 0.0))
                for i in range(limit)
                if i < len(results)
            ][offset:]
            return (
                [searcher.stored_fields(d)["id"] for d, _ in hits],
                [s for _, s in hits],
                len(results),
                True,
            )
        top = found.top[offset:]
        stored = [searcher.stored_fields(d)["id"] for d, _ in top]
        if not found.cut and not found.skipped:
            return stored, [s for _, s in top], found.matched, True
        reader = searcher.reader()
        upper = int(reader.doc_count())
        # A query type without an estimate leaves the library size as the bound.
        with contextlib.suppress(Exception):
            upper = min(upper, int(q.estimate_size(reader)))
        # An upper bound (a word in title and body counts twice), never below what was seen.
        return stored, [s for _, s in top], max(upper, found.matched), False

    def _published_column(self, searcher: Any) -> Sequence[int] | None:
        """Every document's `published` value by docnum, read once per searcher."""
        if self._published is not None and self._published[0] is searcher:
            return self._published[1]
        reader = searcher.reader()
        if not reader.has_column("published"):
            return None
        values = whoosh_private.sortable_column(reader, "published")
        self._published = (searcher, values)
        return values


def related_query(article: Article) -> tuple[Any, Highlight] | None:
    """A query for articles sharing the most title words and actors with `article`."""
    from whoosh import query as wq

    from index.search.language import Highlight, analyse

    stems = analyse(TEXT_ANALYZER, article.title)
    clauses: list[Any] = [wq.Term(f, s) for s in dict.fromkeys(stems) for f in ("title", "body")]
    top = sorted(article.actors, key=lambda a: -len(a.mentions))[:8]
    names = []
    for actor in top:
        words = analyse(NAME_ANALYZER, actor.name)
        if words:
            names.append(actor.name)
            clauses.append(
                wq.Term("actors", words[0]) if len(words) == 1 else wq.Phrase("actors", words)
            )
    if not clauses:
        return None
    q = wq.AndNot(wq.Or(clauses), wq.Term("id", article.id))
    return q, Highlight(frozenset(stems), (), tuple(names))


def _by_date(
    docnums: list[int], limit: int, published: Sequence[int] | None, missing: int = -1
) -> tuple[list[int], int]:
    """The `limit` newest of the matches `docnums` (undated last, then index order)
    and the exact total; `published`: the sortable date column, `missing` its value
    for an undated document."""
    if published is None:
        return sorted(docnums)[:limit], len(docnums)
    # Whoosh gives an undated document the largest number, which a newest-first
    # sort would put on top: an article without a date goes last instead.
    top = heapq.nsmallest(limit, docnums, key=lambda d: (published[d] == missing, -published[d], d))
    return top, len(docnums)


if TYPE_CHECKING:  # mypy checks that the embedded backend fits the seam
    from index.storage.backend import SearchIndex

    _conforms: type[SearchIndex] = Engine
