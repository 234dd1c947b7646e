"""A budget of work per article, so one hostile text cannot stall an ingest (deterministic)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from index.records import Statement

# Counted in characters and marks, never in seconds, so a cut falls at the same place on
# every machine. The corpora stay far below: at most 112 quote marks, sentences of at
# most ~900 characters, 119 statements and statement text 1.5x the body per article.
MAX_QUOTE_MARKS = 2_000
MAX_SENTENCE = 10_000
# The attribution rules cost about (sentence length)^2 per sentence: 2.5e8 is ~25
# sentences of 3,000 characters, or 1,000 sentences of 500.
MAX_WORK = 250_000_000
MAX_STATEMENTS = 1_000
QUOTE_MARKS = frozenset('"“”„«»')
_NOT_NEWLINE = re.compile(r"[^\n]")


def mark_cut(body: str) -> int | None:
    """Where the quote mark past MAX_QUOTE_MARKS sits, or None when there are fewer."""
    # (`isascii` is a flag read: an ASCII body holds no curly or angle mark to count)
    count = body.count('"') if body.isascii() else sum(body.count(m) for m in QUOTE_MARKS)
    if count <= MAX_QUOTE_MARKS:
        return None
    seen = 0
    for i, ch in enumerate(body):
        if ch in QUOTE_MARKS:
            seen += 1
            if seen > MAX_QUOTE_MARKS:
                return i
    return None


def over_budget(sentences: Sequence[tuple[int, int]]) -> tuple[list[tuple[int, int]], str | None]:
    """The sentence spans to leave out (too long, or past the work budget) and why."""
    if sentences:
        # (the spans are in order and apart: none is longer, and their squares sum to no
        # more, than the stretch they cover squared, so a short text needs no count)
        covered = sentences[-1][1] - sentences[0][0]
        if covered <= MAX_SENTENCE and covered * covered <= MAX_WORK:
            return [], None
    out: list[tuple[int, int]] = []
    work = 0
    long = 0
    for i, (s, e) in enumerate(sentences):
        size = e - s
        if size > MAX_SENTENCE:
            out.append((s, e))
            long += 1
            continue
        work += size * size
        if work > MAX_WORK:
            out.extend(sentences[i:])
            reason = f"statements looked for in the first {s:,} characters only (work budget)"
            if long:
                reason += f"; {long} sentence(s) over {MAX_SENTENCE:,} characters skipped"
            return out, reason
    if long:
        return out, f"{long} sentence(s) over {MAX_SENTENCE:,} characters skipped for statements"
    return out, None


def mask(body: str, spans: Sequence[tuple[int, int]]) -> str:
    """`body` with `spans` blanked (newlines kept): same length, so offsets stay valid."""
    parts: list[str] = []
    pos = 0
    for s, e in sorted(spans):
        if s < pos:
            s = pos
        parts.append(body[pos:s])
        parts.append(_NOT_NEWLINE.sub(" ", body[s:e]))
        pos = max(pos, e)
    parts.append(body[pos:])
    return "".join(parts)


def cap_statements(
    body: str, statements: Sequence[Statement]
) -> tuple[tuple[Statement, ...], str | None]:
    """Statements (text from the real `body`) within the count and total-text caps."""
    limit_chars = 2 * len(body) + 10_000
    kept: list[Statement] = []
    total = 0
    reason = None
    for st in statements:
        text = body[st.start : st.end]
        if len(kept) >= MAX_STATEMENTS:
            reason = f"more than {MAX_STATEMENTS:,} statements; the first {MAX_STATEMENTS:,} kept"
            break
        if total + len(text) > limit_chars:
            reason = f"statement text over twice the article; {len(kept):,} statements kept"
            break
        total += len(text)
        kept.append(st if st.text == text else dataclasses.replace(st, text=text))
    return tuple(kept), reason
