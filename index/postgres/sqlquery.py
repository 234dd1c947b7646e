"""The query language compiled to SQL over the PostgreSQL schema: tsquery per field, dates, actor keys.

The tokenizer, parser, fallbacks and highlight bookkeeping are those of
`index.search.language`, so both backends read a query the same way and
highlight the same words; only the leaves differ. Words are analysed in
Python with the embedded backend's analyzers and the stems go into tsquery
literals as they are (no PostgreSQL dictionary touches them), which is what
makes the two backends answer the same article sets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from index.names import actor_key
from index.search.dates import safe_date_range
from index.search.language import (
    KEY_FIELDS,
    NAME_FIELDS,
    TEXT_FIELDS,
    Expander,
    Highlight,
    Node,
    Tok,
    Word,
    _Collect,
    analyse,
    compile_tree,
    text_words,
)
from index.storage.schema import NAME_ANALYZER, PREFIX_MIN, TEXT_ANALYZER, WORD_RE, timestamp

# Name fields share one tsvector column; a one-letter tag before each lexeme
# keeps them apart ("p.assad" is a person word, "l.idlib" a place word).
NAME_TAGS: dict[str, str] = {
    "source": "s",
    "dateline": "d",
    "actors": "a",
    "persons": "p",
    "organizations": "o",
    "places": "l",
    "speakers": "v",
}
# query field -> the `article_keys.field` value of its actor keys
KEY_NAMES: dict[str, str] = {f: f for f in KEY_FIELDS}


def lexeme(text: str) -> str:
    """A tsvector/tsquery literal lexeme: quoted, so PostgreSQL takes it verbatim."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def phrase(words: Sequence[str], weight: str = "") -> str:
    """`'a' <-> 'b'` (one word: `'a'`), each word restricted to `weight` (e.g. "A")."""
    suffix = f":{weight}" if weight else ""
    return " <-> ".join(lexeme(w) + suffix for w in words)


@dataclass(frozen=True)
class Cond:
    """A WHERE fragment over `articles a` with its parameters (%s placeholders)."""

    sql: str
    params: tuple[Any, ...] = ()
    # tsqueries on `a.doc` that matched positively: they rank the hits
    rank: tuple[str, ...] = field(default=())
    # An actor-field leaf alone: (its other parts, or None; its keys). Every keyed
    # article matches it, so a search knows its newest matches from the keys.
    keyed_or: tuple[Cond | None, KeyedSeqs] | None = None


@dataclass(frozen=True)
class KeyedSeqs:
    """A parameter standing for the `seq`s of the articles with one of `keys` in `field`
    (`article_keys`): the search looks them up once and passes each query its part."""

    field: str
    keys: tuple[str, ...]

    def lookup(self, con: Any, low: int = 0) -> list[int]:
        """The sorted `seq`s from `low` on: one range of the primary key of `article_keys`
        per key (the key rows carry their article's `seq`; no join to `articles`)."""
        with con.transaction():
            # Index-only (the planner would rather visit the heap through a
            # bitmap: one page per key row, thousands of them for a broad key).
            con.execute("SET LOCAL enable_bitmapscan = off")
            got = con.execute(
                "SELECT seq FROM article_keys WHERE field = %s AND key = ANY(%s) AND seq >= %s",
                (self.field, list(self.keys), low),
            ).fetchall()
        return sorted({r[0] for r in got})


def _join(op: str, parts: list[Cond]) -> Cond:
    if len(parts) == 1:
        return parts[0]
    return Cond(
        "(" + f" {op} ".join(p.sql for p in parts) + ")",
        tuple(x for p in parts for x in p.params),
        tuple(r for p in parts for r in p.rank),
    )


def _ts(column: str, query: str, rank: bool = False) -> Cond:
    return Cond(f"a.{column} @@ %s::tsquery", (query,), (query,) if rank else ())


@dataclass(frozen=True)
class SqlCompiled:
    """A parsed query: the WHERE condition (None when nothing is searchable) and what to highlight."""

    where: Cond | None
    highlight: Highlight
    words: tuple[Word, ...]
    error: str | None = None

    @property
    def rank_query(self) -> str | None:
        """One tsquery OR-ing every positive text part, for ts_rank (None: nothing to rank by)."""
        if self.where is None or not self.where.rank:
            return None
        return " | ".join(f"( {r} )" for r in dict.fromkeys(self.where.rank))


class SqlCompiler:
    """The leaves of the query tree as SQL; collects highlights as `language._Compiler` does."""

    def __init__(self, expand: Expander, now: datetime | None, prefix_tok: Tok | None) -> None:
        self.expand = expand
        self.now = now
        self.prefix_tok = prefix_tok
        self.hl = _Collect()

    def node(self, node: Node, positive: bool = True) -> Cond | None:
        if node.op == "leaf":
            assert node.tok is not None
            return self.leaf(node.tok, positive)
        if node.op == "not":
            inner = self.node(node.children[0], not positive)
            # NOT of a positive part must not rank: drop its rank queries.
            return None if inner is None else Cond(f"NOT {inner.sql}", inner.params)
        parts = [q for q in (self.node(c, positive) for c in node.children) if q is not None]
        if not parts:
            return None
        return _join("OR" if node.op == "or" else "AND", parts)

    def _text(self, fields: tuple[str, ...], words: list[str]) -> Cond:
        conds: list[Cond] = []
        body = "body" in fields
        if "title" in fields and not body:
            conds.append(_ts("doc", phrase(words, "A"), rank=True))
        elif body:
            # `doc` holds the title (weight A) and the body (D) with a position gap
            # between them, so a phrase never spans the two, as in two Whoosh fields.
            conds.append(_ts("doc", phrase(words), rank=True))
        if "quotes" in fields:
            conds.append(_ts("quotes", phrase(words)))
        return _join("OR", conds)

    def text_leaf(self, tok: Tok, fields: tuple[str, ...], positive: bool) -> Cond | None:
        if tok is self.prefix_tok:
            return self.prefix_leaf(tok, fields, positive)
        words = text_words(tok, positive, self.hl)
        if not words:
            return None
        return self._text(fields, words)

    def prefix_leaf(self, tok: Tok, fields: tuple[str, ...], positive: bool) -> Cond | None:
        raw = WORD_RE.findall(tok.value.lower())
        if not raw:
            return None
        *whole, last = raw
        parts: list[Cond] = []
        if whole:
            stems = analyse(TEXT_ANALYZER, " ".join(whole))
            if stems:
                parts.append(self._text(fields, stems))
                if positive:
                    self.hl.stems.update(stems)
        if len(last) >= PREFIX_MIN:
            # Every indexed word with this prefix (`:*` on the unstemmed words).
            # Alone, a GIN range scan; after whole words, a test of their matches
            # only (coalesce hides it from the index): a short prefix's GIN range
            # is the union of thousands of long posting lists.
            if parts:
                parts.append(
                    Cond("coalesce(a.words @@ %s::tsquery, false)", (lexeme(last) + ":*",))
                )
            else:
                parts.append(_ts("words", lexeme(last) + ":*"))
            if positive:
                self.hl.prefixes.append(last)
        return _join("AND", parts) if parts else None

    def leaf(self, tok: Tok, positive: bool) -> Cond | None:
        f = tok.field
        if f is None:
            return self.text_leaf(tok, ("title", "body"), positive)
        if f in TEXT_FIELDS:
            return self.text_leaf(tok, TEXT_FIELDS[f], positive)
        if f == "source":
            words = analyse(NAME_ANALYZER, tok.value)
            return _ts("names", phrase([f"s.{w}" for w in words])) if words else None
        if f == "date":
            lo, hi = safe_date_range(tok.value, self.now)
            return date_cond(lo, hi)
        return self.name_leaf(tok, f, positive)

    def name_leaf(self, tok: Tok, f: str, positive: bool) -> Cond | None:
        conds: list[Cond] = []
        words = analyse(NAME_ANALYZER, tok.value)
        if words:
            conds.extend(
                _ts("names", phrase([f"{NAME_TAGS[name]}.{w}" for w in words]))
                for name in NAME_FIELDS[f]
            )
        names = list(dict.fromkeys([tok.value, *self.expand(tok.value, f)]))
        keys = sorted({k for k in map(actor_key, names) if k})
        if positive:
            self.hl.names.extend(n for n in names if analyse(NAME_ANALYZER, n))
        if not keys:
            return _join("OR", conds) if conds else None
        # The `seq`s of the keyed articles, looked up once per search (`KeyedSeqs`),
        # not EXISTS per row: `seq = ANY(...)` is a bitmap scan of the `seq` index
        # that ORs with the GIN scan of `names`, and a window takes only its part.
        keyed = KeyedSeqs(KEY_NAMES[f], tuple(keys))
        both = _join("OR", [*conds, Cond("a.seq = ANY(%s)", (keyed,))])
        other = _join("OR", conds) if conds else None
        return Cond(both.sql, both.params, both.rank, (other, keyed))


def date_cond(lo: datetime | None, hi: datetime | None) -> Cond:
    """published in [lo, hi); an undated article never matches (and does match its NOT).

    The same range on `feed_rank` (a second or two wider, so it only ever keeps
    more) lets the feed index find the candidates; `published_at` decides.
    """
    parts = ["a.published_at IS NOT NULL"]
    params: list[Any] = []
    if lo is not None:
        parts += ["a.feed_rank <= %s", "a.published_at >= %s"]
        params += [-_seconds(lo) + 2, lo]
    if hi is not None:
        parts += ["a.feed_rank >= %s", "a.published_at < %s"]
        params += [-_seconds(hi) - 2, hi]
    return Cond("(" + " AND ".join(parts) + ")", tuple(params))


def _seconds(dt: datetime) -> int:
    return timestamp(dt)


def _no_expansion(_value: str, _field: str) -> Sequence[str]:
    return ()


def compile_sql(
    text: str,
    expand: Expander = _no_expansion,
    as_you_type: bool = False,
    now: datetime | None = None,
) -> SqlCompiled:
    """`language.compile_query` with SQL leaves: the same parse, fallbacks and highlights."""
    where, compiler, error = compile_tree(
        text, as_you_type, lambda tok, _fallback: SqlCompiler(expand, now, tok)
    )
    hl = compiler.hl
    return SqlCompiled(
        where,
        Highlight(
            frozenset(hl.stems), tuple(dict.fromkeys(hl.prefixes)), tuple(dict.fromkeys(hl.names))
        ),
        tuple(hl.words),
        error,
    )
