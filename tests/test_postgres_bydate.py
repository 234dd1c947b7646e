"""Search sorted by date on PostgreSQL: the feed read in slices gives the one ORDER BY of every match."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.test_postgres import make_corpus, open_pg

pytestmark = pytest.mark.postgres

QUERIES = (
    "talks",
    "Aleppo",
    "speaker:Haddad",
    "place:Oslo OR person:Tell",
    "Geneva -Omar",
    '"keep talking" Quint',
    "date:2024-12-03..2024-12-20",
)
PAGES = ((0, 5), (5, 5), (3, 12), (0, 50))


def feed_order(url: str, ids: set[str]) -> list[str]:
    """`ids` in the feed's order, as PostgreSQL sorts them."""
    import psycopg

    with psycopg.connect(url) as con:
        got = con.execute(
            "SELECT id FROM articles WHERE id = ANY(%s) ORDER BY feed_rank, title, id",
            (sorted(ids),),
        ).fetchall()
    return [r[0] for r in got]


def every_match(lib: Any, query: str) -> set[str]:
    whole = lib.search(query, limit=100)
    assert whole.total_exact and whole.total == len(whole.hits), query
    return {h.id for h in whole.hits}


def by_date(lib: Any, query: str, offset: int, limit: int) -> list[str]:
    return [h.id for h in lib.search(query, limit=limit, sort="date", offset=offset).hits]


@pytest.mark.parametrize("cut", [False, True])
def test_date_order_is_the_order_of_every_match(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cut: bool
) -> None:
    from index.postgres import bydate
    from index.postgres import search as pgsearch

    # 60 articles over 28 days: articles i and i + 28 share a date (title breaks the tie).
    with open_pg(pg_url) as lib:
        lib.ingest([make_corpus(tmp_path / "c", 60)])
        expected = {q: feed_order(pg_url, every_match(lib, q)) for q in QUERIES}
        # Slices of 2, 6, 18 ... feed rows: most pages span several slices.
        monkeypatch.setattr(bydate, "FIRST_SLICE", 2)
        monkeypatch.setattr(bydate, "GROWTH", 3)
        if cut:  # the matches are not all known: the feed is read in slices
            monkeypatch.setattr(pgsearch, "EXACT_UP_TO", 3)
            monkeypatch.setattr(pgsearch, "FIRST_WINDOW", 4)
        for q, order in expected.items():
            assert len(order) >= 6, q
            for offset, limit in PAGES:
                assert by_date(lib, q, offset, limit) == order[offset : offset + limit], (q, offset)
            assert lib.search(q, limit=5, sort="date").total_exact is not cut or len(order) <= 3


def test_titles_break_date_ties_as_postgresql_sorts_them(pg_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "ties"
    folder.mkdir()
    titles = (
        "Zebra talks",
        "apple talks",
        "Ärger talks",
        "Éclair talks",
        "éclair talks",
        "10 talks",
    )
    for n, title in enumerate(titles):
        (folder / f"{n}.txt").write_text(
            f"{title}\n\nDec 3, 2024\n\nOslo, Dec 3 (Wire) Talks went on, said {title}.\n", "utf-8"
        )
    with open_pg(pg_url) as lib:
        lib.ingest([folder])
        ids = every_match(lib, "talks")
        assert len(ids) == len(titles)
        got = lib.search("talks", limit=10, sort="date")
        assert got.total_exact
        # Known matches are sorted in Python: code point order is the "C" collation's.
        assert [h.id for h in got.hits] == feed_order(pg_url, ids)
        assert [h.title for h in got.hits][:3] == ["10 talks", "Zebra talks", "apple talks"]


def test_a_word_only_the_oldest_articles_have(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.postgres import bydate
    from index.postgres import search as pgsearch

    with open_pg(pg_url) as lib:
        lib.ingest([make_corpus(tmp_path / "c", 60)])
        # Days 1-3 (the oldest of each month's run): items 0-2, 28-30, 56-58.
        order = feed_order(pg_url, every_match(lib, "date:2024-12-01..2024-12-03"))
        assert len(order) == 9
        monkeypatch.setattr(bydate, "FIRST_SLICE", 1)
        monkeypatch.setattr(bydate, "GROWTH", 2)
        monkeypatch.setattr(pgsearch, "EXACT_UP_TO", 2)
        monkeypatch.setattr(pgsearch, "FIRST_WINDOW", 2)
        got = lib.search("date:2024-12-01..2024-12-03", limit=4, sort="date")
        assert not got.total_exact
        assert [h.id for h in got.hits] == order[:4]
