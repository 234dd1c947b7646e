"""General rules of English news writing for speakers and cues (issue 10, round 3)."""

from __future__ import annotations

import re

from index.article import Actor, Statement
from index.extract import find_statements


def actor(body: str, name: str, kind: str, *surfaces: str) -> Actor:
    """An Actor for `name` with a mention at every occurrence of it and its surfaces."""
    mentions = sorted(
        m.span() for s in (name, *surfaces) for m in re.finditer(re.escape(s), body)
    )
    return Actor(name, kind, tuple(surfaces), tuple(mentions))


def one(found: tuple[Statement, ...], fragment: str) -> Statement:
    hits = [s for s in found if fragment in s.text]
    assert len(hits) == 1, (fragment, found)
    return hits[0]


def test_inverted_role_then_titled_name_in_apposition_is_the_name() -> None:
    body = '"We want answers," said the committee chairman, MP Edward Leigh.'
    found = find_statements(body, [actor(body, "Edward Leigh", "person")])
    assert one(found, "We want answers").speaker == "Edward Leigh"
