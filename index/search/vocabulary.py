"""The library's vocabulary: as-you-type prefix expansion and "did you mean"."""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from index.storage.schema import TEXT_ANALYZER

if TYPE_CHECKING:
    from index.search.language import Word

# (words sorted, document frequency of each): the catalog's `vocab()`.
Words = tuple[list[str], list[int]]


class Vocabulary:
    """The indexed words, loaded once per library change from `load`, with caches."""

    def __init__(self, load: Callable[[], Words]) -> None:
        self._load = load
        self._vocab: Words | None = None
        self._prefixes: dict[str, list[str]] = {}

    def forget(self) -> None:
        """Drop what was loaded: the library changed."""
        self._vocab = None
        self._prefixes.clear()

    def _words(self) -> Words:
        if self._vocab is None:
            self._vocab = self._load()
        return self._vocab

    def prefix_terms(self, prefix: str) -> list[str]:
        """The most frequent indexed words starting with `prefix` (fewer for short prefixes).

        A two-letter prefix stands for its 3 most frequent words, a longer one for
        up to 12: a union of a few posting lists can skip blocks, a union of
        hundreds has to read them all (the 50 s worst case of plain prefix
        queries). The words come from the catalog's vocabulary, loaded once
        per library change: walking the index's terms decoded every term of
        every segment (100 ms for "re" at 10,000 articles, 30 segments at 100,000).
        """
        cached = self._prefixes.get(prefix)
        if cached is not None:
            return cached
        words, dfs = self._words()
        lo = bisect.bisect_left(words, prefix)
        hi = bisect.bisect_left(words, prefix + "\U0010ffff", lo)
        wanted = 3 if len(prefix) <= 2 else 6 if len(prefix) == 3 else 12
        best = heapq.nsmallest(wanted, range(lo, hi), key=lambda i: (-dfs[i], words[i]))
        out = [words[i] for i in best]
        if len(self._prefixes) > 4096:
            self._prefixes.clear()
        self._prefixes[prefix] = out
        return out

    def nearest_word(self, word: str) -> str | None:
        """The closest known word (1 edit for short words, 2 otherwise), most frequent first.

        From the in-memory vocabulary, not the index: the first letter is taken
        as right, so only that letter's slice of the words is compared.
        """
        words, dfs = self._words()
        maxdist = 1 if len(word) <= 4 else 2
        lo = bisect.bisect_left(words, word[:1])
        hi = bisect.bisect_left(words, word[:1] + "\U0010ffff", lo)
        best: tuple[int, int, str] | None = None
        size = len(word)
        for i in range(lo, hi):
            cand = words[i]
            if abs(len(cand) - size) > maxdist or cand == word or len(cand) < 3:
                continue
            dist = _distance(word, cand)
            if dist <= maxdist:
                rank = (dist, -dfs[i], cand)
                if best is None or rank < best:
                    best = rank
        return best[2] if best else None


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def suggest(
    reader: Any, query: str, words: Sequence[Word], nearest: Callable[[str], str | None]
) -> str | None:
    """'Did you mean': replace each unknown plain word (not in `reader`'s index) by its
    nearest indexed word."""
    out = query
    changed = False
    for word in sorted(words, key=lambda w: -w.start):
        lw = word.text.lower()
        stems = [t.text for t in TEXT_ANALYZER(lw)]
        if not stems or len(lw) < 3:
            continue
        s = stems[0]
        if reader.doc_frequency("body", s) or reader.doc_frequency("title", s):
            continue
        best = nearest(lw)
        if best is not None:
            if word.text[:1].isupper():
                best = best[:1].upper() + best[1:]
            out = out[: word.start] + best + out[word.end :]
            changed = True
    return out if changed else None
