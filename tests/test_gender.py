"""Gender of given names, honorifics and pronouns (the data behind pronoun agreement)."""

from __future__ import annotations

import pytest

from index.extract.gender import (
    actor_gender,
    gender_of,
    honorific_gender,
    is_given_name,
    person_gender,
    pronoun_gender,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Theresa", "f"),
        ("Angela", "f"),
        ("Boris", "m"),
        ("Donald", "m"),
        ("Bashar", "m"),
        ("José", "m"),
        ("JOHN", "m"),
        ("Jean-Pierre", "m"),
        ("Anne-Marie", "f"),
        # shared by both sexes in the counts: no guess
        ("Jordan", None),
        ("Taylor", None),
        ("Kim", None),
        ("Nicola", None),
        # not a given name at all
        ("Xyzzy", None),
        ("", None),
    ],
)
def test_gender_of_given_names(name: str, expected: str | None) -> None:
    assert gender_of(name) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Mr", "m"),
        ("Mr.", "m"),
        ("Mrs", "f"),
        ("Ms", "f"),
        ("Lord", "m"),
        ("Lady", "f"),
        ("Sir", "m"),
        ("Dame", "f"),
        ("King", "m"),
        ("Queen", "f"),
        ("Princess", "f"),
        ("President", None),
        ("Dr", None),
    ],
)
def test_honorific_gender(word: str, expected: str | None) -> None:
    assert honorific_gender(word) == expected


def test_pronoun_gender() -> None:
    assert [pronoun_gender(w) for w in ("He", "his", "she", "Herself", "they", "it")] == [
        "m",
        "m",
        "f",
        "f",
        None,
        None,
    ]


def test_person_gender_prefers_the_honorific() -> None:
    assert person_gender("Theresa May") == "f"
    assert person_gender("Mr Blair") == "m"
    assert person_gender("Blair", title="Mr") == "m"
    assert person_gender("Jordan Smith", title="Mrs") == "f"
    assert person_gender("Kim Jong-un") is None


def test_known_given_names() -> None:
    assert is_given_name("Theresa")
    assert is_given_name("Geir")  # hand list, not in the US counts
    assert not is_given_name("Xyzzy")


def test_actor_gender_from_honorific_or_given_name() -> None:
    from index.records import Actor

    body = "Mrs Jordan spoke first. Then Jordan left."
    jordan = Actor("Jordan", "person", (), ((4, 10), (29, 35)))
    assert actor_gender(jordan, body) == "f"
    assert actor_gender(Actor("Theresa May", "person", ("May",), ((0, 11),)), "Theresa May") == "f"
    assert actor_gender(Actor("Kim Jong-un", "person", (), ((0, 11),)), "Kim Jong-un") is None
    assert actor_gender(Actor("Paris", "place", (), ((0, 5),)), "Paris") is None
