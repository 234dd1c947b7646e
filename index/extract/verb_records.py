"""The records the speech-verb rules pass around: a cue, its subject, a postposed reading."""

from __future__ import annotations

from typing import NamedTuple


class VerbCue(NamedTuple):
    """One speech verb in its sentence, with what the rules read off it."""

    word: str
    lemma: str
    cs: int  # where the cue starts (before `declined to` when there is one)
    ce: int
    ss: int  # the sentence
    se: int
    pos: int  # after the cue and what may stand right after it
    participle: bool  # `adding`, not `is adding`
    nounish: bool  # may be a noun (`notes`, `states`)
    chained: bool  # `X suggested ..., called her "..."`: a second verb of one subject
    object_verb: bool  # takes an addressee (`told reporters`)


class Subject(NamedTuple):
    """The subject span before a cue and the boundary that ends it on the left."""

    start: int
    end: int
    boundary: int
    char: str  # the boundary: a mark, a clause word, '' at the sentence start


# What `verb` hands a participle or chained cue, whose readings read no subject span.
NO_SUBJECT = Subject(0, 0, 0, "")


class Postposed(NamedTuple):
    """Where the parts of a postposed attribution are: its subject [a, b), the end of an
    addressee, the quote a split quote resumes with."""

    a: int
    b: int
    obj_end: int
    qi_next: int | None
    inverted: bool  # `..., said the ministry`
