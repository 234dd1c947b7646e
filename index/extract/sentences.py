"""Sentence splitting with offsets: abbreviations, initials and quoted passages kept whole."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from index.extract.quotes import line_spans

# Candidate ends: terminal punctuation, any closing marks, then space and a plausible start.
# Only from the start of a run of marks: from inside a run the outcome is the same, and
# trying each start made a line of 100,000 dots quadratic. The mark comes before the
# look-behind (which then spans it) so that `re` can skip to the next mark quickly.
_END = re.compile(r"[.!?…](?<![.!?…].)[.!?…]*[\"”’'»)\]]*(?=\s+[\"“‘'«(\[]*[A-Z0-9])")
_END_MARKS = ".!?…"
_CAPITAL_OR_DIGIT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_ASCII_ALNUM = _CAPITAL_OR_DIGIT | frozenset("abcdefghijklmnopqrstuvwxyz")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_LETTERS_AND_DOTS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz."
_NEXT_WORD = re.compile(r"\s+[\"“‘'«(\[]*([A-Za-z]+)")

# After a quotation ending in ? or !: a short attribution that belongs to it.
_SAID = (
    r"(?:said|says|asked|asks|added|adds|told|tells|wrote|writes|replied|replies|"
    r"shouted|yelled|exclaimed|cried|wondered|continued|recalled|explained|joked|quipped)"
)
_ATTRIBUTION_AFTER = re.compile(
    r"\s+(?:(?:[A-Z][\w.'’-]*\s+){1,4}|(?:he|she|they|I|we)\s+|" + _SAID + r"\s+)"
    r"(?:" + _SAID + r"\b|[A-Z])"
)
# Period-final abbreviations that do not end a sentence (lower-cased, without the final dot).
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "messrs",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "cmdr",
        "adm",
        "sgt",
        "cpl",
        "pvt",
        "sen",
        "sens",
        "rep",
        "reps",
        "gov",
        "govs",
        "pres",
        "supt",
        "det",
        "insp",
        "rev",
        "fr",
        "st",
        "mt",
        "ft",
        "jr",
        "sr",
        "no",
        "nos",
        "vs",
        "v",
        "etc",
        "al",
        "approx",
        "est",
        "dept",
        "univ",
        "assn",
        "bros",
        "inc",
        "corp",
        "co",
        "ltd",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "ala",
        "ariz",
        "ark",
        "calif",
        "colo",
        "conn",
        "del",
        "fla",
        "ga",
        "ill",
        "ind",
        "kan",
        "ky",
        "la",
        "md",
        "mass",
        "mich",
        "minn",
        "miss",
        "mo",
        "mont",
        "neb",
        "nev",
        "okla",
        "ore",
        "pa",
        "tenn",
        "tex",
        "va",
        "vt",
        "wash",
        "wis",
        "wyo",
    ]
)
# After a dotted acronym (U.S., U.N.) a sentence ends only if one of these starts the next.
_STARTERS = frozenset(
    [
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "his",
        "her",
        "its",
        "their",
        "this",
        "that",
        "these",
        "those",
        "there",
        "but",
        "and",
        "in",
        "on",
        "at",
        "for",
        "as",
        "after",
        "before",
        "when",
        "while",
        "if",
        "however",
        "meanwhile",
        "yet",
        "so",
        "still",
    ]
)


def _is_abbreviation(body: str, start: int, end: int) -> bool:
    """Whether the period ending body[start:end] belongs to an abbreviation or initial."""
    if body[end - 1] != ".":
        return False
    # What `_LAST_WORD.search(body, max(start, end - 12), end)` captures, read off with
    # `str` calls: the run of letters and dots before the final one, from its first letter.
    word = body[max(start, end - 12) : end - 1]
    word = word[len(word.rstrip(_LETTERS_AND_DOTS)) :].lstrip(".")
    if not word:
        return False
    if len(word) == 1 and word.isupper():
        return True  # an initial: "John F. Kennedy"
    if "." in word:  # dotted acronym: U.S., U.N., a.m.
        nxt = _NEXT_WORD.match(body, end)
        return not (nxt and nxt.group(1).lower() in _STARTERS)
    return word.lower() in ABBREVIATIONS


def mark_positions(body: str, marks: str) -> list[int]:
    """Sorted offsets of every character of `marks` in `body` (found by `str.find`, far
    cheaper than a regex scanning for a set of characters)."""
    out: list[int] = []
    for mark in marks:
        i = body.find(mark)
        while i >= 0:
            out.append(i)
            i = body.find(mark, i + 1)
    out.sort()
    return out


def end_matches(body: str, marks: list[int], start: int, end: int) -> list[re.Match[str]]:
    """What `_END.finditer(body, start, end)` finds, tried only where a mark stands (every
    match begins with one; `marks` from `mark_positions(body, _END_MARKS)`)."""
    out = []
    pos = start
    for i in range(bisect_left(marks, start), len(marks)):
        at = marks[i]
        if at >= end:
            break
        if at < pos or (at > 0 and body[at - 1] in _END_MARKS):
            continue  # inside the last match, or after a mark (the look-behind fails)
        m = _END.match(body, at, end)
        if m is not None:
            out.append(m)
            pos = m.end()
    return out


def split_sentences(body: str, protected: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of `body`, whitespace trimmed, in order.

    A newline always ends a sentence. No sentence ends inside a `protected` span
    (sorted, non-overlapping; the extractor passes closed quotations so that a quoted
    passage of several sentences stays in the sentence that attributes it).
    """
    spans: list[tuple[int, int]] = []
    k = 0
    n_prot = len(protected)
    marks = mark_positions(body, _END_MARKS)
    n_marks = len(marks)
    for p_start, p_end in line_spans(body):
        start = p_start
        # `end_matches(body, marks, p_start, p_end)`, read inline (a call per paragraph)
        pos = p_start
        i = bisect_left(marks, p_start)
        while i < n_marks:
            at = marks[i]
            i += 1
            if at >= p_end:
                break
            if at < pos or (at > 0 and body[at - 1] in _END_MARKS):
                continue
            if at + 1 >= p_end:
                continue  # (a mark ending its paragraph: `_END` needs a space after it)
            two = body[at + 1 : at + 3]
            if len(two) == 2 and two[0] == " " and two[1] in _CAPITAL_OR_DIGIT:
                end = pos = at + 1  # (`_END`'s commonest match, `. The`: no regex call)
            elif two[0] in _ASCII_ALNUM:
                continue  # (`U.S.`, `2.5`: no space after the mark)
            else:
                m = _END.match(body, at, p_end)
                if m is None:
                    continue
                end = pos = m.end()
            while k < n_prot and protected[k][1] <= end - 1:
                k += 1
            if k < n_prot and protected[k][0] < end - 1 < protected[k][1] - 1:
                continue
            if _is_abbreviation(body, start, end):
                continue
            if (
                body[end - 1] in "\"”'’»"
                and body[at] in "?!"
                and _ATTRIBUTION_AFTER.match(body, end, p_end)
            ):
                continue  # `"Why now?" Kim said.`: the attribution ends the sentence
            # (a paragraph's first sentence needs no trim, the others follow one space:
            # no `_append` call for either; a sentence end is a mark, never white space)
            if not body[start].isspace():
                spans.append((start, end))
            elif body[start] == " " and start + 1 < end and not body[start + 1].isspace():
                spans.append((start + 1, end))
            else:
                _append(body, spans, start, end)
            start = end
        if start >= p_end or body[p_end - 1].isspace():
            _append(body, spans, start, p_end)
        elif not body[start].isspace():
            spans.append((start, p_end))
        elif body[start] == " " and start + 1 < p_end and not body[start + 1].isspace():
            spans.append((start + 1, p_end))
        else:
            _append(body, spans, start, p_end)
    return spans


def _append(body: str, spans: list[tuple[int, int]], start: int, end: int) -> None:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
