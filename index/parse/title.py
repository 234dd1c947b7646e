"""Titles: shorten long headlines and make a faithful title from a lead when there is none."""

from __future__ import annotations

import re

MAX_TITLE = 120

# A sentence ends at . ! ? (and closing quotes) followed by space and a capital or quote,
# unless the period belongs to an abbreviation or an initial.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"“‘'(]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Capt|Sgt|Rep|Sen|Gov|Pres|St|Jr|Sr|Co|Corp|Inc|Ltd|"
    r"No|Vol|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|U\.N|E\.U)|\b[A-Z])\.$"
)
# Clause boundaries, best first: a cut there still reads as a phrase.
_CLAUSE = re.compile(r"\s*(?:[;:]|,|\s[–—]|\s-\s|\s\()\s*")


def first_sentence(text: str, window: int = 600) -> str:
    """The first sentence of `text` (looks at the first `window` characters only)."""
    head = " ".join(text[:window].split())
    for match in _SENTENCE_END.finditer(head):
        before = head[: match.start() + 1]
        if _ABBREVIATION.search(before):
            continue
        return before.strip()
    return head


def shorten(text: str, limit: int = MAX_TITLE) -> str:
    """`text` cut to at most `limit` characters at a clause boundary, else a word (with "…")."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    best = -1
    for match in _CLAUSE.finditer(text, 0, limit + 1):
        if 30 <= match.start() <= limit:
            best = match.start()
    if best > 0:
        return text[:best].rstrip(" ,;:–—-(")
    cut = text.rfind(" ", 0, limit)
    if cut < limit // 2:
        cut = limit - 1
    return text[:cut].rstrip(" ,;:–—-(") + "…"


def title_from_lead(text: str) -> str:
    """A short faithful title from the first sentence of a lead paragraph."""
    sentence = first_sentence(text)
    if sentence.endswith(".") and not sentence.endswith("..."):
        sentence = sentence[:-1]
    return shorten(sentence)


def clean_title(line: str) -> str:
    """A headline line tidied: spacing, markdown markers, a trailing period; never over the limit."""
    line = " ".join(line.strip().lstrip("#").split()).strip("*_ ")
    return shorten(line)
