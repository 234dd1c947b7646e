"""The query language: parsing, dates, syntax-error fallback and highlight spans (no index)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from whoosh import query as wq

from index.search.dates import date_range
from index.search.highlight import snippet, spans
from index.search.language import Highlight, compile_query

NOW = datetime(2024, 12, 5, 15, 30, tzinfo=timezone.utc)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def leaves(q: wq.Query) -> list[wq.Query]:
    return list(q.leaves())


def words_of(q: wq.Query | None) -> set[str]:
    out: set[str] = set()
    for leaf in leaves(q) if q is not None else []:
        if isinstance(leaf, wq.Phrase):
            out.update(leaf.words)
        elif isinstance(leaf, wq.Term):
            out.add(leaf.text)
    return out


def test_plain_words_are_stemmed_and_anded_over_title_and_body() -> None:
    c = compile_query("captured rebels")
    assert c.error is None
    assert isinstance(c.query, wq.And)
    terms = {(t.fieldname, t.text) for t in leaves(c.query)}
    assert terms == {("title", "captur"), ("body", "captur"), ("title", "rebel"), ("body", "rebel")}
    assert c.highlight.stems == {"captur", "rebel"}
    assert [w.text for w in c.words] == ["captured", "rebels"]


def test_or_not_minus_and_parentheses() -> None:
    c = compile_query("(aleppo OR hama) -idlib NOT damascus")
    assert c.error is None
    assert isinstance(c.query, wq.AndNot)
    assert isinstance(c.query.a, wq.Or)
    negated = {t.text for t in leaves(c.query.b)}
    assert negated == {"idlib", "damascu"}
    # negated words are not highlighted
    assert c.highlight.stems == {"aleppo", "hama"}


def test_and_binds_tighter_than_or() -> None:
    c = compile_query("a1 OR b2 AND c3")
    assert isinstance(c.query, wq.Or)
    assert isinstance(c.query.subqueries[1], wq.And)


def test_only_negative_query_matches_everything_else() -> None:
    c = compile_query("-aleppo")
    assert isinstance(c.query, wq.AndNot)
    assert isinstance(c.query.a, wq.Every)


def test_phrase_and_fielded_phrase() -> None:
    c = compile_query('"trial by fire" title:"rebels push"')
    phrases = [
        q for q in c.query.children() for q in ([q] if isinstance(q, wq.Phrase) else q.children())
    ]
    found = {(p.fieldname, tuple(p.words)) for p in phrases if isinstance(p, wq.Phrase)}
    assert ("body", ("trial", "fire")) in found
    assert ("title", ("rebel", "push")) in found


@pytest.mark.parametrize(
    ("field", "text_fields", "key_field"),
    [
        ("actor", {"actors"}, "actor_keys"),
        ("person", {"persons"}, "person_keys"),
        ("org", {"organizations"}, "org_keys"),
        ("place", {"places", "dateline"}, "place_keys"),
        ("speaker", {"speakers"}, "speaker_keys"),
    ],
)
def test_actor_fields_expand_through_the_alias_table(
    field: str, text_fields: set[str], key_field: str
) -> None:
    seen: list[tuple[str, str]] = []

    def expand(value: str, f: str) -> list[str]:
        seen.append((value, f))
        return ["Hayat Tahrir al-Sham", "HTS"]

    c = compile_query(f"{field}:HTS", expand)
    assert seen == [("HTS", field)]
    terms = {(q.fieldname, q.text) for q in leaves(c.query)}
    # the typed word in the name text, every known name by its key: no phrase queries
    assert terms == {(f, "hts") for f in text_fields} | {
        (key_field, "hts"),
        (key_field, "hayat tahrir al sham"),
    }
    assert c.highlight.names == ("HTS", "Hayat Tahrir al-Sham")


def test_quote_and_source_fields() -> None:
    c = compile_query("quote:terrorists source:Times")
    terms = {(t.fieldname, t.text) for t in leaves(c.query)}
    assert terms == {("quotes", "terrorist"), ("source", "times")}


def test_unknown_field_is_plain_text() -> None:
    c = compile_query("10:30 http://x")
    assert c.error is None
    assert words_of(c.query) >= {"10", "30", "http"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-12-01", (utc(2024, 12, 1), utc(2024, 12, 2))),
        ("2024-12", (utc(2024, 12, 1), utc(2025, 1, 1))),
        ("2024", (utc(2024, 1, 1), utc(2025, 1, 1))),
        ("Dec 1 2024", (utc(2024, 12, 1), utc(2024, 12, 2))),
        ("2024-11-28..2024-12-01", (utc(2024, 11, 28), utc(2024, 12, 2))),
        ("2024-11-28..", (utc(2024, 11, 28), None)),
        ("..2024-12-01", (None, utc(2024, 12, 2))),
        (">2024-12-01", (utc(2024, 12, 2), None)),
        (">=2024-12-01", (utc(2024, 12, 1), None)),
        ("<2024-12-01", (None, utc(2024, 12, 1))),
        ("<=2024-12-01", (None, utc(2024, 12, 2))),
        # Relative forms end with today (NOW is Thursday 2024-12-05): nothing from the future.
        ("last 7 days", (utc(2024, 11, 29), utc(2024, 12, 6))),
        ("past 2 weeks", (utc(2024, 11, 22), utc(2024, 12, 6))),
        ("this week", (utc(2024, 12, 2), utc(2024, 12, 6))),
        ("this year", (utc(2024, 1, 1), utc(2024, 12, 6))),
        ("last week", (utc(2024, 11, 25), utc(2024, 12, 2))),
        ("today", (utc(2024, 12, 5), utc(2024, 12, 6))),
        ("yesterday", (utc(2024, 12, 4), utc(2024, 12, 5))),
        ("this month", (utc(2024, 12, 1), utc(2024, 12, 6))),
        ("last month", (utc(2024, 11, 1), utc(2024, 12, 1))),
    ],
)
def test_date_forms(value: str, expected: tuple[datetime | None, datetime | None]) -> None:
    assert date_range(value, NOW) == expected


def test_date_query_is_a_numeric_range_on_published() -> None:
    c = compile_query('date:"last 7 days" aleppo', now=NOW)
    ranges = [q for q in c.query.children() if isinstance(q, wq.NumericRange)]
    assert len(ranges) == 1
    assert ranges[0].fieldname == "published"
    assert ranges[0].start == int(utc(2024, 11, 29).timestamp())
    assert ranges[0].end == int(utc(2024, 12, 6).timestamp()) - 1


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("syria AND (", "ends too early"),
        ("(aleppo hama", "unclosed parenthesis"),
        ("aleppo )", "unexpected"),
        ('"trial by fire', "unterminated quote"),
        ("aleppo OR", "ends too early"),
        ("()", "empty parentheses"),
        ("date:notadate aleppo", "date"),
        ("date:2024-12-05..2024-12-01", "ends before it starts"),
        ("title:", "needs a value"),
    ],
)
def test_syntax_errors_fall_back_to_plain_words(text: str, why: str) -> None:
    c = compile_query(text)
    assert c.error is not None
    assert why in c.error
    assert "plain words" in c.error
    plain = {"syria": "syria", "aleppo": "aleppo", "hama": "hama", "trial": "trial"}
    expected = {stem for word, stem in plain.items() if word in text}
    assert words_of(c.query) >= expected


def test_as_you_type_last_word_is_a_prefix() -> None:
    asked: list[str] = []

    def expand_prefix(p: str) -> list[str]:
        asked.append(p)
        return ["aleppo", "alert"]

    c = compile_query("rebels Ale", as_you_type=True, expand_prefix=expand_prefix)
    assert asked == ["ale"]
    words = {(t.fieldname, t.text) for t in leaves(c.query)}
    assert ("words", "aleppo") in words and ("words", "alert") in words
    assert c.highlight.prefixes == ("ale",)
    # a finished word (trailing space) is a normal stemmed word
    c = compile_query("rebels ale ", as_you_type=True, expand_prefix=expand_prefix)
    assert c.highlight.prefixes == ()
    # one letter is below the minimum prefix length: it is left out
    c = compile_query("rebels a", as_you_type=True, expand_prefix=expand_prefix)
    assert {t.text for t in leaves(c.query)} == {"rebel"}


def test_stop_words_alone_search_nothing() -> None:
    assert compile_query("the of").query is None


BODY = "Rebels captured Aleppo. The capture of Aleppo's airport (captures!) by HTS, Hayat Tahrir al-Sham."


def test_spans_cover_every_form_of_a_stem() -> None:
    hl = Highlight(stems=frozenset({"captur"}))
    got = [BODY[s:e] for s, e in spans(BODY, hl)]
    assert got == ["captured", "capture", "captures"]


def test_spans_for_prefixes_and_names() -> None:
    hl = Highlight(prefixes=("alep",), names=("Hayat Tahrir al-Sham", "HTS"))
    got = [BODY[s:e] for s, e in spans(BODY, hl)]
    assert got == ["Aleppo", "Aleppo's", "HTS", "Hayat Tahrir al-Sham"]


def test_spans_do_not_match_inside_words() -> None:
    hl = Highlight(stems=frozenset({"rebel"}))
    assert spans("Unrebel rebels prebellum", hl) == ((8, 14),)


def test_snippet_spans_point_into_the_snippet() -> None:
    body = (
        ("filler words here. " * 40)
        + "The Pedersen statement.\nPedersen said more."
        + (" tail" * 100)
    )
    hl = Highlight(stems=frozenset({"pedersen"}))
    body_spans = spans(body, hl)
    text, inner = snippet(body, body_spans)
    assert len(inner) == 2
    assert all(text[s:e] == "Pedersen" for s, e in inner)
    assert "\n" not in text
    assert text.startswith("…") and text.endswith("…")
