"""Term-at-a-time BM25F for the common query shapes, the posting blocks that may score best first."""

from __future__ import annotations

from typing import Any

from index.search import best_first
from index.search.lean_eval import Evaluator, Outcome, _groups
from index.storage import whoosh_blocks

# The evaluator's old name, for callers that built one themselves.
_Evaluator = Evaluator


class Unsupported(Exception):
    """The weighting is not Whoosh's plain BM25F: the caller runs Whoosh's own matchers."""


class Lengths:
    """Field lengths per segment, read once and kept while the segment lives."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], list[int]] = {}

    def get(self, reader: Any, fieldname: str) -> list[int]:
        key = (reader.segment().segment_id(), fieldname)
        found = self._cache.get(key)
        if found is None:
            found = whoosh_blocks.field_lengths(reader, fieldname)
            self._cache[key] = found
        return found

    def keep_only(self, segment_ids: set[str]) -> None:
        """Forget the segments a merge removed."""
        for key in [k for k in self._cache if k[0] not in segment_ids]:
            del self._cache[key]


# A segment larger than this is read in windows of this many documents, so that
# a budget can stop within it.
WINDOW = 8192
# The first window is small: the top list fills there, and block skipping starts.
FIRST_WINDOW = 1024


def windows(searcher: Any) -> list[tuple[Any, int, int, int]]:
    """(leaf searcher, docnum offset, first, end) windows, the segment written last first."""
    out: list[tuple[Any, int, int, int]] = []
    for sub, offset in reversed(list(searcher.leaf_searchers())):
        n = int(sub.reader().doc_count_all())
        lo = 0
        while lo < n or lo == 0:
            size = FIRST_WINDOW if not out else WINDOW
            out.append((sub, offset, lo, min(n, lo + size)))
            lo += size
    return out


def run(
    searcher: Any,
    q: Any,
    limit: int,
    scan: int | None,
    work: int | None,
    lengths: Lengths,
    prune: bool = True,
) -> Outcome:
    """The `limit` best matches of `q` among the documents read before a budget ran out.

    By default (`BEST_BLOCKS_FIRST` off) every query is read window by window,
    the segment written last first (`_run_windows`). With it on, a query with
    driving words (words every match holds one of: a word, every word of an OR,
    the rarest part of an AND, the rarest word of a phrase) reads their posting
    blocks, in every segment, best first: by the best score a document of the
    block can have (the block's largest weight and shortest field length, plus
    the best the rest of the query can add in that segment), each block's range
    of documents scored as a window (a sparse block, a title word, document by
    document). Reading stops
    - when every driving block is read: every match was scored (exhaustive);
    - when the best the next block can give is below the `limit`-th best score
      found (with `prune`): the top list is exact, though the matches left unread
      are not counted (`skipped`: the total is an estimate);
    - after the block in which the work (postings decoded, headers read, calls)
      passed `work`, or the matches found `scan` (`cut`: the best of what was
      read). None: no limit.

    Scores are Whoosh's BM25F to the last bit for Term, Or, And and AndNot;
    any other query type is scored by Whoosh's own matcher for it. Every cut
    depends only on the index (never the clock): the same query on the same
    library gives the same hits and total everywhere.
    """
    from whoosh import scoring

    weighting = searcher.weighting
    if type(weighting) is not scoring.BM25F:
        raise Unsupported(type(weighting).__name__)
    ev = Evaluator(searcher, weighting, lengths)
    first = BEST_BLOCKS_FIRST or (BEST_BLOCKS_FOR_WORDS and _single_group(q))
    drivers = best_first.drivers(q, ev) if first else None
    if drivers is None:
        return _run_windows(ev, q, limit, scan, work, prune)
    return best_first.run_blocks(ev, q, drivers, limit, scan, work, prune)


# Read the driving words' best blocks first (`_run_blocks`); off: every query is
# read newest first (`_run_windows`). Off: at the same CPU it found no more of the
# exhaustive top 20 than newest first at 100,000 articles (README, search figures).
BEST_BLOCKS_FIRST = False
# ... except for a text word or an OR of them (the whole query is its driving
# words): there best first found 0.49 of the exhaustive top 20 of common words at
# 100,000 articles where newest first found 0.34, at the same budget. (Names, with
# their many sparse alias keys, and ANDs lost recall that way.)
BEST_BLOCKS_FOR_WORDS = True


def _run_windows(
    ev: Evaluator, q: Any, limit: int, scan: int | None, work: int | None, prune: bool
) -> Outcome:
    """`run` newest first: window by window (see `windows`), the
    segment written last first, in docnum order within one; reading stops after
    `scan` matches (the window with the last one is cut there) or after the window
    in which the work passed `work`."""
    best: list[tuple[float, int]] = []  # a heap of (score, -docnum): the worst on top
    matched = 0
    cut = False
    parts = windows(ev.top)
    for i, (sub, offset, lo, hi) in enumerate(parts):
        ev.lo, ev.hi = lo, hi
        # The score a match must beat to enter the top list: blocks that cannot are skipped.
        ev.theta = best[0][0] if prune and len(best) >= limit else None
        found = ev.evaluate_top(q, sub)
        docnums = sorted(found)
        if scan is not None and matched + len(docnums) > scan:
            docnums = docnums[: scan - matched]
            cut = True
        matched += len(docnums)
        best_first.offer(best, found, docnums, offset, limit)
        if i + 1 < len(parts) and (
            (scan is not None and matched >= scan) or (work is not None and ev.work >= work)
        ):
            cut = True
        if cut:
            break
    best.sort(reverse=True)
    return Outcome([(-nd, s) for s, nd in best], matched, cut, ev.skipped)


def matches(searcher: Any, q: Any, lengths: Lengths) -> list[int]:
    """Every match of `q` (global docnums, ascending)."""
    from whoosh import scoring

    if type(searcher.weighting) is not scoring.BM25F:
        raise Unsupported(type(searcher.weighting).__name__)
    ev = Evaluator(searcher, searcher.weighting, lengths)
    ev.scored = False
    out: list[int] = []
    for sub, offset, lo, hi in reversed(windows(searcher)):
        ev.lo, ev.hi = lo, hi
        out.extend(d + offset for d in sorted(ev.evaluate(q, sub, None)))
    return sorted(out)


def _single_group(q: Any) -> bool:
    """A text word or an OR of them (no AND, phrase, name or other part)."""
    groups = _groups(q)
    return (
        groups is not None
        and len(groups) == 1
        and all(t.fieldname in ("title", "body") for t in groups[0])
    )
