"""What each article of a story added: sentences, actors and statements no earlier article carried."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.extract.sentences import split_sentences
from index.records import Article
from index.trails import keys as quote_keys
from index.trails import normalise

# Near-identical: this share of a sentence's word triples already carried.
NEAR = 0.6
# Bounded work for a big story: the first articles and sentences only.
MAX_ARTICLES = 60
MAX_SENTENCES = 400

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Added:
    """What one article brought to its story (offsets into its body)."""

    article_id: str
    sentences: tuple[tuple[int, int], ...]  # new sentences
    carried: tuple[tuple[int, int], ...]  # sentences an earlier article already had
    actors: tuple[str, ...]  # actor names no earlier article named
    statements: tuple[tuple[int, int], ...]  # statements (start, end) no earlier article carried

    def to_json(self, body: str) -> dict[str, object]:
        return {
            "article_id": self.article_id,
            "sentences": [{"start": s, "end": e, "text": body[s:e]} for s, e in self.sentences],
            "actors": list(self.actors),
            "statements": [{"start": s, "end": e, "text": body[s:e]} for s, e in self.statements],
        }


def _shingles(text: str) -> frozenset[tuple[str, ...]]:
    w = [m.group(0) for m in _WORD.finditer(text.casefold())]
    if len(w) < 3:
        return frozenset([tuple(w)]) if w else frozenset()
    return frozenset(tuple(w[i : i + 3]) for i in range(len(w) - 2))


def added(articles: Sequence[Article]) -> tuple[Added, ...]:
    """Per article, in the given (time) order: what no earlier one carried.

    A sentence counts as carried when most of its word triples were already
    seen in one earlier sentence (a near-identical rewrite); a statement when it
    shares a trail key (a run of words, or one word changed) with an earlier one.
    """
    seen_shingles: dict[tuple[str, ...], list[int]] = {}
    sizes: list[int] = []
    seen_actors: set[str] = set()
    seen_quotes: set[int] = set()
    seen_plain: set[str] = set()
    out: list[Added] = []
    for article in articles[:MAX_ARTICLES]:
        body = article.body
        new_s: list[tuple[int, int]] = []
        old_s: list[tuple[int, int]] = []
        mine: list[frozenset[tuple[str, ...]]] = []
        for start, end in split_sentences(body)[:MAX_SENTENCES]:
            sh = _shingles(body[start:end])
            mine.append(sh)
            if not sh:
                continue
            overlap: dict[int, int] = {}
            for s in sh:
                for sid in seen_shingles.get(s, ()):
                    overlap[sid] = overlap.get(sid, 0) + 1
            near = any(n >= NEAR * min(len(sh), sizes[sid]) for sid, n in overlap.items())
            (old_s if near else new_s).append((start, end))
        # Only after the article: its own repeated sentences are not "carried".
        for sh in mine:
            sid = len(sizes)
            sizes.append(len(sh))
            for s in sh:
                seen_shingles.setdefault(s, []).append(sid)
        actors = tuple(a.name for a in article.actors if a.name.casefold() not in seen_actors)
        seen_actors.update(a.name.casefold() for a in article.actors)
        new_q: list[tuple[int, int]] = []
        pending: list[tuple[list[int], str]] = []
        for st in article.statements:
            k = quote_keys(st.text)
            plain = " ".join(normalise(st.text))
            if any(x in seen_quotes for x in k) or (not k and plain in seen_plain):
                continue
            new_q.append((st.start, st.end))
            pending.append((k, plain))
        for k, plain in pending:
            seen_quotes.update(k)
            seen_plain.add(plain)
        out.append(Added(article.id, tuple(new_s), tuple(old_s), actors, tuple(new_q)))
    return tuple(out)
