"""The query language: parse a search string into a Whoosh query plus what to highlight."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from whoosh import query as wq

if TYPE_CHECKING:
    pass

from index.search.dates import DayRange, QuerySyntaxError, safe_date_range
from index.storage.schema import NAME_ANALYZER, PREFIX_MIN, TEXT_ANALYZER, WORD_RE, timestamp

# field name in the query language -> index fields searched
NAME_FIELDS: dict[str, tuple[str, ...]] = {
    "actor": ("actors",),
    "person": ("persons",),
    "org": ("organizations",),
    "place": ("places", "dateline"),
    "speaker": ("speakers",),
}
# query field -> the index field holding `actor_key`s of names and aliases
KEY_FIELDS: dict[str, str] = {
    "actor": "actor_keys",
    "person": "person_keys",
    "org": "org_keys",
    "place": "place_keys",
    "speaker": "speaker_keys",
}
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "quote": ("quotes",),
}
FIELDS = (*TEXT_FIELDS, *NAME_FIELDS, "source", "date")
# actor kinds an alias expansion may cross into, per query field
FIELD_KINDS: dict[str, tuple[str, ...] | None] = {
    "actor": None,
    "person": ("person",),
    "org": ("organization",),
    "place": ("place", "country"),
    "speaker": ("person", "organization", "country", "place"),
}

Expander = Callable[[str, str], Sequence[str]]
PrefixExpander = Callable[[str], Sequence[str]]


@dataclass(frozen=True)
class Highlight:
    """What to mark in a hit: stems of matched words, typed prefixes, actor names."""

    stems: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Word:
    """A plain query word and where it sits in the query text (for suggestions)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Compiled:
    """A parsed query: the Whoosh query (None when nothing is searchable)."""

    query: wq.Query | None
    highlight: Highlight
    words: tuple[Word, ...]
    error: str | None = None


# --- lexer -------------------------------------------------------------------


@dataclass
class Tok:
    kind: str  # "(", ")", "AND", "OR", "NOT", "TERM"
    value: str = ""
    field: str | None = None
    quoted: bool = False
    neg: bool = False
    start: int = 0
    end: int = 0


_OPERATORS = {"AND", "OR", "NOT", "&&", "||"}


def _read_quoted(text: str, i: int) -> tuple[str, int]:
    """`text[i]` is a quote: the quoted text and the index after the closing quote."""
    j = text.find('"', i + 1)
    if j < 0:
        raise QuerySyntaxError(f"unterminated quote at character {i + 1}")
    return text[i + 1 : j], j + 1


def tokenize(text: str) -> list[Tok]:
    toks: list[Tok] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c in "()":
            toks.append(Tok(c, start=i, end=i + 1))
            i += 1
            continue
        neg = False
        start = i
        if c == "-" and i + 1 < n and not text[i + 1].isspace():
            neg = True
            i += 1
            if text[i] == "(":
                toks.append(Tok("NOT", start=start, end=i))
                continue
        if text[i] == '"':
            value, i = _read_quoted(text, i)
            toks.append(Tok("TERM", value, None, True, neg, start, i))
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] not in '()"':
            j += 1
        word = text[i:j]
        name, colon, rest = word.partition(":")
        fname = name.lower()
        if colon and fname in FIELDS:
            if not rest and j < n and text[j] == '"':
                value, j = _read_quoted(text, j)
                toks.append(Tok("TERM", value, fname, True, neg, start, j))
            else:
                if not rest:
                    raise QuerySyntaxError(f"{name}: needs a value")
                toks.append(Tok("TERM", rest, fname, False, neg, start, j))
        elif not neg and word in _OPERATORS:
            kind = {"&&": "AND", "||": "OR"}.get(word, word)
            toks.append(Tok(kind, start=start, end=j))
        else:
            toks.append(Tok("TERM", word, None, False, neg, start, j))
        i = j
    return toks


# --- bounds: a query costs a bounded amount of work, whatever is typed ---------

MAX_QUERY_CHARS = 500
MAX_TERMS = 32
MAX_DEPTH = 16


def _cut_query(text: str) -> tuple[str, str | None]:
    """`text` cut to MAX_QUERY_CHARS, and a note when it was."""
    if len(text) <= MAX_QUERY_CHARS:
        return text, None
    return text[:MAX_QUERY_CHARS], f"query cut to its first {MAX_QUERY_CHARS} characters"


def check_bounds(toks: Sequence[Tok]) -> None:
    """Refuse (as a syntax error: plain words are searched) too many terms or nesting."""
    terms = sum(1 for t in toks if t.kind == "TERM")
    if terms > MAX_TERMS:
        raise QuerySyntaxError(f"more than {MAX_TERMS} terms")
    depth = nots = 0
    for t in toks:
        depth += (t.kind == "(") - (t.kind == ")")
        nots = nots + 1 if t.kind == "NOT" else 0
        if depth > MAX_DEPTH or nots > MAX_DEPTH:
            raise QuerySyntaxError(f"nested more than {MAX_DEPTH} deep")


def _plain_words(text: str, keep: Callable[[re.Match[str]], bool]) -> tuple[list[Tok], str]:
    """The fallback: at most MAX_TERMS plain words of `text` (and a note when cut)."""
    toks = [
        Tok("TERM", m.group(), None, False, False, m.start(), m.end())
        for m in WORD_RE.finditer(text)
        if m.group() not in _OPERATORS and keep(m)
    ]
    # The same word twice adds nothing to an AND but its cost.
    seen: set[str] = set()
    unique = []
    for t in toks:
        if t.value.lower() not in seen:
            seen.add(t.value.lower())
            unique.append(t)
    if len(unique) > MAX_TERMS:
        return unique[:MAX_TERMS], f"searched for the first {MAX_TERMS} plain words instead"
    return unique, "searched for the plain words instead"


# --- parser (AND binds tighter than OR; juxtaposition is AND) ----------------


@dataclass
class Node:
    op: str  # "and", "or", "not", "leaf"
    children: list[Node] = field(default_factory=list)
    tok: Tok | None = None


class _Parser:
    def __init__(self, toks: list[Tok]) -> None:
        self.toks = toks
        self.i = 0

    def peek(self) -> Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        node = self.or_expr()
        tok = self.peek()
        if tok is not None:
            raise QuerySyntaxError(f"unexpected {tok.kind!r} at character {tok.start + 1}")
        return node

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.take()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else Node("or", parts)

    def and_expr(self) -> Node:
        parts = [self.unary()]
        while (tok := self.peek()) is not None and tok.kind not in ("OR", ")"):
            if tok.kind == "AND":
                self.take()
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else Node("and", parts)

    def unary(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise QuerySyntaxError("the query ends too early (after an operator or a parenthesis)")
        if tok.kind == "NOT":
            self.take()
            return Node("not", [self.unary()])
        if tok.kind == "(":
            self.take()
            if (nxt := self.peek()) is not None and nxt.kind == ")":
                raise QuerySyntaxError(f"empty parentheses at character {tok.start + 1}")
            inner = self.or_expr()
            close = self.peek()
            if close is None or close.kind != ")":
                raise QuerySyntaxError(f"unclosed parenthesis at character {tok.start + 1}")
            self.take()
            return inner
        if tok.kind == "TERM":
            self.take()
            leaf = Node("leaf", tok=tok)
            return Node("not", [leaf]) if tok.neg else leaf
        raise QuerySyntaxError(f"unexpected {tok.kind!r} at character {tok.start + 1}")


# --- compiling ---------------------------------------------------------------


def analyse(analyzer: Callable[[str], Iterable[Any]], text: str) -> list[str]:
    return [t.text for t in analyzer(text)]


def _terms(fieldname: str, words: list[str]) -> wq.Query:
    if len(words) == 1:
        return wq.Term(fieldname, words[0])
    return wq.Phrase(fieldname, words)


def _any(queries: list[wq.Query]) -> wq.Query | None:
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else wq.Or(queries)


@dataclass
class _Collect:
    stems: set[str] = field(default_factory=set)
    prefixes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)


class _Compiler:
    def __init__(
        self,
        expand: Expander,
        now: datetime | None,
        prefix_tok: Tok | None,
        expand_prefix: PrefixExpander | None = None,
    ) -> None:
        self.expand = expand
        self.expand_prefix = expand_prefix
        self.now = now
        self.prefix_tok = prefix_tok
        self.hl = _Collect()

    def node(self, node: Node, positive: bool = True) -> wq.Query | None:
        if node.op == "leaf":
            assert node.tok is not None
            return self.leaf(node.tok, positive)
        if node.op == "not":
            inner = self.node(node.children[0], not positive)
            return None if inner is None else wq.Not(inner)
        parts = [q for q in (self.node(c, positive) for c in node.children) if q is not None]
        if not parts:
            return None
        if node.op == "or":
            return parts[0] if len(parts) == 1 else wq.Or(parts)
        return _and(parts)

    def text_leaf(self, tok: Tok, fields: tuple[str, ...], positive: bool) -> wq.Query | None:
        if tok is self.prefix_tok:
            return self.prefix_leaf(tok, fields, positive)
        words = text_words(tok, positive, self.hl)
        if not words:
            return None
        return _any([_terms(f, words) for f in fields])

    def prefix_leaf(self, tok: Tok, fields: tuple[str, ...], positive: bool) -> wq.Query | None:
        raw = WORD_RE.findall(tok.value.lower())
        if not raw:
            return None
        *whole, last = raw
        parts: list[wq.Query] = []
        if whole:
            stems = analyse(TEXT_ANALYZER, " ".join(whole))
            if stems:
                # `stems` is not empty, so neither is the list: `_any` gives a query.
                parts.append(cast("wq.Query", _any([_terms(f, stems) for f in fields])))
                if positive:
                    self.hl.stems.update(stems)
        if len(last) >= PREFIX_MIN:
            # The library expands the prefix to its most frequent words (capped),
            # so a two-letter prefix costs a few posting lists, not thousands.
            terms = list(self.expand_prefix(last)) if self.expand_prefix else [last]
            parts.append(_any([wq.Term("words", t) for t in terms]) or wq.Term("words", last))
            if positive:
                self.hl.prefixes.append(last)
        return _and(parts) if parts else None

    def leaf(self, tok: Tok, positive: bool) -> wq.Query | None:
        f = tok.field
        if f is None:
            return self.text_leaf(tok, ("title", "body"), positive)
        if f in TEXT_FIELDS:
            return self.text_leaf(tok, TEXT_FIELDS[f], positive)
        if f == "source":
            words = analyse(NAME_ANALYZER, tok.value)
            return _terms("source", words) if words else None
        if f == "date":
            lo, hi = safe_date_range(tok.value, self.now)
            return DayRange(
                "published",
                timestamp(lo) if lo else None,
                timestamp(hi) - 1 if hi else None,
            )
        from index.names import actor_key

        # The typed value as words (it may be part of a longer name: "Pedersen"),
        # plus every name the library knows for it, by key: one Term each.
        queries: list[wq.Query] = []
        words = analyse(NAME_ANALYZER, tok.value)
        if words:
            queries.extend(_terms(fieldname, words) for fieldname in NAME_FIELDS[f])
        names = list(dict.fromkeys([tok.value, *self.expand(tok.value, f)]))
        keys = sorted({k for k in map(actor_key, names) if k})
        queries.extend(wq.Term(KEY_FIELDS[f], k) for k in keys)
        if positive:
            self.hl.names.extend(n for n in names if analyse(NAME_ANALYZER, n))
        return _any(queries)


def _and(parts: list[wq.Query]) -> wq.Query:
    pos = [p for p in parts if not isinstance(p, wq.Not)]
    neg = [p.query for p in parts if isinstance(p, wq.Not)]
    if not neg:
        return pos[0] if len(pos) == 1 else wq.And(pos)
    base: wq.Query = wq.Every() if not pos else pos[0] if len(pos) == 1 else wq.And(pos)
    return wq.AndNot(base, neg[0] if len(neg) == 1 else wq.Or(neg))


def _no_expansion(_value: str, _field: str) -> Sequence[str]:
    return ()


def compile_query(
    text: str,
    expand: Expander = _no_expansion,
    as_you_type: bool = False,
    now: datetime | None = None,
    expand_prefix: PrefixExpander | None = None,
) -> Compiled:
    """Parse `text`; on a syntax error fall back to its plain words and say why."""
    q, compiler, error = compile_tree(
        text,
        as_you_type,
        lambda tok, fallback: _Compiler(expand, now, tok, None if fallback else expand_prefix),
    )
    if isinstance(q, wq.Not):
        q = wq.AndNot(wq.Every(), q.query)
    hl = compiler.hl
    return Compiled(
        q,
        Highlight(
            frozenset(hl.stems), tuple(dict.fromkeys(hl.prefixes)), tuple(dict.fromkeys(hl.names))
        ),
        tuple(hl.words),
        error,
    )


def _is_field_word(text: str, m: re.Match[str]) -> bool:
    """True for the field name or value of a `field:value` pair (dropped on a bad value)."""
    start = text.rfind(" ", 0, m.start()) + 1
    chunk = text[start : m.end() + 1]
    name = chunk.split(":", 1)[0].lstrip("-").lower()
    return ":" in chunk and name in FIELDS


C = TypeVar("C", bound="_Compiling")


class _Compiling(Protocol):
    hl: _Collect

    def node(self, n: Node) -> Any: ...


def parse_tree(text: str) -> tuple[Node | None, list[Tok], str | None]:
    """(tree, tokens, error): on a syntax error, the plain words and why."""
    try:
        toks = tokenize(text)
        check_bounds(toks)
        return (_Parser(toks).parse() if toks else None), toks, None
    except QuerySyntaxError as exc:
        toks, fallback = _plain_words(text, lambda m: True)
        tree = Node("and", [Node("leaf", tok=t) for t in toks]) if toks else None
        return tree, toks, f"{exc}; {fallback}"


def prefix_token(text: str, toks: list[Tok], as_you_type: bool) -> Tok | None:
    """The last word being typed, searched as a prefix (as you type only)."""
    if not (as_you_type and toks and text and not text[-1].isspace()):
        return None
    last = toks[-1]
    if (
        last.kind == "TERM"
        and last.field is None
        and not last.quoted
        and last.end == len(text.rstrip())
    ):
        return last
    return None


def compile_tree(
    text: str, as_you_type: bool, make: Callable[[Tok | None, bool], C]
) -> tuple[Any, C, str | None]:
    """(compiled, compiler, error) of `text` with the compilers `make` builds (one per
    backend): the same parse, bounds, as-you-type prefix and fallbacks for every backend."""
    text, cut = _cut_query(text)
    tree, toks, error = parse_tree(text)
    compiler = make(prefix_token(text, toks, as_you_type), False)
    try:
        q = compiler.node(tree) if tree is not None else None
    except QuerySyntaxError as exc:
        # a bad value (a date) inside a well-formed query: drop that part, keep the rest
        words, fallback = _plain_words(text, lambda m: not _is_field_word(text, m))
        error = f"{exc}; {fallback}"
        compiler = make(None, True)  # the fallback: plain words, no prefix expansion
        q = compiler.node(Node("and", [Node("leaf", tok=t) for t in words])) if words else None
    if cut:
        error = f"{cut}; {error}" if error else cut
    return q, compiler, error


def text_words(tok: Tok, positive: bool, hl: _Collect) -> list[str]:
    """The analysed words of a text leaf; a positive leaf's words join the highlights
    (every backend's compiler reads its text leaves through here)."""
    words = analyse(TEXT_ANALYZER, tok.value)
    if words and positive:
        hl.stems.update(words)
        if tok.field is None and not tok.quoted and len(words) == 1:
            hl.words.append(Word(tok.value, tok.start + tok.neg, tok.end))
    return words
