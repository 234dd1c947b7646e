"""Direct quotations: pair straight, curly and doubled quote marks into quote spans."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate

from index.extract.frozen import build

# `''` and `` are the doubled-apostrophe marks some wires (NYT archive) use for quotes.
_MARK = re.compile(r"“|”|„|«|»|''|``|\"")
_MARKS = ("“", "”", "„", "«", "»", "''", "``", '"')  # `_MARK`'s alternatives
_OPEN_ONLY = frozenset(("“", "„", "«", "``"))
_CLOSE_ONLY = frozenset(("”", "»"))
_OPEN_BEFORE = frozenset(" \t\n([{—–-/:;,")  # chars after which an ambiguous mark opens
_CLOSE_AFTER = frozenset(" \t\n)]}—–-,.;:!?…")  # chars before which an ambiguous mark closes
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_PARAGRAPH = re.compile(r"[^\n]+")

# A quote this short that is not attributed is a scare quote or a label, not a statement.
MIN_STANDALONE_WORDS = 4
# Quoted fragments of at least this many words make the reported clause around them direct.
MIN_PARTIAL_WORDS = 3


@dataclass(frozen=True)
class Quote:
    """One quotation: `start`/`end` include the marks, `inner_*` is the quoted content."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool  # False when the closing mark is missing (quote runs to paragraph end)
    words: int
    # True for a paragraph that reopens the quotation the previous one left open (the
    # newswire convention for a quotation over several paragraphs): the same utterance
    reopens: bool = False

    def contains(self, pos: int) -> bool:
        return self.inner_start <= pos < self.inner_end


# For ASCII text, `_WORD` counted without the regex: word characters become `a`, the two
# ASCII joiners `-` and `'` become `-`, everything else a space (the count is asked for
# often, and a regex scan that builds every word is the slow way to count them).
_WORD_BYTES = (
    bytes(
        ord("a") if chr(b).isalnum() or b == ord("_") else ord("-") if b in b"-'" else ord(" ")
        for b in range(128)
    )
    + b" " * 128
)


def word_count(text: str) -> int:
    """How many `_WORD` words `text` holds (hyphenated and apostrophised words count one)."""
    if not text.isascii():
        return len(_WORD.findall(text))
    shape = text.encode("ascii").translate(_WORD_BYTES)
    # (`find`, not `in`: `bytes in bytes` first tries the operand as an integer, and the
    # error it raises and clears costs more than the whole count)
    if "-" in text or "'" in text:
        while shape.find(b"a-a") >= 0:  # a joiner between word characters glues two words
            shape = shape.replace(b"a-a", b"aaa")
        shape = shape.replace(b"-", b" ")
    return len(shape.split())


def _role(body: str, start: int, end: int, mark: str) -> str:
    """'open', 'close' or 'either' for the mark at body[start:end]."""
    if mark in _OPEN_ONLY:
        # `review“ of`: an opening mark glued to the word before it closes (a typo)
        if (
            mark == "“"
            and start > 0
            and (body[start - 1].isalnum() or body[start - 1] in ".,!?")
            and (end >= len(body) or body[end] in _CLOSE_AFTER)
        ):
            return "close"
        return "open"
    if mark in _CLOSE_ONLY:
        return "close"
    before = body[start - 1] if start > 0 else " "
    after = body[end] if end < len(body) else " "
    opens = before in _OPEN_BEFORE or before in "“”\"'"
    closes = after in _CLOSE_AFTER or after in "“”\"'"
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


def _misturned_opener(body: str, p_start: int, start: int, end: int) -> bool:
    """A closing mark opening a paragraph before a word (`”Fear. I am ...”`): a typo for
    the opening mark, since nothing is open for it to close."""
    return not body[p_start:start].strip() and body[end : end + 1].isalnum()


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    """Strip whitespace and the comma that ends a quote before its attribution."""
    while start < end and body[start].isspace():
        start += 1
    while end > start and (body[end - 1].isspace() or body[end - 1] == ","):
        end -= 1
    return start, end


def _make(
    body: str,
    start: int,
    open_end: int,
    close_start: int,
    end: int,
    closed: bool,
    reopens: bool = False,
) -> Quote:
    inner_start, inner_end = _trim(body, open_end, close_start)
    return build(
        Quote,
        start=start,
        end=end,
        inner_start=inner_start,
        inner_end=inner_end,
        closed=closed,
        words=word_count(body[inner_start:inner_end]),
        reopens=reopens,
    )


def line_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line: what `_PARAGRAPH.finditer(body)` finds, read
    off a split in C rather than a regex scan of every character."""
    last = _LAST_LINES[0]
    if last[0] is body:
        return last[1]  # (the quotes and then the sentences of one body ask in turn)
    sizes = list(map(len, body.split("\n")))
    # each line starts one past the end of the one before: sums in C, not a Python loop
    starts = accumulate(map((1).__add__, sizes), initial=0)
    out = [(s, s + n) for s, n in zip(starts, sizes, strict=False) if n]
    _LAST_LINES[0] = (body, out)
    return out


# The last body `line_spans` read and its spans (a string is immutable, so the same
# object gives the same spans; callers do not change the list).
_LAST_LINES: list[tuple[str | None, list[tuple[int, int]]]] = [(None, [])]


def mark_starts(body: str) -> list[tuple[int, str]]:
    """(offset, mark) of every place a `_MARK` could match, in order: found by `str.find`,
    far cheaper than a regex scanning for a set of characters."""
    out: list[tuple[int, str]] = []
    for mark in _MARKS:
        i = body.find(mark)
        while i >= 0:
            out.append((i, mark))
            i = body.find(mark, i + 1)
    out.sort()
    return out


def mark_spans(
    body: str, marks: list[tuple[int, str]], start: int, end: int
) -> list[tuple[int, int, str]]:
    """(start, end, mark) of what `_MARK.finditer(body, start, end)` finds, read off
    `mark_starts(body)`: no two marks begin with the same character, so at most one
    matches at an offset, and a doubled mark hides a mark starting inside it."""
    out = []
    pos = start
    for i in range(bisect_left(marks, (start, "")), len(marks)):
        at, mark = marks[i]
        if at >= end:
            break
        if at < pos or at + len(mark) > end:
            continue
        out.append((at, at + len(mark), mark))
        pos = at + len(mark)
    return out


def find_quotes(body: str) -> list[Quote]:
    """Every quotation in `body`, in order; tolerant of missing or stray marks.

    Quotes never cross a paragraph (a line). By the newswire convention for
    multi-paragraph quotes, a paragraph that leaves a quote open continues into the next
    paragraph when that one opens with a quote mark: each paragraph is a passage of its
    own, the later ones marked `reopens`.
    """
    quotes: list[Quote] = []
    open_at: tuple[int, int] | None = None  # (mark start, mark end) of the pending quote
    reopened = False  # the pending quote is a paragraph continuing the previous one
    paragraphs = line_spans(body)
    marks = mark_starts(body)
    n_marks = len(marks)
    for index, (p_start, p_end) in enumerate(paragraphs):
        if open_at is None:
            # (a paragraph with no mark and no quote left open adds nothing: most of them)
            i = bisect_left(marks, (p_start, ""))
            if i == n_marks or marks[i][0] >= p_end:
                continue
        for m_start, m_end, mark in mark_spans(body, marks, p_start, p_end):
            role = _role(body, m_start, m_end, mark)
            if open_at is not None and open_at[0] == m_start:
                continue  # the leading mark that reopened the quotation
            if open_at is None:
                if role != "close" or _misturned_opener(body, p_start, m_start, m_end):
                    open_at = (m_start, m_end)
                continue
            if role == "open":
                # A second opening mark: the pending quote lost its closing mark.
                if open_at[1] > p_start:
                    quotes.append(
                        _make(body, open_at[0], open_at[1], m_start, m_start, False, reopened)
                    )
                open_at, reopened = (m_start, m_end), False
                continue
            quotes.append(_make(body, open_at[0], open_at[1], m_start, m_end, True, reopened))
            open_at, reopened = None, False
        if open_at is None:
            continue
        quotes.append(_make(body, open_at[0], open_at[1], p_end, p_end, False, reopened))
        open_at, reopened = None, False
        nxt = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        if nxt is not None:
            lead_at = nxt[0] + len(body[nxt[0] : nxt[1]]) - len(body[nxt[0] : nxt[1]].lstrip())
            lead = _MARK.match(body, lead_at, nxt[1])
            if (
                lead
                and lead.group()[:1] not in _CLOSE_ONLY
                and _role(body, lead.start(), lead.end(), lead.group()) != "close"
            ):
                open_at, reopened = (lead.start(), lead.end()), True  # the quote continues
    return [q for q in quotes if q.inner_end > q.inner_start]
