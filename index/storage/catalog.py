"""The SQLite article catalog: metadata, full records, source files and the library-wide actors."""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.records import Actor, Article
from index.storage.rows import CatalogRows, _article, _unpack

CATALOG_FILE = "catalog.sqlite"
FORMAT = "4"  # bump when tables or the search index schema change: rebuild


class CatalogFormatError(Exception):
    """The catalog was written by another version of Newsroom."""


def is_damage(exc: BaseException) -> bool:
    """Whether an SQLite error means a damaged file (not a lock, a full disk or a permission)."""
    if not isinstance(exc, sqlite3.DatabaseError) or isinstance(exc, sqlite3.OperationalError):
        return False
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def set_aside(path: Path) -> Path:
    """Move a damaged SQLite file (and its -wal, -shm) aside as `<name>.damaged[-N]`; its new name."""
    target = path.with_name(path.name + ".damaged")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{n}")
    for suffix in ("", "-wal", "-shm"):
        src = path.with_name(path.name + suffix)
        if src.exists():
            src.rename(target.with_name(target.name + suffix))
    return target


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (path TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, hash TEXT NOT NULL, mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    path TEXT NOT NULL,
    title TEXT NOT NULL,
    published TEXT,
    ts INTEGER,
    inferred INTEGER NOT NULL DEFAULT 0,
    source TEXT
);
-- The big blobs live apart so that scanning the feed reads small rows only.
-- A rowid table: WITHOUT ROWID pages held 1.5 KB rows half empty (2x the size).
CREATE TABLE IF NOT EXISTS blobs (
    id TEXT PRIMARY KEY, body BLOB NOT NULL, record BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_file ON articles(file);
-- Covers the feed query entirely: listing 100,000 articles reads this index only.
-- Same-day articles go by title, not by id: ids hash the file's path, and the
-- order must not depend on where the files happen to live.
DROP INDEX IF EXISTS articles_feed_cover;
CREATE INDEX IF NOT EXISTS articles_feed_by_date
    ON articles(ts IS NULL, ts DESC, title, id, published, inferred, source, path);
CREATE TABLE IF NOT EXISTS article_actors (
    article_id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
    aliases TEXT NOT NULL, mentions INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS article_actors_id ON article_actors(article_id);
CREATE TABLE IF NOT EXISTS statements (
    article_id TEXT NOT NULL, speaker TEXT, text TEXT NOT NULL, kind TEXT NOT NULL,
    cue TEXT, start INTEGER NOT NULL, end INTEGER NOT NULL,
    act TEXT NOT NULL DEFAULT 'speech', utterance INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS statements_id ON statements(article_id);
CREATE INDEX IF NOT EXISTS statements_speaker ON statements(speaker);
CREATE TABLE IF NOT EXISTS lib_actors (
    rank INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,
    aliases TEXT NOT NULL, article_ids TEXT NOT NULL, mentions INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS lib_alias (key TEXT NOT NULL, rank INTEGER NOT NULL);
-- Every indexed (lowercased, unstemmed) word and how many articles hold it,
-- summed as segments are committed: the as-you-type prefix vocabulary. Counts
-- of removed articles are not taken back; they only rank the candidates.
CREATE TABLE IF NOT EXISTS vocab (word TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS lib_alias_key ON lib_alias(key);
"""

FEED_SQL = (
    "SELECT id, title, published, inferred, source, path FROM articles "
    "ORDER BY ts IS NULL, ts DESC, title, id"
)


def connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    """A WAL-mode connection: readers never block the writer nor each other.

    `readonly` opens a library on a read-only file system or folder: SQLite then
    cannot create the WAL's shared-memory file, so the file is read as immutable
    when a plain read-only open fails.
    """
    if readonly:
        uri = path.resolve().as_uri()
        for mode in ("?mode=ro", "?mode=ro&immutable=1"):
            con = sqlite3.connect(
                uri + mode, uri=True, timeout=10.0, isolation_level=None, check_same_thread=False
            )
            try:
                con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError:
                con.close()
                continue
            return con
        raise sqlite3.OperationalError(f"{path}: unable to open database file (read-only)")
    con = sqlite3.connect(path, timeout=10.0, isolation_level=None, check_same_thread=False)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA busy_timeout=10000")
    return con


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class Catalog:
    """Article metadata and records in SQLite, keyed by article id."""

    def __init__(self, library: Path, readonly: bool = False) -> None:
        self.path = library / CATALOG_FILE
        self.readonly = readonly
        self.con = connect(self.path, readonly)
        fresh = not self._ready()
        if readonly:
            if fresh:
                self.con.close()
                raise sqlite3.OperationalError(f"{self.path}: no catalog here (read-only)")
            if self.get_meta("format") != FORMAT:
                self.con.close()
                raise CatalogFormatError(
                    f"{self.path}: made by another version of Newsroom (read-only, cannot rebuild)"
                )
            return
        found = FORMAT if fresh else self.get_meta("format")
        if found != FORMAT:
            self.con.close()
            raise CatalogFormatError(
                f"{self.path}: made by another version of Newsroom (format {found}, "
                f"expected {FORMAT})"
            )
        # Idempotent (IF NOT EXISTS): two processes creating at once is harmless,
        # and a library from before an added index gets it here.
        self.con.executescript(_SCHEMA)
        if fresh:
            self.con.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('format', ?)", (FORMAT,)
            )

    def _ready(self) -> bool:
        row = self.con.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
        ).fetchone()
        return row is not None

    def close(self) -> None:
        self.con.close()

    def check(self) -> str | None:
        """SQLite's quick integrity check: None when whole, else what is wrong (one line)."""
        try:
            rows = self.con.execute("PRAGMA quick_check(3)").fetchall()
        except sqlite3.DatabaseError as exc:
            return str(exc)
        problems = [r[0] for r in rows if r[0] != "ok"]
        return "; ".join(" ".join(p.split()) for p in problems)[:300] if problems else None

    def transaction(self) -> _Transaction:
        return _Transaction(self.con)

    # --- meta ---

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def data_version(self) -> int:
        """Changes whenever another connection commits (cheap change detection)."""
        return int(self.con.execute("PRAGMA data_version").fetchone()[0])

    # --- sources and files ---

    def sources(self) -> list[Path]:
        return [Path(r[0]) for r in self.con.execute("SELECT path FROM sources ORDER BY path")]

    def add_sources(self, paths: Iterable[str]) -> None:
        self.con.executemany(
            "INSERT OR IGNORE INTO sources(path) VALUES (?)", [(p,) for p in paths]
        )

    def remove_source(self, path: str) -> None:
        self.con.execute("DELETE FROM sources WHERE path=?", (path,))

    def files(self) -> dict[str, tuple[str, int, int]]:
        """path -> (hash, mtime_ns, size) for every ingested file."""
        return {
            r[0]: (r[1], r[2], r[3])
            for r in self.con.execute("SELECT path, hash, mtime_ns, size FROM files")
        }

    def set_file(self, path: str, file_hash: str, mtime_ns: int, size: int) -> None:
        self.con.execute(
            "INSERT OR REPLACE INTO files(path, hash, mtime_ns, size) VALUES (?, ?, ?, ?)",
            (path, file_hash, mtime_ns, size),
        )

    def ids_by_file(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for aid, file in self.con.execute("SELECT id, file FROM articles"):
            out.setdefault(file, []).append(aid)
        return out

    def remove_file(self, path: str) -> list[str]:
        """Forget a file and its articles; returns the removed article ids."""
        ids = [r[0] for r in self.con.execute("SELECT id FROM articles WHERE file=?", (path,))]
        self.delete_articles(ids)
        self.con.execute("DELETE FROM files WHERE path=?", (path,))
        return ids

    # --- articles ---

    def delete_articles(self, ids: Sequence[str]) -> None:
        rows = [(i,) for i in ids]
        for table, col in (
            ("articles", "id"),
            ("blobs", "id"),
            ("article_actors", "article_id"),
            ("statements", "article_id"),
        ):
            self.con.executemany(f"DELETE FROM {table} WHERE {col}=?", rows)

    def put_rows(self, file: str, rows: CatalogRows, first_rowid: int | None = None) -> None:
        """Insert (or replace) the rows `catalog_rows` made for the articles of one file.

        `first_rowid`: the file's articles take the rowids from it on (the ingest's plan
        order, see `IndexCommitter`); None: after the last row."""
        articles, actors, statements = rows
        self.con.executemany(
            "INSERT OR REPLACE INTO articles"
            "(rowid, id, file, path, title, published, ts, inferred, source)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (None if first_rowid is None else first_rowid + k, r[0], file, *r[1:7])
                for k, r in enumerate(articles)
            ],
        )
        self.con.executemany(
            "INSERT OR REPLACE INTO blobs(id, body, record) VALUES (?, ?, ?)",
            [(r[0], r[7], r[8]) for r in articles],
        )
        self.con.executemany(
            "INSERT INTO article_actors(article_id, name, kind, aliases, mentions)"
            " VALUES (?, ?, ?, ?, ?)",
            actors,
        )
        self.con.executemany(
            "INSERT INTO statements(article_id, speaker, text, kind, cue, start, end, act,"
            " utterance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            statements,
        )

    def count(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM articles").fetchone()[0])

    def feed_rows(self) -> list[tuple[Any, ...]]:
        return self.con.execute(FEED_SQL).fetchall()

    def meta_rows(self, ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
        """id -> (id, title, published, inferred, source, path, body) for hits."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.con.execute(
            "SELECT a.id, title, published, inferred, source, path, body"
            f" FROM articles a JOIN blobs b ON a.id = b.id WHERE a.id IN ({marks})",
            list(ids),
        ).fetchall()
        return {
            r[0]: (*r[:6], zlib.decompress(r[6]).decode("utf-8", "surrogatepass")) for r in rows
        }

    def article(self, article_id: str) -> Article:
        row = self.con.execute(
            "SELECT published, inferred, body, record FROM articles a JOIN blobs b"
            " ON a.id = b.id WHERE a.id=?",
            (article_id,),
        ).fetchone()
        if row is None:
            raise KeyError(article_id)
        body = zlib.decompress(row[2]).decode("utf-8", "surrogatepass")
        return replace(
            _article(_unpack(row[3]), body),
            published=_dt(row[0]),
            published_inferred=bool(row[1]),
        )

    def iter_actor_rows(self) -> Iterator[tuple[str, Actor]]:
        # By article id, each article's actors in their order: the merge's "first seen"
        # is then the same whatever order the articles were ingested in (an ingest's
        # workers finish in any order) and the same as a PostgreSQL library's.
        for aid, name, kind, aliases, mentions in self.con.execute(
            "SELECT article_id, name, kind, aliases, mentions FROM article_actors"
            " ORDER BY article_id, rowid"
        ):
            # Only the count of mentions matters library-wide; offsets stay per article.
            yield aid, Actor(name, kind, tuple(json.loads(aliases)), ((0, 0),) * mentions)

    def statement_rows(self, speakers: Sequence[str] | None) -> list[tuple[Any, ...]]:
        sql = (
            "SELECT article_id, speaker, text, kind, cue, start, end, act, utterance"
            " FROM statements"
        )
        if speakers is None:
            return self.con.execute(sql + " ORDER BY rowid").fetchall()
        marks = ",".join("?" * len(speakers))
        return self.con.execute(
            sql + f" WHERE speaker IN ({marks}) ORDER BY rowid", list(speakers)
        ).fetchall()

    def speakers(self) -> list[str]:
        return [
            r[0]
            for r in self.con.execute(
                "SELECT DISTINCT speaker FROM statements WHERE speaker IS NOT NULL"
            )
        ]

    # --- vocabulary ---

    def next_rowid(self) -> int:
        """The rowid after the articles' last one."""
        row = self.con.execute("SELECT max(rowid) FROM articles").fetchone()
        return int(row[0] or 0) + 1

    def add_vocab(self, counts: dict[str, int]) -> None:
        self.con.executemany(
            "INSERT INTO vocab(word, df) VALUES (?, ?)"
            " ON CONFLICT(word) DO UPDATE SET df = df + excluded.df",
            counts.items(),
        )

    def vocab(self) -> tuple[list[str], list[int]]:
        """(words in sorted order, their article counts)."""
        words: list[str] = []
        dfs: list[int] = []
        for word, df in self.con.execute("SELECT word, df FROM vocab ORDER BY word"):
            words.append(word)
            dfs.append(df)
        return words, dfs

    # --- library-wide actors ---

    def replace_library_actors(self, actors: Sequence[Any], key: Any) -> None:
        """Store merged `LibraryActor`s (most mentioned first) and their alias keys."""
        self.con.execute("DELETE FROM lib_actors")
        self.con.execute("DELETE FROM lib_alias")
        ordered = sorted(actors, key=lambda a: (-a.mentions, a.name))
        self.con.executemany(
            "INSERT INTO lib_actors(rank, name, kind, aliases, article_ids, mentions)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    i,
                    a.name,
                    a.kind,
                    json.dumps(list(a.aliases), ensure_ascii=False),
                    json.dumps(list(a.article_ids)),
                    a.mentions,
                )
                for i, a in enumerate(ordered)
            ],
        )
        rows: set[tuple[str, int]] = set()
        for i, a in enumerate(ordered):
            for name in (a.name, *a.aliases):
                k = key(name)
                if k:
                    rows.add((k, i))
        self.con.executemany("INSERT INTO lib_alias(key, rank) VALUES (?, ?)", sorted(rows))

    def library_actor_rows(
        self, kind: str | None = None, limit: int | None = None
    ) -> list[tuple[Any, ...]]:
        sql = "SELECT name, kind, aliases, article_ids, mentions FROM lib_actors"
        # (LIMIT -1 is SQLite's "no limit")
        if kind is None:
            return self.con.execute(sql + " ORDER BY rank LIMIT ?", (limit or -1,)).fetchall()
        return self.con.execute(
            sql + " WHERE kind=? ORDER BY rank LIMIT ?", (kind, limit or -1)
        ).fetchall()

    def alias_groups(self, key: str) -> list[tuple[str, str, list[str]]]:
        """(name, kind, aliases) of the library actors known under `key`."""
        rows = self.con.execute(
            "SELECT a.name, a.kind, a.aliases FROM lib_alias k JOIN lib_actors a"
            " ON a.rank = k.rank WHERE k.key=? ORDER BY a.rank",
            (key,),
        ).fetchall()
        return [(r[0], r[1], json.loads(r[2])) for r in rows]

    def clear_articles(self) -> None:
        """Forget every article and file (a rebuild); sources and meta stay."""
        for table in (
            "articles",
            "blobs",
            "article_actors",
            "statements",
            "files",
            "lib_actors",
            "lib_alias",
            "vocab",
        ):
            self.con.execute(f"DELETE FROM {table}")


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT/ROLLBACK around a block (short write transactions)."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con

    def __enter__(self) -> sqlite3.Connection:
        self.con.execute("BEGIN IMMEDIATE")
        return self.con

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self.con.execute("ROLLBACK" if exc_type else "COMMIT")


if TYPE_CHECKING:  # mypy checks that the embedded backend fits the seam
    from index.storage.backend import ArticleStore

    _conforms: type[ArticleStore] = Catalog
