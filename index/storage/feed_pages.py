"""The embedded feed by pages: a window, a count, a position and ids of a view, marks from state.sqlite."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from index.records import FeedItem
from index.storage.catalog import CATALOG_FILE, connect
from index.storage.feed_rows import check_view, feed_item
from index.storage.state import ReaderState

COLUMNS = "id, title, published, inferred, source, path"
# The feed's order (`catalog.FEED_SQL`), read from the covering index articles_feed_by_date.
ORDER = "ts IS NULL, ts DESC, title, id"
REVERSED = "ts IS NULL DESC, ts ASC, title DESC, id DESC"  # the same index, walked backwards
# Past this offset a window nearer the end is read from the end (an OFFSET walks the index).
FROM_THE_END = 20_000
# The same order as one ascending row value, for "how many come before this one".
KEY = "(ts IS NULL, coalesce(-ts, 0), title, id)"


class FeedPages:
    """Pages of the feed on a connection of its own: the catalog with the marks attached.

    The marks live in another file (`state.sqlite`), attached here read-only in spirit
    (this connection never writes them). A read-only library keeps its marks in memory:
    they are copied into temporary tables before each query instead.
    """

    def __init__(self, library: Path, state: ReaderState, readonly: bool) -> None:
        self.library = library
        self.state = state
        self.readonly = readonly
        self._lock = threading.Lock()
        self._con: sqlite3.Connection | None = None
        self._attached: object = None  # the state connection the marks were attached from

    def close(self) -> None:
        """Drop the connection (closing, or the catalog was swapped): the next query reopens."""
        with self._lock:
            if self._con is not None:
                self._con.close()
            self._con = None
            self._attached = None

    # -- the connection and where the marks are -----------------------------------------

    def _connection(self) -> tuple[sqlite3.Connection, str, str]:
        """The connection and the names of the read and starred tables it sees."""
        con = self._con
        if con is None:
            con = self._con = connect(self.library / CATALOG_FILE, readonly=self.readonly)
            con.execute("CREATE TEMP TABLE mem_read (id TEXT PRIMARY KEY)")
            con.execute("CREATE TEMP TABLE mem_starred (id TEXT PRIMARY KEY)")
        state = self.state
        if state.readonly or state.con is None:
            # Marks held in memory: the reader's current ones, copied for this query.
            for table, ids in (
                ("mem_read", state.read_ids()),
                ("mem_starred", state.starred_ids()),
            ):
                con.execute(f"DELETE FROM {table}")
                con.executemany(f"INSERT INTO {table}(id) VALUES (?)", [(i,) for i in ids])
            return con, "mem_read", "mem_starred"
        if self._attached is not state.con:  # first use, or the marks file was started afresh
            if self._attached is not None:
                con.execute("DETACH DATABASE st")
            con.execute("ATTACH DATABASE ? AS st", (str(state.path),))
            self._attached = state.con
        return con, "st.read", "st.starred"

    def _where(
        self, view: str, read: str, starred: str, keep: Collection[str], drop: Collection[str]
    ) -> tuple[str, list[Any]]:
        check_view(view)
        cond = {
            "all": "1",
            "unread": f"id NOT IN (SELECT id FROM {read})",
            "starred": f"id IN (SELECT id FROM {starred})",
        }[view]
        params: list[Any] = []
        if drop:
            cond = f"({cond}) AND id NOT IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(sorted(drop)))
        if keep:
            cond = f"({cond}) OR id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(sorted(keep)))
        return cond, params

    def _run(
        self,
        sql: str,
        view: str,
        keep: Collection[str],
        drop: Collection[str],
        extra: Sequence[Any] = (),
    ) -> list[Any]:
        with self._lock:
            con, read, starred = self._connection()
            cond, params = self._where(view, read, starred, keep, drop)
            return con.execute(sql.format(where=cond), [*params, *extra]).fetchall()

    # -- the pages ----------------------------------------------------------------------

    def counts(self) -> tuple[int, int]:
        """(articles, unread): every article less the read ones, one look-up per mark."""
        with self._lock:
            con, read, _ = self._connection()
            total, marked = con.execute(
                "SELECT (SELECT count(*) FROM articles),"
                f" (SELECT count(*) FROM articles WHERE id IN (SELECT id FROM {read}))"
            ).fetchone()
            return int(total), int(total) - int(marked)

    def count(self, view: str, keep: Collection[str] = (), drop: Collection[str] = ()) -> int:
        if view == "unread" and not keep and not drop:
            return self.counts()[1]
        return int(self._run("SELECT count(*) FROM articles WHERE {where}", view, keep, drop)[0][0])

    def window(
        self,
        offset: int,
        limit: int,
        view: str,
        keep: Collection[str] = (),
        drop: Collection[str] = (),
        total: int | None = None,
    ) -> list[FeedItem]:
        offset, limit = max(0, offset), max(0, limit)
        if offset > FROM_THE_END:
            if total is None:
                total = self.count(view, keep, drop)
            if offset >= total:
                return []
            if total - offset < offset:
                last = min(total, offset + limit)
                rows = self._run(
                    f"SELECT {COLUMNS} FROM articles WHERE {{where}} ORDER BY {REVERSED}"
                    " LIMIT ? OFFSET ?",
                    view,
                    keep,
                    drop,
                    (last - offset, total - last),
                )
                return [feed_item(r) for r in reversed(rows)]
        rows = self._run(
            f"SELECT {COLUMNS} FROM articles WHERE {{where}} ORDER BY {ORDER} LIMIT ? OFFSET ?",
            view,
            keep,
            drop,
            (max(0, limit), max(0, offset)),
        )
        return [feed_item(r) for r in rows]

    def position(self, article_id: str, view: str) -> int | None:
        """How many articles of the view come before `article_id`; None when it is not in it."""
        found = self._run(
            "SELECT ts IS NULL, coalesce(-ts, 0), title FROM articles WHERE ({where}) AND id = ?",
            view,
            (),
            (),
            (article_id,),
        )
        if not found:
            return None
        before = self._run(
            f"SELECT count(*) FROM articles WHERE ({{where}}) AND {KEY} < (?, ?, ?, ?)",
            view,
            (),
            (),
            (*found[0], article_id),
        )
        return int(before[0][0])

    def ids(self, view: str, keep: Collection[str] = (), drop: Collection[str] = ()) -> list[str]:
        rows = self._run(
            f"SELECT id FROM articles WHERE {{where}} ORDER BY {ORDER}", view, keep, drop
        )
        return [r[0] for r in rows]

    def items(self, ids: Collection[str]) -> list[FeedItem]:
        if not ids:
            return []
        rows = self._run(
            f"SELECT {COLUMNS} FROM articles WHERE ({{where}})"
            f" AND id IN (SELECT value FROM json_each(?)) ORDER BY {ORDER}",
            "all",
            (),
            (),
            (json.dumps(list(ids)),),
        )
        return [feed_item(r) for r in rows]
