"""Aliasing: one actor per real-world entity, within an article and across the library."""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from itertools import compress
from operator import itemgetter, sub
from typing import NamedTuple

from index.extract.frozen import build
from index.extract.gender import common_given_names
from index.names import VARIANTS, actor_key, initials
from index.records import Actor

PERSON, ORG, COUNTRY, PLACE = "person", "organization", "country", "place"
NOT_ACTOR = "not-actor"  # kinds.NOT_ACTOR: a thing named (a title, a team), no actor


_GIVEN = frozenset(VARIANTS.get(w.lower(), w.lower()) for w in common_given_names())
_NAME_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv"])
_COMPANY_SUFFIXES = frozenset(
    [
        "corp",
        "corporation",
        "inc",
        "incorporated",
        "co",
        "company",
        "ltd",
        "limited",
        "plc",
        "llc",
        "sa",
        "ag",
        "nv",
        "gmbh",
        "group",
        "holdings",
        "partners",
        "capital",
        "systems",
        "securities",
        "industries",
        "international",
        "technologies",
        "communications",
        "enterprises",
        "associates",
    ]
)


def _bare(key: str) -> str:
    """A one-word name key without its particle: `al assad` -> `assad`."""
    parts = key.split()
    if len(parts) == 2 and parts[0] in ("al", "el"):
        return parts[1]
    return key if len(parts) == 1 else ""


class Mention(NamedTuple):
    """One typed name occurrence, the input of the within-article aliasing."""

    start: int
    end: int
    text: str
    votes: tuple[tuple[str, int], ...]
    canon: str | None  # lexicon canonical name
    acronym: bool
    tokens: int
    tentative: bool  # kept only if it joins a confirmed actor (sentence openers, headlines)


class _Sets:
    """Union-find over group keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        parent = self.parent.setdefault(key, key)
        if parent != key:
            parent = self.find(parent)
            self.parent[key] = parent
        return parent

    def union(self, child: str, root: str) -> None:
        a, b = self.find(child), self.find(root)
        if a != b:
            self.parent[a] = b


_PAREN_GAP = re.compile(r"^(?: [a-z]+)? [(\[]$")
_KNOWN_AS = re.compile(
    r"^,? \(?(?:also |formerly |better |more commonly |now |previously )?"
    r"(?:known|referred to|called) as (?:the )?$"
)

_PAREN_ENDS = (" (", " [", " (\n", " [\n")
# (`Mention` fields by position: `itemgetter` reads a tuple without the attribute lookup)
_START, _END, _ACRONYM_FIELD = itemgetter(0), itemgetter(1), itemgetter(5)
_KNOWN_AS_ENDS = ("as ", "the ", "as \n", "the \n")


def _kind_of(weights: dict[str, int]) -> str | None:
    best, top = None, 0
    for kind, weight in weights.items():
        if weight > top:
            best, top = kind, weight
    return best


def _tidy(text: str) -> str:
    if "\n" in text or "  " in text or "\u00a0" in text or "\t" in text:
        return " ".join(text.split())
    return text


def _has_initials(key: str) -> bool:
    return any(
        len(part) <= 2 and part not in ("al", "el", "bin", "ibn", "da", "de")
        for part in key.split()[1:-1]
    )


def _link_persons(
    kinds: dict[str, str | None],
    sets: _Sets,
    skip: set[str],
    guesses: AbstractSet[str] = frozenset(),
    weak: AbstractSet[str] = frozenset(),
) -> set[str]:
    """Join surnames ("Assad"), first names ("Hillary") and shorter forms ("Abbas
    Araghchi") to one full person name, when exactly one person fits.

    `guesses` are names typed as persons on no evidence: they cannot own a surname.
    A first name joins only if it is a known given name or `weak` (barely typed).
    Returns the keys joined to a person.
    """
    linked: set[str] = set()
    by_surname: dict[str, list[str]] = {}
    by_suffix: dict[str, list[str]] = {}
    by_first_any: dict[str, list[str]] = {}
    for key, kind in kinds.items():
        if kind == PERSON and " " in key and _bare(key) == "" and key not in guesses:
            parts = key.split()
            while len(parts) > 2 and parts[-1] in _NAME_SUFFIXES:
                parts.pop()
            by_surname.setdefault(parts[-1], []).append(key)
            by_first_any.setdefault(parts[0], []).append(key)
            if len(parts) >= 3:
                by_suffix.setdefault(" ".join(parts[-2:]), []).append(key)
    if not by_surname:
        return linked
    # "Paul D. Ryan" and "Paul Ryan": the same person when no other Paul Ryan differs.
    by_ends: dict[tuple[str, str], list[str]] = {}
    for owners in by_surname.values():
        for key in owners:
            parts = key.split()
            by_ends.setdefault((parts[0], parts[-1]), []).append(key)
    for same in by_ends.values():
        if len(same) > 1:
            plain = [k for k in same if not _has_initials(k)]
            initialled = [k for k in same if _has_initials(k)]
            if len(plain) == 1 and len(initialled) == 1:
                sets.union(initialled[0], plain[0])
    for key, kind in kinds.items():
        if kind == COUNTRY or key in skip:
            continue
        bare = key if " " not in key else _bare(key)  # (most keys are one word: no call)
        owners = by_surname.get(bare, []) if bare else by_suffix.get(key, [])
        if bare and not owners and (bare in _GIVEN or key in weak):
            owners = by_first_any.get(bare, [])
        if not owners:
            continue  # (most keys: no set to build)
        roots = {sets.find(o) for o in owners if o != key}
        if len(roots) == 1:
            sets.union(key, roots.pop())
            linked.add(key)
    return linked


def _link_companies(
    kinds: dict[str, str | None], sets: _Sets, lexical: set[str] | frozenset[str] = frozenset()
) -> None:
    """ "GAF Corp" and "GAF", "Texaco Inc" and "Texaco" are one company."""
    for key, kind in kinds.items():
        if kind != ORG or " " not in key:
            continue
        base, _, last = key.rpartition(" ")
        if (
            last in _COMPANY_SUFFIXES
            and base in kinds
            and kinds[base] not in (COUNTRY, PLACE)
            and (base not in lexical or kinds[base] == ORG)
        ):
            sets.union(base, key)


_GIVEN_ONLY = 2  # kinds.DEFAULT: the vote a bare given name gets, and nothing else


def _lone_given(mentions: Sequence[Mention], members: list[int], votes: dict[str, int]) -> bool:
    """Whether a person group is only a bare given name ("Jimmy", "Sandra") with no title
    or role to vouch for it: a first name alone, not linked to a full name, is rarely
    how news names a person (a reader's first name in a forum, a film's character)."""
    if votes.get(PERSON, 0) > _GIVEN_ONLY:
        return False
    for i in members:
        m = mentions[i]
        if m.tokens != 1 or actor_key(m.text) not in _GIVEN:
            return False
        if sum(1 for kind, _ in m.votes if kind == PERSON) > 1:
            return False  # "Bob said": a cue besides the given name
    return True


def _surname_used(key: str, kinds: dict[str, str | None]) -> bool:
    """Whether the text also names `key` by its surname alone ("Mr Tsutsumi",
    "Mr Haji-Ioannou", whose key is two words)."""
    parts = key.split()
    for cut in range(1, len(parts)):
        tail = " ".join(parts[cut:])
        if tail in kinds and kinds[tail] in (PERSON, None):
            return True
    return False


def _plural(text: str) -> bool:
    """ "Rangers", "SMEs": a one-word name in the plural (not "Jones's", "Ross")."""
    return " " not in text and text.endswith("s") and not text.endswith(("ss", "us", "is"))


def resolve(body: str, mentions: Sequence[Mention]) -> tuple[Actor, ...]:
    """Group mentions of one article into actors (aliases merged, kinds voted)."""
    if not mentions:
        return ()
    keys = [actor_key(m.canon or m.text) for m in mentions]
    sets = _Sets()
    weights, lexical, uses = _votes(keys, mentions)
    kinds = {key: _kind_of(w) for key, w in weights.items()}
    _link_alternatives(body, mentions, keys, kinds, lexical, sets)

    # A guessed "Firstname Surname" whose surname the text also uses alone ("Mr
    # Tsutsumi", "Melzer has now beaten") is confirmed by it, and owns it.
    # (`_link_persons` asks only about names of several words typed as persons)
    guessed: set[str] = set()
    barely: set[str] = set()  # no vote reaches 4: such a first name may join a full name
    org_keys: set[str] = set()  # (several words: they may have short forms)
    for k, w in weights.items():
        kind = kinds[k]
        if " " in k:
            if kind == PERSON and w.get(PERSON, 0) < 2 and not _surname_used(k, kinds):
                guessed.add(k)
            elif kind == ORG:
                org_keys.add(k)
        if max(w.values(), default=0) < 4:
            barely.add(k)
    as_person = _link_persons(
        kinds,
        sets,
        {k for k in lexical if kinds[k] != PERSON},
        guessed,
        barely,
    )

    # Short forms of an organisation's name: "the Syrian Observatory".
    for key in org_keys:
        parts = key.split()
        for cut in range(2, len(parts)):
            prefix = " ".join(parts[:cut])
            if prefix in org_keys:
                sets.union(prefix, key)

    _link_companies(kinds, sets, lexical)
    _link_acronyms(keys, mentions, kinds, lexical, sets)

    # Each group's mention indices in text order, the groups in order of first mention:
    # the keys come in that order, each with its own indices in text order.
    groups: dict[str, list[int]] = {}
    parents = sets.parent
    joined = []
    for key, members in uses.items():
        # (a key that is its own root, or was never joined, is its group: no call)
        root = key if parents.get(key, key) == key else sets.find(key)
        group = groups.get(root)
        if group is None:
            groups[root] = members
        else:
            group.extend(members)
            joined.append(group)
    for group in joined:
        group.sort()
    actors: list[Actor] = []
    for members in groups.values():
        if len(members) == 1:
            found = _single_actor(
                mentions, members, kinds[keys[members[0]]], weights[keys[members[0]]]
            )
        else:
            found = _group_actor(mentions, members, keys, weights, as_person)
        if found is not None:
            actors.append(found)
    actors.sort(key=lambda a: (-len(a.mentions), a.mentions[0]))
    return tuple(actors)


def _votes(
    keys: list[str], mentions: Sequence[Mention]
) -> tuple[dict[str, dict[str, int]], set[str], dict[str, list[int]]]:
    """The kind votes of each key, the keys a lexicon knows, and each key's mention
    indices (the keys in order of first mention)."""
    weights: dict[str, dict[str, int]] = {}
    lexical: set[str] = set()
    capped: dict[str, dict[str, int]] = {}
    uses: dict[str, list[int]] = {}
    for index, (key, m) in enumerate(zip(keys, mentions, strict=True)):
        table = weights.get(key)
        if table is None:
            table = weights[key] = {}
            uses[key] = [index]
        else:
            uses[key].append(index)
        for voted, weight in m.votes:
            if weight <= 2:
                # Weak cues ("in X", a guessed reading) do not add up to certainty.
                cap = capped.setdefault(key, {})
                if cap.get(voted, 0) >= 2:
                    continue
                cap[voted] = cap.get(voted, 0) + weight
            table[voted] = table.get(voted, 0) + weight
        if m.canon:
            lexical.add(key)
    return weights, lexical, uses


def _link_alternatives(
    body: str,
    mentions: Sequence[Mention],
    keys: list[str],
    kinds: dict[str, str | None],
    lexical: set[str],
    sets: _Sets,
) -> None:
    """Parenthesised acronyms and alternative names, "X, known as Y"."""
    # (only neighbours at most 30 characters apart can be linked: found without a loop)
    gaps = map(sub, map(_START, mentions[1:]), map(_END, mentions))
    for a in compress(range(len(mentions) - 1), map((30).__ge__, gaps)):
        ma, mb = mentions[a], mentions[a + 1]
        gap = body[ma.end : mb.start]
        ka, kb = keys[a], keys[a + 1]
        # (each pattern ends the gap in one of a few ways, tested before the regex call;
        # `$` also matches before a final newline)
        if (
            gap.endswith(_PAREN_ENDS)
            and _PAREN_GAP.match(gap)
            and body[mb.end : mb.end + 1] in (")", "]")
        ):
            # "Hayat Tahrir al-Sham (HTS)", "X (Levant Liberation Organization)"; not
            # "PHILADELPHIA (AP)", "Fabien Pelous (France)" or "Congress (NPC)".
            if mb.acronym:
                if initials(ma.text).endswith(mb.text.replace(".", "")):
                    sets.union(kb, ka)
            elif (
                (kinds[ka] == kinds[kb] or None in (kinds[ka], kinds[kb]))
                # "L Nitoglia (Calvisano)": after a person, a club or town in brackets
                and (kinds[ka] != PERSON or kinds[kb] == PERSON)
                and kinds[ka] not in (COUNTRY, PLACE)
                and kinds[kb] not in (COUNTRY, PLACE)
                and ka not in lexical
                and kb not in lexical
            ):
                sets.union(kb, ka)
        elif (
            gap.endswith(_KNOWN_AS_ENDS)
            and _KNOWN_AS.match(gap)
            and COUNTRY not in (kinds[ka], kinds[kb])
        ):
            sets.union(kb, ka)


def _link_acronyms(
    keys: list[str],
    mentions: Sequence[Mention],
    kinds: dict[str, str | None],
    lexical: set[str],
    sets: _Sets,
) -> None:
    """Acronyms that spell the initials of a multi-word name of the article."""
    # (the keys of acronym mentions picked without a loop: most mentions are none)
    acronyms = {
        k
        for k in compress(keys, map(_ACRONYM_FIELD, mentions))
        if k not in lexical or kinds[k] == ORG
    }
    if not acronyms:
        return
    by_initials: dict[str, set[str]] = {}
    for key, m in zip(keys, mentions, strict=True):
        if m.tokens >= 2 and not m.acronym:
            by_initials.setdefault(initials(m.text), set()).add(key)
    for key in acronyms:
        if sets.find(key) == key:
            owners = {sets.find(o) for o in by_initials.get(key.upper(), ())}
            owners.discard(key)
            if len(owners) == 1:
                sets.union(key, owners.pop())


def _single_actor(
    mentions: Sequence[Mention], members: list[int], kind: str | None, votes: dict[str, int]
) -> Actor | None:
    """The actor of a name used once: most actors, the short road."""
    m = mentions[members[0]]
    if (
        m.tentative
        or kind is None
        or kind == NOT_ACTOR
        or (kind == PERSON and _lone_given(mentions, members, votes))
    ):
        return None
    text = m.text
    if "\n" in text or "  " in text or "\u00a0" in text or "\t" in text:
        text = _tidy(text)  # (asked here first: most names are tidy, so no call)
    if m.canon and (kind == COUNTRY or m.tokens < 2 or m.acronym or text.isupper()):
        name = m.canon
    else:
        name = text
    single = (text,) if text != name else ()
    return build(Actor, name=name, kind=kind, aliases=single, mentions=((m.start, m.end),))


def _group_actor(
    mentions: Sequence[Mention],
    members: list[int],
    keys: list[str],
    weights: dict[str, dict[str, int]],
    as_person: set[str],
) -> Actor | None:
    """The actor of several linked mentions: their votes summed, the fullest name."""
    total: dict[str, int] = {}
    seen: set[str] = set()
    confirmed = False
    canon: str | None = None
    full: str | None = None
    counts: dict[str, int] = {}
    for i in members:
        m = mentions[i]
        key = keys[i]
        if key not in seen:
            seen.add(key)
            for voted, weight in weights[key].items():
                # A surname joined to a person is a person mention, whatever "in X" said.
                if key not in as_person or voted == PERSON:
                    total[voted] = total.get(voted, 0) + weight
        if m.canon and canon is None:
            canon = m.canon
        if full is None and m.tokens >= 2 and not m.acronym:
            full = m.text
        if not m.tentative:
            confirmed = True
            counts[m.text] = counts.get(m.text, 0) + 1
    if not confirmed:
        return None
    kind = _kind_of(total)
    if kind == NOT_ACTOR or (kind == PERSON and _lone_given(mentions, members, total)):
        return None
    if kind is None:
        # A name used twice in mid-sentence with no clue to its kind: in news
        # copy that is most often a person named by surname ("aides to Kerimov"),
        # but not a plural ("Rangers", "Kiwis"): teams and peoples.
        if len(members) < 2 or all(_plural(mentions[i].text) for i in members):
            return None
        kind = PERSON
    if canon is None or kind != COUNTRY:
        if full is not None and not (canon and full.isupper()):
            canon = _tidy(full)
        elif canon is None:
            canon = _tidy(max(counts, key=counts.__getitem__))
    aliases: dict[str, None] = {}
    for i in members:
        text = mentions[i].text
        if "\n" in text or "  " in text or "\u00a0" in text or "\t" in text:
            text = _tidy(text)  # (as in `_single_actor`)
        if text != canon:
            aliases[text] = None
    spans = tuple(sorted({(mentions[i].start, mentions[i].end) for i in members}))
    return build(Actor, name=canon, kind=kind, aliases=tuple(aliases), mentions=spans)
