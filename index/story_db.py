"""The tables of `stories.sqlite` and what reads and writes their rows (shared by the store and its sync)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from index import stories as st
from index import trails as tr

STORIES_FILE = "stories.sqlite"
FORMAT = "2"  # bump when the tables or the clustering change: rebuilt from the catalog

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    article_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, ts INTEGER, inferred INTEGER NOT NULL,
    source TEXT, title TEXT NOT NULL, terms TEXT NOT NULL, actors TEXT NOT NULL,
    actor_terms TEXT NOT NULL, story TEXT NOT NULL, numbers TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS docs_story ON docs(story);
CREATE TABLE IF NOT EXISTS postings (term TEXT NOT NULL, ts INTEGER, article_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS postings_term ON postings(term, ts);
CREATE TABLE IF NOT EXISTS df (term TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY, size INTEGER NOT NULL, first INTEGER, last INTEGER,
    title TEXT NOT NULL, outlets TEXT NOT NULL, actors TEXT NOT NULL, members TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stories_size ON stories(size);
-- Every actor of every article (not only the TOP_ACTORS clustering looks at):
-- an actor's record and who they appear with.
CREATE TABLE IF NOT EXISTS actors (
    article_id TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL, mentions INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS actors_key ON actors(key);
CREATE INDEX IF NOT EXISTS actors_article ON actors(article_id);
-- A traced quotation: its own offsets and text (text == body[start:end]) and the
-- statement carrying it (a direct statement, or a reported clause quoting a fragment).
CREATE TABLE IF NOT EXISTS quotes (
    trail INTEGER NOT NULL, article_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    speaker TEXT, text TEXT NOT NULL, stmt_start INTEGER NOT NULL, stmt_end INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS quotes_trail ON quotes(trail);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article_id);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker);
CREATE TABLE IF NOT EXISTS qkeys (key INTEGER PRIMARY KEY, trail INTEGER NOT NULL);
"""


def connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        con = sqlite3.connect(
            path.resolve().as_uri() + "?mode=ro",
            uri=True,
            timeout=10.0,
            isolation_level=None,
            check_same_thread=False,
        )
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return con
    con = sqlite3.connect(path, timeout=10.0, isolation_level=None, check_same_thread=False)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    return con


def damaged(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)


def story_row(r: tuple[Any, ...]) -> st.Story:
    return st.Story(
        r[0],
        r[1],
        tuple(json.loads(r[2])),
        tuple(json.loads(r[3])),
        r[4],
        r[5],
        tuple(json.loads(r[6])),
    )


def trail_rows(trail_id: int, rows: Sequence[tuple[Any, ...]]) -> tr.Trail | None:
    """The trail `trail_id` from its carriers' rows (article id, start, end, text, speaker,
    ts, inferred, seq, source, title), in stored order; None without any."""
    if not rows:
        return None
    return tr.make_trail(
        trail_id,
        [
            tr.Carrier(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7], r[8], r[9])
            for r in rows
        ],
    )


def doc_row(r: tuple[Any, ...]) -> tuple[st.StoryDoc, str]:
    """(doc, story id) from a docs row (the columns of DOC_COLS)."""
    return (
        st.StoryDoc(
            r[0],
            r[1],
            r[2],
            bool(r[3]),
            r[4],
            r[5],
            tuple((t, w) for t, w in json.loads(r[6])),
            tuple(json.loads(r[7])),
            tuple((t, w) for t, w in json.loads(r[8])),
            tuple(json.loads(r[10])),
        ),
        r[9],
    )


def _names(con: sqlite3.Connection, ids: Sequence[str]) -> dict[str, str]:
    """Casefolded actor name -> display name, over the articles `ids`."""
    names: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for key, name in con.execute(
            f"SELECT key, name FROM actors WHERE article_id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            names.setdefault(key, name)
    return names


DOC_COLS = (
    "article_id, seq, ts, inferred, source, title, terms, actors, actor_terms, story, numbers"
)


# A story's summary row (`story_values`), on either backend.
STORY_COLS = "id, size, first, last, title, outlets, actors, members"


def story_values(sid: str, s: st.Story) -> tuple[Any, ...]:
    """The summary row of story `sid` (STORY_COLS), as `story_row` reads it back."""
    return (
        sid,
        s.size,
        s.first,
        s.last,
        s.title,
        json.dumps(list(s.outlets)),
        json.dumps(list(s.actors)),
        json.dumps(list(s.article_ids)),
    )


def refresh_stories(
    con: sqlite3.Connection,
    touched: Iterable[str],
    born: Mapping[str, Sequence[st.StoryDoc]] | None = None,
    born_names: Mapping[str, str] | None = None,
) -> None:
    """Recompute the summary rows of the stories that gained or lost articles.

    `born` holds the stories begun by the batch being written, with all their articles
    (and `born_names` their actors' display names): summarised without reading back.
    """
    for sid in touched:
        if born is not None and sid in born:
            s = st.summarise(sid, born[sid], born_names or {})
        else:
            rows = con.execute(f"SELECT {DOC_COLS} FROM docs WHERE story=?", (sid,)).fetchall()
            if not rows:
                con.execute("DELETE FROM stories WHERE id=?", (sid,))
                continue
            docs = [doc_row(r)[0] for r in rows]
            s = st.summarise(sid, docs, _names(con, [d.article_id for d in docs]))
        con.execute(
            f"INSERT OR REPLACE INTO stories({STORY_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            story_values(sid, s),
        )
