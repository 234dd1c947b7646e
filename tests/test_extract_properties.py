"""Property tests: extraction takes any string, and every offset points into the body."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.extract import extract, find_statements
from index.extract.quotes import find_quotes
from index.extract.sentences import split_sentences
from index.records import Actor, Article

# Text built from the pieces the rules look at, so the generator reaches them often.
PIECES = st.sampled_from(
    [
        " ",
        "\n",
        "\n\n",
        ",",
        ".",
        ":",
        ";",
        "?",
        "!",
        '"',
        "“",
        "”",
        "''",
        "'",
        "’",
        "«",
        "»",
        "—",
        "(",
        ")",
        "said",
        " said ",
        " told ",
        "according to ",
        "added",
        " that ",
        "he",
        "He",
        "she",
        "it",
        "they",
        "the ministry",
        "The ministry",
        "Mr.",
        "U.S.",
        "J.",
        "Geir Pedersen",
        "Assad",
        "Syrian Defense Ministry",
        "in a statement",
        "saying",
        "called",
        "claims",
        "'s",
        "vowed to",
        "reported",
        "according",
        "by",
        "and",
        "but",
    ]
)
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=60).map("".join),
)


def actors_for(body: str) -> tuple[Actor, ...]:
    """Actors with mentions at every occurrence of two names (offsets are real)."""
    out = []
    for name, kind in (("Geir Pedersen", "person"), ("Syrian Defense Ministry", "organization")):
        spans, i = [], body.find(name)
        while i >= 0:
            spans.append((i, i + len(name)))
            i = body.find(name, i + 1)
        if spans:
            out.append(Actor(name, kind, (), tuple(spans)))
    return tuple(out)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_statement_stages_take_any_string(body: str) -> None:
    # the stages themselves, without extract()'s safety net, so a bug cannot hide
    for q in find_quotes(body):
        assert 0 <= q.start <= q.inner_start <= q.inner_end <= q.end <= len(body)
    spans = split_sentences(body)
    assert all(0 <= s < e <= len(body) for s, e in spans)
    for s in find_statements(body, actors_for(body)):
        assert 0 <= s.start < s.end <= len(body)
        assert s.text == body[s.start : s.end]
        assert s.kind in ("direct", "indirect")
        assert s.speaker is None or s.speaker.strip()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_extract_never_raises_and_keeps_offsets_in_the_body(body: str) -> None:
    article = extract(Article(id="x", path="x.txt", title="", body=body))
    assert article.body == body
    for a in article.actors:
        assert all(0 <= s < e <= len(body) for s, e in a.mentions)
    for s in article.statements:
        assert s.text == body[s.start : s.end]
