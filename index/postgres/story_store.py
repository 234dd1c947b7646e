"""Reading the stories, quote trails and actor links of a PostgreSQL library (`StoryStore`'s reads).

Rows come back in the order the embedded store reads its SQLite file (SQLite's
rowid is `n` here), so every answer is the embedded backend's for the same
library: the order decides ties (an actor's display name, a trail's first).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from index import stories as st
from index import trails as tr
from index.story_db import story_row, trail_rows

_STORY = "SELECT id, title, members, outlets, first, last, actors FROM stories"


class PgStoryStore:
    """The reads of `index.story_store.StoryStore`, on one PostgreSQL connection."""

    def __init__(self, con: Any) -> None:
        self.con = con

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        rows: list[Any] = self.con.execute(sql, tuple(params)).fetchall()
        return rows

    def stories(self, min_size: int = 2) -> list[st.Story]:
        rows = self._all(
            _STORY + " WHERE size >= %s ORDER BY last IS NULL, last DESC, size DESC, id",
            (min_size,),
        )
        return [story_row(r) for r in rows]

    def story(self, story_id: str) -> st.Story | None:
        rows = self._all(_STORY + " WHERE id = %s", (story_id,))
        return story_row(rows[0]) if rows else None

    def story_of(self, article_id: str) -> str | None:
        rows = self._all("SELECT story FROM story_docs WHERE article_id = %s", (article_id,))
        return str(rows[0][0]) if rows else None

    def trail_ids(
        self, article_ids: Iterable[str] | None = None
    ) -> dict[tuple[str, int, int], int]:
        sql = "SELECT article_id, stmt_start, stmt_end, trail FROM story_quotes"
        if article_ids is None:
            rows = self._all(sql + " ORDER BY n")
        else:
            rows = self._all(sql + " WHERE article_id = ANY(%s) ORDER BY n", (list(article_ids),))
        out: dict[tuple[str, int, int], int] = {}
        for r in rows:
            out.setdefault((r[0], r[1], r[2]), int(r[3]))
        return out

    def trail_sizes(self, trail_ids: Iterable[int]) -> dict[int, int]:
        ids = sorted(set(trail_ids))
        rows = self._all(
            "SELECT trail, count(DISTINCT article_id) FROM story_quotes WHERE trail = ANY(%s)"
            " GROUP BY trail",
            (ids,),
        )
        return {int(r[0]): int(r[1]) for r in rows}

    def trail(self, trail_id: int) -> tr.Trail | None:
        rows = self._all(
            "SELECT q.article_id, q.start_at, q.end_at, q.text, q.speaker, d.ts, d.inferred,"
            " d.seq, d.source, d.title FROM story_quotes q JOIN story_docs d"
            " ON d.article_id = q.article_id WHERE q.trail = %s ORDER BY q.n",
            (trail_id,),
        )
        return trail_rows(trail_id, rows)

    def doc_meta(
        self, ids: Sequence[str]
    ) -> dict[str, tuple[int | None, bool, int, str | None, str]]:
        rows = self._all(
            "SELECT article_id, ts, inferred, seq, source, title FROM story_docs"
            " WHERE article_id = ANY(%s)",
            (list(ids),),
        )
        return {r[0]: (r[1], bool(r[2]), r[3], r[4], r[5]) for r in rows}

    def actor_rows(self, keys: Sequence[str]) -> list[tuple[str, str, int]]:
        out: list[tuple[str, str, int]] = []
        for k in dict.fromkeys(keys):
            out += [
                (r[0], r[1], r[2])
                for r in self._all(
                    "SELECT article_id, name, mentions FROM story_actors WHERE key = %s ORDER BY n",
                    (k,),
                )
            ]
        return out

    def co_actors(
        self, article_ids: Sequence[str], limit: int = 2000
    ) -> list[tuple[str, str, str]]:
        ids = list(article_ids)[:limit]
        out: list[tuple[str, str, str]] = []
        # Chunks of 500, each in article order: as the embedded store reads them.
        for i in range(0, len(ids), 500):
            out += [
                (r[0], r[1], r[2])
                for r in self._all(
                    "SELECT article_id, key, name FROM story_actors WHERE article_id = ANY(%s)"
                    " ORDER BY article_id, n",
                    (ids[i : i + 500],),
                )
            ]
        return out

    def actor_df(self, keys: Sequence[str]) -> dict[str, int]:
        wanted = list(dict.fromkeys(keys))
        got = dict(
            self._all(
                "SELECT term, n FROM story_df WHERE term = ANY(%s)", (["@" + k for k in wanted],)
            )
        )
        return {k: int(got.get("@" + k, 0)) for k in wanted}

    def doc_count(self) -> int:
        return int(self._all("SELECT count(*) FROM story_docs")[0][0])

    def quotes_by(
        self, speakers: Sequence[str]
    ) -> list[tuple[int, str, int, int, str | None, str]]:
        out: list[tuple[int, str, int, int, str | None, str]] = []
        for s in dict.fromkeys(speakers):
            out += [
                (int(r[0]), r[1], r[2], r[3], r[4], r[5])
                for r in self._all(
                    "SELECT trail, article_id, start_at, end_at, speaker, text FROM story_quotes"
                    " WHERE speaker = %s ORDER BY n",
                    (s,),
                )
            ]
        return out
