"""Aliasing: the library key for spelling variants and the library-wide actor merge."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from index.extract.actors import find_actors
from index.extract.library_actors import merge_library
from index.names import actor_key, initials
from index.records import Actor, LibraryActor

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mohamed bin Zayed Al Nahyan", "Mohammed bin Zayed Al Nahyan"),
        ("Mohammed bin Zayed Al-Nahyan", "Muhammad bin Zayed al Nahyan"),
        ("Syrian Civil Defence", "Syrian Civil Defense"),
        ("al-Qaida", "al-Qaeda"),
        ("al-Qaida", "Al Qaeda"),
        ("Al-Assad", "al-Assad"),
        ("Bashar Al-Assad", "Bashar al-Assad"),
        ("U.S.", "US"),
        ("the Kremlin", "Kremlin"),
        ("Élysée", "Elysee"),
        ("Assad’s", "Assad"),
        ("World Health Organisation", "World Health Organization"),
    ],
)
def test_spelling_variants_share_a_key(a: str, b: str) -> None:
    assert actor_key(a) == actor_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Syrian Defense Ministry", "Russian Defense Ministry"),
        ("Bashar al-Assad", "Hafez al-Assad"),
        ("Abbas Araghchi", "Mahmoud Abbas"),
        ("Syria", "Syrian Observatory for Human Rights"),
        ("UN", "UAE"),
    ],
)
def test_distinct_actors_never_share_a_key(a: str, b: str) -> None:
    assert actor_key(a) != actor_key(b)


def test_initials_skip_particles() -> None:
    assert initials("Hayat Tahrir al-Sham") == "HTS"
    assert initials("Syrian Observatory for Human Rights") == "SOHR"


def _seed_pairs() -> list[tuple[str, Actor]]:
    pairs = []
    for path in sorted(SEEDS.glob("*.txt")):
        for actor in find_actors(path.read_text(encoding="utf-8")):
            pairs.append((path.stem, actor))
    return pairs


@pytest.fixture(scope="module")
def library() -> list[LibraryActor]:
    return merge_library(_seed_pairs())


def _matching(library: list[LibraryActor], surface: str) -> list[LibraryActor]:
    return [a for a in library if a.name == surface or surface in a.aliases]


def test_seeds_give_one_assad(library) -> None:
    (assad,) = _matching(library, "Bashar al-Assad")
    assert assad.kind == "person"
    assert {"Assad", "Al-Assad", "Bashar Al-Assad"} <= set(assad.aliases)
    assert len(assad.article_ids) == 5
    assert _matching(library, "Assad") == [assad]
    assert _matching(library, "Al-Assad") == [assad]


def test_seeds_give_one_mohamed_bin_zayed(library) -> None:
    (mbz,) = _matching(library, "Mohamed bin Zayed Al Nahyan")
    assert _matching(library, "Mohammed bin Zayed Al Nahyan") == [mbz]
    assert mbz.kind == "person"
    assert len(mbz.article_ids) == 2


def test_seeds_keep_distinct_ministries_apart(library) -> None:
    (syrian,) = _matching(library, "Syrian Defense Ministry")
    (russian,) = _matching(library, "Russian Defense Ministry")
    assert syrian is not russian


def test_seeds_merge_acronyms_and_spelling_variants(library) -> None:
    (hts,) = _matching(library, "Hayat Tahrir al-Sham")
    assert _matching(library, "HTS") == [hts]
    assert len(hts.article_ids) == 5
    (defence,) = _matching(library, "Syrian Civil Defense")
    assert _matching(library, "Syrian Civil Defence") == [defence]
    (qaeda,) = _matching(library, "al-Qaeda")
    assert _matching(library, "al-Qaida") == [qaeda]
    (araghchi,) = _matching(library, "Abbas Araghchi")
    assert _matching(library, "Seyed Abbas Araghchi") == [araghchi]


def test_library_counts_and_order(library) -> None:
    pairs = _seed_pairs()
    assert sum(a.mentions for a in library) == sum(len(a.mentions) for _, a in pairs)
    counts = [a.mentions for a in library]
    assert counts == sorted(counts, reverse=True)
    assert len({a.name for a in library}) == len(library)


def _actor(name: str, kind: str = "person", aliases: tuple[str, ...] = (), n: int = 1) -> Actor:
    return Actor(name, kind, aliases, tuple((i * 10, i * 10 + 3) for i in range(n)))


def test_surname_merges_only_when_unambiguous() -> None:
    merged = merge_library(
        [
            ("a1", _actor("George Bush", n=3)),
            ("a2", _actor("Jeb Bush", n=2)),
            ("a3", _actor("Bush", n=4)),
            ("a4", _actor("Angela Merkel")),
            ("a5", _actor("Merkel", n=2)),
        ]
    )
    names = {a.name: a for a in merged}
    assert {"George Bush", "Jeb Bush", "Bush", "Angela Merkel"} == set(names)
    assert names["Angela Merkel"].article_ids == ("a4", "a5")
    assert names["Angela Merkel"].mentions == 3


def test_acronym_claimed_by_two_expansions_stays_apart() -> None:
    merged = merge_library(
        [
            ("a1", _actor("Self-Defense Forces", "organization", ("SDF",))),
            ("a2", _actor("Syrian Democratic Forces", "organization", ("SDF",))),
            ("a3", _actor("SDF", "organization")),
            ("a4", _actor("Hayat Tahrir al-Sham", "organization", ("HTS",))),
            ("a5", _actor("HTS", "organization", n=2)),
        ]
    )
    names = {a.name for a in merged}
    assert "SDF" in names and "HTS" not in names
    (hts,) = [a for a in merged if a.name == "Hayat Tahrir al-Sham"]
    assert hts.article_ids == ("a4", "a5") and hts.mentions == 3


def test_acronym_name_joins_the_expansion_it_spells() -> None:
    merged = merge_library(
        [
            ("a1", _actor("UN", "organization", n=2)),
            ("a2", _actor("United Nations", "organization")),
            ("a3", _actor("Paul D. Ryan")),
            ("a4", _actor("Paul Ryan", n=2)),
            ("a5", _actor("George W. Bush")),
            ("a6", _actor("George H.W. Bush")),
        ]
    )
    names = {a.name: a for a in merged}
    assert names["United Nations"].aliases == ("UN",)
    assert names["United Nations"].mentions == 3
    (ryan,) = _matching(merged, "Paul Ryan")
    assert _matching(merged, "Paul D. Ryan") == [ryan]
    assert ryan.article_ids == ("a3", "a4")
    assert {"George W. Bush", "George H.W. Bush"} <= set(names)


def test_company_names_never_absorb_places() -> None:
    merged = merge_library(
        [
            ("a1", _actor("London", "place", n=5)),
            ("a2", _actor("London International Group Plc", "organization")),
            ("a3", _actor("London International Group", "organization")),
            ("a4", _actor("Reuters", "organization", n=3)),
            ("a5", _actor("Reuters", "organization")),
            ("a6", _actor("Reuters Inc", "organization")),
        ]
    )
    names = {a.name: a for a in merged}
    assert names["London"].aliases == ()
    (group,) = _matching(merged, "London International Group")
    assert _matching(merged, "London International Group Plc") == [group]
    assert names["Reuters"].aliases == ("Reuters Inc",)


def test_canonical_name_prefers_the_common_full_form() -> None:
    merged = merge_library(
        [
            ("a1", _actor("Mohammed bin Zayed Al Nahyan")),
            ("a2", _actor("Mohamed bin Zayed Al Nahyan")),
            ("a3", _actor("Mohamed bin Zayed Al Nahyan")),
        ]
    )
    (mbz,) = merged
    assert mbz.name == "Mohamed bin Zayed Al Nahyan"
    assert mbz.aliases == ("Mohammed bin Zayed Al Nahyan",)


def test_library_actor_is_frozen_and_empty_input_is_fine() -> None:
    assert merge_library([]) == []
    (one,) = merge_library([("a", _actor("Kaja Kallas"))])
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.name = "x"  # type: ignore[misc]
