"""Highlight spans and snippets for search hits, computed with the index's own tokenizer."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from index.records import Hit
from index.search.language import Highlight
from index.storage.schema import WORD_RE, stem

Span = tuple[int, int]
SNIPPET_CHARS = 240


def _root(s: str) -> str:
    # Porter stems are not always prefixes of their words (hoping -> hope,
    # possibility -> possibl); a root three characters shorter always is.
    return s[: max(len(s) - 3, min(len(s), 3))]


@lru_cache(maxsize=512)
def _candidates(roots: tuple[str, ...], prefixes: tuple[str, ...]) -> re.Pattern[str] | None:
    alts = sorted({*roots, *prefixes}, key=len, reverse=True)
    if not alts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, alts)) + ")", re.IGNORECASE)


@lru_cache(maxsize=512)
def _names_re(names: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = []
    for name in names:
        words = WORD_RE.findall(name)
        if words:
            parts.append(r"\W+".join(map(re.escape, words)))
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=512)
def _plain(roots: tuple[str, ...], prefixes: tuple[str, ...]) -> re.Pattern[str] | None:
    """`_candidates` for ASCII text lowercased: no IGNORECASE, no lookbehind (the
    caller checks the character before), when every alternative is ASCII word
    characters (a match inside a word then only skips positions inside that word)."""
    alts = sorted({a.lower() for a in (*roots, *prefixes)}, key=len, reverse=True)
    if not alts or not all(a.isascii() and _ASCII_WORD.fullmatch(a) for a in alts):
        return None
    return re.compile("|".join(map(re.escape, alts)))


_ASCII_WORD = re.compile(r"[A-Za-z0-9_]+")


def _starts(text: str, roots: tuple[str, ...], prefixes: tuple[str, ...]) -> list[int]:
    """Where a root or prefix begins a word of `text` (not after a word character),
    as `_candidates(...).finditer(text)` finds them; ASCII text, the common case, is
    scanned lowercased by a plain pattern, three times faster."""
    plain = _plain(roots, prefixes) if text.isascii() else None
    if plain is not None:
        return [
            i
            for i in (m.start() for m in plain.finditer(text.lower()))
            if i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")
        ]
    pattern = _candidates(roots, prefixes)
    return [] if pattern is None else [m.start() for m in pattern.finditer(text)]


def _token_start(text: str, i: int) -> bool:
    """True when a WORD_RE token starts at i (not inside "don't" or "U.S")."""
    return i < 2 or not (text[i - 1] in ".'’" and text[i - 2].isalnum())


def spans(text: str, hl: Highlight) -> tuple[Span, ...]:
    """Every occurrence in `text` of a matched stem, typed prefix or actor name, sorted."""
    out: list[Span] = []
    stems = hl.stems
    prefixes = tuple(p.lower() for p in hl.prefixes)
    pos = 0
    for i in _starts(text, tuple(sorted(_root(s) for s in stems)), prefixes):
        if i < pos or not _token_start(text, i):
            continue
        tok = WORD_RE.match(text, i)
        if tok is None:
            continue
        word = tok.group().lower()
        if stem(word) in stems or word.startswith(prefixes):
            out.append((i, tok.end()))
            pos = tok.end()
    names = _names_re(hl.names)
    if names is not None:
        out.extend(m.span() for m in names.finditer(text))
    return _merge(out)


def _merge(found: list[Span]) -> tuple[Span, ...]:
    found.sort()
    merged: list[Span] = []
    for s, e in found:
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return tuple(merged)


def snippet(
    body: str, body_spans: tuple[Span, ...], width: int = SNIPPET_CHARS
) -> tuple[str, tuple[Span, ...]]:
    """A one-line window of `body` around the densest run of spans, with spans into it."""
    if not body_spans:
        start = 0
    else:
        best, best_n, j = body_spans[0][0], 0, 0
        for i, (s, _) in enumerate(body_spans):
            while body_spans[j][0] < s - width // 2:
                j += 1
            if i - j + 1 > best_n:
                best_n, best = i - j + 1, body_spans[j][0]
        start = max(0, best - width // 4)
        # begin on a word boundary
        while 0 < start < len(body) and body[start - 1].isalnum():
            start -= 1
            if best - start > width // 2:
                break
    end = min(len(body), start + width)
    while start < end < len(body) and body[end].isalnum() and end - start > width - 20:
        end -= 1
    text = body[start:end]
    # Same length as the slice, so offsets shift by the leading ellipsis only.
    text = re.sub(r"\s", " ", text)
    lead = "…" if start > 0 else ""
    tail = "…" if end < len(body) else ""
    shift = len(lead) - start
    inner = tuple(
        (max(s, start) + shift, min(e, end) + shift) for s, e in body_spans if s < end and e > start
    )
    return lead + text + tail, inner


def hits(
    rows: Mapping[str, tuple[Any, ...]], ids: Sequence[str], scores: Sequence[float], hl: Highlight
) -> tuple[Hit, ...]:
    """Search hits for the article `ids` from their catalog `rows` (`Catalog.meta_rows`)."""
    out = []
    for aid, score in zip(ids, scores, strict=True):
        row = rows.get(aid)
        if row is None:  # indexed but not yet catalogued (a crashed ingest): skip
            continue
        _, title, published, inferred, source, path, body = row
        body_spans = spans(body, hl)
        snip, snip_spans = snippet(body, body_spans)
        out.append(
            Hit(
                id=aid,
                title=title,
                published=datetime.fromisoformat(published) if published else None,
                published_inferred=bool(inferred),
                source=source,
                path=path,
                score=score,
                title_spans=spans(title, hl),
                body_spans=body_spans,
                snippet=snip,
                snippet_spans=snip_spans,
            )
        )
    return tuple(out)
