"""Hostile articles made on the spot, and `python -m tests.benchmarks.pathological`: ms for each."""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable

SURRENDER = (
    '"We will never surrender," the defence minister said on Sunday in a televised speech at '
    "the headquarters of the army in the centre of the capital in front of"
)
PLACES = (
    "the crowd",
    "the palace",
    "the parliament",
    "the old town",
    "the main square",
    "the river",
    "the ministry of defence",
    "the national museum",
    "the cathedral",
    "the embassy of France",
    "the station",
    "the harbour",
    "the university",
)
PREPOSITIONS = (
    "in front of",
    "at",
    "near",
    "in the centre of",
    "outside",
    "on the steps of",
    "in the courtyard of",
    "at the gates of",
    "during a visit to",
    "with",
)


def nested_phrases(phrases: int = 12, seed: int = 0) -> str:
    """`"We will never surrender," the minister said on Sunday in ... at ... of ...` (no period)."""
    rng = random.Random(seed)
    parts = [SURRENDER]
    for _ in range(phrases):
        parts.append(f"{rng.choice(PLACES)} {rng.choice(PREPOSITIONS)}")
    return " ".join(parts) + " the people"


def long_sentence(words: int = 100_000, seed: int = 0) -> str:
    """One sentence of `words` words, names, prepositions and cues, without a full stop."""
    rng = random.Random(seed)
    vocab = (
        "the",
        "minister",
        "said",
        "in",
        "of",
        "at",
        "a",
        "President",
        "Smith",
        "on",
        "Monday",
        "told",
        "reporters",
        "that",
        "army",
        "with",
        "and",
        "John",
        "Ministry",
    )
    return " ".join(rng.choice(vocab) for _ in range(words))


def quote_flood(marks: int = 100_000, seed: int = 0) -> str:
    """`marks` random quote marks with a few words between them."""
    rng = random.Random(seed)
    out = []
    for _ in range(marks):
        out.append(rng.choice("\"“”„«»'"))
        out.append(rng.choice(("", " ", "he said ", "Smith said, ", "x ", ". ")))
    return "".join(out)


def capitalised_names(names: int = 20_000, seed: int = 0) -> str:
    """One sentence of `names` distinct capitalised names (known first names), some with a cue."""
    rng = random.Random(seed)
    firsts = ("John", "Mary", "Ahmed", "Olga", "Peter", "Maria", "David", "Anna", "Li", "Omar")
    syll = ("ka", "lo", "mi", "ne", "ru", "to", "va", "zi", "bo", "de", "fa", "gu")
    parts = []
    for i in range(names):
        surname = "".join(rng.choice(syll) for _ in range(4)).title()
        parts.append(f"{rng.choice(firsts)} {surname}")
        if i % 7 == 0:
            parts.append("said")
    return ", ".join(parts) + "."


def one_sentence_file(size: int = 117_000, seed: int = 0) -> str:
    """About `size` characters of one run-on sentence with quotes, names and phrases."""
    rng = random.Random(seed)
    out: list[str] = []
    total = 0
    while total < size:
        piece = rng.choice(
            (
                nested_phrases(3, rng.randrange(1000)),
                ', "we will not give in," ',
                " President Smith told reporters in Brussels on Monday that ",
                " according to the ministry of defence ",
            )
        )
        out.append(piece)
        total += len(piece)
    return "".join(out)


def long_sentences(count: int = 10, size: int = 9_500, seed: int = 0) -> str:
    """`count` sentences just under the length cap, full of phrases, names and quotes."""
    rng = random.Random(seed)
    return "\n\n".join(one_sentence_file(size, rng.randrange(1000)) + "." for _ in range(count))


def marks_under_cap(marks: int = 1_990, words: int = 40, seed: int = 0) -> str:
    """Quote marks just under the cap, each pair around a short quoted sentence."""
    rng = random.Random(seed)
    vocab = ("we", "will", "not", "give", "in", "the", "army", "said", "Smith", "told")
    out = []
    for _ in range(marks // 2):
        inner = " ".join(rng.choice(vocab) for _ in range(rng.randrange(1, words)))
        out.append(f'"{inner}," Smith said at the ministry in the capital on Monday. ')
    return "".join(out)


CASES: dict[str, Callable[[], str]] = {
    "nested_phrases_440": lambda: nested_phrases(8),
    "nested_phrases_2000": lambda: nested_phrases(60),
    "long_sentence_100k_words": long_sentence,
    "quote_flood_100k": quote_flood,
    "capitalised_names_20k": capitalised_names,
    "one_sentence_117kb": one_sentence_file,
    "long_sentences_10x9500": long_sentences,
    "quote_marks_1990": marks_under_cap,
}


def run(name: str) -> tuple[float, int, int, list[str]]:
    """Extract one case through the ingest path: ms, statements, statement chars, notes."""
    import tempfile
    from pathlib import Path

    from index.pipeline import process_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}.txt"
        path.write_text(f"{name}\n\n{CASES[name]()}\n", encoding="utf-8")
        started = time.perf_counter()
        articles, problems = process_file(str(path))
        ms = (time.perf_counter() - started) * 1000
    statements = [s for a in articles for s in a.statements]
    return ms, len(statements), sum(len(s.text) for s in statements), [p.reason for p in problems]


def main(argv: list[str]) -> int:
    names = argv or list(CASES)
    worst = 0.0
    for name in names:
        ms, count, chars, notes = run(name)
        worst = max(worst, ms)
        print(f"{name:28} {ms:9.0f} ms  {count:5} statements  {chars:8} chars  {'; '.join(notes)}")
    print(f"worst pathological article: {worst:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
