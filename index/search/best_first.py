"""Best blocks first: a query's driving words read block by block, the best possible score first."""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

from index.search.lean_eval import OPEN, Evaluator, Outcome, Scores
from index.storage import whoosh_blocks, whoosh_private

# A driving block whose postings are fewer than one in this many of the documents
# it spans (a title word) has its documents scored one by one, not its whole range.
SPARSE = 8


def run_blocks(
    ev: Evaluator,
    q: Any,
    drivers: list[Any],
    limit: int,
    scan: int | None,
    work: int | None,
    prune: bool,
) -> Outcome:
    """`run` for a query with driving words `drivers` (Term queries)."""
    leaves = list(reversed(list(ev.top.leaf_searchers())))  # the segment written last first
    order, dirs, exactable = _order(ev, q, drivers, leaves)
    best: list[tuple[float, int]] = []  # a heap of (score, -docnum): the worst on top
    done: list[list[tuple[int, int]]] = [[] for _ in leaves]  # docnum ranges read, per segment
    scored: list[set[int]] = [set() for _ in leaves]  # matches counted, per segment
    matched = 0
    cut = early = False
    for pos, (negbound, rank, k, i) in enumerate(order):
        if prune and exactable and len(best) >= limit:
            theta = best[0][0]
            if -negbound < theta - _margin(theta):
                early = True  # no unread document can beat the top list
                break
        blocks = dirs[rank, k]
        sub, offset = leaves[rank]
        n = int(sub.reader().doc_count_all())
        first, last = blocks.firsts[i], min(blocks.lasts[i], n - 1)
        ev.theta = best[0][0] if prune and len(best) >= limit else None
        found: Scores = {}
        if last - first + 1 > SPARSE * blocks.count(i):
            # A sparse block (a title word): its own documents, scored one by one.
            ids, _, cost = blocks.decode(i)
            ev.work += cost
            todo = [d for d in ids if not _covered(done[rank], d)]
            if todo:
                ev.lo, ev.hi = 0, n
                found = ev.evaluate(q, sub, todo)
        else:
            # A dense block: the whole query on its range of documents, as a window
            # (the other words' postings there are read in whole blocks anyway).
            for lo, hi in _uncovered(done[rank], first, last + 1):
                ev.lo, ev.hi = lo, hi
                found.update(ev.evaluate_top(q, sub))
            _cover(done[rank], first, last + 1)
        known = scored[rank]
        docnums = sorted(d for d in found if d not in known)
        if scan is not None and matched + len(docnums) > scan:
            docnums = docnums[: scan - matched]
            cut = True
        matched += len(docnums)
        known.update(docnums)
        offer(best, found, docnums, offset, limit)
        if pos + 1 < len(order) and (
            (scan is not None and matched >= scan) or (work is not None and ev.work >= work)
        ):
            cut = True
        if cut:
            break
    best.sort(reverse=True)
    return Outcome([(-nd, s) for s, nd in best], matched, cut, early or ev.skipped)


def _order(
    ev: Evaluator, q: Any, drivers: list[Any], leaves: list[Any]
) -> tuple[list[tuple[float, int, int, int]], dict[tuple[int, int], whoosh_blocks.Blocks], bool]:
    """Every driving block as (-bound, segment rank, driver, block), best first; the
    block directories by (segment rank, driver); whether the bounds are all known."""
    order: list[tuple[float, int, int, int]] = []
    dirs: dict[tuple[int, int], whoosh_blocks.Blocks] = {}
    exactable = True
    for rank, (sub, _offset) in enumerate(leaves):
        reader = sub.reader()
        whole = seg_bound(ev, q, reader)
        if whole == OPEN:
            exactable = False
        for k, term in enumerate(drivers):
            directory = term_blocks(ev, term, reader)
            if directory is None:
                continue
            blocks, score = directory
            dirs[rank, k] = blocks
            # The rest of the query adds at most `whole` less this word's best.
            rest = (whole - term_max(ev, term, reader)) if whole != OPEN else 0.0
            for i in range(len(blocks)):
                b = score(blocks.maxweights[i], blocks.minlengths[i]) * term.boost + rest
                order.append((-b, rank, k, i))
    order.sort()
    return order, dirs, exactable


def _covered(ranges: list[tuple[int, int]], d: int) -> bool:
    k = bisect_left(ranges, (d + 1,)) - 1
    return k >= 0 and ranges[k][0] <= d < ranges[k][1]


def _uncovered(ranges: list[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    """The parts of [lo, hi) outside the sorted, disjoint `ranges`."""
    out: list[tuple[int, int]] = []
    for a, b in ranges:
        if b <= lo:
            continue
        if a >= hi:
            break
        if a > lo:
            out.append((lo, a))
        lo = max(lo, b)
    if lo < hi:
        out.append((lo, hi))
    return out


def _cover(ranges: list[tuple[int, int]], lo: int, hi: int) -> None:
    """Add [lo, hi) to the sorted, disjoint `ranges`, merging what touches."""
    keep = [r for r in ranges if r[1] < lo or r[0] > hi]
    for a, b in ranges:
        if not (b < lo or a > hi):
            lo, hi = min(lo, a), max(hi, b)
    keep.append((lo, hi))
    keep.sort()
    ranges[:] = keep


def _margin(score: float) -> float:
    # Sums of bounds and sums of scores may round differently in the last bit.
    return 1e-9 * abs(score) + 1e-12


def drivers(q: Any, ev: Evaluator) -> list[Any] | None:
    """Words (Term queries) every match of `q` holds at least one of, the fewest
    known cheaply (None: no such words, e.g. `NOT x`)."""
    from whoosh import query as wq

    kind = type(q)
    if kind is wq.Term:
        return [q] if q.boost >= 0 else None
    if kind is wq.Or and q.scale is None and not getattr(q, "minmatch", 0):
        out: list[Any] = []
        for part in q.subqueries:
            more = drivers(part, ev)
            if more is None:
                return None
            out.extend(more)
        return out
    if kind is wq.And:
        options = [d for d in (drivers(p, ev) for p in q.subqueries) if d]
        # The rarest part: the fewest postings to read.
        return min(options, key=ev.postings_count) if options else None
    if kind is wq.AndNot:
        return drivers(q.a, ev)
    if kind is wq.Phrase and q.words:
        words = [wq.Term(q.fieldname, w) for w in q.words]
        return [min(words, key=lambda t: ev.postings_count([t]))]
    return None


def seg_bound(ev: Evaluator, q: Any, reader: Any) -> float:
    """The best score a match of `q` can have in one segment (OPEN: unknown)."""
    from whoosh import query as wq

    kind = type(q)
    boost = getattr(q, "boost", 1.0)
    if kind is wq.Term:
        return term_max(ev, q, reader)
    if boost != 1.0:
        return OPEN
    if kind is wq.Or and q.scale is None and not getattr(q, "minmatch", 0):
        return sum(seg_bound(ev, p, reader) for p in q.subqueries)
    if kind is wq.And:
        return sum(seg_bound(ev, p, reader) for p in q.subqueries)
    if kind is wq.AndNot:
        return seg_bound(ev, q.a, reader)
    if kind is wq.Phrase and q.slop == 1 and ev._has_positions(q.fieldname):
        return sum(term_max(ev, wq.Term(q.fieldname, w), reader) for w in q.words)
    if kind is wq.ConstantScoreQuery:
        return float(q.score)
    if isinstance(q, wq.NumericRange):
        return seg_bound(ev, whoosh_private.compiled_range(q, reader), reader)
    return OPEN


def term_max(ev: Evaluator, q: Any, reader: Any) -> float:
    """`_max_score` with the term's boost (OPEN for a negative one)."""
    if q.boost < 0:
        return OPEN
    return float(ev._max_score(q, reader) * q.boost)


def term_blocks(ev: Evaluator, q: Any, reader: Any) -> tuple[whoosh_blocks.Blocks, Any] | None:
    """A term's block directory in a segment and its score of (weight, length)."""
    schema = ev.top.schema
    if q.fieldname not in schema:
        return None
    field = schema[q.fieldname]
    try:
        text = field.to_bytes(q.text)
    except ValueError:
        return None
    blocks = ev._blocks(reader, q.fieldname, text)
    if blocks is None:
        return None
    score = ev._bm25(q.fieldname, text) if field.scorable else (lambda tf, fl: tf)
    return blocks, score


def offer(
    best: list[tuple[float, int]], found: Scores, docnums: Sequence[int], offset: int, limit: int
) -> None:
    """Offer a segment's scored `docnums` (global docnum = docnum + `offset`) to the heap
    `best` of the top `limit` as (score, -global docnum): equal scores keep the earlier."""
    for d in docnums:
        item = (found[d], -(d + offset))
        if len(best) < limit:
            heapq.heappush(best, item)
        elif item > best[0]:
            heapq.heapreplace(best, item)
