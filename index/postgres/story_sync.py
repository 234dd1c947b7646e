"""Growing the stories and quote trails of a PostgreSQL library after an ingest (incremental, one syncer at a time).

The clustering is the embedded one (`index.story_sync.StorySync`, the pure
parts in `index.stories` and `index.trails`): only reading the articles and
writing the rows differ. Articles are taken in `articles.seq` order, which
writers draw in the order of their files as the embedded catalog's rowid
follows them, so the same ingests give the same stories on both backends.
A sync holds a session advisory lock (LOCK_STORIES) from its diff to its last
batch: a second writer's sync waits, then adds what the first left; each
batch is one transaction, so a killed syncer loses its open batch only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from index import stories as st
from index import trails as tr
from index.postgres import schema
from index.postgres.story_tables import LOCK_STORIES, TABLES
from index.story_db import DOC_COLS, STORY_COLS, doc_row, story_values
from index.story_sync import BATCH, StorySync

# The marks that make a reported clause a quotation (as `index.story_sync._QUOTING`).
_MARKS = ('"', "“", "”", "«", "»", "„", "''", "``")
# Removing one by one beats emptying the tables below this many articles gone.
CLEAR_AT = 1000


@dataclass(frozen=True)
class Synced:
    added: int
    removed: int


def _quoting(kind: str, text: str) -> bool:
    return kind == "direct" or any(m in text for m in _MARKS)


class PgStorySync(StorySync):
    """`StorySync` on the PostgreSQL tables: the same decisions, other statements."""

    _PARAM = "%s"
    _DOCS = "story_docs"

    def __init__(self, con: Any) -> None:  # no StorySync.__init__: no SQLite files
        self.con = con
        self.cat = con
        self.df = dict(con.execute("SELECT term, n FROM story_df").fetchall())
        self.n_docs = int(con.execute("SELECT count(*) FROM story_docs").fetchone()[0])
        self.actor_df = Counter(
            dict(con.execute("SELECT key, count(*) FROM story_actors GROUP BY key").fetchall())
        )
        self.common = frozenset()
        self.cache = {}
        self.first = {}
        self.existing = {r[0] for r in con.execute("SELECT id FROM stories")}
        row = con.execute("SELECT value FROM story_meta WHERE key = 'next_trail'").fetchone()
        self.next_trail = int(row[0]) if row else 1
        self.stored_qkeys: dict[int, int] = {}  # the batch's stored quotation keys -> trail
        self._reset()

    def _fetch(self, ids: Sequence[str]) -> list[tuple[Any, ...]]:
        got = self.con.execute(
            "SELECT seq, id, title, CASE WHEN feed_rank = %s THEN NULL ELSE -feed_rank END,"
            " inferred, source, body FROM articles WHERE id = ANY(%s) ORDER BY seq",
            (schema.UNDATED, list(ids)),
        ).fetchall()
        actors: dict[str, list[tuple[str, int]]] = {}
        for aid, name, mentions in self.con.execute(
            "SELECT article_id, name, mentions FROM article_actors WHERE article_id = ANY(%s)"
            " ORDER BY article_id, n",
            (list(ids),),
        ):
            actors.setdefault(aid, []).append((name, mentions))
        spans: dict[str, list[tuple[str | None, int, int, str]]] = {}
        for aid, speaker, start, end, kind in self.con.execute(
            "SELECT article_id, speaker, start_at, end_at, kind FROM statements"
            " WHERE article_id = ANY(%s) ORDER BY kind <> 'direct', article_id, n",
            (list(ids),),
        ):
            spans.setdefault(aid, []).append((speaker, start, end, kind))
        out = []
        for seq, aid, title, ts, inferred, source, body in got:
            quotes = [
                (speaker, body[s:e], s, e, kind)
                for speaker, s, e, kind in spans.get(aid, ())
                if _quoting(kind, body[s:e])
            ]
            # The body travels as text (see `_body`), not as the catalog's compressed blob.
            out.append((seq, aid, title, ts, inferred, source, body, actors.get(aid, []), quotes))
        self._read_qkeys(out)
        return out

    def _body(self, blob: Any) -> str:
        return str(blob)

    def _preload(self, ids: list[str]) -> None:
        wanted = [a for a in ids if a not in self.cache]
        if not wanted:
            return
        for r in self.con.execute(
            f"SELECT {_cols('d')}, s.first FROM story_docs d LEFT JOIN stories s"
            " ON s.id = d.story WHERE d.article_id = ANY(%s)",
            (wanted,),
        ):
            doc, story = doc_row(r[:11])
            self.cache[doc.article_id] = (doc, story)
            self.first.setdefault(story, r[11])

    def _stored_hits(self, probes: list[str], ts: int | None) -> list[str]:
        # In the order SQLite walks its (term, ts) index: the order breaks ties
        # between candidates sharing as many terms, so it must be the same.
        order = " ORDER BY term, ts NULLS FIRST, n"
        if ts is None:
            rows = self.con.execute(
                "SELECT article_id FROM story_postings WHERE term = ANY(%s)" + order, (probes,)
            ).fetchall()
        else:
            rows = self.con.execute(
                "SELECT article_id FROM story_postings WHERE term = ANY(%s)"
                " AND (ts IS NULL OR ts BETWEEN %s AND %s)" + order,
                (probes, ts - st.WINDOW_S, ts + st.WINDOW_S),
            ).fetchall()
        return [r[0] for r in rows]

    def _stored_trails(self, keys: list[int]) -> list[int]:
        # Read for the whole batch in `_fetch` (the stored keys change only at its end).
        got = self.stored_qkeys
        return [got[k] for k in keys if k in got]

    def _read_qkeys(self, fetched: list[tuple[Any, ...]]) -> None:
        """The stored trails of every key the batch's quotations may look up, in one query
        (the quotations `_add_quotes` may trace: a superset is harmless)."""
        keys: set[int] = set()
        for row in fetched:
            for _speaker, text, start, _end, kind in row[8][: 2 * tr.MAX_QUOTES]:
                for s, e in tr.quotations(kind, text, start)[: tr.MAX_QUOTES]:
                    keys.update(tr.keys(text[s - start : e - start]))
        self.stored_qkeys = {}
        if keys:
            self.stored_qkeys = dict(
                self.con.execute(
                    "SELECT key, trail FROM story_qkeys WHERE key = ANY(%s)", (sorted(keys),)
                ).fetchall()
            )

    def _write(self, touched: set[str]) -> None:
        con: Any = self.con  # a psycopg connection (typed as the base's SQLite one)
        try:
            with con.transaction():
                docs = [(*r[:3], bool(r[3]), *r[4:]) for r in self.docs_rows]
                _upsert(con, "story_docs", DOC_COLS, docs)
                postings = [(t, ts, a) for t, items in self.postings.items() for ts, a in items]
                _copy(con, "story_postings", "term, ts, article_id", postings)
                df = [(t, self.df[t]) for t in sorted(self.df_touched)]
                _upsert(con, "story_df", "term, n", df)
                _copy(con, "story_actors", "article_id, key, name, mentions", self.actor_rows)
                _copy(
                    con,
                    "story_quotes",
                    "trail, article_id, start_at, end_at, speaker, text, stmt_start, stmt_end",
                    self.quote_rows,
                )
                _upsert(con, "story_qkeys", "key, trail", list(self.qkeys.items()), keep=True)
                refresh(con, touched, self.born, self.names)
                con.execute(
                    "INSERT INTO story_meta(key, value) VALUES ('next_trail', %s)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(self.next_trail),),
                )
        finally:
            self._reset()
            self.stored_qkeys = {}


def _cols(alias: str) -> str:
    return ", ".join(f"{alias}.{c.strip()}" for c in DOC_COLS.split(","))


def _copy(con: Any, table: str, cols: str, rows: Iterable[Sequence[Any]]) -> None:
    """Append `rows` in their order (COPY: the `n` columns number them so)."""
    with con.cursor().copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _upsert(
    con: Any, table: str, cols: str, rows: Sequence[Sequence[Any]], keep: bool = False
) -> None:
    """Insert `rows`, replacing those with the same key (first column; `keep`: leaving them)."""
    if not rows:
        return
    names = [c.strip() for c in cols.split(",")]
    stage = f"stage_{table}"
    con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {stage} (LIKE {table}) ON COMMIT DELETE ROWS")
    _copy(con, stage, cols, rows)
    action = (
        "NOTHING" if keep else "UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in names[1:])
    )
    con.execute(
        f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {stage}"
        f" ON CONFLICT ({names[0]}) DO {action}"
    )


def refresh(
    con: Any,
    touched: Iterable[str],
    born: Mapping[str, Sequence[st.StoryDoc]] | None = None,
    born_names: Mapping[str, str] | None = None,
) -> None:
    """Recompute the summary rows of the stories that gained or lost articles
    (`index.story_db.refresh_stories` on these tables, reading in two queries)."""
    born = born or {}
    order = sorted(touched)
    stored = [sid for sid in order if sid not in born]
    docs: dict[str, list[st.StoryDoc]] = {}
    if stored:
        for r in con.execute(
            f"SELECT {DOC_COLS} FROM story_docs WHERE story = ANY(%s)", (stored,)
        ).fetchall():
            doc, story = doc_row(r)
            docs.setdefault(story, []).append(doc)
    gone = [sid for sid in stored if sid not in docs]
    if gone:
        con.execute("DELETE FROM stories WHERE id = ANY(%s)", (gone,))
    rows = []
    for sid in order:
        if sid in born:
            s = st.summarise(sid, born[sid], born_names or {})
        elif sid in docs:
            s = st.summarise(sid, docs[sid], _names(con, [d.article_id for d in docs[sid]]))
        else:
            continue
        rows.append(story_values(sid, s))
    _upsert(con, "stories", STORY_COLS, rows)


def _names(con: Any, ids: Sequence[str]) -> dict[str, str]:
    """Casefolded actor name -> display name over the articles `ids` (first in article
    id order, then order of writing: as SQLite reads `actors` by its article index)."""
    names: dict[str, str] = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), 500):
        for key, name in con.execute(
            "SELECT key, name FROM story_actors WHERE article_id = ANY(%s) ORDER BY article_id, n",
            (ordered[i : i + 500],),
        ):
            names.setdefault(key, name)
    return names


def sync(con: Any, phase: Callable[[str], object] | None = None, *, wait: bool = True) -> Synced:
    """Add the library's new articles to stories and trails, drop the removed ones
    (`index.story_store.StoryStore.sync` on PostgreSQL). `con`: autocommit, this sync's own.

    Another sync running: wait for it and add what it left, or (`wait=False`) leave it be.
    """
    if not wait:
        if not con.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_STORIES,)).fetchone()[0]:
            return Synced(0, 0)
    else:
        con.execute("SELECT pg_advisory_lock(%s)", (LOCK_STORIES,))
    try:
        wanted = dict(con.execute("SELECT id, seq FROM articles").fetchall())
        have = dict(con.execute("SELECT article_id, seq FROM story_docs").fetchall())
        gone = sorted(aid for aid, seq in have.items() if wanted.get(aid) != seq)
        if gone and len(gone) > CLEAR_AT and len(gone) * 2 > len(have):
            _clear(con)
            have = {}
        elif gone:
            _remove(con, gone)
        new = sorted((seq, aid) for aid, seq in wanted.items() if have.get(aid) != seq)
        if new:
            if phase is not None:
                phase("grouping stories")
            ids = [aid for _, aid in new]
            syncer = PgStorySync(con)
            for i in range(0, len(ids), BATCH):
                syncer._batch(ids[i : i + BATCH])
        return Synced(len(new), len(gone))
    finally:
        con.execute("SELECT pg_advisory_unlock(%s)", (LOCK_STORIES,))


def _clear(con: Any) -> None:
    with con.transaction():
        for table in TABLES:
            con.execute(f"DELETE FROM {table}")
        con.execute("DELETE FROM story_meta WHERE key = 'next_trail'")


def _remove(con: Any, ids: Sequence[str]) -> None:
    with con.transaction():
        touched = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT story FROM story_docs WHERE article_id = ANY(%s)", (list(ids),)
            ).fetchall()
        ]
        for table in ("story_postings", "story_docs", "story_actors", "story_quotes"):
            con.execute(f"DELETE FROM {table} WHERE article_id = ANY(%s)", (list(ids),))
        refresh(con, touched)
