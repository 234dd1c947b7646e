"""Grammatical gender of people from given names, honorifics and pronouns (pure look-ups)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Literal

from index.extract import lexicons
from index.records import Actor

Gender = Literal["m", "f"]

# A name is read as one gender only when at least this share of its bearers in
# the SSA counts have it; "Jordan", "Taylor", "Kim", "Nicola" stay None.
CLEAR_SHARE = 90
# Below this many births a name is too rare in the counts to vouch for a person
# on its own (it still gives a gender).
COMMON_BIRTHS = 2000

_HONORIFICS: dict[str, Gender] = {
    **dict.fromkeys(
        [
            "mr",
            "mister",
            "sir",
            "lord",
            "king",
            "prince",
            "duke",
            "earl",
            "baron",
            "count",
            "emperor",
            "sultan",
            "emir",
            "sheikh",
            "father",
            "brother",
            "monsieur",
            "herr",
            "signor",
            "senor",
            "señor",
            "don",
            "dom",
            "grand-duke",
            "archduke",
            "tsar",
            "czar",
            "shah",
            "maharaja",
            "rabbi",
            "imam",
            "ayatollah",
            "pope",
            "cardinal",
            "bishop",
        ],
        "m",
    ),
    **dict.fromkeys(
        [
            "mrs",
            "ms",
            "miss",
            "missus",
            "madam",
            "madame",
            "mme",
            "mlle",
            "mademoiselle",
            "lady",
            "dame",
            "queen",
            "princess",
            "duchess",
            "countess",
            "baroness",
            "empress",
            "sultana",
            "sheikha",
            "begum",
            "mother",
            "sister",
            "frau",
            "signora",
            "senora",
            "señora",
            "doña",
            "dona",
            "tsarina",
            "czarina",
        ],
        "f",
    ),
}


def _fold(word: str) -> str:
    """`José.` -> `jose`: accents and a trailing full stop do not change the name."""
    decomposed = unicodedata.normalize("NFKD", word.strip().rstrip("."))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


@cache
def _table() -> dict[str, tuple[int, int]]:
    """SSA given names, folded, mapped to (percent male, births); loaded once per process."""
    # The SSA names are plain ASCII: lower() folds them as `_fold` would, much faster.
    return {row[0].lower(): (int(row[1]), int(row[2])) for row in lexicons.table("given_names_ssa")}


@cache
def _hand_names() -> frozenset[str]:
    return frozenset(_fold(word) for word in lexicons.words("given_names"))


def _one(part: str) -> Gender | None:
    entry = _table().get(_fold(part))
    if entry is None:
        return None
    share = entry[0]
    if share >= CLEAR_SHARE:
        return "m"
    if share <= 100 - CLEAR_SHARE:
        return "f"
    return None


def gender_of(given_name: str) -> Gender | None:
    """`"m"` or `"f"` when the given name is clearly one gender, else None.

    Hyphenated names go by their last part when it is clear (`Jean-Pierre` is
    male although `Jean` alone is mostly female in the counts).
    """
    parts = [part for part in given_name.split("-") if part]
    if not parts:
        return None
    if len(parts) > 1:
        for part in reversed(parts):
            found = _one(part)
            if found is not None:
                return found
        return None
    return _one(parts[0])


def honorific_gender(word: str) -> Gender | None:
    """Gender carried by an honorific, royal or religious title (`Mrs` -> `"f"`, `Sir` -> `"m"`)."""
    return _HONORIFICS.get(_fold(word))


def pronoun_gender(word: str) -> Gender | None:
    """`he/him/his/himself` -> `"m"`, `she/her/hers/herself` -> `"f"`, else None."""
    folded = word.strip().lower()
    if folded in ("he", "him", "his", "himself"):
        return "m"
    if folded in ("she", "her", "hers", "herself"):
        return "f"
    return None


def is_given_name(word: str, *, common_only: bool = True) -> bool:
    """Whether `word` is a known given name: the hand list, or the SSA counts.

    With `common_only` (the default) an SSA name counts only when it is frequent
    enough to vouch for a person by itself (`COMMON_BIRTHS`).
    """
    folded = _fold(word)
    if folded in _hand_names():
        return True
    entry = _table().get(folded)
    if entry is None:
        return False
    return not common_only or entry[1] >= COMMON_BIRTHS


@cache
def common_given_names() -> frozenset[str]:
    """Given names (capitalised as written) common enough to vouch for a person:
    the hand list plus the SSA names with at least `COMMON_BIRTHS` births."""
    ssa = (row[0] for row in lexicons.table("given_names_ssa") if int(row[2]) >= COMMON_BIRTHS)
    return lexicons.words("given_names") | frozenset(ssa)


def person_gender(name: str, title: str = "") -> Gender | None:
    """Gender of a person named `name` (`"Theresa May"`), optionally with a title (`"Mrs"`).

    The honorific wins over the given name; a name whose first word is an
    honorific (`"Mr Blair"`) is read by that word.
    """
    if title:
        for word in reversed(title.split()):
            found = honorific_gender(word)
            if found is not None:
                return found
    words = name.split()
    if not words:
        return None
    found = honorific_gender(words[0])
    if found is not None and len(words) > 1:
        return found
    return gender_of(words[0])


_TITLE_BEFORE = re.compile(r"([A-Z][a-z]{1,9})\.? $")


def actor_gender(actor: Actor, body: str = "") -> Gender | None:
    """Gender of a person actor: an honorific written before any of its mentions in
    `body` ("Mrs May", "Sir Alex"), else the given name of its name or aliases.

    None for other kinds, for unclear names (`Kim Jong-un`, `Jordan Smith`) and when
    honorifics disagree.
    """
    if actor.kind != "person":
        return None
    found: set[str] = set()
    for start, _ in actor.mentions:
        m = _TITLE_BEFORE.search(body, max(0, start - 12), start)
        if m is not None:
            title = honorific_gender(m.group(1))
            if title is not None:
                found.add(title)
    if len(found) == 1:
        return found.pop()  # type: ignore[return-value]
    if found:
        return None
    for name in (actor.name, *actor.aliases):
        words = name.split()
        if len(words) > 1 or name == actor.name:
            guess = person_gender(name)
            if guess is not None:
                return guess
    return None
