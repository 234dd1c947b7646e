"""What the attribution stages read about one body, and the base every stage shares."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from operator import itemgetter

from index.extract.coref import Resolver
from index.extract.cue_table import CueTable, cue_table
from index.extract.quotes import Quote

_START = itemgetter(0)
# `TOKEN` with the white space before each token: every character is white space or
# starts a token, so the matches tile the window and the offsets add up from its start.
# The word alternative is `TOKEN`'s `\w[\w'’.\-]*\w|\w` written so that nothing is tried
# twice: the same longest run from a word character to a word character, found without
# backtracking (possessive runs; a joiner run not followed by a word character is left).
_SPACED_TOKEN = re.compile(r"(\s*+)(\w++(?:['’.\-]++\w++)*+|[^\w\s])")


# Marks that end a word at the end of a piece (`said,`, `it.`, `Paris"`): none is a word
# character or white space, and one after a word character cannot join it to anything.
_AFTER_WORD = frozenset(",.;:!?)\"”’'")


def _scan(body: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """What `[(m.start(), m.end(), m.group()) for m in TOKEN.finditer(body, start, end)]`
    gives. A token never holds white space, so the pieces between spaces are tokenised
    apart: most are one word (`isalnum`, all word characters, is the one token `TOKEN`
    makes of them) or a word and a comma, read without the regex; the rest go to it."""
    out = []
    pos = start
    for piece in body[start:end].split(" "):
        n = len(piece)
        if n:
            if piece.isalnum():
                out.append((pos, pos + n, piece))
            elif piece[-1] in _AFTER_WORD and piece[:-1].isalnum():
                cut = pos + n - 1
                out.append((pos, cut, piece[:-1]))
                out.append((cut, cut + 1, piece[-1]))
            else:
                at = pos
                for space, tok in _SPACED_TOKEN.findall(piece):
                    begin = at + len(space)
                    at = begin + len(tok)
                    out.append((begin, at, tok))
        pos += n + 1
    return out


class PassText:
    """One body as the attribution stages read it: the text, its sentences and quotes, the
    coreference resolver and the cue table. Nothing here changes during the pass, except
    the memo of tokenised windows."""

    def __init__(
        self,
        body: str,
        sentences: Sequence[tuple[int, int]],
        quotes: Sequence[Quote],
        resolver: Resolver,
    ) -> None:
        self.body = body
        self.sentences = sentences
        self.quotes = quotes
        self.q_starts = [q.start for q in quotes]
        self.resolver = resolver
        self.table: CueTable = cue_table()
        self._tokens: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
        self._last: tuple[int, int, list[tuple[int, int, str]]] = (0, -1, [])

    def tokens(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Tokens inside [start, end); a subject span is read by several rules, so the
        tokenisation of each window is kept."""
        key = (start, end)
        toks = self._tokens.get(key)
        if toks is None:
            toks = self._inside_last(start, end)
            if toks is None:
                toks = _scan(self.body, start, end)
            self._tokens[key] = toks
            self._last = (start, end, toks)
        return toks

    def _inside_last(self, start: int, end: int) -> list[tuple[int, int, str]] | None:
        """The tokens of [start, end) cut from the last window tokenised, when it holds
        that span and neither edge falls inside one of its tokens (a subject read right
        after the window it was found in): `TOKEN` has no look-around, so the cut is what
        a scan of [start, end) gives."""
        w_start, w_end, toks = self._last
        if not (w_start <= start and end <= w_end):
            return None
        i = bisect_left(toks, start, key=_START)
        if i > 0 and toks[i - 1][1] > start:
            return None  # `start` splits a token
        j = bisect_left(toks, end, key=_START)
        if j > 0 and toks[j - 1][1] > end:
            return None  # `end` splits a token
        return toks[i:j]


class Stage:
    """A stage of the pass: reads the shared `PassText` through short names."""

    def __init__(self, text: PassText) -> None:
        self.text = text
        self.body = text.body
        self.sentences = text.sentences
        self.quotes = text.quotes
        self.q_starts = text.q_starts
        self.resolver = text.resolver
        self.table = text.table
        self.tokens = text.tokens
