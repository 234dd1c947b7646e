"""Sentence splitting: offsets, abbreviations, initials, paragraphs and quoted passages."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from index.extract.quotes import find_quotes
from index.extract.sentences import split_sentences

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def texts(body: str, protected: list[tuple[int, int]] | None = None) -> list[str]:
    return [body[s:e] for s, e in split_sentences(body, protected or [])]


def test_plain_sentences_with_trimmed_offsets() -> None:
    body = "  The army advanced. Rebels withdrew!  Did they? Yes.  "
    assert texts(body) == ["The army advanced.", "Rebels withdrew!", "Did they?", "Yes."]
    for start, end in split_sentences(body):
        assert body[start:end] == body[start:end].strip()


def test_titles_and_initials_do_not_end_sentences() -> None:
    body = (
        "Mr. Smith met Dr. Jones and Gen. Hassan on Monday. "
        "John F. Kennedy spoke to Sen. Warren. Gov. Abbott left."
    )
    assert texts(body) == [
        "Mr. Smith met Dr. Jones and Gen. Hassan on Monday.",
        "John F. Kennedy spoke to Sen. Warren.",
        "Gov. Abbott left.",
    ]


def test_dotted_acronyms_end_a_sentence_only_before_a_sentence_start() -> None:
    body = "The U.S. Army said it would stay in the U.S. The next day it left."
    assert texts(body) == ["The U.S. Army said it would stay in the U.S.", "The next day it left."]


def test_newlines_always_end_sentences() -> None:
    body = "Headline without a period\nFirst paragraph here.\n\nSecond one"
    assert texts(body) == ["Headline without a period", "First paragraph here.", "Second one"]


def test_a_quoted_passage_of_several_sentences_stays_whole() -> None:
    body = '"We will win. They will lose. It is over," he said. Then he left.'
    protected = [(q.start, q.end) for q in find_quotes(body)]
    assert texts(body, protected) == [
        '"We will win. They will lose. It is over," he said.',
        "Then he left.",
    ]
    # without protection the quote is cut at every full stop
    assert len(texts(body)) == 4


def test_question_inside_quote_followed_by_lowercase_attribution() -> None:
    body = '"Is it over?" he asked. Nobody answered.'
    assert texts(body) == ['"Is it over?" he asked.', "Nobody answered."]


def test_empty_and_blank_bodies() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t") == []


def test_seed_sentences_cover_every_word_in_order() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        body = path.read_text(encoding="utf-8")
        spans = split_sentences(body)
        assert spans == sorted(spans)
        assert all(0 <= s < e <= len(body) for s, e in spans)
        assert all(a[1] <= b[0] for a, b in pairwise(spans))
        covered = "".join(body[s:e] for s, e in spans)
        assert "".join(covered.split()) == "".join(body.split())
