"""Adding new catalog articles to stories and quote trails, in ingest order, batch by batch."""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections import Counter
from collections.abc import Sequence
from typing import Any

from index import stories as st
from index import trails as tr
from index.story_db import DOC_COLS, doc_row, refresh_stories

# Articles per write transaction: readers see stories grow batch by batch.
BATCH = 2000
# The statements that carry quotations: direct ones, and reported clauses with a quote
# mark (their quoted fragments are traced as well).
_QUOTING = " OR ".join(
    [
        "kind='direct'",
        *(
            "instr(text, '{}')".format(m.replace("'", "''"))
            for m in ('"', "“", "”", "«", "»", "„", "''", "``")
        ),
    ]
)


def _posted(doc: st.StoryDoc) -> list[str]:
    """The terms an article is found by: its text terms and its main actors (`@name`)."""
    return [t for t, _ in doc.terms] + ["@" + a for a, _ in doc.actor_terms]


def _probes(doc: st.StoryDoc, df: dict[str, int], limit: int) -> list[str]:
    """The terms looked up for candidates: the strongest words and actors, leaving out
    those in more than `limit` articles (they find everything and tell nothing)."""
    terms = [t for t, _ in doc.terms[: st.PROBE_TERMS]] + [
        "@" + a for a, _ in doc.actor_terms[: st.PROBE_ACTORS]
    ]
    return [t for t in terms if df.get(t, 0) <= limit]


class StorySync:
    """One pass adding new catalog articles (in ingest order) to stories and trails.

    Rows are written once per batch (one executemany per table); what the batch
    added so far is searched in memory beside the file.
    """

    # The SQL dialect, which the PostgreSQL subclass changes: its placeholder and table.
    _PARAM = "?"
    _DOCS = "docs"

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
        # A re-ingested article may find its id still naming a story of earlier articles.
        self.existing: set[str] = {r[0] for r in con.execute("SELECT id FROM stories")}
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
        # Stories begun in this batch, all their articles in memory (see refresh_stories).
        self.born: dict[str, list[st.StoryDoc]] = {}
        self.names: dict[str, str] = {}

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
                f" JOIN blobs b ON a.id = b.id WHERE a.id IN ({marks})",
                chunk,
            ).fetchall()
            for aid, name, mentions in self.cat.execute(
                f"SELECT article_id, name, mentions FROM article_actors WHERE article_id IN ({marks})",
                chunk,
            ):
                actors.setdefault(aid, []).append((name, mentions))
            for aid, speaker, text, start, end, kind in self.cat.execute(
                "SELECT article_id, speaker, text, start, end, kind FROM statements"
                f" WHERE ({_QUOTING}) AND article_id IN ({marks}) ORDER BY kind != 'direct', rowid",
                chunk,
            ):
                quotes.setdefault(aid, []).append((speaker, text, start, end, kind))
        rows.sort()
        return [(*r, actors.get(r[1], []), quotes.get(r[1], [])) for r in rows]

    def _batch(self, ids: Sequence[str]) -> None:
        fetched = self._fetch(ids)
        touched: set[str] = set()
        self._reset()
        for n, (seq, aid, title, ts, inferred, source, blob, actors, quotes) in enumerate(fetched):
            if n % 500 == 0:
                self._update_common()
            body = self._body(blob)
            touched.add(self._add_doc(seq, aid, title, ts, bool(inferred), source, body, actors))
            self._add_quotes(aid, quotes)
        self._write(touched)

    def _body(self, blob: Any) -> str:
        """The article text from what `_fetch` read (the catalog keeps it compressed)."""
        return zlib.decompress(blob).decode("utf-8", "surrogatepass")

    def _write(self, touched: set[str]) -> None:
        """Write the batch's rows in one transaction (a backend of its own overrides this)."""
        con = self.con
        con.execute("BEGIN IMMEDIATE")
        try:
            con.executemany(
                f"INSERT OR REPLACE INTO docs({DOC_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self.docs_rows,
            )
            con.executemany(
                "INSERT INTO postings(term, ts, article_id) VALUES (?, ?, ?)",
                [(t, ts, aid) for t, items in self.postings.items() for ts, aid in items],
            )
            con.executemany(
                "INSERT OR REPLACE INTO df(term, n) VALUES (?, ?)",
                [(t, self.df[t]) for t in sorted(self.df_touched)],
            )
            con.executemany(
                "INSERT INTO actors(article_id, key, name, mentions) VALUES (?, ?, ?, ?)",
                self.actor_rows,
            )
            con.executemany(
                "INSERT INTO quotes(trail, article_id, start, end, speaker, text, stmt_start,"
                " stmt_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                self.quote_rows,
            )
            con.executemany(
                "INSERT OR IGNORE INTO qkeys(key, trail) VALUES (?, ?)", self.qkeys.items()
            )
            refresh_stories(con, touched, self.born, self.names)
            con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('next_trail', ?)", (str(self.next_trail),)
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            self._reset()

    def _add_doc(
        self,
        seq: int,
        aid: str,
        title: str,
        ts: int | None,
        inferred: bool,
        source: str | None,
        body: str,
        actors: list[tuple[str, int]],
    ) -> str:
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
        doc = st.StoryDoc(
            aid,
            seq,
            ts,
            inferred,
            source,
            title,
            vec,
            tuple(keys[: st.TOP_ACTORS]),
            avec,
            st.numbers(title, body),
        )
        story = aid
        if doc.actors:
            match = st.best_match(
                doc, self._candidates(doc), self.common, trust=st.reliability(self.n_docs)
            )
            if match is not None:
                story = self._load(match[0].article_id)[1]
        if ts is not None:
            first = self._first(story) if story != aid else None
            self.first[story] = ts if first is None else min(first, ts)
        self.docs_rows.append(
            (
                aid,
                seq,
                ts,
                int(inferred),
                source,
                title,
                json.dumps([[t, round(w, 5)] for t, w in vec]),
                json.dumps(list(doc.actors)),
                json.dumps([[t, round(w, 5)] for t, w in avec]),
                story,
                json.dumps(doc.numbers),
            )
        )
        self.cache[aid] = (doc, story)
        if story == aid and aid not in self.existing:
            self.born[aid] = [doc]
        elif story in self.born:
            self.born[story].append(doc)
        for t in _posted(doc):
            self.postings.setdefault(t, []).append((ts, aid))
        for k in keys:
            self.actor_rows.append((aid, k, names[k], mentions[k]))
            self.names.setdefault(k, names[k])
            self.actor_df[k] += 1
        return story

    def _candidates(self, doc: st.StoryDoc) -> list[st.StoryDoc]:
        limit = max(st.PROBE_LIMIT, int(st.PROBE_SHARE * self.n_docs))
        probes = _probes(doc, self.df, limit)
        if not probes:
            return []
        hits: Counter[str] = Counter(self._stored_hits(probes, doc.ts))
        pending = self.postings
        at, window = doc.ts, st.WINDOW_S
        for t in probes:
            for ts, aid in pending.get(t, ()):
                if at is None or ts is None or abs(at - ts) <= window:  # st.within_window
                    hits[aid] += 1
        out = []
        top = hits.most_common(st.COMPARE)
        self._preload([aid for aid, _ in top])
        for aid, _ in top:
            cand, story = self._load(aid)
            first = self._first(story)
            if doc.ts is not None and first is not None and abs(doc.ts - first) > st.SPAN_S:
                continue
            out.append(cand)
        return out

    def _preload(self, ids: list[str]) -> None:
        """Read the candidates `ids` at once (a server backend saves round trips here)."""

    def _stored_hits(self, probes: list[str], ts: int | None) -> list[str]:
        """The stored articles posted under `probes` (within the window of `ts`), one per posting."""
        marks = ",".join("?" * len(probes))
        if ts is None:
            found = self.con.execute(
                f"SELECT article_id FROM postings WHERE term IN ({marks})", probes
            ).fetchall()
        else:
            lo, hi = ts - st.WINDOW_S, ts + st.WINDOW_S
            found = self.con.execute(
                f"SELECT article_id FROM postings WHERE term IN ({marks})"
                " AND (ts IS NULL OR ts BETWEEN ? AND ?)",
                [*probes, lo, hi],
            ).fetchall()
        return [r[0] for r in found]

    def _stored_trails(self, keys: list[int]) -> list[int]:
        """The stored trails of the quotation keys `keys`."""
        return [
            r[0]
            for r in self.con.execute(
                f"SELECT trail FROM qkeys WHERE key IN ({','.join('?' * len(keys))})", keys
            )
        ]

    def _first(self, story: str) -> int | None:
        """The story's earliest date (joins keep it in step)."""
        if story not in self.first:
            row = self.con.execute(
                f"SELECT first FROM stories WHERE id = {self._PARAM}", (story,)
            ).fetchone()
            self.first[story] = row[0] if row else None
        return self.first[story]

    def _load(self, aid: str) -> tuple[st.StoryDoc, str]:
        got = self.cache.get(aid)
        if got is None:
            row = self.con.execute(
                f"SELECT {DOC_COLS} FROM {self._DOCS} WHERE article_id = {self._PARAM}", (aid,)
            ).fetchone()
            got = doc_row(row)
            self.cache[aid] = got
        return got

    def _add_quotes(self, aid: str, quotes: list[tuple[Any, ...]]) -> None:
        traced = 0
        # Direct statements come first (see _fetch); reported clauses are looked at up to
        # twice the quotations kept, so that thousands of them cost no more.
        for speaker, stmt, s_start, s_end, kind in quotes[: 2 * tr.MAX_QUOTES]:
            if traced >= tr.MAX_QUOTES:
                break  # bounded work, however many quotations the article holds
            for start, end in tr.quotations(kind, stmt, s_start)[: tr.MAX_QUOTES - traced]:
                traced += 1
                text = stmt[start - s_start : end - s_start]
                self._trace(aid, speaker, text, start, end, s_start, s_end)

    def _trace(
        self,
        aid: str,
        speaker: str | None,
        text: str,
        start: int,
        end: int,
        s_start: int,
        s_end: int,
    ) -> None:
        """Add one quotation to the trail it shares keys with, or to a new trail."""
        pending = self.qkeys
        keys = tr.keys(text)
        if keys:
            found: Counter[int] = Counter(pending[k] for k in keys if k in pending)
            found.update(self._stored_trails(keys))
            if found:
                trail = min(found, key=lambda t: (-found[t], t))
            else:
                trail = self.next_trail
                self.next_trail += 1
            self.quote_rows.append((trail, aid, start, end, speaker, text, s_start, s_end))
            for k in keys:
                pending.setdefault(k, trail)
