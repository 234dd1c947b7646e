"""Cue scanning: every cue word of a body, headline-style cues and `Name:` paragraph heads."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from index.extract import priorities as P
from index.extract.content import Collector
from index.extract.gender import is_given_name
from index.extract.grammar import COLON_HEAD, COLON_LABELS, NOT_NAMES
from index.extract.pass_state import PassText, Stage
from index.extract.quotes import word_count
from index.extract.subjects import SubjectRules

# ASCII letters kept, every other byte a space: the words `SCAN` finds, split in C.
_LETTERS_ONLY = bytes(b if chr(b).isascii() and chr(b).isalpha() else 32 for b in range(256))


# The ASCII characters that glue a found cue word to a longer word: letters, digits and
# `-'_`; with `’`, and past ASCII any `isalnum` character, they are what no cue touches.
_JOINS_WORD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-'’_")


def ascii_words(body: str) -> set[bytes]:
    """The distinct words that `SCAN` (`[A-Za-z]+`) would find in `body`, as bytes: built
    from a byte translation and a split in C rather than a regex scan."""
    # (UTF-8 needs no error handler; its multi-byte letters, like any non-ASCII
    # character, become spaces as they are no `[A-Za-z]`)
    return set(ascii_word_list(body))


def ascii_word_list(body: str) -> list[bytes]:
    """The words of `ascii_words`, repeats and all: what the cue lookups intersect with
    (a set of every word of the body costs more than the two lookups that read it)."""
    return body.encode("utf-8", "surrogatepass").translate(_LETTERS_ONLY).split()


def _among(words: Iterable[bytes], wanted: frozenset[str]) -> set[str]:
    """The words of `wanted` that `words` holds."""
    return {w.decode("ascii") for w in _as_bytes(wanted).intersection(words)}


@cache
def _as_bytes(words: frozenset[str]) -> frozenset[bytes]:
    return frozenset(w.encode("ascii") for w in words if w.isascii())


def colon_heads(body: str) -> list[re.Match[str]]:
    """What `COLON_HEAD.finditer(body)` finds, tried only at the start of a line holding a
    colon: a match opens a line and stays in it, and most lines have no colon."""
    out = []
    i = body.find(":")
    while i >= 0:
        m = COLON_HEAD.match(body, body.rfind("\n", 0, i) + 1)
        if m is not None:
            out.append(m)
        after = body.find("\n", i)  # (the line is done: on to the next line's colon)
        i = body.find(":", after) if after >= 0 else -1
    return out


class CueScan(Stage):
    """Find cue words, title-case cues and colon heads in the body."""

    def __init__(self, text: PassText, out: Collector, subjects: SubjectRules) -> None:
        super().__init__(text)
        self.out = out
        self.subjects = subjects

    # -- cues ----------------------------------------------------------------------------
    def cue_positions(self) -> list[tuple[int, int, str]]:
        """(start, end, word) of every cue word, found by a C-speed word scan, then a
        `str.find` walk over the few distinct cue words the body holds."""
        body = self.body
        forms, broad = self.table.forms, self.table.broad
        nouns = self.table.classes.get("noun", frozenset())
        words = ascii_word_list(body)
        present = _among(words, self.table.triggers)
        found: list[tuple[int, int, str]] = []
        for word in _among(words, self.table.titles):
            self.title_case_cues(word, found)
        size = len(body)
        for word in present:
            # what to find, the cue's length from where it is found and the cue's word
            if word in forms or word in broad:
                key, span, label = word, len(word), word
            elif word in nouns:
                key, span, label = word + " that", len(word), word
            elif word in ("according", "According"):
                key, span, label = word + " to", len(word) + 3, "according to"
            else:
                continue
            n = len(key)
            i = body.find(key)
            while i >= 0:
                before = body[i - 1] if i > 0 else " "
                after = body[i + n] if i + n < size else " "
                # (a set lookup for ASCII; `isalnum` only for the rest)
                if not (
                    before in _JOINS_WORD
                    or after in _JOINS_WORD
                    or (before > "\x7f" and before.isalnum())
                    or (after > "\x7f" and after.isalnum())
                ):
                    found.append((i, i + span, label))
                i = body.find(key, i + n)
        found.sort()
        return found

    def title_case_cues(self, word: str, found: list[tuple[int, int, str]]) -> None:
        """Headline style ("Bellwether County Says Trump Should Win"): a capitalised cue
        between capitalised words counts, under its lower-case form."""
        body = self.body
        n = len(word)
        i = body.find(word)
        while i >= 0:
            j = i + n
            if (
                i >= 2
                and body[i - 1] == " "
                and (body[i - 2].isalpha() or body[i - 2] in ".’'")
                and body[j : j + 1] == " "
                and (body[j + 1 : j + 2].isupper() or body[j + 1 : j + 2] in "\"“‘'")
            ):
                prev = body[max(0, i - 30) : i].split()
                if prev and prev[-1][:1].isupper():
                    found.append((i, j, word.lower()))
            i = body.find(word, j)

    def colon_heads(self) -> None:
        """`Trump: 'I'm the Worst Thing ...'`, `Graham: Trump's rhetoric is ...`: a short
        name opening a paragraph, a colon, then what that source says."""
        body = self.body
        for m in colon_heads(body):
            name_start, name_end = m.span("name")
            words = body[name_start:name_end].split()
            if (
                words[0].lower() in COLON_LABELS
                or body[name_start:name_end].lower() in COLON_LABELS
                or words[0].lower() in NOT_NAMES
                or (
                    body[name_start:name_end].isupper()
                    and (len(words) > 2 or min(len(w) for w in words) < 3)
                )
            ):
                continue
            start, end = m.span("content")
            # a transcript's `NAME: ...` holds the whole paragraph; a headline one sentence
            if not body[name_start:name_end].isupper():
                si = self.resolver.sentence_index(start)
                end = min(end, self.sentences[si][1]) if self.sentences else end
            while end > start and body[end - 1].isspace():
                end -= 1
            if word_count(body[start:end]) < 3:
                continue
            if len(words) == 1 and words[0].lower().endswith(("ing", "ed")):
                continue  # `Contributing:`, `Updated:`: a label
            speaker = self.subjects.speaker_for(name_start, name_end, near_end=True)
            if speaker is None:
                continue
            if (
                body[name_start:name_end].isupper()
                and speaker.kind is None
                and len(words) >= 2
                and not is_given_name(words[0].capitalize())
            ):
                # `KEEPING SCORE:`, `ECB WATCH:`: a section label, not a transcript's
                # `WALLACE:` or `DONALD TRUMP:`
                continue
            self.out.cue_pos = name_end
            self.out.add(start, end, ":", speaker, P.SOURCE_PHRASE, rule="colon-head")
            self.resolver.remember(name_end, speaker)
