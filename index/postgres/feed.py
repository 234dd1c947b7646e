"""The PostgreSQL feed by pages: a window, a count, a position and ids of a view, with one user's marks."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from index.postgres import rows
from index.records import FeedItem
from index.search.feed import check_view

# Past this offset a window of the whole feed is read from the far end (ORDER BY ... DESC):
# an OFFSET walks the index, so `G` at the millionth article costs what the first page does.
FROM_THE_END = 20_000


def _where(
    view: str, user: str, keep: Collection[str], drop: Collection[str]
) -> tuple[str, list[Any]]:
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
    cond, params = views[view]
    if drop:
        cond = f"({cond}) AND a.id <> ALL(%s)"
        params.append(sorted(drop))
    if keep:
        cond = f"({cond}) OR a.id = ANY(%s)"
        params.append(sorted(keep))
    return cond, params


def count(
    con: Any, user: str, view: str, keep: Collection[str] = (), drop: Collection[str] = ()
) -> int:
    if view == "unread" and not keep and not drop:
        # Every article less this user's read ones: the marks are few beside the articles.
        row = con.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM marks m"
            " JOIN articles a ON a.id = m.article_id WHERE m.username = %s AND m.mark = 'read')",
            (user,),
        ).fetchone()
        return int(row[0]) - int(row[1])
    cond, params = _where(view, user, keep, drop)
    return int(con.execute(f"SELECT count(*) FROM articles a WHERE {cond}", params).fetchone()[0])


def window(
    con: Any,
    user: str,
    offset: int,
    limit: int,
    view: str,
    keep: Collection[str] = (),
    drop: Collection[str] = (),
) -> list[FeedItem]:
    offset, limit = max(0, offset), max(0, limit)
    cond, params = _where(view, user, keep, drop)
    columns = ", ".join(f"a.{c.strip()}" for c in rows.FEED_COLUMNS.split(","))
    if view == "all" and not keep and not drop and offset > FROM_THE_END:
        total = count(con, user, "all")
        if offset >= total:
            return []
        last = min(total, offset + limit)
        got = con.execute(
            f"SELECT {columns} FROM articles a ORDER BY a.feed_rank DESC, a.title DESC, a.id DESC"
            " LIMIT %s OFFSET %s",
            (last - offset, total - last),
        ).fetchall()
        return [rows.feed_item(r) for r in reversed(got)]
    got = con.execute(
        f"SELECT {columns} FROM articles a WHERE {cond}"
        " ORDER BY a.feed_rank, a.title, a.id LIMIT %s OFFSET %s",
        (*params, limit, offset),
    ).fetchall()
    return [rows.feed_item(r) for r in got]


def position(con: Any, user: str, article_id: str, view: str) -> int | None:
    cond, params = _where(view, user, (), ())
    found = con.execute(
        f"SELECT a.feed_rank, a.title FROM articles a WHERE ({cond}) AND a.id = %s",
        (*params, article_id),
    ).fetchone()
    if found is None:
        return None
    before = con.execute(
        f"SELECT count(*) FROM articles a WHERE ({cond})"
        " AND (a.feed_rank, a.title, a.id) < (%s, %s, %s)",
        (*params, found[0], found[1], article_id),
    ).fetchone()
    return int(before[0])


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
