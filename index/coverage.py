"""An actor's record across the library: what they said (repeats folded), mentions per day, who they appear with."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from index.cite import cite_statement

DAY = 86400
# The sparkline covers at most this many days (the most recent ones).
MAX_DAYS = 366
# An associate must appear with the actor in at least this many articles.
MIN_TOGETHER = 2


@dataclass(frozen=True)
class RecordEntry:
    """One thing the actor said; a quotation carried by several articles is one entry."""

    text: str
    article_id: str  # where it first appeared
    start: int
    end: int
    ts: int | None
    source: str | None
    title: str
    trail: int | None
    carriers: int  # articles carrying it
    outlets: tuple[str, ...]
    kind: str = "direct"

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "article_id": self.article_id,
            "start": self.start,
            "end": self.end,
            "published": iso(self.ts),
            "source": self.source,
            "title": self.title,
            "trail": self.trail,
            "carried_by": self.carriers,
            "outlets": list(self.outlets),
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Associate:
    name: str
    together: int  # articles naming both
    score: float  # pointwise mutual information, damped for rare pairs


@dataclass(frozen=True)
class ActorRecord:
    name: str
    aliases: tuple[str, ...]
    articles: int
    statements: tuple[RecordEntry, ...]  # time order
    first_day: str | None  # ISO date of per_day[0]
    per_day: tuple[int, ...]  # mentions (articles) per day, consecutive days
    associates: tuple[Associate, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "articles": self.articles,
            "statements": [
                {
                    **s.to_json(),
                    "citation": cite_statement(
                        s.text,
                        self.name,
                        s.source,
                        None if s.ts is None else datetime.fromtimestamp(s.ts, timezone.utc),
                        s.title,
                    ),
                }
                for s in self.statements
            ],
            "first_day": self.first_day,
            "per_day": list(self.per_day),
            "associates": [
                {"name": a.name, "together": a.together, "score": round(a.score, 3)}
                for a in self.associates
            ],
        }


def iso(ts: int | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, timezone.utc).replace(tzinfo=None).isoformat()


def per_day(
    stamps: Iterable[int | None], max_days: int = MAX_DAYS
) -> tuple[str | None, tuple[int, ...]]:
    """Counts per consecutive day from the first dated stamp (the last `max_days` days at most)."""
    days = sorted(ts // DAY for ts in stamps if ts is not None)
    if not days:
        return None, ()
    first = max(days[0], days[-1] - max_days + 1)
    counts = [0] * (days[-1] - first + 1)
    for d in days:
        if d >= first:
            counts[d - first] += 1
    start = datetime.fromtimestamp(first * DAY, timezone.utc).date().isoformat()
    return start, tuple(counts)


def associates(
    together: Mapping[str, int],
    df: Mapping[str, int],
    actor_df: int,
    n_docs: int,
    names: Mapping[str, str],
    limit: int = 10,
    min_together: int = MIN_TOGETHER,
) -> tuple[Associate, ...]:
    """The actors most tied to this one: PMI, damped by log(together) so one-off pairs and
    ubiquitous actors (whose PMI is near zero) don't lead."""
    out = []
    for key, n_ab in together.items():
        n_b = df.get(key, 0)
        if n_ab < min_together or n_b <= 0 or actor_df <= 0:
            continue
        pmi = math.log(n_ab * n_docs / (actor_df * n_b))
        if pmi <= 0:
            continue
        out.append(Associate(names.get(key, key), n_ab, pmi * math.log1p(n_ab)))
    out.sort(key=lambda a: (-a.score, a.name))
    return tuple(out[:limit])


def fold(
    rows: Sequence[tuple[int | None, str, int, int, str, str]],
    meta: Mapping[str, tuple[int | None, bool, int, str | None, str]],
    kinds: Mapping[tuple[str, int, int], str] | None = None,
) -> tuple[RecordEntry, ...]:
    """Statements (trail, article id, start, end, speaker, text) folded by trail, in time order.

    `meta` maps article ids to (ts, inferred, seq, source, title). Within a trail the
    first appearance is the earliest own date, then ingest order.
    """
    groups: dict[object, list[tuple[int | None, str, int, int, str, str]]] = {}
    for r in rows:
        key: object = ("t", r[0]) if r[0] is not None else ("s", r[1], r[2], r[3])
        groups.setdefault(key, []).append(r)

    def order(r: tuple[int | None, str, int, int, str, str]) -> tuple[int, int, int]:
        ts, inferred, seq, _, _ = meta.get(r[1], (None, False, 0, None, ""))
        own = ts is not None and not inferred
        return (0 if own else 1, ts or 0 if own else 0, seq)

    entries = []
    for members in groups.values():
        members.sort(key=order)
        head = members[0]
        ts, _, _, source, title = meta.get(head[1], (None, False, 0, None, ""))
        outlets = tuple(
            dict.fromkeys(
                meta.get(m[1], (None, False, 0, None, ""))[3] or "(unknown outlet)" for m in members
            )
        )
        entries.append(
            RecordEntry(
                head[5],
                head[1],
                head[2],
                head[3],
                ts,
                source,
                title,
                head[0],
                len({m[1] for m in members}),
                outlets,
                (kinds or {}).get((head[1], head[2], head[3]), "direct"),
            )
        )
    entries.sort(key=lambda e: (e.ts is None, e.ts or 0, e.article_id, e.start))
    return tuple(entries)
