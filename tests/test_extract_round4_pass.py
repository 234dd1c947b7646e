"""The attribution pass's fourth-round speed shortcuts give what the plain code gave."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.extract import cue_rules, extract, sentences
from index.extract.actors import find_actors
from index.extract.content import Collector
from index.extract.coref import Resolver
from index.extract.cue_scan import CueScan, _among, ascii_word_list
from index.extract.grammar import TOKEN
from index.extract.pass_state import PassText, _scan
from index.extract.quotes import find_quotes
from index.extract.sentences import split_sentences
from index.extract.subjects import SubjectRules
from index.records import Article
from tests.test_extract_round3 import _plain_split_sentences

# Word characters, every joiner of `TOKEN`'s word alternative (alone and in runs), white
# space and marks: the places where a possessive run could part from the backtracking one.
PIECES = [
    *("a", "Bc", "9", "_", "é", "²", "ǅ", "\u0301", "’", "'", ".", "-", "..", "'-", "U.S."),
    *(" ", "  ", "\n", "\u00a0", "\u2003", ",", '"', "”", ")", ":", "_,", "a,", "Bc.", "9'"),
    *("(", "[", "]", "“", "‘", ";", "!", '("', '."', "»", "$"),
]
GLUED = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def test_a_piece_that_is_alnum_is_one_word_token() -> None:
    """The shortcut's premise: `isalnum` holds for exactly the word characters but `_`
    (and `str.split(" ")` leaves every other white space to the regex)."""
    every = "".join(map(chr, range(0x110000)))
    assert "".join(filter(str.isalnum, every)) == "".join(re.findall(r"\w", every)).replace("_", "")


def _plain_tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text, start, end)]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(GLUED | st.text(max_size=60), st.integers(0, 80), st.integers(0, 80))
def test_possessive_token_scan_is_the_token_regex(text: str, a: int, b: int) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    assert _scan(text, start, end) == _plain_tokens(text, start, end)
    assert _scan(text, 0, len(text)) == _plain_tokens(text, 0, len(text))


# Sentence pieces glued with every kind of white space a span edge may hold, so that both
# the one-space shortcut and the trim meet first, middle and last sentences.
SENTENCE_PIECES = ["Mr.", "Kim", "said.", "U.S.", "Why?", '"Now?"', "It", "9.5", "!", "J."]
SPACES = [" ", "  ", "\n", " \n", "\t", "\u00a0", "\u2003 ", ""]
SENTENCE_GLUED = st.lists(
    st.tuples(st.sampled_from(SENTENCE_PIECES), st.sampled_from(SPACES)), max_size=24
).map(lambda pairs: "".join(a + b for a, b in pairs))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(SENTENCE_GLUED, st.integers(0, 80), st.integers(0, 30))
def test_sentences_trimmed_inline_are_the_plain_split(text: str, a: int, n: int) -> None:
    protected = [(min(a, len(text)), min(a + n, len(text)))] if n else []
    assert split_sentences(text, protected) == _plain_split_sentences(text, protected)
    assert split_sentences(" " + text) == _plain_split_sentences(" " + text, [])


def _plain_is_abbreviation(body: str, start: int, end: int) -> bool:
    """`sentences._is_abbreviation` with the last word found by its regex."""
    if body[end - 1] != ".":
        return False
    m = sentences._LAST_WORD.search(body, max(start, end - 12), end)
    if m is None:
        return False
    word = m.group(1)
    if len(word) == 1 and word.isupper():
        return True
    if "." in word:
        nxt = sentences._NEXT_WORD.match(body, end)
        return not (nxt and nxt.group(1).lower() in sentences._STARTERS)
    return word.lower() in sentences.ABBREVIATIONS


ABBREVIATION_TEXT = st.lists(
    st.sampled_from(["Mr", "U", "S", "a", "m", "Calif", ".", ". ", " ", "5", "é", "the", "It"]),
    max_size=20,
).map("".join)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(ABBREVIATION_TEXT, st.integers(0, 60), st.integers(1, 60))
def test_abbreviations_read_by_str_calls_are_the_regex_reading(text: str, a: int, b: int) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    if start < end:
        assert sentences._is_abbreviation(text, start, end) == _plain_is_abbreviation(
            text, start, end
        )
    for end in range(1, len(text) + 1):
        assert sentences._is_abbreviation(text, 0, end) == _plain_is_abbreviation(text, 0, end)


def _plain_cue_positions(scan: CueScan) -> list[tuple[int, int, str]]:
    """`CueScan.cue_positions` with the word-edge test read by `isalnum` everywhere."""
    body = scan.body
    forms, broad = scan.table.forms, scan.table.broad
    nouns = scan.table.classes.get("noun", frozenset())
    words = ascii_word_list(body)
    found: list[tuple[int, int, str]] = []
    for word in _among(words, scan.table.titles):
        scan.title_case_cues(word, found)
    for word in _among(words, scan.table.triggers):
        if word in forms or word in broad:
            key = word
        elif word in nouns:
            key = word + " that"
        elif word in ("according", "According"):
            key = word + " to"
        else:
            continue
        n = len(key)
        i = body.find(key)
        while i >= 0:
            before = body[i - 1] if i > 0 else " "
            after = body[i + n] if i + n < len(body) else " "
            if not (before.isalnum() or before in "-'’_" or after.isalnum() or after in "-'’_"):
                end = i + len(word) if key != word and not key.endswith(" to") else i + n
                found.append((i, end, "according to" if key.endswith(" to") else word))
            i = body.find(key, i + n)
    found.sort()
    return found


# Cue words glued to every kind of neighbour: letters in and past ASCII, joiners, marks.
CUE_TEXT = st.lists(
    st.sampled_from(
        [
            *("said", "says", "claim", "that", "according", "to", "Said", "warned", "é", "ß"),
            *("_", "-", "'", "’", " ", ",", ".", '"', "x", "9", "\n", "Smith"),
        ]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(CUE_TEXT | CUE_TEXT.map(lambda t: t.replace("a", " a ")))
def test_cue_edges_read_by_set_lookup_are_the_isalnum_edges(text: str) -> None:
    scan = _scan_of(text)
    assert scan.cue_positions() == _plain_cue_positions(scan)


def _scan_of(body: str) -> CueScan:
    quotes = find_quotes(body)
    spans = split_sentences(body, [(q.start, q.end) for q in quotes if q.closed])
    resolver = Resolver(body, (), spans, [(q.inner_start, q.inner_end) for q in quotes])
    text = PassText(body, spans, quotes, resolver)
    out = Collector(text)
    return CueScan(text, out, SubjectRules(text, out))


def test_unsaid_two_letter_endings_are_those_of_the_suffixes() -> None:
    assert all(len(w) >= 2 for w in cue_rules._UNSAID_ENDS)
    assert frozenset(w[-2:] for w in cue_rules._UNSAID_ENDS) == cue_rules._UNSAID_ENDS_2


def test_the_extracted_article_is_what_dataclasses_replace_gives() -> None:
    article = Article(
        id="a1",
        path="wire/a1.txt",
        title="Minister speaks",
        body='"It will work," Barack Obama told reporters. The minister argued it was fair.\n',
        published=datetime(2026, 12, 3, 9, 30, tzinfo=timezone.utc),
        published_inferred=True,
        source="Wire",
        byline="A. Writer",
        dateline="LONDON",
        subheads=("One", "Two"),
    )
    out = extract(article)
    plain = dataclasses.replace(
        article, actors=tuple(find_actors(article.body)), statements=out.statements
    )
    assert type(out) is Article
    assert out == plain
    assert vars(out) == vars(plain)
    assert list(vars(out)) == list(vars(plain))
    assert hash(out) == hash(plain)
    assert out.statements
    with pytest.raises(dataclasses.FrozenInstanceError):
        out.title = "changed"  # type: ignore[misc]
