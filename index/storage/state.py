"""Reader state (read and starred articles) in its own small SQLite file, kept across rebuilds."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from index.storage.catalog import connect, is_damage, set_aside

STATE_FILE = "state.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS read (id TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS starred (id TEXT PRIMARY KEY, at REAL NOT NULL);
"""

T = TypeVar("T")


class ReaderState:
    """Read/starred flags; every change is one short autocommitted statement (WAL mode).

    Marks are the least important file of a library: a damaged `state.sqlite` is
    moved aside and a fresh one started (`notice` then says the marks were lost)
    rather than locking the reader out. Read-only, marks are kept in memory for
    the session and `notice` says they can't be saved.
    """

    def __init__(self, library: Path, readonly: bool = False) -> None:
        self.path = library / STATE_FILE
        self.readonly = readonly
        self.notice: str | None = None
        self._memory: dict[str, set[str]] = {"read": set(), "starred": set()}
        self.con: sqlite3.Connection | None = None
        if readonly:
            self.notice = "read-only library: read/starred marks can't be saved"
            if self.path.exists():
                try:
                    self.con = connect(self.path, readonly=True)
                    for table in ("read", "starred"):
                        self._memory[table] = self._ids_db(table)
                except sqlite3.DatabaseError:
                    self.con = None
            return
        try:
            self._open()
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            self._reset(exc)

    def _open(self) -> None:
        self.con = connect(self.path)
        # The file is small (marks only): a full check costs nothing and finds
        # damage in pages the first queries would not touch.
        row = self.con.execute("PRAGMA quick_check(1)").fetchone()
        if row is None or row[0] != "ok":
            # quick_check's report runs over several lines: the notice is one.
            raise sqlite3.DatabaseError("database disk image is malformed")
        self.con.executescript(_SCHEMA)

    def _reset(self, exc: BaseException) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None
        aside = set_aside(self.path)
        self._open()
        reason = " ".join(str(exc).split())[:200]
        self.notice = (
            f"{self.path.name} was damaged ({reason}): read/starred marks were lost; "
            f"the old file is kept as {aside.name}"
        )

    def _guarded(self, run: Callable[[sqlite3.Connection], T], fallback: T) -> T:
        assert self.con is not None
        try:
            return run(self.con)
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            self._reset(exc)
            return fallback

    def close(self) -> None:
        if self.con is not None:
            self.con.close()

    def _ids_db(self, table: str) -> set[str]:
        assert self.con is not None
        return {r[0] for r in self.con.execute(f"SELECT id FROM {table}")}

    def _ids(self, table: str) -> set[str]:
        if self.readonly:
            return set(self._memory[table])
        return self._guarded(lambda con: self._ids_db(table), set())

    def _write(
        self, write: Callable[[sqlite3.Connection], None], remember: Callable[[], None]
    ) -> None:
        """Change the marks by `write`; in memory by `remember` when the library is read-only."""
        if self.readonly:
            remember()
            return
        try:
            self._guarded(write, None)
        except sqlite3.OperationalError as exc:
            if "readonly" not in str(exc).replace(" ", "").lower():
                raise
            # Files made read-only under us: keep the marks for this session.
            self.readonly = True
            self.notice = "read-only library: read/starred marks can't be saved"
            self._memory = {"read": self._ids_db("read"), "starred": self._ids_db("starred")}
            remember()

    def _set(self, table: str, article_id: str, on: bool) -> None:
        def remember() -> None:
            (self._memory[table].add if on else self._memory[table].discard)(article_id)

        def write(con: sqlite3.Connection) -> None:
            if on:
                con.execute(
                    f"INSERT OR REPLACE INTO {table}(id, at) VALUES (?, ?)",
                    (article_id, time.time()),
                )
            else:
                con.execute(f"DELETE FROM {table} WHERE id=?", (article_id,))

        self._write(write, remember)

    def set_many(self, table: str, ids: Collection[str], on: bool) -> None:
        """`_set` for many ids in one transaction (mark a whole view read)."""
        if table not in ("read", "starred"):
            raise ValueError(table)
        now = time.time()

        def remember() -> None:
            (self._memory[table].update if on else self._memory[table].difference_update)(ids)

        def write(con: sqlite3.Connection) -> None:
            con.execute("BEGIN IMMEDIATE")
            try:
                if on:
                    con.executemany(
                        f"INSERT OR REPLACE INTO {table}(id, at) VALUES (?, ?)",
                        [(i, now) for i in ids],
                    )
                else:
                    con.executemany(f"DELETE FROM {table} WHERE id=?", [(i,) for i in ids])
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

        self._write(write, remember)

    def read_ids(self) -> set[str]:
        return self._ids("read")

    def starred_ids(self) -> set[str]:
        return self._ids("starred")

    def set_read(self, article_id: str, read: bool = True) -> None:
        self._set("read", article_id, read)

    def set_starred(self, article_id: str, starred: bool) -> None:
        self._set("starred", article_id, starred)

    def data_version(self) -> int:
        if self.con is None:
            return 0
        try:
            return int(self.con.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.DatabaseError:
            return 0


if TYPE_CHECKING:  # mypy checks that the embedded backend fits the seam
    from index.storage.backend import MarkStore

    _conforms: type[MarkStore] = ReaderState
