"""Statement candidates and the choice among overlapping ones."""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import dataclass
from operator import attrgetter

from index.extract.coref import Speaker


@dataclass(frozen=True, eq=False)
class Candidate:
    """One possible statement: content span, kind, cue, speaker, the priority of the rule
    that made it (`index.extract.priorities`, lower wins an overlap) and that rule's id.
    Compared by identity: two rules may propose the same span."""

    start: int
    end: int
    kind: str
    cue: str | None
    speaker: Speaker | None
    priority: int
    cue_pos: int = -1  # where the cue starts (-1 for quotes nobody introduced)
    # the candidates whose utterance this passage continues (`"A," X said. "B."`), best
    # first; the first of them that survives the overlap choice gives utterance and speaker
    joins: tuple[Candidate, ...] = ()
    rule: str = ""  # which rule made it, for `newsroom show --explain`


def named(speaker: Speaker | None) -> bool:
    """A speaker worth a stance statement: an actor, or a capitalised name."""
    if speaker is None:
        return False
    if speaker.kind is not None:
        return True
    # (joint speakers, `Barack Obama and Hillary Clinton`, are named whatever their length)
    return (
        speaker.kind is None
        and speaker.name[:1].isupper()
        and (len(speaker.name.split()) <= 4 or " and " in speaker.name)
    )


def utterances(accepted: list[Candidate]) -> list[tuple[Candidate, int, Candidate]]:
    """(candidate, utterance number, the candidate heading its utterance) for the
    accepted candidates in order: a continuation joins the utterance of the first
    accepted candidate it continues, the others each start one."""
    alive = {id(c) for c in accepted}
    head: dict[int, Candidate] = {}

    def root(c: Candidate, depth: int = 0) -> Candidate:
        if id(c) in head:
            return head[id(c)]
        found = c
        for j in c.joins:
            if id(j) in alive and j is not c and depth < 50:
                found = root(j, depth + 1)
                break
        head[id(c)] = found
        return found

    numbers: dict[int, int] = {}
    out = []
    for c in accepted:
        r = root(c)
        n = numbers.setdefault(id(r), len(numbers))
        out.append((c, n, r))
    return out


# Sort keys read in C (a lambda is a Python call for every candidate).
_BY_PRIORITY = attrgetter("priority", "start")
_BY_SPAN = attrgetter("start", "end")


def resolve_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Keep the best of overlapping candidates; a statement nested in another one's content
    with its own cue inside that content ("X said that Y told reporters that ...") stays."""
    accepted: list[Candidate] = []
    # (start, end, order, candidate) of `accepted`, by start: a span overlapping [s, e)
    # starts before e and after s minus the longest span accepted, so only those are read
    # (whether one of them clashes does not depend on the order they are read in)
    spans: list[tuple[int, int, int, Candidate]] = []
    longest = 0
    for c in sorted(cands, key=_BY_PRIORITY):
        c_start, c_end = c.start, c.end
        length = c_end - c_start
        clash = False
        k = bisect_left(spans, (c_start - longest + 1,))
        while k < len(spans):
            a_start, a_end, _n, a = spans[k]
            k += 1
            if a_start >= c_end:
                break
            if a_end <= c_start:
                continue
            overlap = min(a_end, c_end) - max(a_start, c_start)
            if overlap <= 0 or overlap <= 0.5 * min(length, a_end - a_start):
                continue
            inner, outer = (c, a) if length <= a.end - a.start else (a, c)
            nested = (
                outer.cue != "according to"
                and outer.start <= inner.start
                and inner.end <= outer.end
                and outer.start <= inner.cue_pos < outer.end
                and not (inner.start <= outer.cue_pos < inner.end)
            )
            if not nested:
                clash = True
                break
        if not clash:
            insort(spans, (c_start, c_end, len(accepted), c))
            accepted.append(c)
            longest = max(longest, length)
    return sorted(accepted, key=_BY_SPAN)
