"""Candidate name spans: runs of capitalised words with name particles, cleaned of junk."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from index.extract import lexicons
from index.extract.gender import common_given_names

# Every upper-case letter of Latin, Greek and Cyrillic: `re` has no \p{Lu}.
_UPPER = (
    "".join(ch for ch in map(chr, range(0x41, 0x530)) if ch.isupper() and ch.isalpha())
    .replace("\\", "")
    .replace("]", "")
    .replace("^", "")
    .replace("-", "")
)

_CAP = rf"(?:[{_UPPER}]\.(?:[{_UPPER}]\.)+|[{_UPPER}]\.(?=[ \u00a0][{_UPPER}])|[{_UPPER}][\w'’]*(?:[-‐][\w'’]+)*)"
# Lower-case name particles glued to a capitalised word: al-Sham, el-Sisi, d'Estaing.
_PART = rf"(?:a[lnrstdz]|e[ln]|ash|bin|ibn|abu|d)[-‐'’][{_UPPER}][\w'’]*(?:[-‐][\w'’]+)*"
_WORD = rf"(?:{_PART}|{_CAP})"
# Lower-case words allowed inside a name: particles and "of"/"for" (+ "the").
_CONNECTOR = r"(?:(?:of|for)(?: the)?|and|&|des|et|de|du|da|dal|dos|das|del|della|di|der|den|van|von|bin|bint|ibn|al|el|y|la|le)"
_GAP = r"(?:[ \u00a0]|\n[ \t]*)"
# The first character class comes first so that `re` can scan for it quickly; the
# look-behind after it checks that this capital starts a word.
_FIRST = (
    rf"[{_UPPER}](?<![\w'’.].)"
    rf"(?:\.(?:[{_UPPER}]\.)+|\.(?=[ \u00a0][{_UPPER}])|[\w'’]*(?:[-‐][\w'’]+)*)"
)

SPAN_RE = re.compile(rf"{_FIRST}(?:{_GAP}(?:{_CONNECTOR}{_GAP})?{_WORD})*(?![\w])")
# A particle glued before the first capital: "al-Qaeda", "el-Sisi", "d'Estaing".
_PARTICLE_BEFORE = re.compile(r"(?<![\w'’])(?:a[lnrstdz]|e[ln]|ash|bin|ibn|abu|d)[-‐'’]$")
_TOKEN_RE = re.compile(r"\S+")


# `tuple.__new__(NT, values)` builds a NamedTuple without the Python-level `__new__`
# its class call runs: these are built in the hot loops of every article.
_new_tuple = tuple.__new__


def split_words(words: str) -> frozenset[str]:
    """A set of the whitespace-separated words of `words`."""
    return frozenset(words.split())


_PLAIN = re.compile(r"\w+")
_HYPHENS = re.compile(r"[-‐]")
_INITIALS = re.compile(r"(?:\w\.)+")
# "UK-based", "Kurdish-led": a lower-case tail making a name into an adjective.
_ADJECTIVE_TAILS = frozenset(
    [
        "based",
        "led",
        "born",
        "run",
        "made",
        "style",
        "era",
        "type",
        "held",
        "bound",
        "wide",
        "friendly",
        "free",
        "only",
        "like",
        "sized",
        "level",
        "area",
        "wise",
        "centric",
        "proof",
    ]
)
# A capital that starts a word; the class comes first (then the look-behind reads the
# character before it) so that `re` can scan for it quickly.
_CAPITALISED = re.compile(rf"[{_UPPER}](?<!\w.)")

CONNECTORS = split_words(
    "of for the and & des et de du da dal dos das del della di der den van von bin bint ibn al el y la "
    "le"
)
STOPWORDS = lexicons.words("stopwords")
_MONTH_SURNAMES = frozenset(("May", "March", "June", "April", "August"))
_HONORIFICS = frozenset(("Mr", "Mrs", "Ms", "Miss", "Dr"))
UI_WORDS = lexicons.words("ui_text")
# Names that end in a number ("France 24", "Channel 4"): the number joins the span.
NUMBERED = frozenset(p for p in lexicons.phrases("known_orgs") if p.split()[-1].isdigit())
_NUMBER_AFTER = re.compile(r"[ ](\d{1,4})(?![\w.,]\d)")
_POSSESSIVE = ("'s", "’s", "'S", "’S")
# A line made of these (and punctuation) is section or page furniture, not prose.
_SENTENCE_END = frozenset(".!?:;")
_OPENERS = "\"'“‘«([{—–-*•·"


class Candidate(NamedTuple):
    """A run of name words; `words` are (start, end) offsets into the body."""

    start: int
    end: int
    words: tuple[tuple[int, int], ...]
    initial: bool  # the first word opens a sentence (so its capital proves nothing)
    headline: bool  # the span sits on a headline-case line (every word capitalised)


def _is_initial(body: str, start: int) -> bool:
    """Whether the word at `start` opens a sentence, a line or a quotation."""
    if start > 1 and body[start - 1] == " " and body[start - 2].isalnum():
        return False  # the common case: a word in mid-sentence
    i = start - 1
    while i >= 0 and (body[i] in " \t\u00a0" or body[i] in _OPENERS):
        i -= 1
    return i < 0 or body[i] == "\n" or body[i] in _SENTENCE_END or body[i] in ")]"


_MINOR = split_words(
    "a an the of in on at to for from by with and or as vs via into onto over after before "
    "about amid against"
)


def hard_wrapped(lines: list[str]) -> bool:
    """Whether the text is wrapped at a fixed width (newswire style), not one line a paragraph."""
    full = [line for line in lines if line.strip()]
    if len(full) < 4:
        return False
    short = sum(map((90).__ge__, map(len, full)))  # lines of 90 characters or fewer
    return short >= 0.85 * len(full)


def headline_lines(
    body: str, lines: list[str] | None = None, wrapped: bool | None = None
) -> list[tuple[int, int]]:
    """(start, end) of stand-alone lines in headline case ("Rebels Gain Ground in Syria")."""
    found: list[tuple[int, int]] = []
    lines = body.split("\n") if lines is None else lines
    if len(lines) < 2:
        return found  # a one-line text is a sentence, not a page with headlines
    if wrapped is None:
        wrapped = hard_wrapped(lines)
    last = len(lines) - 1
    pos = 0
    for index, line in enumerate(lines):
        end = pos + len(line)
        # Prose paragraphs are long; only short lines with several capitals can be headlines.
        # In wrapped text only a line before a blank line can stand alone.
        if (
            len(line) < 160
            and not (wrapped and index < last and lines[index + 1].strip())
            and _stands_alone(lines, index, wrapped)
            and len(_CAPITALISED.findall(line)) >= 2
        ):
            major = [w for w in line.split() if w[0].isalpha() and w.lower() not in _MINOR]
            capped = sum(1 for w in major if w[0].isupper())
            # A full stop marks a sentence, unless every word is capitalised.
            share = 1.0 if line.rstrip().endswith(".") else 0.8
            if capped >= 2 and capped >= share * len(major):
                found.append((pos, end))
        pos = end + 1
    return found


def _stands_alone(lines: list[str], index: int, wrapped: bool) -> bool:
    """A headline is not a wrapped line in the middle of a paragraph."""
    line = lines[index].rstrip()
    if line.endswith((",", ";")):
        return False
    after = lines[index + 1].strip() if index + 1 < len(lines) else ""
    if line.endswith(".") and after:
        return False  # a headline may end in a full stop only before a blank line
    # In wrapped text only a line followed by a blank line stands alone.
    if after and (wrapped or (after[0].isalpha() and not after[0].isupper())):
        return False
    before = lines[index - 1].strip() if index > 0 else ""
    return not before or len(before) < 40 or before[-1] in ".!?:\"'”"


def _article_letter(body: str, s: int) -> bool:
    """Whether the letter at `s` is more likely the word "A" or "I" than an initial:
    it is one of them and does not follow a comma, semicolon or bracket ("A Masi")."""
    if body[s] not in "AI":
        return False
    before = body[max(0, s - 3) : s].rstrip()
    return not before.endswith((",", ";", "("))


def _clean_word(body: str, s: int, e: int) -> tuple[int, int, bool]:
    """Trim one token: possessives, trailing dots and hyphenated lower-case tails.

    Returns (start, end, stop_after): `stop_after` ends the span after this word
    ("Syria's army", "Iranian-backed militias").
    """
    text = body[s:e]
    stop = False
    if text.endswith(_POSSESSIVE):
        e -= 2
        stop = True
    elif text.endswith(("s'", "s’", "S'", "S’")) and len(text) > 2:
        e -= 1
        stop = True
    text = body[s:e]
    # "Iranian-backed", "UK-based", "Kurdish-led": the tail describes what follows.
    if "-" in text or "‐" in text:
        parts = _HYPHENS.split(text)
        tail = parts[-1]
        if (
            tail
            and tail[0].islower()
            and parts[0]
            and not parts[0][0].islower()
            and (tail.endswith(("ed", "ing")) or tail in _ADJECTIVE_TAILS)
        ):
            cut = s + len(parts[0])
            return s, cut, True
        # "Pro-Assad", "Anti-Trump", "R-Texas": the prefix is not part of the name.
        if len(parts) > 1 and len(parts[0]) == 1 and parts[1][:1].islower():
            return s, s, True  # "E-mail", "X-ray", "T-shirts": words, not names
        if (
            len(parts) > 1
            and parts[1][:1].isupper()
            and (
                parts[0].lower() in ("pro", "anti", "non", "ex", "neo", "post", "pre")
                or len(parts[0]) == 1
            )
        ):
            s += len(parts[0]) + 1
    while e > s and body[e - 1] in "'’" and not body[e - 2 : e - 1].isalpha():
        e -= 1
    # A trailing full stop belongs to the name only in initials and abbreviations.
    if e - s > 1 and body[e - 1] == "." and not _INITIALS.fullmatch(body[s:e]):
        e -= 1
    return s, e, stop


def _in_lines(lines: list[tuple[int, int]], at: int) -> bool:
    return any(start <= at <= end for start, end in lines)


def _split_span(body: str, base: int, whole: str, wrapped: bool) -> list[list[tuple[int, int]]]:
    """The name groups inside one regex span: junk words removed, split at breaks."""
    words: list[tuple[int, int]] = []
    groups: list[list[tuple[int, int]]] = []
    prev_end = -1
    for tok in _TOKEN_RE.finditer(whole):
        s, e = base + tok.start(), base + tok.end()
        # A line break inside a name only happens in hard-wrapped text.
        if (
            prev_end >= 0
            and "\n" in body[prev_end:s]
            and (not wrapped or body[prev_end - 1] in _SENTENCE_END)
        ):
            if words:
                groups.append(words)
            words = []
        text = body[s:e]
        if text in CONNECTORS:
            words.append((s, e))
            prev_end = e
            continue
        if text.isalpha():
            stop = False
        else:
            s, e, stop = _clean_word(body, s, e)
            if e <= s:
                prev_end = base + tok.end()
                continue
            text = body[s:e]
        if (
            (
                text in STOPWORDS
                and not (
                    # "Theresa May", "Ryan March": a month after a given name is a surname.
                    text in _MONTH_SURNAMES
                    and words
                    and (
                        body[words[-1][0] : words[-1][1]] in common_given_names()
                        or body[words[-1][0] : words[-1][1]].rstrip(".") in _HONORIFICS
                    )
                )
            )
            or (len(text) == 1 and text.isalpha() and _article_letter(body, s))
            or (text.isupper() and len(text) > 3 and text.title() in STOPWORDS)
        ):
            if words:
                groups.append(words)
            words = []
        else:
            words.append((s, e))
        if stop and words:
            groups.append(words)
            words = []
        prev_end = base + tok.end()
    if words:
        groups.append(words)
    cleaned = []
    for group in groups:
        while group and body[group[0][0] : group[0][1]] in CONNECTORS:
            group.pop(0)
        while group and body[group[-1][0] : group[-1][1]] in CONNECTORS:
            group.pop()
        if group and body[group[-1][1] - 1] in "'’" and group[-1][1] - group[-1][0] > 1:
            # A name's last word ending in an apostrophe closes a quotation ("‘Hillary’");
            # inside a name it is part of it ("Mohammed Shia' al-Sudani").
            group[-1] = (group[-1][0], group[-1][1] - 1)
        if len(group) == 1 and group[0][1] - group[0][0] == 1:
            continue  # a lone letter: an initial needs a surname after it ("R de Marigny")
        if group and not all(body[s:e] in UI_WORDS for s, e in group):
            cleaned.append(group)
    return cleaned


@lru_cache(maxsize=32768)
def _one_line_groups(whole: str) -> tuple[tuple[tuple[int, int], ...], ...]:
    """`_split_span` of a span without line breaks, relative to its start (names recur)."""
    return tuple(tuple(group) for group in _split_span(whole, 0, whole, False))


@lru_cache(maxsize=8192)
def _broken_groups(whole: str, wrapped: bool) -> tuple[tuple[tuple[int, int], ...], ...]:
    """`_split_span` of a span across a line break, relative to its start. (As for one
    line: the split reads the body only inside the span, but for the letter before an
    "A" or "I", which are stop words and go before that is asked.)"""
    return tuple(tuple(group) for group in _split_span(whole, 0, whole, wrapped))


def find_candidates(body: str) -> list[Candidate]:
    """All candidate name spans of `body`, in order, junk words removed."""
    out: list[Candidate] = []
    append = out.append
    lines = body.split("\n")
    wrapped = hard_wrapped(lines)
    heads = headline_lines(body, lines, wrapped)
    stopwords, ui_words, numbered, is_initial = STOPWORDS, UI_WORDS, NUMBERED, _is_initial
    new = _new_tuple
    for match in SPAN_RE.finditer(body):
        base = match.start()
        whole = match.group()
        if base and body[base - 1] in "-‐'’":
            particle = _PARTICLE_BEFORE.search(body, max(0, base - 5), base)
            if particle is not None:
                base = particle.start()
                whole = body[base : match.end()]
        # A lone stop word, UI word or letter is no name (those lists hold single words,
        # so no span of several words is in them).
        if whole in stopwords or whole in ui_words or len(whole) == 1:
            continue
        if whole.isalnum():
            # Most spans are one plain word (letters and digits only): skip the token loop.
            end = match.end()
            if not (numbered and body[end : end + 1] == " " and body[end + 1 : end + 2].isdigit()):
                headline = bool(heads) and _in_lines(heads, base)
                # (`_is_initial`'s common case, a word in mid-sentence, read without the call)
                initial = not (
                    base > 1 and body[base - 1] == " " and body[base - 2].isalnum()
                ) and is_initial(body, base)
                append(new(Candidate, (base, end, ((base, end),), initial, headline)))
                continue
        if "\n" in whole:
            relative = _broken_groups(whole, wrapped)
        else:
            relative = _one_line_groups(whole)
        groups = [[(base + s, base + e) for s, e in g] for g in relative]
        for group in groups:
            start, end = group[0][0], group[-1][1]
            if NUMBERED and body[end : end + 1] == " " and body[end + 1 : end + 2].isdecimal():
                num = _NUMBER_AFTER.match(body, end)  # (`[ ]\d`: `\d` is `isdecimal`)
                if num and f"{body[start:end]} {num.group(1)}" in NUMBERED:
                    group.append(num.span(1))
                    end = num.end(1)
            headline = bool(heads) and _in_lines(heads, start)
            append(new(Candidate, (start, end, tuple(group), is_initial(body, start), headline)))
    return out
