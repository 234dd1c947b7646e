"""Searching a PostgreSQL library: the compiled query counted, ranked and turned into hits."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from index.postgres.bydate import first_by_date
from index.postgres.rows import FEED_COLUMNS
from index.postgres.sqlquery import Cond, KeyedSeqs, SqlCompiled, compile_sql, phrase
from index.records import Article, Hit, SearchResult
from index.search import highlight
from index.search.language import Expander, Highlight, analyse
from index.storage.schema import NAME_ANALYZER, TEXT_ANALYZER

# Totals are counted up to here, then estimated (total_exact False).
EXACT_UP_TO = 5000
EXACT_AS_YOU_TYPE = 500
# Matches scored by ts_rank at most: the newest (by `seq`, the order of writing);
# the rest of the matches follow them newest first. Scoring reads each one's
# `doc` tsvector (TOASTed), the dearest part of a search; a broad query's walk
# of the newest writes also stops at this many matches. 200, not 500: 7 % less
# CPU over the benchmark's mix at 1M (issue 14); 20 hits still chosen
# from ten times as many.
RANK_BUDGET = 200
# A search first reads the newest FIRST_WINDOW writes (by `seq`). A query with at
# least DENSE matches there is broad: its hits come from that window (newest
# first), its total is estimated from it. Any other query is counted through the
# GIN indexes alone, up to its cap: a word this sparse has short posting lists.
# Every cut is counted in rows, never in time.
FIRST_WINDOW = 2048
DENSE = 20
# While typing, a tenth of these: a keystroke's list is short.
DENSE_AS_YOU_TYPE = 3
RANK_AS_YOU_TYPE = 100


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


@dataclass(frozen=True)
class Matches:
    """A query's matches, newest first (by `seq`): all of them, or the first `cap + 1`."""

    rows: list[tuple[str, int, int, str]]  # (id, feed_rank, seq, title)
    exact: bool
    total: int  # exact, or estimated from the share of the library read


class Keyed:
    """The `KeyedSeqs` parameters of one search, each looked up once per range of writes."""

    def __init__(self, con: Any, params: tuple[Any, ...]) -> None:
        self.con = con
        self.wanted = [p for p in params if isinstance(p, KeyedSeqs)]
        self.seqs: dict[tuple[KeyedSeqs, int], list[int]] = {}

    def params(self, params: tuple[Any, ...], low: int = 0) -> tuple[Any, ...]:
        """`params` with each KeyedSeqs as its articles' `seq`s from `low` on."""
        if not self.wanted:
            return params
        out: list[Any] = []
        for p in params:
            if isinstance(p, KeyedSeqs):
                if (p, low) not in self.seqs:
                    self.seqs[(p, low)] = p.lookup(self.con, low)
                p = self.seqs[(p, low)]
            out.append(p)
        return tuple(out)


def collect(
    con: Any,
    where: Cond,
    cap: int,
    keyed: Keyed,
    dense: int = DENSE,
    need: int = 0,
    ranked: int = 0,
) -> Matches:
    """The matches of `where` newest first, all of them or the first `cap + 1` (deterministic);
    of a broad query (dense among the newest writes), or of an actor-field leaf with more
    keyed articles than `cap`, the newest `need` (at most `cap + 1`; 0: `cap + 1`). A broad
    query's total is estimated from its newest `ranked` matches (0: `cap + 1`), whatever
    `need` is: every page of a query says the same total.

    Which rows come back depends on the library and the query only; the plans
    PostgreSQL picks change the cost, never the answer.
    """
    first, last = con.execute("SELECT min(seq), max(seq) FROM articles").fetchone()
    if first is None:
        return Matches([], True, 0)
    span = last - first + 1
    low = max(first, last + 1 - FIRST_WINDOW)
    params = keyed.params(where.params, low)
    # A broad query's hits are its newest `need` matches: the walk stops there
    # (a word in most articles reads a quarter of the window), and its total is
    # estimated from the writes read down to the last of them.
    n = cap + 1 if low == first or not need else max(min(need, cap + 1), dense)
    # At most FIRST_WINDOW rows, however common the words. The plan is the
    # planner's: a word in most articles walks down the `seq` index row by row
    # (its GIN bitmap would cost a second at 1M), a rarer one ANDs its GIN bitmap
    # with the window's `seq` range and reads only its matches (no row's `doc`).
    window = [
        tuple(r)
        for r in con.execute(
            f"SELECT a.id, a.feed_rank, a.seq, a.title FROM articles a WHERE ({where.sql})"
            " AND a.seq >= %s ORDER BY a.seq DESC LIMIT %s",
            (*params, low, n),
        ).fetchall()
    ]
    shallow = max(min(ranked or cap + 1, cap + 1), dense)  # at most n
    if len(window) >= shallow:
        counted, read = shallow, last + 1 - window[shallow - 1][2]
    else:  # the whole window was read
        counted, read = len(window), last + 1 - low
    estimate = counted * span // max(1, read)
    if len(window) >= dense or low == first:
        exact = len(window) <= cap and low == first
        return Matches(window, exact, len(window) if exact else max(len(window), estimate))
    # Sparse near the top: counted through the indexes (no table scan, no row by
    # row walk of `seq`), at most cap + 1 rows read. Keys are looked up first,
    # outside this transaction (their lookup sets its own plan).
    every_params = keyed.params(where.params)
    if where.keyed_or is not None:
        other, key = where.keyed_or
        seqs = keyed.seqs[(key, 0)]
        if len(seqs) > cap:
            # Past the cap by its keys alone: no need to count (or probe) every
            # keyed article; the newest matches are no older than the newest keys.
            take = min(need or cap + 1, cap + 1)
            rows = newest_keyed(con, other, seqs[-take:], keyed)
            return Matches(rows, False, max(cap + 1, len(seqs), estimate))
        if other is not None:
            every = other_then_keyed(con, other, seqs, cap)
        else:
            every = _every(con, where.sql, every_params, cap)
    else:
        every = _every(con, where.sql, every_params, cap)
    if len(every) <= cap:
        rows = sorted((tuple(r) for r in every), key=lambda r: -r[2])
        return Matches(rows, True, len(rows))
    # More than the cap, though sparse near the top: the window's matches first,
    # then the others read, newest first (the same rows for the same library).
    seen = {r[0] for r in window}
    rest = sorted((tuple(r) for r in every if r[0] not in seen), key=lambda r: -r[2])
    rows = (window + rest)[: cap + 1]
    return Matches(rows, False, max(cap + 1, estimate))


def _every(con: Any, sql: str, params: tuple[Any, ...], cap: int) -> list[Any]:
    """The first `cap + 1` matches of `sql` through the indexes, in block order."""
    with con.transaction():
        # One process reads the bitmap in block order: which cap + 1 rows a cut
        # keeps is then the same every time (parallel workers interleave). The
        # settings in one round trip (no parameters: one simple query).
        con.execute(
            "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off;"
            " SET LOCAL max_parallel_workers_per_gather = 0"
        )
        return list(
            con.execute(
                f"SELECT a.id, a.feed_rank, a.seq, a.title FROM articles a WHERE ({sql}) LIMIT %s",
                (*params, cap + 1),
            ).fetchall()
        )


def other_then_keyed(con: Any, other: Cond, seqs: list[int], cap: int) -> list[Any]:
    """At most `cap + 1` matches of `other OR seq = ANY(seqs)`: all of them when that many.

    The matches of `other` first (names, through GIN), then only the keyed
    articles they lack: most keyed articles also match by name, and probing the
    `seq` index for each of thousands of keys cost more than reading the rows.
    """
    got = _every(con, other.sql, other.params, cap)
    if len(got) > cap:
        return got
    have = {r[2] for r in got}
    missing = [s for s in seqs if s not in have][-(cap + 1 - len(got)) :]
    if missing:
        got += _every(con, "a.seq = ANY(%s)", (missing,), cap)
    return got


def newest_keyed(
    con: Any, other: Cond | None, newest: list[int], keyed: Keyed
) -> list[tuple[str, int, int, str]]:
    """The newest `len(newest)` matches of `other OR seq = ANY(keys)`, given the newest
    keyed `seq`s: each of those matches, so no newer match is older than the first."""
    low = newest[0]
    if other is None:
        sql, params = "a.seq = ANY(%s)", (newest,)
    else:
        # The range inside the OR: PostgreSQL then ANDs the GIN bitmap with the
        # `seq` range's and reads only the newest rows, not every match of `other`.
        sql = f"(({other.sql}) AND a.seq >= %s) OR a.seq = ANY(%s)"
        params = (*keyed.params(other.params), low, newest)
    with con.transaction():
        con.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        got = con.execute(
            f"SELECT a.id, a.feed_rank, a.seq, a.title FROM articles a WHERE {sql}"
            " ORDER BY a.seq DESC LIMIT %s",
            (*params, len(newest)),
        ).fetchall()
    return [tuple(r) for r in got]


def _ranked(
    con: Any, compiled: SqlCompiled, found: Matches, budget: int
) -> list[tuple[str, float]]:
    """(id, score) of every collected match: the newest `budget` by score, then the rest."""
    head, rest = found.rows[:budget], found.rows[budget:]
    rank = compiled.rank_query
    if rank and head:
        scores = dict(
            con.execute(
                "SELECT id, ts_rank(doc, %s::tsquery) FROM articles WHERE id = ANY(%s)",
                (rank, [r[0] for r in head]),
            ).fetchall()
        )
    else:
        scores = {}
    # A row another writer removed meanwhile scores 0 (and is skipped by hits_of).
    ranked = sorted(
        ((float(scores.get(i, 0.0)), fr, i) for i, fr, *_ in head),
        key=lambda x: (-x[0], x[1], x[2]),
    )
    tail = sorted((fr, i) for i, fr, *_ in rest)
    return [(i, s) for s, _, i in ranked] + [(i, 0.0) for _, i in tail]


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
    Only the newest RANK_BUDGET matches are scored; a query with more matches
    than its counting cap is cut there (`collect`), its total estimated.
    """
    started = time.perf_counter()
    compiled = compile_sql(query, expand, as_you_type=as_you_type)
    if compiled.where is None:
        return SearchResult(query, (), 0, _ms(started), None, compiled.error)
    limit, offset = max(1, limit), max(0, offset)
    where = compiled.where
    cap = max(EXACT_AS_YOU_TYPE if as_you_type else EXACT_UP_TO, limit + offset)
    keyed = Keyed(con, where.params)
    budget = RANK_AS_YOU_TYPE if as_you_type else RANK_BUDGET
    # A page past the ranked ones reads the newest cap + 1: every page, one order.
    need = budget if offset + limit <= budget else cap + 1
    dense = DENSE_AS_YOU_TYPE if as_you_type else DENSE
    found = collect(con, where, cap, keyed, dense, need, budget)
    if sort == "date" and found.exact:
        # Every match is known, with its feed key: sorted here ("C" order is code
        # point order, as Python's), no second query.
        feed = sorted(found.rows, key=lambda r: (r[1], r[3], r[0]))
        ranked = [(r[0], 0.0) for r in feed[offset : offset + limit]]
    elif sort == "date":
        ids = first_by_date(con, where.sql, keyed.params(where.params), offset + limit)
        ranked = [(i, 0.0) for i in ids[offset:]]
    else:
        # Not widened for a deeper page: every page of one query comes from one order.
        ranked = _ranked(con, compiled, found, budget)[offset : offset + limit]
    total = found.total if found.exact else max(found.total, offset + len(ranked))
    hits = hits_of(con, [r[0] for r in ranked], [r[1] for r in ranked], compiled.highlight)
    return SearchResult(query, hits, total, _ms(started), None, compiled.error, found.exact)


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
