"""The actors stage's fourth round of speed shortcuts gives what the plain code gave."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.extract import actors, aliases, candidates
from index.extract.aliases import Mention, _link_companies, _Sets, resolve
from index.extract.kinds import CUE, DEFAULT, GIVEN, GUESS, NOT_ACTOR, PERSON, Piece
from index.extract.segment import segment
from index.names import actor_key, initials
from index.records import Actor

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"

# Names, titles, lists, brackets, possessives and the words between them: texts built from
# these meet both sides of every shortcut.
WORDS = [
    "Bob",
    "Smith",
    "Bob Smith",
    "Hillary",
    "Clinton",
    "Mr",
    "Mr.",
    "Sen.",
    "President",
    "Special Envoy,",
    "Honda",
    "Honda's",
    "Asimo",
    "Aleppo",
    "Idlib",
    "Syria",
    "Syrian Observatory",
    "Syrian Observatory for Human Rights",
    "(SOHR)",
    "Hayat Tahrir al-Sham",
    "(HTS)",
    "Internet Corporation for Assigned Names and Numbers",
    "(ICANN)",
    "GAF",
    "GAF Corp",
    "BBC",
    "REAL",
    "real",
    "<XON>",
    "Exxon",
    "Will",
    "will",
    "the",
    "The",
    "a",
    "an",
    "and",
    "or",
    ",",
    ", and",
    ".",
    "(",
    ")",
    "said",
    "statement",
    "administration",
    "in",
    "of",
    "province",
    "known as",
    "also called",
    "Calvisano",
    "Bashar al-Assad",
    "Bashar Al-Assad",
    "Assad",
]
SEPARATORS = [" ", " ", " ", ", ", ", and ", " and ", " or ", " (", ") ", ". ", "'s ", "\n", "\n\n"]
TEXT = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=40).map(
    lambda pairs: "".join(word + sep for word, sep in pairs)
)


def _plain_share_kinds_in_lists(body: str, mentions: list[Mention]) -> None:
    """`actors._share_kinds_in_lists` as first written: every neighbour pair read."""
    for i in range(1, len(mentions)):
        a, b = mentions[i - 1], mentions[i]
        if b.start - a.end > 6 or body[a.end : b.start] not in actors._LIST_GAPS:
            continue
        top_a = max(a.votes, key=lambda v: v[1], default=None)
        top_b = max(b.votes, key=lambda v: v[1], default=None)
        if top_a is not None and top_b is not None and top_a[0] == top_b[0] == PERSON:
            if top_a[1] >= GIVEN and top_b[1] == GUESS and b.tokens > 1:
                mentions[i] = b._replace(votes=(*b.votes, (PERSON, DEFAULT)), tentative=False)
            elif top_b[1] >= GIVEN and top_a[1] == GUESS and a.tokens > 1:
                mentions[i - 1] = a._replace(votes=(*a.votes, (PERSON, DEFAULT)), tentative=False)
            continue
        if top_a is None or top_a[1] < CUE or top_a[0] == NOT_ACTOR:
            continue
        if top_b is None or top_b[1] < CUE:
            mentions[i] = b._replace(votes=(*b.votes, (top_a[0], DEFAULT + 1)))


def _plain_mentions(
    body: str, cands: list[candidates.Candidate]
) -> tuple[list[Mention], list[candidates.Candidate]]:
    """`actors._mentions` as first written: each candidate's pieces from `segment`, in
    body offsets, every piece handed to `_mention`."""
    mentions: list[Mention] = []
    headlines: list[candidates.Candidate] = []
    titled = False
    prev_end = 0
    for cand in cands:
        if (
            body[cand.start - 1 : cand.start] == "<"
            and body[cand.end : cand.end + 1] == ">"
            and len(cand.words) == 1
            and body[cand.start : cand.end].isupper()
        ):
            continue
        if cand.headline:
            headlines.append(cand)
            titled = False
            continue
        if cand.initial and len(cand.words) > 1:
            cand = actors._drop_common_opener(body, cand)
        gap = body[prev_end : cand.start] if titled else ""
        carry = titled and (
            gap in (", ", " ")
            or (
                gap == ". "
                and body[max(0, prev_end - 4) : prev_end].split()[-1] in actors._ABBREVIATED
            )
        )
        if cand.initial and carry:
            cand = cand._replace(initial=False)
        spelled = actors._spelled_out(body, cand) if body.startswith(" (", cand.end) else None
        pieces: list[Piece]
        if spelled is not None:
            head, expansion = spelled
            pieces, titled = segment(body, head, carry) if head is not None else ([], False)
            pieces.append(expansion)
        else:
            pieces, titled = segment(body, cand, carry)
        prev_end = cand.end
        opener = cand.start if cand.initial else -1
        for piece in pieces:
            mention = actors._mention(body, 0, piece, opener, mentions[-1] if mentions else None)
            if mention is not None:
                mentions.append(mention)
    _plain_share_kinds_in_lists(body, mentions)
    return mentions, headlines


def _plain_votes(
    keys: list[str], mentions: Sequence[Mention]
) -> tuple[dict[str, dict[str, int]], set[str]]:
    weights: dict[str, dict[str, int]] = {}
    lexical: set[str] = set()
    capped: dict[str, dict[str, int]] = {}
    for key, m in zip(keys, mentions, strict=True):
        table = weights.setdefault(key, {})
        for voted, weight in m.votes:
            if weight <= 2:
                cap = capped.setdefault(key, {})
                if cap.get(voted, 0) >= 2:
                    continue
                cap[voted] = cap.get(voted, 0) + weight
            table[voted] = table.get(voted, 0) + weight
        if m.canon:
            lexical.add(key)
    return weights, lexical


def _plain_link_alternatives(
    body: str,
    mentions: Sequence[Mention],
    keys: list[str],
    kinds: dict[str, str | None],
    lexical: set[str],
    sets: _Sets,
) -> None:
    """`aliases._link_alternatives` as first written: every neighbour pair read."""
    person, country, place = aliases.PERSON, aliases.COUNTRY, aliases.PLACE
    for a in range(len(mentions) - 1):
        ma, mb = mentions[a], mentions[a + 1]
        if mb.start - ma.end > 30:
            continue
        gap = body[ma.end : mb.start]
        ka, kb = keys[a], keys[a + 1]
        if aliases._PAREN_GAP.match(gap) and body[mb.end : mb.end + 1] in (")", "]"):
            if mb.acronym:
                if initials(ma.text).endswith(mb.text.replace(".", "")):
                    sets.union(kb, ka)
            elif (
                (kinds[ka] == kinds[kb] or None in (kinds[ka], kinds[kb]))
                and (kinds[ka] != person or kinds[kb] == person)
                and kinds[ka] not in (country, place)
                and kinds[kb] not in (country, place)
                and ka not in lexical
                and kb not in lexical
            ):
                sets.union(kb, ka)
        elif aliases._KNOWN_AS.match(gap) and country not in (kinds[ka], kinds[kb]):
            sets.union(kb, ka)


def _plain_link_acronyms(
    keys: list[str],
    mentions: Sequence[Mention],
    kinds: dict[str, str | None],
    lexical: set[str],
    sets: _Sets,
) -> None:
    acronyms = {
        k
        for k, m in zip(keys, mentions, strict=True)
        if m.acronym and (k not in lexical or kinds[k] == aliases.ORG)
    }
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


def _plain_resolve(body: str, mentions: Sequence[Mention]) -> tuple[Actor, ...]:
    """`aliases.resolve` as first written: every key asked whether it is a guess, the
    groups gathered mention by mention."""
    if not mentions:
        return ()
    keys = [actor_key(m.canon or m.text) for m in mentions]
    sets = _Sets()
    weights, lexical = _plain_votes(keys, mentions)
    kinds = {key: aliases._kind_of(w) for key, w in weights.items()}
    _plain_link_alternatives(body, mentions, keys, kinds, lexical, sets)
    guesses = frozenset(
        k
        for k, w in weights.items()
        if w.get(aliases.PERSON, 0) < 2 and not aliases._surname_used(k, kinds)
    )
    weak = frozenset(k for k, w in weights.items() if max(w.values(), default=0) < 4)
    as_person = aliases._link_persons(
        kinds, sets, {k for k in lexical if kinds[k] != aliases.PERSON}, guesses, weak
    )
    org_keys = {k for k, kind in kinds.items() if kind == aliases.ORG and " " in k}
    for key in org_keys:
        parts = key.split()
        for cut in range(2, len(parts)):
            prefix = " ".join(parts[:cut])
            if prefix in org_keys:
                sets.union(prefix, key)
    _link_companies(kinds, sets, lexical)
    _plain_link_acronyms(keys, mentions, kinds, lexical, sets)
    groups: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        groups.setdefault(sets.find(key), []).append(index)
    found: list[Actor] = []
    for members in groups.values():
        actor = aliases._group_actor(mentions, members, keys, weights, as_person)
        if actor is not None:
            found.append(actor)
    found.sort(key=lambda a: (-len(a.mentions), a.mentions[0]))
    return tuple(found)


def _check(body: str) -> None:
    cands = candidates.find_candidates(body)
    mentions, headlines = actors._mentions(body, cands)
    assert (mentions, headlines) == _plain_mentions(body, cands)
    assert resolve(body, mentions) == _plain_resolve(body, mentions)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_mentions_and_actors_are_those_of_the_plain_code(text: str) -> None:
    _check(text)


def test_the_plain_code_is_met_on_links_of_every_kind() -> None:
    _check(
        "Hillary Clinton met Mr Smith. Clinton said the Syrian Observatory for Human Rights "
        "(SOHR) and Hayat Tahrir al-Sham (HTS) and GAF Corp, also called GAF, spoke in "
        "Aleppo and Idlib. Honda's Asimo, Bob Smith, and Smith were there. <XON> Exxon. "
        "President Bashar al-Assad spoke. Assad left and Bashar Al-Assad came back to Aleppo, "
        "and Calvisano."
    )


def test_one_word_keys_are_their_own_bare_form() -> None:
    for key in ("assad", "obama", "x"):
        assert aliases._bare(key) == key


@pytest.mark.corpora
def test_corpus_bodies_give_what_the_plain_code_gave() -> None:
    if not CORPORA.is_dir():
        pytest.skip("../shared/corpora is absent")
    for name in ("bbc.jsonl", "reuters21578.jsonl"):
        with (CORPORA / name).open(encoding="utf-8") as lines:
            for n, line in enumerate(lines):
                if n >= 60:
                    break
                _check((json.loads(line).get("body") or "")[:4096])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aZ É.-'’_ 1\n(Ωж", max_size=30))
def test_capitals_found_class_first_are_the_word_initial_capitals(line: str) -> None:
    plain = re.compile(rf"(?<!\w)[{candidates._UPPER}]")
    assert candidates._CAPITALISED.findall(line) == plain.findall(line)


def _plain_find_candidates(body: str) -> list[candidates.Candidate]:
    """`candidates.find_candidates` as first written: every span read word by word."""
    out: list[candidates.Candidate] = []
    lines = body.split("\n")
    wrapped = candidates.hard_wrapped(lines)
    heads = candidates.headline_lines(body, lines, wrapped)
    for match in candidates.SPAN_RE.finditer(body):
        base = match.start()
        whole = match.group()
        if base and body[base - 1] in "-‐'’":
            particle = candidates._PARTICLE_BEFORE.search(body, max(0, base - 5), base)
            if particle is not None:
                base = particle.start()
                whole = body[base : match.end()]
        for group in candidates._split_span(body, base, whole, wrapped):
            start, end = group[0][0], group[-1][1]
            num = candidates._NUMBER_AFTER.match(body, end)
            if num and f"{body[start:end]} {num.group(1)}" in candidates.NUMBERED:
                group.append(num.span(1))
                end = num.end(1)
            out.append(
                candidates.Candidate(
                    start,
                    end,
                    tuple(group),
                    candidates._is_initial(body, start),
                    any(s <= start <= e for s, e in heads),
                )
            )
    return out


NAMES_TEXT = st.lists(
    st.tuples(
        st.sampled_from(
            [*WORDS, "France", "24", "France 24", "U.S.", "G7", "O'Neill", "A", "I", "K"]
        ),
        st.sampled_from(SEPARATORS),
    ),
    max_size=40,
).map(lambda pairs: "".join(word + sep for word, sep in pairs))


@settings(max_examples=300, deadline=None)
@given(NAMES_TEXT)
def test_candidates_are_those_of_the_word_by_word_reading(text: str) -> None:
    assert candidates.find_candidates(text) == _plain_find_candidates(text)


def test_names_across_line_breaks_are_read_as_the_plain_split_reads_them() -> None:
    wrapped = (
        "Shares of Texas Instruments rose after Chief Executive Officer Tom\n"
        "Engibous said on Tuesday. The Bank of England and U.S. Federal\n"
        "Reserve Board officials met. Analysts at Morgan Stanley. Smith\n"
        "\n"
        "Jones and Al-Assad spoke to A\n"
        "Reuters reporter in New York and London on Wednesday morning.\n"
    )
    assert candidates.hard_wrapped(wrapped.split("\n"))
    broken = [m for m in candidates.SPAN_RE.finditer(wrapped) if "\n" in m.group()]
    assert broken
    for text in (wrapped, wrapped.replace("\n\n", "\n")):
        assert candidates.find_candidates(text) == _plain_find_candidates(text)
