"""Quote trails: one quotation carried by several articles, where it first appeared, who each credited."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.extract.quotes import find_quotes

# A shared run of this many words makes two quotations one (a variant).
RUN = 10
# Shorter quotations must match whole, up to one word changed, added or dropped;
# below MIN_WORDS a quotation ("terrorists") is too common to trace.
MIN_WORDS = 5
# Keys per quotation and quotations per article: an article with thousands of
# quotes costs no more than this.
MAX_KEYS = 40
MAX_QUOTES = 200

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True)
class Carrier:
    """One article carrying a quotation of a trail."""

    article_id: str
    start: int
    end: int
    text: str
    speaker: str | None
    ts: int | None
    inferred: bool
    seq: int  # ingest order
    source: str | None
    title: str


@dataclass(frozen=True)
class Trail:
    """A quotation across the library: its carriers in order, the first appearance, the speakers."""

    id: int
    text: str  # as the first carrier gave it
    carriers: tuple[Carrier, ...]  # first appearance first
    first: Carrier | None  # None when no carrier has a date of its own
    speakers: tuple[str, ...]  # distinct speakers credited, in carrier order

    @property
    def disagreement(self) -> bool:
        """The carriers credit different speakers: a finding, not noise."""
        return len({s.casefold() for s in self.speakers}) > 1

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.source or "(unknown outlet)" for c in self.carriers))


def normalise(text: str) -> list[str]:
    """The words of a quotation: case and punctuation gone, curly apostrophes straightened."""
    return [w.replace("’", "'") for w in _TOKEN.findall(text.casefold())]


def _h(words: Sequence[str]) -> int:
    digest = hashlib.blake2b(" ".join(words).encode("utf-8", "surrogatepass"), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


def keys(text: str) -> list[int]:
    """Hash keys two variants of one quotation share.

    Long quotations: every run of RUN words (evenly thinned to MAX_KEYS, which
    still catches any shared run a little longer than RUN). Short ones: the whole
    text and each one-word deletion, so that a word changed, added or dropped
    still shares a key (the symmetric deletion trick, edit distance 1).
    """
    w = normalise(text)
    if len(w) < MIN_WORDS:
        return []
    if len(w) >= RUN:
        runs = [w[i : i + RUN] for i in range(len(w) - RUN + 1)]
        if len(runs) > MAX_KEYS:
            step = len(runs) / MAX_KEYS
            runs = [runs[int(i * step)] for i in range(MAX_KEYS)]
        return [_h(r) for r in runs]
    out = [_h(["<", *w])]
    out.extend(_h(["<", *w[:i], *w[i + 1 :]]) for i in range(len(w)))
    return out[:MAX_KEYS]


def quotations(kind: str, text: str, start: int) -> list[tuple[int, int]]:
    """The (start, end) body offsets of the quotations a statement carries: a direct
    statement is one; a reported clause carries the fragments it quotes whole
    (`said the offensive was "a trial by fire for the whole region"`)."""
    if kind == "direct":
        return [(start, start + len(text))]
    return [(start + q.inner_start, start + q.inner_end) for q in find_quotes(text) if q.closed]


def order_key(c: Carrier) -> tuple[int, int, int]:
    """First appearance: the earliest date the article gives itself, then ingest order;
    articles without a date (or with an inferred one) come after."""
    own = c.ts is not None and not c.inferred
    return (0 if own else 1, (c.ts or 0) if own else 0, c.seq)


def make_trail(trail_id: int, carriers: Sequence[Carrier]) -> Trail:
    ordered = sorted(carriers, key=order_key)
    first = (
        ordered[0] if ordered and ordered[0].ts is not None and not ordered[0].inferred else None
    )
    speakers = tuple(dict.fromkeys(c.speaker for c in ordered if c.speaker))
    return Trail(
        id=trail_id,
        text=ordered[0].text if ordered else "",
        carriers=tuple(ordered),
        first=first,
        speakers=speakers,
    )
