"""A query's first matches in feed order (newest first) on PostgreSQL: the feed read in growing slices.

Walking the feed index and testing each row finds the matches of a word in
most articles at once, but a word the newest articles lack makes the walk read
(and detoast) row after row. So the feed is cut into slices of feed ranks,
counted in rows of the feed index (never in time): the first slice is walked,
each next one is GROWTH times larger and is read through the indexes (the
GIN bitmap of the words AND the feed-rank range of the slice), so a slice
costs the word's posting list and the slice's index entries, not its rows.
Every slice before the last is read whole: the answer is exact, the same rows
in the same order as one ORDER BY over every match.
"""

from __future__ import annotations

from typing import Any

from index.postgres.rows import FEED_ORDER

FIRST_SLICE = 1024
GROWTH = 8
# Below every feed rank (bigint's least value).
TOP = -(2**63)


def _slice_end(con: Any, lo: int, rows: int) -> int | None:
    """The feed rank of the `rows`-th row from `lo` on (None: fewer rows are left)."""
    got = con.execute(
        "SELECT feed_rank FROM articles WHERE feed_rank >= %s ORDER BY feed_rank OFFSET %s LIMIT 1",
        (lo, rows - 1),
    ).fetchone()
    return None if got is None else int(got[0])


def first_by_date(con: Any, where_sql: str, params: tuple[Any, ...], need: int) -> list[str]:
    """The ids of the first `need` matches of `where_sql` (over `articles a`) in feed order."""
    out: list[str] = []
    lo, size, walk = TOP, FIRST_SLICE, True
    while len(out) < need:
        hi = _slice_end(con, lo, size)
        bounds, more = "a.feed_rank >= %s", [lo]
        if hi is not None:
            bounds += " AND a.feed_rank <= %s"
            more.append(hi)
        with con.transaction():
            # The plan is forced (walk the first slice, bitmaps after); either
            # plan gives the same rows, only the cost differs.
            con.execute("SET LOCAL enable_seqscan = off")
            con.execute(f"SET LOCAL enable_{'bitmapscan' if walk else 'indexscan'} = off")
            got = con.execute(
                f"SELECT a.id FROM articles a WHERE ({where_sql}) AND {bounds}"
                f" ORDER BY {FEED_ORDER} LIMIT %s",
                (*params, *more, need - len(out)),
            ).fetchall()
        out.extend(r[0] for r in got)
        if hi is None:
            break
        lo, size, walk = hi + 1, size * GROWTH, False
    return out
