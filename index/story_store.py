"""The stories file of a library (`stories.sqlite`): stories, quote trails and actor links, kept in step with the catalog."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from index import stories as st
from index import trails as tr
from index.story_db import (
    FORMAT,
    SCHEMA,
    STORIES_FILE,
    connect,
    damaged,
    refresh_stories,
    story_row,
    trail_rows,
)
from index.story_sync import StorySync

__all__ = ["STORIES_FILE", "StoriesUnavailable", "StoryStore", "SyncReport"]


class StoriesUnavailable(Exception):
    """The stories file cannot be read (and cannot be rebuilt here, e.g. read-only)."""


@dataclass(frozen=True)
class SyncReport:
    added: int
    removed: int
    rebuilt: str | None  # why the file was rebuilt from the catalog, if it was


class StoryStore:
    """Stories, trails and actor links of one library, in their own SQLite file."""

    def __init__(self, library: Path, readonly: bool = False) -> None:
        self.path = library / STORIES_FILE
        self.readonly = readonly
        self.notice: str | None = None  # one line about a rebuilt file
        if readonly:
            if not self.path.exists():
                raise StoriesUnavailable(f"{self.path}: no stories yet (read-only library)")
            try:
                self.con = connect(self.path, True)
            except sqlite3.Error as exc:
                raise StoriesUnavailable(f"{self.path}: cannot be read ({exc})") from exc
            return
        self.con = self._open()

    def _open(self) -> sqlite3.Connection:
        why = None
        try:
            con = connect(self.path, False)
            con.executescript(SCHEMA)
            found = con.execute("SELECT value FROM meta WHERE key='format'").fetchone()
            if found is None:
                con.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (FORMAT,))
                return con
            if found[0] == FORMAT and con.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok":
                return con
            why = "made by another version" if found[0] != FORMAT else "damaged"
            con.close()
        except sqlite3.DatabaseError as exc:
            if not damaged(exc):
                raise
            why = "damaged"
        # Everything here is derived from the catalog: start afresh, the sync refills it.
        for suffix in ("", "-wal", "-shm"):
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
        self.notice = f"{STORIES_FILE} was {why}; stories and trails are rebuilt from the catalog"
        con = connect(self.path, False)
        con.executescript(SCHEMA)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (FORMAT,))
        return con

    def close(self) -> None:
        self.con.close()

    # --- keeping in step with the catalog ---

    def sync(
        self, cat: sqlite3.Connection, phase: Callable[[str], object] | None = None
    ) -> SyncReport:
        """Add the catalog's new articles to stories and trails, drop the removed ones.

        Incremental: an article already here (same catalog row) is not looked at
        again. The catalog's rowid is the ingest order, and changes when a file's
        articles are replaced, which then makes them new here.
        """
        if self.readonly:
            return SyncReport(0, 0, None)
        rows = cat.execute("SELECT rowid, id FROM articles").fetchall()
        have = dict(self.con.execute("SELECT article_id, seq FROM docs").fetchall())
        wanted = {aid: seq for seq, aid in rows}
        gone = [aid for aid, seq in have.items() if wanted.get(aid) != seq]
        if gone and len(gone) > 1000 and len(gone) * 2 > len(have):
            self._clear()  # a rebuilt catalog: starting afresh beats removing one by one
            have = {}
        elif gone:
            self._remove(gone)
        new = sorted((seq, aid) for aid, seq in wanted.items() if have.get(aid) != seq)
        if new:
            if phase is not None:
                phase("grouping stories")
            StorySync(self.con, cat).run([aid for _, aid in new])
        return SyncReport(len(new), len(gone), self.notice)

    def _clear(self) -> None:
        con = self.con
        con.execute("BEGIN IMMEDIATE")
        try:
            for table in ("docs", "postings", "df", "stories", "actors", "quotes", "qkeys"):
                con.execute(f"DELETE FROM {table}")
            con.execute("DELETE FROM meta WHERE key='next_trail'")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def _remove(self, ids: Sequence[str]) -> None:
        con = self.con
        touched: set[str] = set()
        con.execute("BEGIN IMMEDIATE")
        try:
            for aid in ids:
                row = con.execute(
                    "SELECT story, terms, actors FROM docs WHERE article_id=?", (aid,)
                ).fetchone()
                if row is None:
                    continue
                touched.add(row[0])
                for term in [t for t, _ in json.loads(row[1])] + [
                    "@" + a for a in json.loads(row[2])
                ]:
                    con.execute("DELETE FROM postings WHERE term=? AND article_id=?", (term, aid))
                con.execute("DELETE FROM docs WHERE article_id=?", (aid,))
                con.execute("DELETE FROM actors WHERE article_id=?", (aid,))
                con.execute("DELETE FROM quotes WHERE article_id=?", (aid,))
            refresh_stories(con, touched)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    # --- reading ---

    def stories(self, min_size: int = 2) -> list[st.Story]:
        """Stories of at least `min_size` articles, the most recently updated first."""
        rows = self.con.execute(
            "SELECT id, title, members, outlets, first, last, actors FROM stories WHERE size >= ?"
            " ORDER BY last IS NULL, last DESC, size DESC, id",
            (min_size,),
        ).fetchall()
        return [story_row(r) for r in rows]

    def story(self, story_id: str) -> st.Story | None:
        row = self.con.execute(
            "SELECT id, title, members, outlets, first, last, actors FROM stories WHERE id=?",
            (story_id,),
        ).fetchone()
        return story_row(row) if row else None

    def story_of(self, article_id: str) -> str | None:
        row = self.con.execute(
            "SELECT story FROM docs WHERE article_id=?", (article_id,)
        ).fetchone()
        return row[0] if row else None

    def trail_ids(
        self, article_ids: Iterable[str] | None = None
    ) -> dict[tuple[str, int, int], int]:
        """(article id, start, end) of each statement carrying a traced quotation -> its trail id."""
        if article_ids is None:
            rows = self.con.execute(
                "SELECT article_id, stmt_start, stmt_end, trail FROM quotes ORDER BY rowid"
            ).fetchall()
        else:
            ids = list(article_ids)
            rows = []
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                rows += self.con.execute(
                    "SELECT article_id, stmt_start, stmt_end, trail FROM quotes WHERE article_id IN "
                    f"({','.join('?' * len(chunk))}) ORDER BY rowid",
                    chunk,
                ).fetchall()
        out: dict[tuple[str, int, int], int] = {}
        for r in rows:
            # A reported clause quoting several fragments: the trail of its first one.
            out.setdefault((r[0], r[1], r[2]), r[3])
        return out

    def trail_sizes(self, trail_ids: Iterable[int]) -> dict[int, int]:
        """Trail id -> number of articles carrying it."""
        ids = sorted(set(trail_ids))
        out: dict[int, int] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            out.update(
                self.con.execute(
                    "SELECT trail, count(DISTINCT article_id) FROM quotes WHERE trail IN "
                    f"({','.join('?' * len(chunk))}) GROUP BY trail",
                    chunk,
                ).fetchall()
            )
        return out

    def trail(self, trail_id: int) -> tr.Trail | None:
        rows = self.con.execute(
            "SELECT q.article_id, q.start, q.end, q.text, q.speaker, d.ts, d.inferred, d.seq,"
            " d.source, d.title FROM quotes q JOIN docs d ON d.article_id = q.article_id"
            " WHERE q.trail=?",
            (trail_id,),
        ).fetchall()
        return trail_rows(trail_id, rows)

    def doc_meta(
        self, ids: Sequence[str]
    ) -> dict[str, tuple[int | None, bool, int, str | None, str]]:
        """Article id -> (ts, inferred, seq, source, title)."""
        out: dict[str, tuple[int | None, bool, int, str | None, str]] = {}
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            for r in self.con.execute(
                "SELECT article_id, ts, inferred, seq, source, title FROM docs WHERE article_id IN "
                f"({','.join('?' * len(chunk))})",
                chunk,
            ):
                out[r[0]] = (r[1], bool(r[2]), r[3], r[4], r[5])
        return out

    def actor_rows(self, keys: Sequence[str]) -> list[tuple[str, str, int]]:
        """(article id, name, mentions) of the articles naming any of `keys` (casefolded names)."""
        out: list[tuple[str, str, int]] = []
        for k in dict.fromkeys(keys):
            out += self.con.execute(
                "SELECT article_id, name, mentions FROM actors WHERE key=?", (k,)
            ).fetchall()
        return out

    def co_actors(
        self, article_ids: Sequence[str], limit: int = 2000
    ) -> list[tuple[str, str, str]]:
        """(article id, key, name) of every actor of (at most `limit` of) the articles."""
        ids = list(article_ids)[:limit]
        out: list[tuple[str, str, str]] = []
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            out += self.con.execute(
                "SELECT article_id, key, name FROM actors WHERE article_id IN "
                f"({','.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
        return out

    def actor_df(self, keys: Sequence[str]) -> dict[str, int]:
        """Articles naming each actor (casefolded name), as counted at ingest (`@name`)."""
        out: dict[str, int] = {}
        for k in dict.fromkeys(keys):
            row = self.con.execute("SELECT n FROM df WHERE term=?", ("@" + k,)).fetchone()
            out[k] = row[0] if row else 0
        return out

    def doc_count(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM docs").fetchone()[0])

    def quotes_by(
        self, speakers: Sequence[str]
    ) -> list[tuple[int, str, int, int, str | None, str]]:
        """(trail, article id, start, end, speaker, text) of what `speakers` said."""
        out: list[tuple[int, str, int, int, str | None, str]] = []
        for s in dict.fromkeys(speakers):
            out += self.con.execute(
                "SELECT trail, article_id, start, end, speaker, text FROM quotes WHERE speaker=?",
                (s,),
            ).fetchall()
        return out
