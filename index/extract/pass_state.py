"""What the attribution stages read about one body, and the base every stage shares."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from index.extract.coref import Resolver
from index.extract.cue_table import CueTable, cue_table
from index.extract.grammar import TOKEN
from index.extract.quotes import Quote


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
        # Tokens of body[:_scanned], read once and cut for each window (see `tokens`).
        self._all: list[tuple[int, int, str]] = []
        self._starts: list[int] = []
        self._scanned = 0

    def tokens(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Tokens inside [start, end); a subject span is read by several rules, so the
        tokenisation of each window is kept."""
        key = (start, end)
        toks = self._tokens.get(key)
        if toks is None:
            toks = self._cut(start, end)
            if toks is None:
                toks = [
                    (m.start(), m.end(), m.group()) for m in TOKEN.finditer(self.body, start, end)
                ]
            self._tokens[key] = toks
        return toks

    def _cut(self, start: int, end: int) -> list[tuple[int, int, str]] | None:
        """The tokens of [start, end) cut from the body's tokens, when neither edge falls
        inside a token: `TOKEN` has no look-around and never matches an empty string, so a
        scan of [start, end) then finds exactly the body's tokens between the edges."""
        if end > self._scanned:
            self._scan_to(end)
        toks, starts = self._all, self._starts
        i = bisect_left(starts, start)
        if i > 0 and toks[i - 1][1] > start:
            return None  # `start` splits a token
        j = bisect_left(starts, end, i)
        if j > 0 and toks[j - 1][1] > end:
            return None  # `end` splits a token
        return toks[i:j]

    def _scan_to(self, end: int) -> None:
        """Tokenise the body on from `_scanned` past `end`, to a whitespace (no token holds
        one, so the scan resumes there as a scan of the whole body would): a long body is
        read only as far as the windows asked for reach."""
        body = self.body
        stop = end + 2048
        while stop < len(body) and not body[stop].isspace():
            stop += 1
        stop = min(stop, len(body))
        new = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(body, self._scanned, stop)]
        self._all.extend(new)
        self._starts.extend(t[0] for t in new)
        self._scanned = stop


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
