"""Any query gets an answer or a one-line error, within bounds (hypothesis over the language)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.library import Library, SearchResult
from index.search.dates import safe_date_range
from index.search.language import (
    MAX_DEPTH,
    MAX_QUERY_CHARS,
    MAX_TERMS,
    compile_query,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(SEEDS, root / "articles")
    library = Library.open(root / "lib")
    library.ingest([root / "articles"])
    yield library
    library.close()


FIELDS = ["title", "quote", "actor", "person", "org", "place", "speaker", "source", "date"]
DATES = [
    "0000",
    "0001",
    "9999",
    "9999-12-31",
    "10000",
    "2024",
    "2024-02-30",
    "today",
    '"last 99999 years"',
    '"last 3 days"',
    '"this year"',
    ">9999",
    "<0001-01-01",
    "..9999",
    "0001..",
    "99999999999",
    "-1",
    "2024..2023",
    '"last 99999999999999999999 days"',
]
WORDS = [
    "said",
    "Assad",
    "Aleppo",
    "rebels",
    "army",
    "the",
    "x",
    "al",
    "o",
    "日本",
    "é",
    "'",
    "\\",
    ":",
    "*",
    "-",
    "--",
    "\u202e",
    "\x00",
]
atom = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(["AND", "OR", "NOT", "&&", "||", "(", ")", '"', "-(", "-"]),
    st.builds(lambda f, w: f"{f}:{w}", st.sampled_from(FIELDS), st.sampled_from([*WORDS, ""])),
    st.builds(lambda d: f"date:{d}", st.sampled_from(DATES)),
    st.text(max_size=12),
)
queries = st.lists(atom, max_size=25).map(" ".join) | st.builds(
    lambda a, n: a * n,
    st.sampled_from(["(", "said ", "NOT ", "said OR ", "(said) ", "-"]),
    st.integers(1, 3000),
)


def answered(result: SearchResult) -> None:
    assert isinstance(result, SearchResult)
    assert result.error is None or ("\n" not in result.error and len(result.error) < 300)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(queries, st.booleans())
def test_any_query_gets_an_answer(lib: Library, query: str, as_you_type: bool) -> None:
    answered(lib.search(query, as_you_type=as_you_type))


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("date:0000", "outside the calendar"),
        ("date:10000", "date: cannot read"),
        ("(" * 331 + "said" + ")" * 331, "nested more than"),
        ("NOT " * 3000 + "said", "query cut to its first"),
        ("NOT " * 100 + "said", "nested more than"),
        ("said " * 2000, "query cut to its first"),
        ("said OR " * 40 + "said", f"more than {MAX_TERMS} terms"),
    ],
)
def test_out_of_bounds_queries_say_why(lib: Library, query: str, says: str) -> None:
    result = lib.search(query)
    answered(result)
    assert result.error and says in result.error


def test_relative_dates_clamp_to_the_first_year() -> None:
    lo, hi = safe_date_range("last 99999 years")
    assert lo is not None and lo.year == 1 and hi is None


def test_far_dates_still_search(lib: Library) -> None:
    # a date at the calendar's end is either a range or a one-line error, never a raise
    for query in ("date:9999-12-31", 'date:"last 99999 years"', "date:>9999-12-31"):
        answered(lib.search(query))
    dated = [item for item in lib.feed() if item.published is not None]
    assert lib.search('date:"last 99999 years"').total == len(dated) > 0


def test_bounds_hold_on_compile() -> None:
    long = compile_query("word " * 1000)
    assert long.error and str(MAX_QUERY_CHARS) in long.error
    assert len(long.words) <= MAX_TERMS
    deep = compile_query("(" * (MAX_DEPTH + 1) + "aleppo" + ")" * (MAX_DEPTH + 1))
    assert deep.error and "nested" in deep.error and deep.query is not None
    ok = compile_query("(" * MAX_DEPTH + "aleppo" + ")" * MAX_DEPTH)
    assert ok.error is None
