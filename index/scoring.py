"""What both evaluation scorers share: word spans, word cover, the thresholds, the error."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_WORD = re.compile(r"\w+")
THRESHOLDS = (0.3, 0.8)


class EvaluationError(Exception):
    """A corpus folder that cannot be scored (one-line message)."""


def words_of(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    return [m.span() for s, e in spans for m in _WORD.finditer(text, s, e)]


def cover(words: Sequence[tuple[int, int]], start: int, end: int) -> float:
    """Fraction of `words` lying inside [start, end)."""
    if not words:
        return 0.0
    inside = sum(1 for s, e in words if s >= start and e <= end)
    return inside / len(words)
