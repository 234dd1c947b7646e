"""Descriptions of unnamed people by whose they are (`his lawyer`, `Mr Blair's spokesman`)."""

from __future__ import annotations

from collections.abc import Sequence

from index.extract.coref import Resolver, Speaker, nominal_kind
from index.records import Actor

# Honorifics that add nothing to a surname (`Mr Blair's spokesman` is Tony Blair's).
_HONORIFIC_WORDS = frozenset(["Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Sir", "Dame", "Prof"])


def owned_description(
    body: str,
    resolver: Resolver,
    words: list[tuple[int, int, str]],
    mentions: Sequence[tuple[int, int, Actor]],
) -> Speaker | None:
    """`Mr Blair's spokesman`, `his lawyer`: an unnamed person described by whose they
    are, with the owner's full name (`Tony Blair's spokesman`, `Stan Lee's lawyer`)."""
    if len(words) < 2 or len(words) > 5 or nominal_kind(words[-1][2]) != "person":
        return None
    first = words[0][2].lower()
    if first in ("his", "her"):
        owner = resolver.resolve_pronoun("he" if first == "his" else "she", words[0][0])
        rest = words[1:]
    else:
        # (the tokeniser keeps the possessive on its word: `Blair's`)
        mark = next((k for k, t in enumerate(words) if t[2].endswith(("'s", "’s"))), -1)
        if mark < 0:
            return None
        owned_end = words[mark][1] - 2
        found = next(((s, a) for s, e, a in mentions if words[0][0] <= s and e == owned_end), None)
        if found is None or any(
            t[2].rstrip(".") not in _HONORIFIC_WORDS for t in words if t[1] <= found[0]
        ):
            return None  # `President Castro's chief aide`: a title names them already
        owner = Speaker(found[1].name, found[1].kind)
        rest = words[mark + 1 :]
    if owner is None or owner.kind != "person" or not rest or any(not t[2].islower() for t in rest):
        return None
    role = body[rest[0][0] : rest[-1][1]]
    return Speaker(f"{owner.name}'s {role}", "person", "owned-description")
