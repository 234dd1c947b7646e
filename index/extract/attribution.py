"""Attribution: cue verbs and `according to` link quotes and reported clauses to speakers."""

from __future__ import annotations

from collections.abc import Sequence

from index.extract.acts import act_of
from index.extract.content import ContentRules
from index.extract.coref import Resolver
from index.extract.cue_rules import CueRules
from index.extract.cue_scan import CueScan
from index.extract.grammar import body_startswith_that
from index.extract.orphans import OrphanRules
from index.extract.quotes import Quote
from index.extract.selection import Candidate, resolve_overlaps, utterances
from index.extract.subjects import SubjectRules
from index.records import Statement


class Attributor(CueRules, OrphanRules, CueScan, ContentRules, SubjectRules):
    """One body's attribution pass: every cue in text order, then the quotes nobody
    introduced; candidates overlap freely until `resolve_overlaps` picks the best."""

    def run(self) -> list[Candidate]:
        forms = self.table.forms
        if not self.sentences:
            return self.candidates
        self.colon_heads()
        for cs, ce, word in self.cue_positions():
            if self.resolver.in_quote(cs):
                continue
            ss, se = self.sentences[self.resolver.sentence_index(cs)]
            if not (ss <= cs < se):
                continue
            self.cue_pos = cs
            if word == "according to":
                self.according_to(cs, ce, ss, se)
            elif word in self.table.classes.get("noun", ()) and body_startswith_that(
                    self.body, ce) and (self.noun(word, cs, ce, ss, se) or word not in forms):
                pass  # "Trump's claim that ..."; else "The Post reports that" is a verb
            elif word in forms:
                self.verb(word, cs, ce, ss, se)
            else:
                self.stance(word, cs, ce, ss, se)
        self.orphans()
        return self.candidates


def attribute(
    body: str,
    sentences: Sequence[tuple[int, int]],
    quotes: Sequence[Quote],
    resolver: Resolver,
) -> tuple[Statement, ...]:
    """Statements of `body`: direct quotes and reported speech with their speakers."""
    cands = Attributor(body, sentences, quotes, resolver).run()
    out = []
    kept = resolve_overlaps(cands)
    for c, n, head in utterances(kept):
        # a continued passage speaks with the voice of the passage that won its utterance
        speaker = head.speaker if c.cue is None and head is not c else c.speaker
        source = head if head is not c else c
        act = act_of(source.cue, c.kind, source.speaker.name if source.speaker else None,
                     source.speaker.kind if source.speaker else None)
        if act in ("stance", "thought") and c.cue_pos >= 0 and any(
                o is not c and o.start <= c.cue_pos < o.end for o in kept):
            continue  # `X said Tehran will support ...`: a stance inside what X said
        out.append(Statement(
            speaker=speaker.name if speaker else None,
            text=body[c.start : c.end],
            kind=c.kind,
            act=act,
            cue=c.cue,
            start=c.start,
            end=c.end,
            utterance=n,
        ))
    return tuple(out)
