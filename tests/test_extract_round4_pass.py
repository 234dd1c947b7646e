"""The attribution pass's fourth-round speed shortcuts give what the plain code gave."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from index.extract.grammar import TOKEN
from index.extract.pass_state import _scan
from index.extract.sentences import split_sentences
from tests.test_extract_round3 import _plain_split_sentences

# Word characters, every joiner of `TOKEN`'s word alternative (alone and in runs), white
# space and marks: the places where a possessive run could part from the backtracking one.
PIECES = ["a", "Bc", "9", "_", "é", "’", "'", ".", "-", "..", "'-", " ", "\n", ",", '"', "U.S."]
GLUED = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


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
