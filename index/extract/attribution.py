"""Attribution: cue verbs and `according to` link quotes and reported clauses to speakers."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import NamedTuple

from index.extract.acts import act_of
from index.extract.cataphora import resolve_cataphora
from index.extract.content import Collector
from index.extract.conventions import conventional, directive
from index.extract.coref import Resolver
from index.extract.cue_rules import CueRules
from index.extract.cue_scan import CueScan
from index.extract.frozen import build
from index.extract.grammar import body_startswith_that
from index.extract.orphans import OrphanRules
from index.extract.pass_state import PassText
from index.extract.quotes import Quote
from index.extract.selection import Candidate, resolve_overlaps, utterances
from index.extract.subjects import SubjectRules
from index.records import Statement

# `tuple.__new__(NT, values)` builds a NamedTuple without the Python-level `__new__`
# its class call runs: these are built in the hot loops of every article.
_new_tuple = tuple.__new__


class Cue(NamedTuple):
    """One cue word of the body and the sentence it stands in."""

    start: int
    end: int
    word: str
    sentence_start: int
    sentence_end: int


def cues(text: PassText, scan: CueScan) -> list[Cue]:
    """Every cue word outside quotes, in text order, with its sentence."""
    out = []
    # (`Resolver.in_quote` and `Resolver.sentence_index` read inline: asked of every cue)
    resolver = text.resolver
    quoted, q_starts, s_starts = resolver.quoted, resolver.q_starts, resolver.s_starts
    sentences = text.sentences
    for cs, ce, word in scan.cue_positions():
        i = bisect_right(q_starts, cs) - 1
        if i >= 0 and quoted[i][0] <= cs < quoted[i][1]:
            continue
        ss, se = sentences[max(0, bisect_right(s_starts, cs) - 1)]
        if ss <= cs < se:
            out.append(_new_tuple(Cue, (cs, ce, word, ss, se)))
    return out


def candidates(text: PassText) -> list[Candidate]:
    """One body's attribution pass, stage by stage: colon heads, every cue in text order
    (according to, a noun of saying, a speech verb, a stance verb), then the quotes nobody
    introduced. Candidates overlap freely until `resolve_overlaps` picks the best."""
    out = Collector(text)
    if not text.sentences:
        return out.candidates
    subjects = SubjectRules(text, out)
    scan = CueScan(text, out, subjects)
    rules = CueRules(text, out, subjects)
    forms = text.table.forms
    nouns = text.table.classes.get("noun", ())
    scan.colon_heads()
    for cs, ce, word, ss, se in cues(text, scan):
        out.cue_pos = cs
        if word == "according to":
            rules.according_to(cs, ce, ss, se)
        elif (
            word in nouns
            and body_startswith_that(text.body, ce)
            and (rules.noun(word, cs, ce, ss, se) or word not in forms)
        ):
            pass  # "Trump's claim that ..."; else "The Post reports that" is a verb
        elif word in forms:
            rules.verb(word, cs, ce, ss, se)
        else:
            rules.stance(word, cs, ce, ss, se)
    OrphanRules(text, out, subjects).orphans()
    return out.candidates


def attribute(
    body: str,
    sentences: Sequence[tuple[int, int]],
    quotes: Sequence[Quote],
    resolver: Resolver,
) -> tuple[Statement, ...]:
    """Statements of `body`: direct quotes and reported speech with their speakers."""
    cands = candidates(PassText(body, sentences, quotes, resolver))
    out = []
    kept = resolve_overlaps(cands)
    named_later = resolve_cataphora([(c.cue_pos, c.speaker) for c in kept], resolver)
    for c, n, head in utterances(kept):
        # a continued passage speaks with the voice of the passage that won its utterance
        speaker = head.speaker if c.cue is None and head is not c else c.speaker
        speaker = named_later.get(
            head.cue_pos if c.cue is None and head is not c else c.cue_pos, speaker
        )
        source = head if head is not c else c
        act = act_of(
            source.cue,
            c.kind,
            source.speaker.name if source.speaker else None,
            source.speaker.kind if source.speaker else None,
        )
        if (
            source.speaker is not None
            and source.speaker.rule.startswith("document.author")
            and act == "speech"
            and not directive(source.cue)
        ):
            act = "evidence"  # `a report by X said ...`: what a document finds, not speech
        speaker = conventional(speaker, act)
        if (
            act in ("stance", "thought")
            and c.cue_pos >= 0
            and any(o is not c and o.start <= c.cue_pos < o.end for o in kept)
        ):
            continue  # `X said Tehran will support ...`: a stance inside what X said
        out.append(
            build(
                Statement,
                speaker=speaker.name if speaker else None,
                text=body[c.start : c.end],
                kind=c.kind,
                act=act,
                cue=c.cue,
                start=c.start,
                end=c.end,
                utterance=n,
                rule=c.rule,
                speaker_rule=speaker.rule if speaker else "",
            )
        )
    return tuple(out)
