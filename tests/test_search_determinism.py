"""Search answers depend on the library only: same hits and totals every run, honest totals."""

from __future__ import annotations

import json
import types
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import index.library as library_mod
import index.search.answer as answer_mod
import index.search.dates as dates_mod
import index.search.engine as engine_mod
from index.library import Library

NOW = datetime(2024, 6, 15, 12, 0, tzinfo=timezone.utc)  # a Saturday
WORDS = ("harbour", "tanker", "grain", "ferry", "customs", "pilot", "crane", "berth")


def _record(n: int) -> dict[str, object]:
    # Every article says "harbour"; the other words vary so scores differ.
    words = [WORDS[(n * k) % len(WORDS)] for k in range(1, 1 + n % 5)]
    body = (
        f"The harbour master said the {' and the '.join(words) or 'quay'} "
        f"were ready on berth {n}. Harbour traffic rose for the {n % 7 + 1}th week. "
        f"Officials expect {n % 11} more ships."
    )
    record: dict[str, object] = {"id": f"a{n}", "title": f"Harbour report {n}", "body": body}
    if n % 4 != 0:  # every fourth article is undated
        record["date"] = (datetime(2024, 1, 1) + timedelta(days=n % 150)).isoformat()
    return record


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    root = tmp_path_factory.mktemp("determinism")
    lib = Library.open(root / "lib")
    # Three ingests: three segments, so a cut search has segments to choose between.
    for part in range(3):
        folder = root / f"part{part}"
        folder.mkdir()
        lines = [json.dumps(_record(n)) for n in range(part * 200, part * 200 + 200)]
        (folder / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        report = lib.ingest([folder])
        assert report.added == 200 and not report.skipped
    yield lib
    lib.close()


def _answer(lib: Library, query: str, **kw: object) -> tuple[list[str], int, bool]:
    result = lib.search(query, **kw)  # type: ignore[arg-type]
    return [h.id for h in result.hits], result.total, result.total_exact


def test_a_slow_clock_does_not_change_the_answer(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A loaded machine: every clock reading is a second later than the last.
    # Before the fix a 35 ms wall-clock budget cut the search after 500 matches.
    ticks = iter(range(10**9))
    fake = types.SimpleNamespace(
        perf_counter=lambda: float(next(ticks)), monotonic=lambda: float(next(ticks))
    )
    expected = _answer(library, "harbour", limit=5000)
    monkeypatch.setattr(answer_mod, "time", fake)
    monkeypatch.setattr(library_mod, "time", fake)
    assert _answer(library, "harbour", limit=5000) == expected
    ids, total, exact = expected
    assert len(ids) == total == 600 and exact


def test_the_same_query_gives_the_same_hits_and_total(library: Library) -> None:
    for query in ("harbour", "tanker OR grain", "harbour -ferry", '"harbour master"'):
        first = _answer(library, query, limit=20)
        for _ in range(4):
            assert _answer(library, query, limit=20) == first
        assert _answer(library, query, limit=20, sort="date")[1] == first[1]


def test_a_cut_search_is_the_same_every_time_and_says_so(
    library: Library, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A budget small enough to cut.
    monkeypatch.setattr(engine_mod, "SCAN_BUDGET", 50)
    first = _answer(library, "harbour", limit=20)
    ids, total, exact = first
    assert len(ids) == 20 and not exact and total >= 50
    for _ in range(4):
        assert _answer(library, "harbour", limit=20) == first
    # Another reader (a fresh searcher on the same library) agrees.
    with Library.open(library.path) as other:
        assert _answer(other, "harbour", limit=20) == first
    # As-you-type goes through the same budget.
    typed = _answer(library, "harbo", limit=20, as_you_type=True)
    assert typed == _answer(library, "harbo", limit=20, as_you_type=True)
    assert not typed[2]


def test_limit_above_the_total_returns_everything_with_an_exact_total(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_mod, "SCAN_BUDGET", 50)
    for query in ("harbour", "tanker", "grain OR crane", "harbour -pilot"):
        for sort in ("relevance", "date"):
            ids, total, exact = _answer(library, query, limit=10_000, sort=sort)
            assert exact, (query, sort)
            assert len(ids) == len(set(ids)) == total, (query, sort)


def test_exact_totals_equal_the_number_of_matches(library: Library) -> None:
    everything = set(_answer(library, "harbour", limit=10_000)[0])
    for query in ("tanker", "grain", "ferry OR customs", "harbour -berth"):
        all_ids = _answer(library, query, limit=10_000)[0]
        ids, total, exact = _answer(library, query, limit=5)
        assert exact and total == len(all_ids) and set(ids) <= set(all_ids) <= everything


def test_sort_by_date_puts_undated_articles_last(library: Library) -> None:
    result = library.search("harbour", limit=10_000, sort="date")
    dates = [h.published for h in result.hits]
    dated = [d for d in dates if d is not None]
    assert len(dated) == 450 and dates[:450] == dated  # every undated one after every dated one
    assert dated == sorted(dated, reverse=True)
    top = library.search("harbour", limit=5, sort="date")
    assert all(h.published is not None for h in top.hits)


def test_relative_dates_exclude_future_articles(
    library: Library, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(dates_mod, "utcnow", lambda: NOW)
    lib = Library.open(tmp_path / "lib")
    try:
        lines = []
        for n, days in enumerate((-400, -40, -9, -3, 0, 2, 30)):
            when = (NOW + timedelta(days=days)).replace(tzinfo=None)
            lines.append(
                json.dumps(
                    {
                        "id": f"d{n}",
                        "title": f"Dock note {days}",
                        "date": when.isoformat(),
                        "body": f"The dock opened {n} new sheds for the season's grain.",
                    }
                )
            )
        (tmp_path / "notes.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        lib.ingest([tmp_path / "notes.jsonl"])

        def titles(query: str) -> set[str]:
            return {h.title for h in lib.search(query, limit=100).hits}

        assert titles('dock date:"last 7 days"') == {"Dock note -3", "Dock note 0"}
        assert titles('dock date:"this week"') == {"Dock note -3", "Dock note 0"}
        assert titles("dock date:today") == {"Dock note 0"}
        assert titles('dock date:"this month"') == {"Dock note -9", "Dock note -3", "Dock note 0"}
        assert titles('dock date:"last month"') == {"Dock note -40"}
        assert titles('dock date:"this year"') == {
            "Dock note -9",
            "Dock note -3",
            "Dock note 0",
            "Dock note -40",
        }
    finally:
        lib.close()
