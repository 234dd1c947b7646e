"""The stories file of a library (`stories.sqlite`): stories, quote trails and actor links, kept in step with the catalog."""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index import stories as st
from index import trails as tr

STORIES_FILE = "stories.sqlite"
FORMAT = "1"  # bump when the tables or the clustering change: rebuilt from the catalog
# Articles per write transaction: readers see stories grow batch by batch.
BATCH = 2000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    article_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, ts INTEGER, inferred INTEGER NOT NULL,
    source TEXT, title TEXT NOT NULL, terms TEXT NOT NULL, actors TEXT NOT NULL,
    actor_terms TEXT NOT NULL, story TEXT NOT NULL
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
CREATE TABLE IF NOT EXISTS quotes (
    trail INTEGER NOT NULL, article_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    speaker TEXT, text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS quotes_trail ON quotes(trail);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article_id);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker);
CREATE TABLE IF NOT EXISTS qkeys (key INTEGER PRIMARY KEY, trail INTEGER NOT NULL);
"""


class StoriesUnavailable(Exception):
    """The stories file cannot be read (and cannot be rebuilt here, e.g. read-only)."""


@dataclass(frozen=True)
class SyncReport:
    added: int
    removed: int
    rebuilt: str | None  # why the file was rebuilt from the catalog, if it was


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=10.0,
                              isolation_level=None, check_same_thread=False)
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return con
    con = sqlite3.connect(path, timeout=10.0, isolation_level=None, check_same_thread=False)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    return con


def _damaged(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)


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
                self.con = _connect(self.path, True)
            except sqlite3.Error as exc:
                raise StoriesUnavailable(f"{self.path}: cannot be read ({exc})") from exc
            return
        self.con = self._open()

    def _open(self) -> sqlite3.Connection:
        why = None
        try:
            con = _connect(self.path, False)
            con.executescript(_SCHEMA)
            found = con.execute("SELECT value FROM meta WHERE key='format'").fetchone()
            if found is None:
                con.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (FORMAT,))
                return con
            if found[0] == FORMAT and con.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok":
                return con
            why = "made by another version" if found[0] != FORMAT else "damaged"
            con.close()
        except sqlite3.DatabaseError as exc:
            if not _damaged(exc):
                raise
            why = "damaged"
        # Everything here is derived from the catalog: start afresh, the sync refills it.
        for suffix in ("", "-wal", "-shm"):
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
        self.notice = f"{STORIES_FILE} was {why}; stories and trails are rebuilt from the catalog"
        con = _connect(self.path, False)
        con.executescript(_SCHEMA)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (FORMAT,))
        return con

    def close(self) -> None:
        self.con.close()

    # --- keeping in step with the catalog ---

    def sync(self, cat: sqlite3.Connection, phase: Callable[[str], object] | None = None) -> SyncReport:
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
            _Sync(self.con, cat).run([aid for _, aid in new])
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
                for term in [t for t, _ in json.loads(row[1])] + ["@" + a for a in json.loads(row[2])]:
                    con.execute("DELETE FROM postings WHERE term=? AND article_id=?", (term, aid))
                con.execute("DELETE FROM docs WHERE article_id=?", (aid,))
                con.execute("DELETE FROM actors WHERE article_id=?", (aid,))
                con.execute("DELETE FROM quotes WHERE article_id=?", (aid,))
            _refresh_stories(con, touched)
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
        return [_story(r) for r in rows]

    def story(self, story_id: str) -> st.Story | None:
        row = self.con.execute(
            "SELECT id, title, members, outlets, first, last, actors FROM stories WHERE id=?",
            (story_id,),
        ).fetchone()
        return _story(row) if row else None

    def story_of(self, article_id: str) -> str | None:
        row = self.con.execute("SELECT story FROM docs WHERE article_id=?", (article_id,)).fetchone()
        return row[0] if row else None

    def trail_ids(self, article_ids: Iterable[str] | None = None) -> dict[tuple[str, int, int], int]:
        """(article id, start, end) of each traced quotation -> its trail id."""
        if article_ids is None:
            rows = self.con.execute("SELECT article_id, start, end, trail FROM quotes").fetchall()
        else:
            ids = list(article_ids)
            rows = []
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                rows += self.con.execute(
                    "SELECT article_id, start, end, trail FROM quotes WHERE article_id IN "
                    f"({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
        return {(r[0], r[1], r[2]): r[3] for r in rows}

    def trail_sizes(self, trail_ids: Iterable[int]) -> dict[int, int]:
        """Trail id -> number of articles carrying it."""
        ids = sorted(set(trail_ids))
        out: dict[int, int] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            out.update(self.con.execute(
                "SELECT trail, count(DISTINCT article_id) FROM quotes WHERE trail IN "
                f"({','.join('?' * len(chunk))}) GROUP BY trail", chunk).fetchall())
        return out

    def trail(self, trail_id: int) -> tr.Trail | None:
        rows = self.con.execute(
            "SELECT q.article_id, q.start, q.end, q.text, q.speaker, d.ts, d.inferred, d.seq,"
            " d.source, d.title FROM quotes q JOIN docs d ON d.article_id = q.article_id"
            " WHERE q.trail=?",
            (trail_id,),
        ).fetchall()
        if not rows:
            return None
        return tr.make_trail(
            trail_id, [tr.Carrier(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7], r[8], r[9])
                       for r in rows]
        )

    def doc_meta(self, ids: Sequence[str]) -> dict[str, tuple[int | None, bool, int, str | None, str]]:
        """Article id -> (ts, inferred, seq, source, title)."""
        out: dict[str, tuple[int | None, bool, int, str | None, str]] = {}
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            for r in self.con.execute(
                "SELECT article_id, ts, inferred, seq, source, title FROM docs WHERE article_id IN "
                f"({','.join('?' * len(chunk))})", chunk,
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

    def co_actors(self, article_ids: Sequence[str], limit: int = 2000) -> list[tuple[str, str, str]]:
        """(article id, key, name) of every actor of (at most `limit` of) the articles."""
        ids = list(article_ids)[:limit]
        out: list[tuple[str, str, str]] = []
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            out += self.con.execute(
                "SELECT article_id, key, name FROM actors WHERE article_id IN "
                f"({','.join('?' * len(chunk))})", chunk).fetchall()
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

    def quotes_by(self, speakers: Sequence[str]) -> list[tuple[int, str, int, int, str | None, str]]:
        """(trail, article id, start, end, speaker, text) of what `speakers` said."""
        out: list[tuple[int, str, int, int, str | None, str]] = []
        for s in dict.fromkeys(speakers):
            out += self.con.execute(
                "SELECT trail, article_id, start, end, speaker, text FROM quotes WHERE speaker=?",
                (s,),
            ).fetchall()
        return out


def _story(r: tuple[Any, ...]) -> st.Story:
    return st.Story(r[0], r[1], tuple(json.loads(r[2])), tuple(json.loads(r[3])), r[4], r[5],
                    tuple(json.loads(r[6])))


def _doc(r: tuple[Any, ...]) -> tuple[st.StoryDoc, str]:
    """(doc, story id) from a docs row (the columns of _DOC_COLS)."""
    return (
        st.StoryDoc(r[0], r[1], r[2], bool(r[3]), r[4], r[5],
                    tuple((t, w) for t, w in json.loads(r[6])),
                    tuple(json.loads(r[7])),
                    tuple((t, w) for t, w in json.loads(r[8]))),
        r[9],
    )


_DOC_COLS = "article_id, seq, ts, inferred, source, title, terms, actors, actor_terms, story"


def _refresh_stories(con: sqlite3.Connection, touched: Iterable[str]) -> None:
    """Recompute the summary rows of the stories that gained or lost articles."""
    for sid in touched:
        rows = con.execute(f"SELECT {_DOC_COLS} FROM docs WHERE story=?", (sid,)).fetchall()
        if not rows:
            con.execute("DELETE FROM stories WHERE id=?", (sid,))
            continue
        docs = [_doc(r)[0] for r in rows]
        ids = [d.article_id for d in docs]
        names: dict[str, str] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            for key, name in con.execute(
                f"SELECT key, name FROM actors WHERE article_id IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                names.setdefault(key, name)
        s = st.summarise(sid, docs, names)
        con.execute(
            "INSERT OR REPLACE INTO stories(id, size, first, last, title, outlets, actors, members)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (sid, s.size, s.first, s.last, s.title, json.dumps(list(s.outlets)),
             json.dumps(list(s.actors)), json.dumps(list(s.article_ids))),
        )


def _posted(doc: st.StoryDoc) -> list[str]:
    """The terms an article is found by: its text terms and its main actors (`@name`)."""
    return [t for t, _ in doc.terms] + ["@" + a for a, _ in doc.actor_terms]


def _probes(doc: st.StoryDoc, df: dict[str, int], limit: int) -> list[str]:
    """The terms looked up for candidates: the strongest words and actors, leaving out
    those in more than `limit` articles (they find everything and tell nothing)."""
    terms = ([t for t, _ in doc.terms[: st.PROBE_TERMS]]
             + ["@" + a for a, _ in doc.actor_terms[: st.PROBE_ACTORS]])
    return [t for t in terms if df.get(t, 0) <= limit]


class _Sync:
    """One pass adding new catalog articles (in ingest order) to stories and trails.

    Rows are written once per batch (one executemany per table); what the batch
    added so far is searched in memory beside the file.
    """

    def __init__(self, con: sqlite3.Connection, cat: sqlite3.Connection) -> None:
        self.con = con
        self.cat = cat
        self.df: dict[str, int] = dict(con.execute("SELECT term, n FROM df").fetchall())
        self.n_docs = int(con.execute("SELECT count(*) FROM docs").fetchone()[0])
        self.actor_df: Counter[str] = Counter(
            dict(con.execute("SELECT key, count(*) FROM actors GROUP BY key").fetchall())
        )
        self.common: frozenset[str] = frozenset()
        self.cache: dict[str, tuple[st.StoryDoc, str]] = {}
        self.first: dict[str, int | None] = {}
        row = con.execute("SELECT value FROM meta WHERE key='next_trail'").fetchone()
        self.next_trail = int(row[0]) if row else 1
        self._reset()

    def _reset(self) -> None:
        self.postings: dict[str, list[tuple[int | None, str]]] = {}
        self.qkeys: dict[int, int] = {}
        self.docs_rows: list[tuple[Any, ...]] = []
        self.actor_rows: list[tuple[Any, ...]] = []
        self.quote_rows: list[tuple[Any, ...]] = []
        self.df_touched: set[str] = set()

    def _update_common(self) -> None:
        if self.n_docs < st.MIN_ARTICLES:
            self.common = frozenset()
            return
        limit = st.COMMON_SHARE * self.n_docs
        self.common = frozenset(k for k, n in self.actor_df.items() if n > limit)

    def run(self, ids: Sequence[str]) -> None:
        for i in range(0, len(ids), BATCH):
            self._batch(ids[i : i + BATCH])

    def _fetch(self, ids: Sequence[str]) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = []
        actors: dict[str, list[tuple[str, int]]] = {}
        quotes: dict[str, list[tuple[Any, ...]]] = {}
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            marks = ",".join("?" * len(chunk))
            rows += self.cat.execute(
                "SELECT a.rowid, a.id, a.title, a.ts, a.inferred, a.source, b.body FROM articles a"
                f" JOIN blobs b ON a.id = b.id WHERE a.id IN ({marks})", chunk).fetchall()
            for aid, name, mentions in self.cat.execute(
                f"SELECT article_id, name, mentions FROM article_actors WHERE article_id IN ({marks})",
                chunk,
            ):
                actors.setdefault(aid, []).append((name, mentions))
            for aid, speaker, text, start, end in self.cat.execute(
                "SELECT article_id, speaker, text, start, end FROM statements WHERE kind='direct'"
                f" AND article_id IN ({marks})", chunk,
            ):
                quotes.setdefault(aid, []).append((speaker, text, start, end))
        rows.sort()
        return [(*r, actors.get(r[1], []), quotes.get(r[1], [])) for r in rows]

    def _batch(self, ids: Sequence[str]) -> None:
        con = self.con
        fetched = self._fetch(ids)
        touched: set[str] = set()
        self._reset()
        for n, (seq, aid, title, ts, inferred, source, blob, actors, quotes) in enumerate(fetched):
            if n % 500 == 0:
                self._update_common()
            body = zlib.decompress(blob).decode("utf-8", "surrogatepass")
            touched.add(self._add_doc(seq, aid, title, ts, bool(inferred), source, body, actors))
            self._add_quotes(aid, quotes)
        con.execute("BEGIN IMMEDIATE")
        try:
            con.executemany(
                f"INSERT OR REPLACE INTO docs({_DOC_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self.docs_rows)
            con.executemany("INSERT INTO postings(term, ts, article_id) VALUES (?, ?, ?)",
                            [(t, ts, aid) for t, items in self.postings.items()
                             for ts, aid in items])
            con.executemany("INSERT OR REPLACE INTO df(term, n) VALUES (?, ?)",
                            [(t, self.df[t]) for t in sorted(self.df_touched)])
            con.executemany(
                "INSERT INTO actors(article_id, key, name, mentions) VALUES (?, ?, ?, ?)",
                self.actor_rows)
            con.executemany(
                "INSERT INTO quotes(trail, article_id, start, end, speaker, text)"
                " VALUES (?, ?, ?, ?, ?, ?)", self.quote_rows)
            con.executemany("INSERT OR IGNORE INTO qkeys(key, trail) VALUES (?, ?)",
                            self.qkeys.items())
            _refresh_stories(con, touched)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('next_trail', ?)",
                        (str(self.next_trail),))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            self._reset()

    def _add_doc(self, seq: int, aid: str, title: str, ts: int | None, inferred: bool,
                 source: str | None, body: str, actors: list[tuple[str, int]]) -> str:
        actors.sort(key=lambda nm: (-nm[1], nm[0]))
        mentions: dict[str, int] = {}
        names: dict[str, str] = {}
        for name, m in actors:
            k = name.casefold()
            mentions[k] = mentions.get(k, 0) + m
            names.setdefault(k, name)
        keys = list(names)
        counts = st.term_counts(title, body)
        self.n_docs += 1
        # The actors' document frequencies live beside the words', as `@name`.
        df = self.df
        for t in (*counts, *("@" + k for k in keys)):
            df[t] = df.get(t, 0) + 1
            self.df_touched.add(t)
        vec = st.vector(counts, df, self.n_docs)
        avec = st.actor_vector([(k, mentions[k]) for k in keys], df, self.n_docs)
        doc = st.StoryDoc(aid, seq, ts, inferred, source, title, vec, tuple(keys[: st.TOP_ACTORS]),
                          avec)
        story = aid
        if doc.actors:
            match = st.best_match(doc, self._candidates(doc), self.common,
                                  trust=st.reliability(self.n_docs))
            if match is not None:
                story = self._load(match[0].article_id)[1]
        if ts is not None:
            first = self._first(story) if story != aid else None
            self.first[story] = ts if first is None else min(first, ts)
        self.docs_rows.append(
            (aid, seq, ts, int(inferred), source, title,
             json.dumps([[t, round(w, 5)] for t, w in vec]), json.dumps(list(doc.actors)),
             json.dumps([[t, round(w, 5)] for t, w in avec]), story))
        self.cache[aid] = (doc, story)
        for t in _posted(doc):
            self.postings.setdefault(t, []).append((ts, aid))
        for k in keys:
            self.actor_rows.append((aid, k, names[k], mentions[k]))
            self.actor_df[k] += 1
        return story

    def _candidates(self, doc: st.StoryDoc) -> list[st.StoryDoc]:
        limit = max(st.PROBE_LIMIT, int(st.PROBE_SHARE * self.n_docs))
        probes = _probes(doc, self.df, limit)
        if not probes:
            return []
        hits: Counter[str] = Counter()
        marks = ",".join("?" * len(probes))
        if doc.ts is None:
            found = self.con.execute(
                f"SELECT article_id FROM postings WHERE term IN ({marks})", probes).fetchall()
        else:
            lo, hi = doc.ts - st.WINDOW_S, doc.ts + st.WINDOW_S
            found = self.con.execute(
                f"SELECT article_id FROM postings WHERE term IN ({marks})"
                " AND (ts IS NULL OR ts BETWEEN ? AND ?)", [*probes, lo, hi]).fetchall()
        hits.update(r[0] for r in found)
        pending = self.postings
        for t in probes:
            for ts, aid in pending.get(t, ()):
                if st.within_window(doc.ts, ts):
                    hits[aid] += 1
        out = []
        for aid, _ in hits.most_common(st.COMPARE):
            cand, story = self._load(aid)
            first = self._first(story)
            if doc.ts is not None and first is not None and abs(doc.ts - first) > st.SPAN_S:
                continue
            out.append(cand)
        return out

    def _first(self, story: str) -> int | None:
        """The story's earliest date (joins keep it in step)."""
        if story not in self.first:
            row = self.con.execute("SELECT first FROM stories WHERE id=?", (story,)).fetchone()
            self.first[story] = row[0] if row else None
        return self.first[story]

    def _load(self, aid: str) -> tuple[st.StoryDoc, str]:
        got = self.cache.get(aid)
        if got is None:
            row = self.con.execute(f"SELECT {_DOC_COLS} FROM docs WHERE article_id=?",
                                   (aid,)).fetchone()
            got = _doc(row)
            self.cache[aid] = got
        return got

    def _add_quotes(self, aid: str, quotes: list[tuple[Any, ...]]) -> None:
        con = self.con
        pending = self.qkeys
        for speaker, text, start, end in quotes[: tr.MAX_QUOTES]:
            keys = tr.keys(text)
            if not keys:
                continue
            found: Counter[int] = Counter(pending[k] for k in keys if k in pending)
            found.update(r[0] for r in con.execute(
                f"SELECT trail FROM qkeys WHERE key IN ({','.join('?' * len(keys))})", keys))
            if found:
                trail = min(found, key=lambda t: (-found[t], t))
            else:
                trail = self.next_trail
                self.next_trail += 1
            self.quote_rows.append((trail, aid, start, end, speaker, text))
            for k in keys:
                pending.setdefault(k, trail)
