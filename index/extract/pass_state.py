"""The state one attribution pass shares between its rule modules."""

from __future__ import annotations

from collections.abc import Sequence

from index.extract.coref import Resolver
from index.extract.cue_table import cue_table
from index.extract.grammar import TOKEN
from index.extract.quotes import Quote
from index.extract.selection import Candidate


class PassState:
    """What one body's attribution pass shares: the text, its sentences and quotes, the
    coreference resolver and the candidates found so far."""

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
        self.table = cue_table()
        self.candidates: list[Candidate] = []
        self.used_quotes: set[int] = set()
        self.cue_pos = -1
        self._tokens: dict[tuple[int, int], list[tuple[int, int, str]]] = {}

    # -- tokens ------------------------------------------------------------------
    def tokens(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Tokens inside [start, end); a subject span is read by several rules, so the
        tokenisation of each window is kept."""
        key = (start, end)
        toks = self._tokens.get(key)
        if toks is None:
            toks = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(self.body, start, end)]
            self._tokens[key] = toks
        return toks
