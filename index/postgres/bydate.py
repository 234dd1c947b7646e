"""A query's first matches in feed order (newest first) on PostgreSQL: the feed read in growing slices.

Walking the feed index and testing each row finds the matches of a word in
most articles at once, but a word the newest articles lack makes the walk read
(and detoast) row after row. So the feed is cut into slices of feed ranks,
bounded by rows and feed ranks (never by time spent): the newest FIRST_SLICE
rows are walked, each next slice spans GROWTH times more feed rank (seconds)
and is read through the indexes (the GIN bitmap of the words AND the slice's
feed-rank range), so a slice costs the word's posting list, the slice's index
entries and its matches, not a walk that detoasts every row.
Every slice before the last is read whole: the answer is exact, the same rows
in the same order as one ORDER BY over every match.
"""

from __future__ import annotations

from typing import Any

from index.postgres.rows import FEED_ORDER
from index.postgres.schema import UNDATED

FIRST_SLICE = 1024
GROWTH = 8
# Slices after the first: their spans of feed rank (seconds) grow from the first
# slice's span (at least MIN_SPAN), GROWTH times each; after BOUNDED of them the
# rest of the feed is one slice. Counting the rows of each slice through the feed
# index would cost more than reading it (a visibility check per row).
MIN_SPAN = 3600
BOUNDED = 3
# Below every feed rank (bigint's least value).
TOP = -(2**63)


def _slice_end(con: Any, rows: int) -> tuple[int, int] | None:
    """(the first feed rank, the feed rank of the `rows`-th row) of the feed, None when empty."""
    got = con.execute(
        "SELECT min(feed_rank), max(feed_rank) FROM"
        " (SELECT feed_rank FROM articles ORDER BY feed_rank LIMIT %s) f",
        (rows,),
    ).fetchone()
    return None if got is None or got[0] is None else (int(got[0]), int(got[1]))


def first_by_date(con: Any, where_sql: str, params: tuple[Any, ...], need: int) -> list[str]:
    """The ids of the first `need` matches of `where_sql` (over `articles a`) in feed order."""
    ends = _slice_end(con, FIRST_SLICE)
    if ends is None:
        return []
    first, hi = ends
    span = max(MIN_SPAN, hi - first + 1)
    out: list[str] = []
    lo: int = TOP
    bounded: int | None = hi
    for n in range(BOUNDED + 2):
        bounds, more = "a.feed_rank >= %s", [lo]
        if bounded is not None:
            bounds += " AND a.feed_rank <= %s"
            more.append(bounded)
        with con.transaction():
            # The plan is forced (walk the first slice, bitmaps after); either
            # plan gives the same rows, only the cost differs.
            # One round trip for both settings (no parameters: one simple query).
            con.execute(
                "SET LOCAL enable_seqscan = off;"
                f" SET LOCAL enable_{'bitmapscan' if n == 0 else 'indexscan'} = off"
            )
            got = con.execute(
                f"SELECT a.id FROM articles a WHERE ({where_sql}) AND {bounds}"
                f" ORDER BY {FEED_ORDER} LIMIT %s",
                (*params, *more, need - len(out)),
            ).fetchall()
        out.extend(r[0] for r in got)
        if len(out) >= need or bounded is None:
            break
        lo, span = bounded + 1, span * GROWTH
        bounded = lo + span - 1 if n < BOUNDED and lo + span - 1 < UNDATED else None
    return out
