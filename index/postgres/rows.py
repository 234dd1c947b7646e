"""What one article writes to PostgreSQL (row, keys, actors, statements) and reads back (pure)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from index.names import actor_key
from index.postgres import schema
from index.postgres.sqlquery import NAME_TAGS, lexeme
from index.records import Article, FeedItem, Statement
from index.storage import schema as embedded
from index.storage.rows import json_actors

# One row of `articles` as the feed, search hits and paging read it.
FEED_COLUMNS = "id, title, published, inferred, source, path"
FEED_ORDER = "feed_rank, title, id"
COLUMNS = (
    "id, file, hash, path, title, published, published_at, feed_rank, inferred, source, byline,"
    " dateline, subheads, actors, body, doc, quotes, names, words"
)
# The first parameter is `seq`, drawn by the writer in the order of its files (see
# writer.write_batch): the ingest order stories are grown in, as the embedded catalog's.
UPSERT = (
    f"INSERT INTO articles (seq, {COLUMNS}) VALUES"
    " (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s,"
    " %s::tsvector, %s::tsvector, %s::tsvector, %s::tsvector)"
    " ON CONFLICT (id) DO UPDATE SET"
    + ", ".join(f" {c} = excluded.{c}" for c in COLUMNS.replace(" ", "").split(",")[1:])
    + ", seq = excluded.seq"
    # Another writer already wrote these bytes: leave its row (and children) alone.
    " WHERE articles.hash IS DISTINCT FROM excluded.hash OR articles.file <> excluded.file"
    " RETURNING id, seq"
)


def tsvector(fields: Iterable[tuple[list[str], int, str]]) -> str:
    """A tsvector literal from (tokens, first position, weight) runs; positions past the limit dropped.

    A lexeme seen only past MAX_POSITION keeps no position (it still matches a
    word, never a phrase: a phrase there is missed rather than faked).
    """
    poses: dict[str, list[str]] = {}
    limit = schema.MAX_LEXEME_BYTES // 4  # characters that surely fit in the byte limit
    for tokens, first, weight in fields:
        mark = weight if weight != "D" else ""
        for i, tok in enumerate(tokens, first):
            if len(tok) > limit and len(tok.encode("utf-8", "surrogatepass")) > (
                schema.MAX_LEXEME_BYTES
            ):
                continue
            got = poses.get(tok)
            if got is None:
                got = poses[tok] = []
            if i <= schema.MAX_POSITION and len(got) < schema.MAX_POSITIONS_PER_LEXEME:
                got.append(f"{i}{mark}")
    text = " ".join(lexeme(t) + (":" + ",".join(p) if p else "") for t, p in poses.items())
    # A lone surrogate (from a badly decoded file) cannot go to the server.
    return text.encode("utf-8", "replace").decode("utf-8")


UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> str:
    """`text` with what PostgreSQL text cannot hold (NUL, lone surrogates) as U+FFFD.

    One character for one, so every offset into the body stays right.
    """
    return UNSTORABLE.sub("\ufffd", text)


def _opt(text: str | None) -> str | None:
    return storable(text) if text is not None else None


def storable_article(a: Article) -> Article:
    """`a` with every text storable (the same object when it already is)."""
    texts = (a.title, a.body, a.source or "", a.dateline or "", a.byline or "")
    if not any(UNSTORABLE.search(t) for t in texts):
        return a
    return replace(
        a,
        title=storable(a.title),
        body=storable(a.body),
        source=_opt(a.source),
        byline=_opt(a.byline),
        dateline=_opt(a.dateline),
        statements=tuple(replace(s, text=storable(s.text)) for s in a.statements),
    )


def _speakers(article: Article) -> list[str]:
    return [s.speaker for s in article.statements if s.speaker and s.act == "speech"]


def _vectors(article: Article) -> tuple[str, str, str, str, list[str]]:
    """(doc, quotes, names, words) tsvector literals, with the embedded backend's tokens,
    and the words themselves (the vocabulary counts them: `index.postgres.vocab`)."""
    body = article.body[: embedded.MAX_INDEXED_CHARS]
    title_toks, _ = embedded.text_tokens(article.title)
    body_toks, _ = embedded.text_tokens(body)
    # Positions from 1; a gap of one between title and body keeps phrases apart.
    doc = tsvector([(title_toks, 1, "A"), (body_toks, len(title_toks) + 2, "D")])
    spoken = "\n".join(s.text for s in article.statements if s.act == "speech")
    quotes = tsvector([(embedded.text_tokens(spoken)[0], 1, "C")])
    name_texts = {
        "source": article.source or "",
        "dateline": article.dateline or "",
        "actors": "\n".join(embedded._names(article, None)),
        "persons": "\n".join(embedded._names(article, ("person",))),
        "organizations": "\n".join(embedded._names(article, ("organization",))),
        "places": "\n".join(embedded._names(article, ("place", "country"))),
        "speakers": "\n".join(sorted(set(_speakers(article)))),
    }
    names = tsvector(
        [
            ([f"{NAME_TAGS[f]}.{w}" for w in embedded.name_tokens(text)], 1, "B")
            for f, text in name_texts.items()
        ]
    )
    vocab = sorted(set(embedded.name_tokens(article.title + "\n" + body)))
    words = tsvector([(vocab, 1, "D")])
    # Positions of `words` mean nothing; strip them (prefix search only).
    words = " ".join(w.split(":")[0] if not w.endswith("'") else w for w in words.split(" "))
    return doc, quotes, names, words, vocab


def _keys(article: Article) -> list[tuple[str, str]]:
    keyed = {
        "actor": embedded._names(article, None),
        "person": embedded._names(article, ("person",)),
        "org": embedded._names(article, ("organization",)),
        "place": embedded._names(article, ("place", "country")),
        "speaker": _speakers(article),
    }
    return sorted({(f, k) for f, values in keyed.items() for k in map(actor_key, values) if k})


def feed_rank(published: datetime | None) -> int:
    """The feed's one ascending key: minus the epoch seconds, undated last."""
    return -embedded.timestamp(published) if published else schema.UNDATED


def article_row(article: Article, file: str, digest: str) -> dict[str, Any]:
    """Everything one article writes: the row, its keys, actors and statements (pure)."""
    article = storable_article(article)
    vectors = _vectors(article)
    published_at = None
    if article.published is not None:
        p = article.published
        published_at = p if p.tzinfo is not None else p.replace(tzinfo=timezone.utc)
    row = (
        article.id,
        file,
        digest,
        article.path,
        article.title,
        article.published.isoformat() if article.published else None,
        published_at,
        feed_rank(article.published),
        article.published_inferred,
        article.source,
        article.byline,
        article.dateline,
        json.dumps(list(article.subheads), ensure_ascii=False),
        json.dumps([a.to_json() for a in article.actors], ensure_ascii=False),
        article.body,
        *vectors[:4],
    )
    return {
        "row": row,
        "vocab": vectors[4],
        "keys": [(f, k, article.id) for f, k in _keys(article)],
        "actors": [
            (
                article.id,
                n,
                a.name,
                a.kind,
                json.dumps(list(a.aliases), ensure_ascii=False),
                len(a.mentions),
            )
            for n, a in enumerate(article.actors)
        ],
        "statements": [
            (article.id, n, s.speaker, s.kind, s.cue, s.start, s.end, s.act, s.utterance)
            for n, s in enumerate(article.statements)
        ],
    }


def feed_item(row: Sequence[Any]) -> FeedItem:
    """A FeedItem from the FEED_COLUMNS of a row."""
    return FeedItem(
        id=row[0],
        title=row[1],
        published=datetime.fromisoformat(row[2]) if row[2] else None,
        published_inferred=bool(row[3]),
        source=row[4],
        path=row[5],
    )


ARTICLE_COLUMNS = (
    "id, path, title, body, published, inferred, source, byline, dateline, subheads, actors"
)
STATEMENT_COLUMNS = "speaker, kind, cue, start_at, end_at, act, utterance"


def article(row: Sequence[Any], statements: Sequence[Sequence[Any]]) -> Article:
    """An Article from its ARTICLE_COLUMNS row and STATEMENT_COLUMNS rows (in order)."""
    body = row[3]
    return Article(
        id=row[0],
        path=row[1],
        title=row[2],
        body=body,
        published=datetime.fromisoformat(row[4]) if row[4] else None,
        published_inferred=bool(row[5]),
        source=row[6],
        byline=row[7],
        dateline=row[8],
        subheads=tuple(row[9]),
        actors=json_actors(row[10]),
        statements=tuple(
            Statement(sp, body[s:e], kind, cue, s, e, act=act, utterance=utt)
            for sp, kind, cue, s, e, act, utt in statements
        ),
    )
