"""The extractor's second round of speed shortcuts gives what the plain code gave."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.extract import budget, find_statements
from index.extract.actors import find_actors
from index.extract.coref import Resolver, Speaker
from index.extract.frozen import build
from index.extract.grammar import TOKEN
from index.extract.pass_state import _scan
from index.extract.quotes import Quote
from index.extract.selection import Candidate
from index.extract.subjects import SubjectRules
from index.records import Actor, Statement


def _plain_mentions_in(
    mentions: list[tuple[int, int, Actor]], start: int, end: int
) -> list[tuple[int, int, Actor]]:
    """`Resolver.mentions_in` as first written: a walk from 80 characters back."""
    lo = next((i for i, m in enumerate(mentions) if m[0] >= start - 80), len(mentions))
    out = []
    for s, e, a in mentions[lo:]:
        if s >= end:
            break
        if e > start:
            out.append((s, e, a))
    return out


SPANS = st.lists(st.tuples(st.integers(0, 300), st.integers(1, 40)), max_size=12, unique=True)


@settings(max_examples=150, deadline=None)
@given(SPANS, st.integers(0, 340), st.integers(0, 340))
def test_mentions_in_by_bisect_is_the_walk(spans: list[tuple[int, int]], a: int, b: int) -> None:
    body = "x" * 400
    actors = [Actor(f"A{i}", "person", (), ((s, s + n),)) for i, (s, n) in enumerate(spans)]
    resolver = Resolver(body, actors, [(0, len(body))], [])
    start, end = sorted((a, b))
    assert resolver.mentions_in(start, end) == _plain_mentions_in(resolver.mentions, start, end)


def _plain_over_budget(
    sentences: list[tuple[int, int]],
) -> tuple[list[tuple[int, int]], str | None]:
    """`budget.over_budget` without its shortcut for short texts."""
    work, out, long = 0, [], 0
    for i, (s, e) in enumerate(sentences):
        if e - s > budget.MAX_SENTENCE:
            out.append((s, e))
            long += 1
            continue
        work += (e - s) ** 2
        if work > budget.MAX_WORK:
            return out + list(sentences[i:]), "cut"
    return out, "long" if long else None


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(1, 20_000), max_size=40))
def test_short_texts_skip_the_budget_count_and_get_what_it_gives(sizes: list[int]) -> None:
    sentences, pos = [], 0
    for size in sizes:
        sentences.append((pos, pos + size))
        pos += size + 1
    left_out, reason = budget.over_budget(sentences)
    plain_out, plain_reason = _plain_over_budget(sentences)
    assert left_out == plain_out
    assert (reason is None) == (plain_reason is None)


def test_a_preposed_cue_that_makes_no_statement_reads_no_speaker(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # `said it`, `said so on Monday`: fewer than three words of content
    body = "The finance minister said it.\nMaria Lopez said so.\n"
    read: list[tuple[int, int]] = []
    plain = SubjectRules.speaker_for

    def counting(self: SubjectRules, start: int, end: int, near_end: bool):  # type: ignore[no-untyped-def]
        read.append((start, end))
        return plain(self, start, end, near_end)

    monkeypatch.setattr(SubjectRules, "speaker_for", counting)
    assert find_statements(body, find_actors(body)) == ()
    assert read == []


def test_a_preposed_cue_that_makes_a_statement_still_names_its_speaker() -> None:
    body = "The finance minister said the budget would be balanced next year.\n"
    (statement,) = find_statements(body, find_actors(body))
    assert statement.speaker == "the finance minister"
    assert statement.text == "the budget would be balanced next year"


def test_a_stance_verb_before_a_comma_makes_no_statement() -> None:
    body = "The rally was held where Barack Obama spoke, near the river.\n"
    assert find_statements(body, find_actors(body)) == ()


MARK_TEXT = st.lists(st.sampled_from(['"', "“", "”", "«", "a", " ", "é"]), max_size=60).map("".join)


@settings(max_examples=150, deadline=None)
@given(MARK_TEXT, st.integers(0, 8))
def test_the_quote_mark_cut_counts_ascii_bodies_by_their_one_mark(text: str, limit: int) -> None:
    plain = None
    seen = 0
    for i, ch in enumerate(text):
        if ch in budget.QUOTE_MARKS:
            seen += 1
            if seen > limit:
                plain = i
                break
    old = budget.MAX_QUOTE_MARKS
    try:
        budget.MAX_QUOTE_MARKS = limit
        assert budget.mark_cut(text) == plain
    finally:
        budget.MAX_QUOTE_MARKS = old


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80), st.integers(0, 80), st.integers(0, 80))
def test_token_scan_with_spaces_is_the_token_regex(text: str, a: int, b: int) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    expected = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text, start, end)]
    assert _scan(text, start, end) == expected


def test_frozen_records_built_without_init_equal_the_generated_init() -> None:
    speaker = Speaker("Ann Lee", "person", "name")
    samples: list[tuple[type, dict[str, object]]] = [
        (Speaker, {"name": "Ann Lee", "kind": "person", "rule": "name"}),
        (
            Quote,
            {
                "start": 1,
                "end": 9,
                "inner_start": 2,
                "inner_end": 8,
                "closed": True,
                "words": 2,
                "reopens": False,
            },
        ),
        (
            Statement,
            {
                "speaker": "Ann Lee",
                "text": "it works",
                "kind": "direct",
                "act": "speech",
                "cue": "said",
                "start": 2,
                "end": 10,
                "utterance": 0,
                "rule": "verb.postposed-quote",
                "speaker_rule": "name",
            },
        ),
        (
            Candidate,
            {
                "start": 2,
                "end": 10,
                "kind": "direct",
                "cue": "said",
                "speaker": speaker,
                "priority": 1,
                "cue_pos": 12,
                "joins": (),
                "rule": "verb.postposed-quote",
            },
        ),
    ]
    for cls, values in samples:
        # every field given, in declared order: what the call sites pass
        assert list(values) == [f.name for f in dataclasses.fields(cls)]
        built, plain = build(cls, **values), cls(**values)
        assert vars(built) == vars(plain) and list(vars(built)) == list(vars(plain))
        assert type(built) is cls
        if cls is not Candidate:  # (compared by identity)
            assert built == plain and hash(built) == hash(plain)
        with pytest.raises(dataclasses.FrozenInstanceError):
            built.start = 0  # type: ignore[attr-defined]
