"""Reader state (read and starred articles) in its own small SQLite file, kept across rebuilds."""

from __future__ import annotations

import time
from pathlib import Path

from index.catalog import connect

STATE_FILE = "state.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS read (id TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS starred (id TEXT PRIMARY KEY, at REAL NOT NULL);
"""


class ReaderState:
    """Read/starred flags; every change is one short autocommitted statement (WAL mode)."""

    def __init__(self, library: Path) -> None:
        self.con = connect(library / STATE_FILE)
        self.con.executescript(_SCHEMA)

    def close(self) -> None:
        self.con.close()

    def _ids(self, table: str) -> set[str]:
        return {r[0] for r in self.con.execute(f"SELECT id FROM {table}")}

    def _set(self, table: str, article_id: str, on: bool) -> None:
        if on:
            self.con.execute(
                f"INSERT OR REPLACE INTO {table}(id, at) VALUES (?, ?)", (article_id, time.time())
            )
        else:
            self.con.execute(f"DELETE FROM {table} WHERE id=?", (article_id,))

    def read_ids(self) -> set[str]:
        return self._ids("read")

    def starred_ids(self) -> set[str]:
        return self._ids("starred")

    def set_read(self, article_id: str, read: bool = True) -> None:
        self._set("read", article_id, read)

    def set_starred(self, article_id: str, starred: bool) -> None:
        self._set("starred", article_id, starred)

    def data_version(self) -> int:
        return int(self.con.execute("PRAGMA data_version").fetchone()[0])
