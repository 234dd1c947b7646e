"""Content spans: quote lookups, where a reported clause ends, and adding candidates."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable

from index.extract import priorities as P
from index.extract.coref import Speaker
from index.extract.frozen import build
from index.extract.grammar import (
    COMMA_COORDINATED,
    COORDINATED,
    NOUNISH,
    OPEN_QUOTE,
    PARTICIPLE,
    QUOTE_CHARS,
    TAIL,
    TAIL_WORDS,
)
from index.extract.pass_state import PassText, Stage
from index.extract.quotes import MIN_PARTIAL_WORDS, word_count
from index.extract.selection import Candidate

# A `quotes._WORD` match is a run of word characters first: a text holds a word if and
# only if it holds a word character.
_WORD_CHAR = re.compile(r"\w")


def has_word(body: str, start: int, end: int) -> bool:
    """`word_count(body[start:end]) >= 1`, without slicing or counting."""
    return _WORD_CHAR.search(body, start, end) is not None


class Collector(Stage):
    """The candidates of one pass, and the rules that add them: a reported clause, a quoted
    passage, a passage continuing an utterance. The one mutable part of the pass."""

    def __init__(self, text: PassText) -> None:
        super().__init__(text)
        self.candidates: list[Candidate] = []
        self.used_quotes: set[int] = set()
        self.cue_pos = -1  # where the cue being handled starts, for the next `add`

    # -- quotes ------------------------------------------------------------------
    def quote_starting(self, pos: int, slack: int = 3) -> int | None:
        i = bisect_left(self.q_starts, pos)
        if i < len(self.quotes) and self.quotes[i].start <= pos + slack:
            return i
        return None

    def quote_ending(self, pos: int) -> int | None:
        """A quote whose closing mark is at `pos` or just before it (`...," he said`)."""
        i = bisect_left(self.q_starts, pos) - 1
        while i >= 0:
            q = self.quotes[i]
            if q.closed and pos - 1 <= q.end - 1 <= pos + 1:
                return i
            if q.end < pos - 2:
                return None
            i -= 1
        return None

    def quote_ending_before(self, ss: int, pos: int) -> int | None:
        """The last closed quote of the sentence that ends before `pos`, with only an
        appositive phrase (commas and words, no other mark) between it and `pos`."""
        i = bisect_left(self.q_starts, pos) - 1
        while i >= 0 and self.quotes[i].end > pos:
            i -= 1
        if i < 0 or self.quotes[i].start < ss - 1 or not self.quotes[i].closed:
            return None
        q = self.quotes[i]
        between = self.body[q.end : pos]
        if not between.strip(" ,") or any(c in between for c in '"“”;:'):
            return None
        if self.body[q.inner_end : q.end].strip()[:1] != "," and not between.startswith(","):
            return None  # `"A" about the decision, said X`: no comma closes the quote
        return i

    def substantive_quote_in(self, start: int, end: int) -> bool:
        i = bisect_left(self.q_starts, start)
        while i < len(self.quotes) and self.quotes[i].start < end:
            if self.quotes[i].words >= MIN_PARTIAL_WORDS:
                return True
            i += 1
        return False

    def mark_used(self, start: int, end: int) -> None:
        i = bisect_left(self.q_starts, start - 1)
        while i < len(self.quotes) and self.quotes[i].start < end:
            self.used_quotes.add(i)
            i += 1

    # -- content spans ------------------------------------------------------------------
    def clause_end(self, start: int, s_end: int) -> int:
        body = self.body
        clause = body[start:s_end]
        m = None
        for word in TAIL_WORDS:  # (a loop, not `any` over a generator: asked per clause)
            if word in clause:
                m = TAIL.search(body, start, s_end)
                break
        end = s_end
        if m:
            end = m.start()
            if body[end : end + 1] == "," and body[end + 1 : end + 2] in QUOTE_CHARS:
                end += 2
        # a participle cue after a comma starts a new statement ("..., warning that")
        # (every `PARTICIPLE` match opens with a comma: none in the clause, no regex call)
        for cm in PARTICIPLE.finditer(body, start, end) if body.find(",", start, end) >= 0 else ():
            if cm.group(1) in self.table.forms or OPEN_QUOTE.match(body, cm.end(), end):
                # (`..., singing "It's Our Time."`: a participle governing a quotation)
                end = cm.start()
                break
        # so does a coordinated cue of the same subject ("..., called her X and said ...")
        # (every `COORDINATED` match holds a comma, `and`, `before`, `after` or `while`
        # (`COORDINATED_WORDS`): a clause with none of them needs no regex scan, one with
        # commas only the scan from comma to comma)
        coordinated: Iterable[re.Match[str]] = ()
        if "and" in clause or "before" in clause or "after" in clause or "while" in clause:
            coordinated = COORDINATED.finditer(body, start, end)
        elif "," in clause:
            coordinated = COMMA_COORDINATED.finditer(body, start, end)
        for cm in coordinated:
            verb = cm.group(1)
            if (
                (
                    verb in self.table.forms
                    and verb.endswith(("ed", "ing", "said", "told", "wrote", "s"))
                    and verb not in NOUNISH
                )
                or (verb in self.table.broad and verb.endswith(("ed", "ing", "s")))
            ) and cm.start() - start >= 12:
                end = cm.start()
                break
        # a quotation that started in the clause runs to its own end
        i = bisect_left(self.q_starts, start)
        while i < len(self.quotes) and self.quotes[i].start < end:
            end = max(end, self.quotes[i].end) if self.quotes[i].closed else end
            i += 1
        while end > start and (body[end - 1].isspace() or body[end - 1] in ".,;:"):
            end -= 1
        return end

    def whole_quote(self, start: int, end: int) -> int | None:
        """The quote whose passage is all of body[start:end] (marks and the punctuation
        around them aside): a content that is a quoted passage, not a clause holding one."""
        i = bisect_left(self.q_starts, start - 1)
        if i >= len(self.quotes):
            return None
        q = self.quotes[i]
        if q.start > start + 1:
            return None
        if self.body[start : q.inner_start].strip(" \"“”„«»'") or self.body[
            max(q.inner_end, start) : end
        ].strip(" \"“”„«»'.,;:!?"):
            return None
        return i if q.inner_end > start else None

    def add(
        self,
        start: int,
        end: int,
        cue: str | None,
        speaker: Speaker | None,
        priority: int,
        *,
        rule: str,
        joins: list[Candidate] | None = None,
    ) -> None:
        body = self.body
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        if end <= start or not has_word(body, start, end):
            return
        qi = self.whole_quote(start, end)
        if qi is not None:
            # a quoted passage is direct, its text the passage without its marks
            self.add_quote(qi, cue, speaker, priority, rule=rule)
            return
        direct = False  # a reported clause holding quoted fragments stays indirect
        self.mark_used(start, end)
        self.candidates.append(
            build(
                Candidate,
                start=start,
                end=end,
                kind="direct" if direct else "indirect",
                cue=cue,
                speaker=speaker,
                priority=priority,
                cue_pos=self.cue_pos if cue else -1,
                joins=tuple(joins or ()),
                rule=rule,
            )
        )

    def add_quote(
        self, qi: int, cue: str | None, speaker: Speaker | None, priority: int, *, rule: str
    ) -> None:
        q = self.quotes[qi]
        self.used_quotes.add(qi)
        self.candidates.append(
            build(
                Candidate,
                start=q.inner_start,
                end=q.inner_end,
                kind="direct",
                cue=cue,
                speaker=speaker,
                priority=priority,
                cue_pos=self.cue_pos if cue else -1,
                joins=(),
                rule=rule,
            )
        )

    def continue_utterance(self, qi: int, joins: list[Candidate], rule: str) -> None:
        """Quote `qi` as a passage of the utterance of `joins` (its speaker, no cue of its own)."""
        q = self.quotes[qi]
        self.used_quotes.add(qi)
        self.candidates.append(
            Candidate(
                q.inner_start,
                q.inner_end,
                "direct",
                None,
                joins[0].speaker,
                P.UNINTRODUCED,
                -1,
                tuple(joins),
                rule,
            )
        )

    def extend_last(self, qi: int) -> bool:
        """`"A," X said. "B."`: quote `qi` continues the direct statement just before it in
        the same paragraph, unless a sentence of narrative stands between them."""
        q = self.quotes[qi]
        best: Candidate | None = None
        for c in self.candidates:
            if c.end <= q.start and (best is None or c.end > best.end):
                best = c
        if best is None or best.kind != "direct" or "\n" in self.body[best.end : q.start]:
            return False
        if q.start - best.end > 200 or self.narrative_between(best, q.start):
            return False
        # every candidate ending there is a possible head, whichever wins the overlap choice
        last = best.end
        joins = [c for c in self.candidates if last - 3 <= c.end <= last and c.kind == "direct"]
        joins.sort(key=lambda c: c is not best)
        self.continue_utterance(qi, joins, "continuation.after")
        return True

    def narrative_between(self, before: Candidate, pos: int) -> bool:
        """Whether a whole sentence that is neither quotation nor attribution lies between
        a statement and `pos` (`"A," he said. The room fell silent. "B."`)."""
        si = self.resolver.sentence_index(before.end)
        sj = self.resolver.sentence_index(pos)
        for k in range(si + 1, sj):
            ss, se = self.sentences[k]
            if ss < before.end or se > pos:
                continue
            text = self.body[ss:se]
            if any(m in text for m in '"“”') or word_count(text) < 4:
                continue
            if any(ss <= c.cue_pos < se for c in self.candidates):
                continue
            return True
        return False

    def extend_next(self, qi: int) -> bool:
        """`"A." "B," he said.`: a quote right before an attributed quote of the same
        paragraph (or the paragraph it continues into) is a passage of its utterance."""
        q = self.quotes[qi]
        nxt: Candidate | None = None
        for c in self.candidates:
            if c.start >= q.end and (nxt is None or c.start < nxt.start):
                nxt = c
        if nxt is None or nxt.kind != "direct" or nxt.start - q.end > 4:
            return False
        if self.body[q.end : nxt.start].strip(" \n\"“”'«»„`"):
            return False
        self.continue_utterance(qi, [nxt], "continuation.before")
        return True

    def reopened_passage(self, qi: int) -> bool:
        """A paragraph that reopens a quotation (or is reopened by the next one) is a
        passage of the utterance of the candidate holding the neighbouring paragraph."""
        q = self.quotes[qi]
        for other, after in ((qi - 1, q.reopens), (qi + 1, False)):
            if not (0 <= other < len(self.quotes)):
                continue
            o = self.quotes[other]
            if not (after or (other == qi + 1 and o.reopens)):
                continue
            holders = [
                c
                for c in self.candidates
                if c.kind == "direct"
                and c.start <= o.inner_start + 1
                and o.inner_end - 1 <= c.end
                and not (c.start <= q.inner_start and q.inner_end <= c.end)
            ]
            if holders:
                self.continue_utterance(qi, holders, "continuation.reopened")
                return True
        return False
