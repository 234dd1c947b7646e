"""Statement candidates and the choice among overlapping ones."""

from __future__ import annotations

from dataclasses import dataclass

from index.extract.coref import Speaker


@dataclass
class Candidate:
    """One possible statement: content span, kind, cue, speaker and rule priority."""

    start: int
    end: int
    kind: str
    cue: str | None
    speaker: Speaker | None
    priority: int
    cue_pos: int = -1  # where the cue starts (-1 for quotes nobody introduced)


def named(speaker: Speaker | None) -> bool:
    """A speaker worth a stance statement: an actor, or a capitalised name."""
    if speaker is None:
        return False
    if speaker.kind is not None:
        return True
    return speaker.kind is None and speaker.name[:1].isupper() and len(speaker.name.split()) <= 4


def resolve_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Keep the best of overlapping candidates; a statement nested in another one's content
    with its own cue inside that content ("X said that Y told reporters that ...") stays."""
    accepted: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (c.priority, c.start)):
        length = c.end - c.start
        clash = False
        for a in accepted:
            overlap = min(a.end, c.end) - max(a.start, c.start)
            if overlap <= 0 or overlap <= 0.5 * min(length, a.end - a.start):
                continue
            inner, outer = (c, a) if length <= a.end - a.start else (a, c)
            nested = (outer.cue != "according to"
                      and outer.start <= inner.start and inner.end <= outer.end
                      and outer.start <= inner.cue_pos < outer.end
                      and not (inner.start <= outer.cue_pos < inner.end))
            if not nested:
                clash = True
                break
        if not clash:
            accepted.append(c)
    return sorted(accepted, key=lambda c: (c.start, c.end))
