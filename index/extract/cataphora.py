"""Cataphora: an unnamed description that the next sentences name (`A leading expert says
...` then `says Jose Barrionuevo`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.extract.coref import Resolver, Speaker, nominal_kind

# A spokesman or a source stays unnamed: the next name is usually somebody else.
_ANONYMOUS = frozenset(
    [
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "representative",
        "source",
        "official",
        "aide",
        "insider",
    ]
)
_NOT_INDEFINITE = frozenset(
    [
        "the",
        "this",
        "that",
        "his",
        "her",
        "its",
        "their",
        "our",
        "my",
        "he",
        "she",
        "they",
        "it",
        "we",
    ]
)
_LEADERS = frozenset(
    [
        "chief",
        "head",
        "leader",
        "chairman",
        "chairwoman",
        "president",
        "founder",
        "boss",
        "director",
    ]
)
_HEAD_ENDS = frozenset(["of", "for", "on", "at", "from", "with"])
_WORD = re.compile(r"[a-z]+")
# How many sentences after the description's own may name it.
SENTENCES_AHEAD = 1


def is_description(speaker: Speaker | None) -> bool:
    """An indefinite or possessive description of one person, not a name: `a US researcher`,
    `leading expert on the Cuban economy`, `Amnesty International's chief`."""
    if speaker is None or speaker.kind not in (None, "person"):
        return False
    words = speaker.name.replace("’", "'").split()
    if not words or len(words) > 7 or words[0].lower() in _NOT_INDEFINITE:
        return False
    head_i = next((i - 1 for i in range(1, len(words)) if words[i] in _HEAD_ENDS), len(words) - 1)
    head = words[head_i]
    if not head.islower() or nominal_kind(head) != "person" or head in _ANONYMOUS:
        return False
    first = words[0]
    if any(w.endswith(("'s", "s'")) for w in words[:head_i]):
        # `Amnesty International's chief`: the body's leader, whom the text names next;
        # `Pagliano's lawyer` is someone other than the next person named
        return head in _LEADERS
    return first.lower() in ("a", "an") or first.islower()


def _head(speaker: Speaker | None) -> str:
    words = speaker.name.split() if speaker else []
    return next(
        (words[i - 1] for i in range(1, len(words)) if words[i] in _HEAD_ENDS),
        words[-1] if words else "",
    ).lower()


def _same_role(resolver: Resolver, mention: tuple[int, int], head: str) -> bool:
    """Whether the title or apposition around the first mention of a name gives no other
    role than `head` (`The party chairman, Kelly Armstrong` is no `party activist`)."""
    context = resolver.mention_context(*mention)
    roles = {w for w in _WORD.findall(context) if nominal_kind(w) == "person"}
    return not roles or head in roles or head.rstrip("s") in roles


def resolve_cataphora(
    cue_speakers: Sequence[tuple[int, Speaker | None]], resolver: Resolver
) -> dict[int, Speaker]:
    """For each (cue position, speaker) whose speaker is a description of a person not yet
    named, the person who speaks next within the next sentences when the text names them
    there for the first time (`A US researcher has suggested ...  Ravi Purushotma believes
    ...`); keyed by cue position."""
    out: dict[int, Speaker] = {}
    ordered = sorted((p, s) for p, s in cue_speakers if p >= 0)
    for k, (cue_pos, speaker) in enumerate(ordered):
        if not is_description(speaker):
            continue
        si = resolver.sentence_index(cue_pos)
        for later_pos, later in ordered[k + 1 :]:
            sj = resolver.sentence_index(later_pos)
            if sj == si:
                continue
            if sj > si + SENTENCES_AHEAD or later is None:
                break
            if later.kind != "person" or is_description(later):
                break  # someone else speaks first
            first = next(((s, e) for s, e, a in resolver.mentions if a.name == later.name), None)
            if (
                first is not None
                and first[0] > cue_pos
                and _same_role(resolver, first, _head(speaker))
            ):
                out[cue_pos] = Speaker(later.name, later.kind, "cataphora")
            break
    return out
