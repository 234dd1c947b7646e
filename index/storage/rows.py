"""The catalog's row codec: articles to the rows of its tables and back (compressed JSON)."""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from typing import Any

from index.records import Actor, Article, Statement


def _pack(obj: Any) -> bytes:
    return zlib.compress(json.dumps(obj, ensure_ascii=False).encode("utf-8"), 3)


def _unpack(blob: bytes) -> Any:
    return json.loads(zlib.decompress(blob).decode("utf-8"))


CatalogRows = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]


def catalog_rows(articles: Sequence[Article], ts: Sequence[int | None]) -> CatalogRows:
    """Rows for `Catalog.put_rows` (pure: the ingest workers build them in parallel)."""
    return (
        [
            (
                a.id,
                a.path,
                a.title,
                a.published.isoformat() if a.published else None,
                t,
                int(a.published_inferred),
                a.source,
                zlib.compress(a.body.encode("utf-8", "surrogatepass"), 3),
                _pack(_record(a)),
            )
            for a, t in zip(articles, ts, strict=True)
        ],
        [
            (a.id, x.name, x.kind, json.dumps(list(x.aliases)), len(x.mentions))
            for a in articles
            for x in a.actors
        ],
        [
            (a.id, s.speaker, s.text, s.kind, s.cue, s.start, s.end, s.act, s.utterance)
            for a in articles
            for s in a.statements
        ],
    )


def _record(a: Article) -> dict[str, Any]:
    """What the catalog keeps besides the columns: everything but body and dates."""
    return {
        "id": a.id,
        "path": a.path,
        "title": a.title,
        "source": a.source,
        "byline": a.byline,
        "dateline": a.dateline,
        "subheads": list(a.subheads),
        "actors": [x.to_json() for x in a.actors],
        # A statement's text is body[start:end]: the body is stored once, above.
        "statements": [
            [s.speaker, s.kind, s.cue, s.start, s.end, s.act, s.utterance] for s in a.statements
        ],
    }


def json_actors(items: Sequence[dict[str, Any]]) -> tuple[Actor, ...]:
    """An article's actors from their JSON (the catalog's records, PostgreSQL's `actors`)."""
    return tuple(
        Actor(
            x["name"],
            x["kind"],
            tuple(x["aliases"]),
            tuple((int(m[0]), int(m[1])) for m in x["mentions"]),
        )
        for x in items
    )


def _article(rec: dict[str, Any], body: str) -> Article:
    return Article(
        id=rec["id"],
        path=rec["path"],
        title=rec["title"],
        body=body,
        source=rec["source"],
        byline=rec["byline"],
        dateline=rec["dateline"],
        subheads=tuple(rec["subheads"]),
        actors=json_actors(rec["actors"]),
        statements=tuple(
            Statement(sp, body[start:end], kind, cue, start, end, act=act, utterance=utt)
            for sp, kind, cue, start, end, act, utt in (
                (*row[:5], *(row[5:7] if len(row) >= 7 else ("speech", n)))
                for n, row in enumerate(rec["statements"])
            )
        ),
    )
