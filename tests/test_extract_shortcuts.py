"""The extractor's speed shortcuts give exactly what the regex scans they replace give."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from index.extract.actors import _AFTER_WHOLE_NAME, _PERSON_MODIFIED, _article_use
from index.extract.candidates import _NUMBER_AFTER
from index.extract.cue_rules import _UNSAID_ENDS
from index.extract.cue_scan import ascii_words, colon_heads
from index.extract.grammar import (
    COLON_HEAD,
    COORDINATED,
    SCAN,
    TAIL,
    TAIL_WORDS,
    TOKEN,
    UNSAID,
)
from index.extract.pass_state import PassText
from index.extract.quotes import (
    _MARK,
    _PARAGRAPH,
    _WORD,
    line_spans,
    mark_spans,
    mark_starts,
    word_count,
)
from index.extract.sentences import _END, end_matches, mark_positions

# Words, joiners, marks, spaces and a few non-ASCII letters: the cases the shortcuts split on.
PIECES = st.sampled_from(
    [
        "a",
        "Zb",
        "9",
        "_",
        " ",
        "  ",
        "\n",
        "-",
        "--",
        "'",
        "’",
        ".",
        ",",
        "é",
        "Ł",
        "ß",
        "不",
        "\ud800",
        "n't",
        "not ",
        "would ",
        "to ",
        "you ",
        "never ",
        "quickly ",
        "said",
        "fair to ",
        "declined to ",
        "so much as ",
        "x-y",
        "it's",
        "U.S.",
        "\u00a0",
    ]
)
TEXT = st.one_of(st.text(max_size=80), st.lists(PIECES, max_size=40).map("".join))


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_word_count_counts_what_the_word_regex_finds(text: str) -> None:
    assert word_count(text) == len(_WORD.findall(text))


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_ascii_words_are_the_scan_words(text: str) -> None:
    assert {w.decode("ascii") for w in ascii_words(text)} == set(SCAN.findall(text))


@settings(max_examples=150, deadline=None)
@given(TEXT, st.integers(0, 80), st.integers(0, 80))
def test_unsaid_matches_only_after_one_of_its_last_words(text: str, a: int, b: int) -> None:
    lo, hi = sorted((min(a, len(text)), min(b, len(text))))
    if UNSAID.search(text, lo, hi) is not None:
        assert text[lo:hi].rstrip().endswith(_UNSAID_ENDS)


@settings(max_examples=150, deadline=None)
@given(TEXT, st.lists(st.tuples(st.integers(0, 80), st.integers(0, 80)), max_size=6))
def test_token_windows_cut_from_the_last_window_are_a_fresh_scan(
    text: str, spans: list[tuple[int, int]]
) -> None:
    passage = PassText(text, [], [], None)  # type: ignore[arg-type]  # (no resolver read)
    n = len(text)
    for a, b in spans:
        for start, end in ((0, n), tuple(sorted((min(a, n), min(b, n))))):
            expected = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text, start, end)]
            assert passage.tokens(start, end) == expected


# The sentence-end pattern as first written: the look-behind before the mark.
_PLAIN_END = re.compile(r"(?<![.!?…])[.!?…]+[\"”’'»)\]]*(?=\s+[\"“‘'«(\[]*[A-Z0-9])")
END_PIECES = st.sampled_from(
    [".", "..", "!", "?", "…", "?!", '"', "”", "’", ")", "]", " ", "\n", "A", "b", "7", "“", "("]
)
END_TEXT = st.one_of(TEXT, st.lists(END_PIECES, max_size=40).map("".join))


@settings(max_examples=150, deadline=None)
@given(END_TEXT, st.integers(0, 80), st.integers(0, 80))
def test_sentence_end_pattern_finds_what_the_plain_one_finds(text: str, a: int, b: int) -> None:
    lo, hi = sorted((min(a, len(text)), min(b, len(text))))
    assert [m.span() for m in _END.finditer(text, lo, hi)] == [
        m.span() for m in _PLAIN_END.finditer(text, lo, hi)
    ]


def _plain_article_use(body: str, start: int, end: int) -> str | None:
    """`_article_use` without its first-letter shortcut."""
    if start < 2 or body[start - 1] != " ":
        return None
    for article in ("the ", "The ", "a ", "an ", "An "):
        at = start - len(article)
        if at >= 0 and body.startswith(article, at) and (at == 0 or not body[at - 1].isalnum()):
            break
    else:
        return None
    m = re.compile(r"(?:'s?|’s?)? ([a-z]+)").match(body, end)
    if m is None or m.group(1) in _AFTER_WHOLE_NAME:
        return "whole"
    return None if m.group(1) in _PERSON_MODIFIED else "modifier"


ARTICLE_TEXT = st.lists(
    st.sampled_from(
        ["the ", "The ", "a ", "an ", "An ", "Ian ", "tea ", "X", "Lions", " was", "s"]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.one_of(TEXT, ARTICLE_TEXT), st.integers(0, 80), st.integers(0, 80))
def test_article_use_shortcut_reads_as_the_plain_loop(text: str, a: int, b: int) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    assert _article_use(text, start, end) == _plain_article_use(text, start, end)


@settings(max_examples=150, deadline=None)
@given(END_TEXT, st.integers(0, 80), st.integers(0, 80))
def test_sentence_ends_tried_at_marks_are_the_regex_scan(text: str, a: int, b: int) -> None:
    lo, hi = sorted((min(a, len(text)), min(b, len(text))))
    marks = mark_positions(text, ".!?…")
    assert [m.span() for m in end_matches(text, marks, lo, hi)] == [
        m.span() for m in _END.finditer(text, lo, hi)
    ]


QUOTE_TEXT = st.lists(
    st.sampled_from(["“", "”", "„", "«", "»", "'", "''", "`", "``", '"', "a", " ", "\n"]),
    max_size=30,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.one_of(TEXT, QUOTE_TEXT), st.integers(0, 80), st.integers(0, 80))
def test_quote_marks_read_off_their_offsets_are_the_regex_scan(text: str, a: int, b: int) -> None:
    lo, hi = sorted((min(a, len(text)), min(b, len(text))))
    assert mark_spans(text, mark_starts(text), lo, hi) == [
        (m.start(), m.end(), m.group()) for m in _MARK.finditer(text, lo, hi)
    ]


COLON_TEXT = st.lists(
    st.sampled_from(["Trump", "KEEPING SCORE", ":", ": ", " ", "\n", "\t", "“", "said", "Al", "x"]),
    max_size=30,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.one_of(TEXT, COLON_TEXT))
def test_colon_heads_tried_at_lines_with_a_colon_are_the_regex_scan(text: str) -> None:
    assert [m.span() for m in colon_heads(text)] == [m.span() for m in COLON_HEAD.finditer(text)]


_PLAIN_COORDINATED = re.compile(
    r"(?:,?\s+(?:before|after|while)\s+(?=[a-z]+ing\b)|,\s+(?:and\s+)?|\s+and\s+|[—–]\s*and\s+)"
    r"(?:then\s+|also\s+|[a-z]+ly\s+)?([a-z]+)\b"
)
CLAUSE_TEXT = st.lists(
    st.sampled_from(
        [
            ",",
            " ",
            "  ",
            "\n",
            "—",
            "–",
            "and",
            "then",
            "also",
            "quickly",
            "before",
            "after",
            "while",
            "going",
            "said",
            "x",
            "A",
            "ing",
            "ly",
            "as reported by",
            "according to",
            "as quoted by",
            "citing",
            "quoting",
            '"',
            "”",
        ]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.one_of(TEXT, CLAUSE_TEXT), st.integers(0, 80), st.integers(0, 80))
def test_coordinated_with_its_first_character_in_front_finds_the_same(
    text: str, a: int, b: int
) -> None:
    lo, hi = sorted((min(a, len(text)), min(b, len(text))))
    assert [(m.span(), m.group(1)) for m in COORDINATED.finditer(text, lo, hi)] == [
        (m.span(), m.group(1)) for m in _PLAIN_COORDINATED.finditer(text, lo, hi)
    ]


@settings(max_examples=200, deadline=None)
@given(st.one_of(TEXT, CLAUSE_TEXT), st.integers(0, 80), st.integers(0, 80))
def test_tail_matches_only_text_holding_a_tail_word(text: str, a: int, b: int) -> None:
    lo, hi = sorted((min(a, len(text)), min(b, len(text))))
    if TAIL.search(text, lo, hi) is not None:
        assert any(w in text[lo:hi] for w in TAIL_WORDS)


@settings(max_examples=150, deadline=None)
@given(st.one_of(TEXT, st.lists(st.sampled_from(["\n", "a", " ", "\r"]), max_size=20).map("".join)))
def test_line_spans_are_the_paragraph_scan(text: str) -> None:
    assert line_spans(text) == [m.span() for m in _PARAGRAPH.finditer(text)]


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(TEXT, st.lists(st.sampled_from([" ", "1", "٣", "²", "x", ".", "\n"])).map("".join)),
    st.integers(0, 20),
)
def test_a_number_after_a_name_needs_a_space_and_a_decimal_digit(text: str, at: int) -> None:
    if _NUMBER_AFTER.match(text, at) is not None:
        assert text[at : at + 1] == " " and text[at + 1 : at + 2].isdecimal()
