"""What the attribution stages read about one body, and the base every stage shares."""

from __future__ import annotations

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

    def tokens(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Tokens inside [start, end); a subject span is read by several rules, so the
        tokenisation of each window is kept."""
        key = (start, end)
        toks = self._tokens.get(key)
        if toks is None:
            toks = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(self.body, start, end)]
            self._tokens[key] = toks
        return toks


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
