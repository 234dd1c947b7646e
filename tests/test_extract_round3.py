"""The extractor's third round of speed shortcuts gives what the plain code gave."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from index.extract import aliases, candidates, kinds, sentences
from index.extract.actors import _article_use, find_actors
from index.extract.attribution import cues
from index.extract.content import Collector
from index.extract.coref import Resolver, Speaker
from index.extract.cue_scan import CueScan, _among, ascii_word_list, ascii_words
from index.extract.grammar import (
    AFTER_CUE,
    AFTER_CUE_WORDS,
    LEADER,
    LEADER_FIRST,
    PARTICIPLE,
    THAT,
    THAT_NEAR,
)
from index.extract.kinds import Piece
from index.extract.pass_state import PassText
from index.extract.quotes import _WORD, find_quotes, word_count
from index.extract.segment import segment
from index.extract.selection import Candidate, resolve_overlaps
from index.extract.sentences import split_sentences
from index.extract.subjects import SubjectRules

# Texts built from the words and marks the shortcuts test for, so that hypothesis meets
# both sides of every test.
WORDS = [
    "and",
    "And",
    "but",
    "so",
    "yet",
    "or",
    "then",
    "Then",
    "that",
    "in",
    "on",
    "last",
    "also",
    "again",
    "said",
    "saying",
    "as",
    "known",
    "called",
    "the",
    "a",
    "Smith",
    "Bob",
    "x",
    "-",
    "'",
    ",",
    ".",
    "(",
    "[",
    "\n",
    " ",
    "  ",
    "é",
    "ſo",
    "ing",
    "warning",
    "statement",
]
TEXT = st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join)
GLUED = st.lists(st.sampled_from(WORDS), max_size=30).map("".join)


def _plain_resolve_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """`resolve_overlaps` as first written: every accepted span read for every candidate."""
    accepted: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (c.priority, c.start)):
        length = c.end - c.start
        clash = False
        for a in accepted:
            overlap = min(a.end, c.end) - max(a.start, c.start)
            if overlap <= 0 or overlap <= 0.5 * min(length, a.end - a.start):
                continue
            inner, outer = (c, a) if length <= a.end - a.start else (a, c)
            nested = (
                outer.cue != "according to"
                and outer.start <= inner.start
                and inner.end <= outer.end
                and outer.start <= inner.cue_pos < outer.end
                and not (inner.start <= outer.cue_pos < inner.end)
            )
            if not nested:
                clash = True
                break
        if not clash:
            accepted.append(c)
    return sorted(accepted, key=lambda c: (c.start, c.end))


CANDS = st.lists(
    st.tuples(
        st.integers(0, 200),
        st.integers(0, 80),
        st.integers(0, 3),
        st.integers(-1, 280),
        st.sampled_from(["said", "according to", None]),
    ),
    max_size=14,
)


@settings(max_examples=200, deadline=None)
@given(CANDS)
def test_overlaps_read_by_start_are_the_all_pairs_choice(rows: list[tuple]) -> None:  # type: ignore[type-arg]
    cands = [Candidate(s, s + n, "indirect", cue, None, prio, pos) for s, n, prio, pos, cue in rows]
    assert resolve_overlaps(cands) == _plain_resolve_overlaps(cands)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab -'_.,\n", max_size=40) | GLUED)
def test_word_counts_by_find_are_the_word_regex(text: str) -> None:
    assert word_count(text) == len(_WORD.findall(text))


@settings(max_examples=200, deadline=None)
@given(TEXT | GLUED, st.integers(0, 60))
def test_regex_calls_skipped_only_where_the_pattern_cannot_match(text: str, at: int) -> None:
    """Each shortcut tests a condition that every match of its pattern meets."""
    at = min(at, len(text))
    if LEADER.match(text, at) and at < len(text):
        c = text[at]
        assert not c.isascii() or c in LEADER_FIRST
    if kinds._NEXT_WORD.match(text, at):
        c = text[at : at + 1]
        c = text[at + 1 : at + 2] if c == " " else c
        assert "a" <= c <= "z"
    if THAT.match(text, at) or THAT_NEAR.match(text, at):
        assert text.find("that", at) >= 0
    after = AFTER_CUE.match(text, at)
    if after is not None and after.end() > at:
        rest = text[at:].lstrip()
        rest = rest[1:].lstrip() if rest[:1] == "," else rest
        assert rest.startswith(AFTER_CUE_WORDS)
    if PARTICIPLE.search(text, at):
        assert text.find(",", at) >= 0
    gap = text[at:]
    if aliases._PAREN_GAP.match(gap):
        assert gap.endswith(aliases._PAREN_ENDS)
    if aliases._KNOWN_AS.match(gap):
        assert gap.endswith(aliases._KNOWN_AS_ENDS)


@settings(max_examples=200, deadline=None)
@given(TEXT | GLUED)
def test_cue_words_read_off_the_word_list_are_those_of_the_word_set(text: str) -> None:
    wanted = frozenset(["said", "Said", "and", "called", "warning", "é"])
    assert _among(ascii_word_list(text), wanted) == _among(ascii_words(text), wanted)


@settings(max_examples=200, deadline=None)
@given(TEXT | GLUED, st.integers(0, 60), st.integers(0, 60))
def test_a_sentence_after_one_space_is_what_the_trim_gives(text: str, a: int, b: int) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    if (
        start < end
        and text[start] == " "
        and start + 1 < end
        and not text[start + 1].isspace()
        and not text[end - 1].isspace()
    ):
        spans: list[tuple[int, int]] = []
        sentences._append(text, spans, start, end)
        assert spans == [(start + 1, end)]


@settings(max_examples=200, deadline=None)
@given(TEXT | GLUED, st.integers(0, 60))
def test_names_skipped_by_the_common_case_read_as_the_plain_helpers_do(text: str, at: int) -> None:
    at = min(at, len(text))
    if at < len(text) and at > 1 and text[at - 1] == " " and text[at - 2].isalnum():
        assert candidates._is_initial(text, at) is False
    if not (at >= 2 and text[at - 1] == " " and text[at - 2] in "ean"):
        assert _article_use(text, at, min(len(text), at + 5)) is None


def test_one_piece_candidates_shift_as_the_comprehension_does() -> None:
    body = "Talks went on.\nOn Monday Theresa May met Barack Obama in Washington and Paris.\n"
    for cand in candidates.find_candidates(body):
        pieces, _pending = segment(body, cand)
        base = cand.start
        rel = [(p.start - base, p.end - base, *p[2:]) for p in pieces]
        assert [Piece(s + base, e + base, *rest) for s, e, *rest in rel] == pieces
        assert all(body[p.start : p.end].strip() for p in pieces)


BODY = (
    'The plan is sound, Theresa May said on Monday. "It will work," Barack Obama told '
    "reporters. The Home Office said that the figures were wrong. Mr Smith and Ms Jones "
    'said "no". But the minister argued it was fair.\n'
)


def _pass(body: str) -> tuple[PassText, SubjectRules, CueScan]:
    actors = find_actors(body)
    quotes = find_quotes(body)
    protected = [(q.start, q.end) for q in quotes if q.closed]
    spans = split_sentences(body, protected)
    resolver = Resolver(body, actors, spans, [(q.inner_start, q.inner_end) for q in quotes])
    text = PassText(body, spans, quotes, resolver)
    out = Collector(text)
    rules = SubjectRules(text, out)
    return text, rules, CueScan(text, out, rules)


def test_a_one_name_subject_is_the_speaker_the_joint_and_best_actor_walk_gives() -> None:
    text, rules, _scan = _pass(BODY)
    checked = 0
    for s, e, actor in text.resolver.mentions:
        for near_end in (True, False):
            got = rules.speaker_for(s, e, near_end)
            # the plain path: no joint speakers, then the best actor of the span
            assert rules.joint_speakers(s, e, text.resolver.mentions_in(s, e)) is None
            best = text.resolver.actor_in_span(s, e, near_end)
            assert best is not None
            plain = best if best.kind == "person" else actor
            assert got == Speaker(plain.name, plain.kind, "name")
            assert got is not None and got.rule == "name"
            checked += 1
    assert checked >= 6


def test_cues_with_inline_lookups_are_the_resolver_lookups() -> None:
    text, _rules, scan = _pass(BODY)
    plain = []
    for cs, ce, word in scan.cue_positions():
        if text.resolver.in_quote(cs):
            continue
        ss, se = text.sentences[text.resolver.sentence_index(cs)]
        if ss <= cs < se:
            plain.append((cs, ce, word, ss, se))
    assert [tuple(c) for c in cues(text, scan)] == plain
    assert len(plain) >= 4


def test_the_shortcut_words_are_the_pattern_words() -> None:
    # the words `_AFTER_CUE_WORDS` lists are the ones each `AFTER_CUE` step opens with
    for word in AFTER_CUE_WORDS:
        assert re.search(rf"\b{word}\b", AFTER_CUE.pattern), word


def _plain_split_sentences(body: str, protected: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`split_sentences` with `end_matches` called per paragraph and every span trimmed."""
    spans: list[tuple[int, int]] = []
    k = 0
    marks = sentences.mark_positions(body, sentences._END_MARKS)
    for p_start, p_end in sentences.line_spans(body):
        start = p_start
        for m in sentences.end_matches(body, marks, p_start, p_end):
            end = m.end()
            while k < len(protected) and protected[k][1] <= end - 1:
                k += 1
            if k < len(protected) and protected[k][0] < end - 1 < protected[k][1] - 1:
                continue
            if sentences._is_abbreviation(body, start, end):
                continue
            if (
                body[end - 1] in "\"”'’»"
                and body[m.start()] in "?!"
                and sentences._ATTRIBUTION_AFTER.match(body, end, p_end)
            ):
                continue
            sentences._append(body, spans, start, end)
            start = end
        sentences._append(body, spans, start, p_end)
    return spans


SENTENCE_TEXT = st.lists(
    st.sampled_from(
        [
            "Mr.",
            "Kim",
            "said.",
            "U.S.",
            "Why?",
            '"Now?"',
            "he",
            "It",
            "9.5",
            "\n",
            "  ",
            "!",
            "J.",
            "Smith",
            "ok.",
            "»",
            "…",
        ]
    ),
    max_size=30,
).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(SENTENCE_TEXT, st.integers(0, 80), st.integers(0, 30))
def test_sentences_with_the_mark_walk_inline_are_the_plain_split(text: str, a: int, n: int) -> None:
    protected = [(min(a, len(text)), min(a + n, len(text)))] if n else []
    assert split_sentences(text, protected) == _plain_split_sentences(text, protected)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=12),
    st.lists(st.integers(0, 12), max_size=15),
)
def test_roots_read_without_a_find_call_are_the_union_find_roots(
    unions: list[tuple[int, int]], asked: list[int]
) -> None:
    sets = aliases._Sets()
    for a, b in unions:
        sets.union(f"k{a}", f"k{b}")
    plain = aliases._Sets()
    plain.parent = dict(sets.parent)
    for n in asked:
        key = f"k{n}"
        root = key if sets.parent.get(key, key) == key else sets.find(key)
        assert root == plain.find(key)
