"""Searching a PostgreSQL library: the compiled query counted, ranked and turned into hits."""

from __future__ import annotations

import time
from typing import Any

from index.postgres.rows import FEED_COLUMNS, FEED_ORDER
from index.postgres.sqlquery import Cond, SqlCompiled, compile_sql, phrase
from index.records import Article, Hit, SearchResult
from index.search import highlight
from index.search.language import Expander, Highlight, analyse
from index.storage.schema import NAME_ANALYZER, TEXT_ANALYZER

# Totals are counted up to here, then given as "at least" (total_exact False).
EXACT_UP_TO = 5000
EXACT_AS_YOU_TYPE = 500
# A query matching more than EXACT_UP_TO articles is ranked over its newest
# SCAN_BUDGET matches (by `seq`, the order of writing), as the embedded backend does.
SCAN_BUDGET = 6000


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def _ranked(
    con: Any, compiled: SqlCompiled, where: Cond, exact: bool, sort: str, limit: int, offset: int
) -> list[tuple[str, float]]:
    """(id, score) of the hits `offset` to `offset + limit`."""
    if sort == "date":
        return [
            (r[0], 0.0)
            for r in con.execute(
                f"SELECT a.id FROM articles a WHERE {where.sql}"
                f" ORDER BY {FEED_ORDER} LIMIT %s OFFSET %s",
                (*where.params, limit, offset),
            ).fetchall()
        ]
    rank = compiled.rank_query
    score = "ts_rank(a.doc, %s::tsquery)" if rank else "0.0"
    rank_params = (rank,) if rank else ()
    source = f"articles a WHERE {where.sql}"
    params: tuple[Any, ...] = where.params
    if not exact:
        # Broad: rank the newest SCAN_BUDGET matches only (deterministic).
        source = (
            f"(SELECT a.id, a.seq, a.feed_rank, a.doc FROM articles a WHERE {where.sql}"
            " ORDER BY a.seq DESC LIMIT %s) a"
        )
        params = (*where.params, max(SCAN_BUDGET, limit + offset))
    rows = con.execute(
        f"SELECT a.id, {score} AS score FROM {source}"
        " ORDER BY score DESC, a.feed_rank, a.id LIMIT %s OFFSET %s",
        (*rank_params, *params, limit, offset),
    ).fetchall()
    return [(r[0], float(r[1])) for r in rows]


def search(
    con: Any,
    query: str,
    expand: Expander,
    limit: int = 20,
    sort: str = "relevance",
    as_you_type: bool = False,
    offset: int = 0,
) -> SearchResult:
    """Search with the query language; never raises on user syntax.

    Relevance is ts_rank over the title (weight A) and body (D) parts of the
    query, then newest first, then id: deterministic, but not BM25F, so the
    order differs from the embedded backend's; the set of matches is the same.
    """
    started = time.perf_counter()
    compiled = compile_sql(query, expand, as_you_type=as_you_type)
    if compiled.where is None:
        return SearchResult(query, (), 0, _ms(started), None, compiled.error)
    limit, offset = max(1, limit), max(0, offset)
    where = compiled.where
    cap = max(EXACT_AS_YOU_TYPE if as_you_type else EXACT_UP_TO, limit + offset)
    (found,) = con.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM articles a WHERE {where.sql} LIMIT %s) t",
        (*where.params, cap + 1),
    ).fetchone()
    exact = found <= cap
    ranked = _ranked(con, compiled, where, exact, sort, limit, offset)
    total = found if exact else max(found, offset + len(ranked))
    hits = hits_of(con, [r[0] for r in ranked], [r[1] for r in ranked], compiled.highlight)
    return SearchResult(query, hits, total, _ms(started), None, compiled.error, exact)


def related(con: Any, article: Article, limit: int = 5) -> list[Hit]:
    """Articles sharing the most title words and actors with `article`."""
    stems = list(dict.fromkeys(analyse(TEXT_ANALYZER, article.title)))
    top = sorted(article.actors, key=lambda a: -len(a.mentions))[:8]
    names, name_parts = [], []
    for actor in top:
        words = analyse(NAME_ANALYZER, actor.name)
        if words:
            names.append(actor.name)
            name_parts.append(f"( {phrase([f'a.{w}' for w in words])} )")
    text_q = " | ".join(phrase([s]) for s in stems)
    name_q = " | ".join(name_parts)
    if not text_q and not name_q:
        return []
    conds, scores, params = [], [], []
    for column, q in (("doc", text_q), ("names", name_q)):
        if q:
            conds.append(f"a.{column} @@ %s::tsquery")
            scores.append(f"ts_rank(a.{column}, %s::tsquery)")
            params.append(q)
    rows = con.execute(
        f"SELECT a.id, {' + '.join(scores)} AS score FROM articles a"
        f" WHERE a.id <> %s AND ({' OR '.join(conds)})"
        " ORDER BY score DESC, a.feed_rank, a.id LIMIT %s",
        (*params, article.id, *params, limit),
    ).fetchall()
    hl = Highlight(frozenset(stems), (), tuple(names))
    return list(hits_of(con, [r[0] for r in rows], [float(r[1]) for r in rows], hl))


def hits_of(con: Any, ids: list[str], scores: list[float], hl: Highlight) -> tuple[Hit, ...]:
    """Hits with highlights (offsets computed in Python, as on the embedded backend)."""
    if not ids:
        return ()
    rows = {
        r[0]: tuple(r)
        for r in con.execute(
            f"SELECT {FEED_COLUMNS}, body FROM articles WHERE id = ANY(%s)", (ids,)
        ).fetchall()
    }
    # A row removed by another writer between the two queries is skipped.
    return highlight.hits(rows, ids, scores, hl)
