"""Broad queries on PostgreSQL: matches read newest first in windows of writes, cut by count, not time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.test_postgres import make_corpus, open_pg

pytestmark = pytest.mark.postgres

EXACT_QUERIES = (
    "Pedersen",
    "item7",
    "Aleppo Holm",
    '"keep talking" Quint',
    "date:2024-12-03",
    "speaker:Haddad",
    "Geneva -Omar",
    "place:Oslo OR person:Tell",
)


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Budgets small enough for a 40-article library: cap 10, 6 ranked, windows of 4 writes."""
    from index.postgres import search as pgsearch

    monkeypatch.setattr(pgsearch, "EXACT_UP_TO", 10)
    monkeypatch.setattr(pgsearch, "RANK_BUDGET", 6)
    monkeypatch.setattr(pgsearch, "FIRST_WINDOW", 4)
    return pgsearch


def newest_ids(url: str, n: int) -> set[str]:
    import psycopg

    with psycopg.connect(url) as con:
        got = con.execute("SELECT id FROM articles ORDER BY seq DESC LIMIT %s", (n,)).fetchall()
    return {r[0] for r in got}


def test_broad_query_is_cut_the_same_way_every_time(
    pg_url: str, tmp_path: Path, small: Any
) -> None:
    with open_pg(pg_url) as lib:
        lib.ingest([make_corpus(tmp_path / "c", 40)])
        first = lib.search("talks", limit=10)
        again = lib.search("talks", limit=10)
        assert not first.total_exact
        assert [h.id for h in again.hits] == [h.id for h in first.hits]
        assert again.total == first.total
        # Every article matches: the estimate is the library, from the share of writes read.
        assert first.total == 40
        # The cut keeps the newest 11 matches (cap + 1), the newest 6 of them ranked first.
        assert len(first.hits) == 10
        assert {h.id for h in first.hits} <= newest_ids(pg_url, 11)
        assert {h.id for h in first.hits[:6]} == newest_ids(pg_url, 6)


def test_windows_leave_exact_answers_unchanged(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.postgres import search as pgsearch

    with open_pg(pg_url) as lib:
        lib.ingest([make_corpus(tmp_path / "c", 40)])
        whole = {q: lib.search(q, limit=50) for q in EXACT_QUERIES}
        monkeypatch.setattr(pgsearch, "FIRST_WINDOW", 1)  # 1, 2, 4, ... writes a window
        for q, expected in whole.items():
            got = lib.search(q, limit=50)
            assert got.total_exact and expected.total_exact, q
            assert {h.id for h in got.hits} == {h.id for h in expected.hits}, q
            assert got.total == expected.total == len(got.hits), q
        assert whole["Pedersen"].total == 8


def test_as_you_type_cut_is_flagged(pg_url: str, tmp_path: Path, small: Any) -> None:
    small.EXACT_AS_YOU_TYPE = 5
    with open_pg(pg_url) as lib:
        lib.ingest([make_corpus(tmp_path / "c", 40)])
        typed = lib.search("tal", limit=3, as_you_type=True)
        assert not typed.total_exact and len(typed.hits) == 3
        assert typed.hits == lib.search("tal", limit=3, as_you_type=True).hits


def test_rewritten_article_joins_the_newest_and_removed_one_leaves(
    pg_url: str, tmp_path: Path, small: Any
) -> None:
    folder = make_corpus(tmp_path / "c", 40)
    with open_pg(pg_url) as lib:
        lib.ingest([folder])
        oldest = lib.search("item0").hits[0].id
        assert oldest not in {h.id for h in lib.search("talks", limit=11).hits}
        first = folder / "0000.txt"
        first.write_text(first.read_text("utf-8") + "Talks went on.\n", "utf-8")
        lib.ingest([folder])
        # Rewritten: it is the newest write, inside the first window.
        assert oldest in {h.id for h in lib.search("talks", limit=11).hits}
        assert oldest in newest_ids(pg_url, 1)
        first.unlink()
        lib.ingest([folder])
        broad = lib.search("talks", limit=11)
        assert oldest not in {h.id for h in broad.hits}
        assert len(broad.hits) == 11 and not broad.total_exact
        assert lib.search("item0").total == 0


def test_pages_of_a_cut_query_come_from_one_order(pg_url: str, tmp_path: Path, small: Any) -> None:
    with open_pg(pg_url) as lib:
        lib.ingest([make_corpus(tmp_path / "c", 40)])
        whole = [h.id for h in lib.search("talks", limit=10).hits]
        pages = [
            h.id for o, n in ((0, 4), (4, 4), (8, 2)) for h in lib.search("talks", n, offset=o).hits
        ]
        assert pages == whole
