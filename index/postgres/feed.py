"""The PostgreSQL feed by pages: a window, a count, a position and ids of a view, with one user's marks."""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from typing import Any

from index.postgres import rows
from index.postgres.connection import Guard
from index.records import FeedItem
from index.search.feed import check_view

# Past this offset a window of the whole feed is read from the far end (ORDER BY ... DESC):
# an OFFSET walks the index, so `G` at the millionth article costs what the first page does.
FROM_THE_END = 20_000


def _member(view: str, user: str) -> tuple[str, list[Any]]:
    """Whether article `a` is in the view by this user's marks (SQL and its parameters)."""
    check_view(view)
    marked = (
        "EXISTS (SELECT 1 FROM marks m WHERE m.username = %s AND m.mark = %s"
        " AND m.article_id = a.id)"
    )
    views: dict[str, tuple[str, list[Any]]] = {
        "all": ("true", []),
        "unread": (f"NOT {marked}", [user, "read"]),
        "starred": (marked, [user, "starred"]),
    }
    return views[view]


def _where(
    view: str, user: str, keep: Collection[str], drop: Collection[str]
) -> tuple[str, list[Any]]:
    cond, params = _member(view, user)
    params = list(params)
    if drop:
        cond = f"({cond}) AND a.id <> ALL(%s)"
        params.append(sorted(drop))
    if keep:
        cond = f"({cond}) OR a.id = ANY(%s)"
        params.append(sorted(keep))
    return cond, params


def marked_before(con: Any, user: str, mark: str, key: tuple[Any, ...] | None) -> int:
    """This user's `mark` marks on articles (before `key` in the feed, when given): a join
    from the marks, which are few beside the articles."""
    where, params = "", []
    if key is not None:
        where = " AND (a.feed_rank, a.title, a.id) < (%s, %s, %s)"
        params = list(key)
    row = con.execute(
        "SELECT count(*) FROM marks m JOIN articles a ON a.id = m.article_id"
        f" WHERE m.username = %s AND m.mark = %s{where}",
        (user, mark, *params),
    ).fetchone()
    return int(row[0])


def count(
    con: Any, user: str, view: str, keep: Collection[str] = (), drop: Collection[str] = ()
) -> int:
    """The view's length, never by an anti-join over the whole feed: every article, less
    (or only) the marked ones; then the few ids counted in or out whatever their marks."""
    check_view(view)
    if view == "starred":
        n = marked_before(con, user, "starred", None)
    else:
        n = int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
        if view == "unread":
            n -= marked_before(con, user, "read", None)
    member, params = _member(view, user)
    drop = [i for i in drop if i not in set(keep)]
    for ids, sign, cond in ((list(keep), 1, f"NOT ({member})"), (drop, -1, member)):
        if ids:
            (k,) = con.execute(
                f"SELECT count(*) FROM articles a WHERE a.id = ANY(%s) AND {cond}",
                (sorted(ids), *params),
            ).fetchone()
            n += sign * int(k)
    return n


def _excluded_at_most(
    con: Any, user: str, view: str, keep: Collection[str], drop: Collection[str]
) -> int | None:
    """How many articles the view can leave out at most (None: most of them, "starred")."""
    if view == "starred":
        return None
    out = len(drop)
    if view == "unread":
        out += marked_before(con, user, "read", None)
    return out


def window(
    con: Any,
    user: str,
    offset: int,
    limit: int,
    view: str,
    keep: Collection[str] = (),
    drop: Collection[str] = (),
    total: int | None = None,
    after: FeedItem | None = None,
    before: FeedItem | None = None,
) -> list[FeedItem]:
    """Rows `offset`.. of the view (`total`: its length, when the caller knows it).

    Where to start reading, cheapest first: right after `after` or right before `before`
    (the rows next to the window, when the caller has them: keyset); from the end, past
    FROM_THE_END and nearer the end than the start; else an OFFSET from the top.
    """
    offset, limit = max(0, offset), max(0, limit)
    if limit == 0:
        return []
    if after is not None:
        return _read(con, user, view, keep, drop, limit, 0, _key(after), False)
    if before is not None:
        got = _read(con, user, view, keep, drop, limit, 0, _key(before), True)
        return list(reversed(got))
    if offset > FROM_THE_END:
        if total is None:
            total = count(con, user, view, keep, drop)
        if offset >= total:
            return []
        if total - offset < offset:
            last = min(total, offset + limit)
            got = _read(con, user, view, keep, drop, last - offset, total - last, None, True)
            return list(reversed(got))
    return _read(con, user, view, keep, drop, limit, offset, None, False)


def _key(item: FeedItem) -> tuple[Any, ...]:
    return (rows.feed_rank(item.published), item.title, item.id)


def _read(
    con: Any,
    user: str,
    view: str,
    keep: Collection[str],
    drop: Collection[str],
    limit: int,
    skip: int,
    start: tuple[Any, ...] | None,
    backwards: bool,
) -> list[FeedItem]:
    """`limit` rows of the view after `skip` of them, from `start` (excluded) or an end.

    The rows are found on the feed index alone (no row read but the page's): the first
    `skip + limit + E` keys in order, E being how many the view can leave out at most
    (its read marks, `drop`), hold the page whatever is left out, so the marks are
    looked up for those keys only, never across the whole feed.
    """
    cond, params = _where(view, user, keep, drop)
    columns = ", ".join(f"a.{c.strip()}" for c in rows.FEED_COLUMNS.split(","))
    d = " DESC" if backwards else ""
    order = f"feed_rank{d}, title{d}, id{d}"
    where, start_params = "", []
    if start is not None:
        where = f" WHERE (a.feed_rank, a.title, a.id) {'<' if backwards else '>'} (%s, %s, %s)"
        start_params = list(start)
    excluded = _excluded_at_most(con, user, view, keep, drop)
    if excluded is None:  # starred: few rows, found from the marks
        sql = (
            f"SELECT {columns} FROM articles a WHERE ({cond})"
            + (where.replace(" WHERE ", " AND ") if where else "")
            + f" ORDER BY a.{order.replace(', ', ', a.')} LIMIT %s OFFSET %s"
        )
        got = con.execute(sql, (*params, *start_params, limit, skip)).fetchall()
        return [rows.feed_item(r) for r in got]
    if cond == "true":  # every article: the page's keys straight off the index
        page = (
            f"SELECT a.feed_rank, a.title, a.id FROM articles a{where}"
            f" ORDER BY a.{order.replace(', ', ', a.')} LIMIT %s OFFSET %s"
        )
        got = con.execute(
            f"WITH page AS ({page}) SELECT {columns} FROM page p JOIN articles a ON a.id = p.id"
            f" ORDER BY p.{order.replace(', ', ', p.')}",
            (*start_params, limit, skip),
        ).fetchall()
        return [rows.feed_item(r) for r in got]
    got = con.execute(
        "WITH cand AS MATERIALIZED ("
        f"SELECT a.feed_rank, a.title, a.id FROM articles a{where} ORDER BY a.{order.replace(', ', ', a.')}"
        " LIMIT %s),"
        f" page AS (SELECT a.* FROM cand a WHERE {cond} ORDER BY a.{order.replace(', ', ', a.')}"
        " LIMIT %s OFFSET %s)"
        f" SELECT {columns} FROM page p JOIN articles a ON a.id = p.id"
        f" ORDER BY p.{order.replace(', ', ', p.')}",
        (*start_params, skip + limit + excluded, *params, limit, skip),
    ).fetchall()
    return [rows.feed_item(r) for r in got]


def _all_before(con: Any, key: tuple[Any, ...]) -> int:
    """How many articles come before `key` in the feed: counted from the nearer end when
    that is within FROM_THE_END of it (an index walk costs what it counts)."""
    for op, order in (("<", ""), (">", " DESC")):
        (n,) = con.execute(
            "SELECT count(*) FROM (SELECT 1 FROM articles a"
            f" WHERE (a.feed_rank, a.title, a.id) {op} (%s, %s, %s)"
            f" ORDER BY a.feed_rank{order}, a.title{order}, a.id{order} LIMIT %s) s",
            (*key, FROM_THE_END),
        ).fetchone()
        if n < FROM_THE_END:
            if op == "<":
                return int(n)
            (total,) = con.execute("SELECT count(*) FROM articles").fetchone()
            return int(total) - 1 - int(n)
    (n,) = con.execute(
        "SELECT count(*) FROM articles a WHERE (a.feed_rank, a.title, a.id) < (%s, %s, %s)", key
    ).fetchone()
    return int(n)


def position(con: Any, user: str, article_id: str, view: str) -> int | None:
    cond, params = _member(view, user)
    found = con.execute(
        f"SELECT a.feed_rank, a.title, a.id FROM articles a WHERE ({cond}) AND a.id = %s",
        (*params, article_id),
    ).fetchone()
    if found is None:
        return None
    key = tuple(found)
    if view == "starred":
        return marked_before(con, user, "starred", key)
    before = _all_before(con, key)
    if view == "unread":
        before -= marked_before(con, user, "read", key)
    return before


def ids(
    con: Any, user: str, view: str, keep: Collection[str] = (), drop: Collection[str] = ()
) -> list[str]:
    cond, params = _where(view, user, keep, drop)
    got = con.execute(
        f"SELECT a.id FROM articles a WHERE {cond} ORDER BY a.feed_rank, a.title, a.id", params
    ).fetchall()
    return [r[0] for r in got]


def items(con: Any, wanted: Collection[str]) -> list[FeedItem]:
    if not wanted:
        return []
    columns = ", ".join(f"a.{c.strip()}" for c in rows.FEED_COLUMNS.split(","))
    got = con.execute(
        f"SELECT {columns} FROM articles a WHERE a.id = ANY(%s)"
        " ORDER BY a.feed_rank, a.title, a.id",
        (list(wanted),),
    ).fetchall()
    return [rows.feed_item(r) for r in got]


def set_many(con: Any, user: str, mark: str, wanted: Sequence[str], on: bool) -> None:
    wanted = list(dict.fromkeys(wanted))  # one row once: ON CONFLICT updates a row at most once
    if on:
        con.execute(
            "INSERT INTO marks(username, mark, article_id) SELECT %s, %s, unnest(%s::text[])"
            " ON CONFLICT (username, mark, article_id) DO UPDATE SET at = now()",
            (user, mark, list(wanted)),
        )
    else:
        con.execute(
            "DELETE FROM marks WHERE username = %s AND mark = %s AND article_id = ANY(%s)",
            (user, mark, list(wanted)),
        )


class PgFeedPages:
    """`PgLibrary`'s feed by pages (issue 14), as `Library`'s: offsets into a view."""

    con: Any
    rcon: Any  # the hot standby with `read_url`, else `con`
    user: str
    readonly: bool
    _lock: threading.RLock

    def _guard(self) -> Guard:
        raise NotImplementedError  # (PgLibrary's)

    def _read_guard(self) -> Guard:
        raise NotImplementedError  # (PgLibrary's)

    def _for(self, view: str) -> tuple[Any, Guard]:
        """Where a view is read: the whole feed from the standby (with `read_url`); the
        views made by this user's marks from the primary, where a mark shows at once."""
        if view == "all":
            return self.rcon, self._read_guard()
        return self.con, self._guard()

    def feed_count(self, view: str = "all") -> int:
        con, guard = self._for(view)
        with self._lock, guard:
            return count(con, self.user, view)

    def feed_counts(self) -> tuple[int, int]:
        with self._lock, self._guard():
            total = count(self.con, self.user, "all")
            return total, total - marked_before(self.con, self.user, "read", None)

    def feed_slice(
        self,
        offset: int,
        limit: int,
        view: str = "all",
        *,
        keep: Collection[str] = (),
        drop: Collection[str] = (),
        total: int | None = None,
        after: FeedItem | None = None,
        before: FeedItem | None = None,
    ) -> list[FeedItem]:
        con, guard = self._for(view)
        with self._lock, guard:
            return window(con, self.user, offset, limit, view, keep, drop, total, after, before)

    def feed_position(self, id: str, view: str = "all") -> int | None:
        con, guard = self._for(view)
        with self._lock, guard:
            return position(con, self.user, id, view)

    def feed_ids(
        self, view: str = "all", *, keep: Collection[str] = (), drop: Collection[str] = ()
    ) -> list[str]:
        con, guard = self._for(view)
        with self._lock, guard:
            return ids(con, self.user, view, keep, drop)

    def feed_items(self, ids: Collection[str]) -> list[FeedItem]:
        with self._lock, self._read_guard():
            return items(self.rcon, ids)

    def set_read_many(self, ids: Collection[str], read: bool = True) -> None:
        if self.readonly or not ids:
            return
        with self._lock, self._guard():
            set_many(self.con, self.user, "read", list(ids), read)
