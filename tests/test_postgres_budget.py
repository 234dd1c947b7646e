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
    """Budgets small enough for a 40-article library: cap 10, 6 ranked, a window of the
    newest 8 writes, dense from 3 matches there."""
    from index.postgres import search as pgsearch

    monkeypatch.setattr(pgsearch, "EXACT_UP_TO", 10)
    monkeypatch.setattr(pgsearch, "RANK_BUDGET", 6)
    monkeypatch.setattr(pgsearch, "FIRST_WINDOW", 8)
    monkeypatch.setattr(pgsearch, "DENSE", 3)
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
        # Dense in the newest 8 writes: the hits are those, the newest 6 ranked first.
        assert {h.id for h in first.hits} == newest_ids(pg_url, 8)
        assert {h.id for h in first.hits[:6]} == newest_ids(pg_url, 6)


def test_windows_leave_exact_answers_unchanged(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.postgres import search as pgsearch

    with open_pg(pg_url) as lib:
        lib.ingest([make_corpus(tmp_path / "c", 40)])
        whole = {q: lib.search(q, limit=50) for q in EXACT_QUERIES}
        monkeypatch.setattr(pgsearch, "FIRST_WINDOW", 2)  # then counted through the indexes
        for q, expected in whole.items():
            got = lib.search(q, limit=50)
            assert got.total_exact and expected.total_exact, q
            assert {h.id for h in got.hits} == {h.id for h in expected.hits}, q
            assert got.total == expected.total == len(got.hits), q
        assert whole["Pedersen"].total == 8


def test_as_you_type_cut_is_flagged(
    pg_url: str, tmp_path: Path, small: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(small, "EXACT_AS_YOU_TYPE", 5)
    with open_pg(pg_url) as lib:
        lib.ingest([make_corpus(tmp_path / "c", 40)])
        typed = lib.search("tal", limit=3, as_you_type=True)
        assert not typed.total_exact and len(typed.hits) == 3
        assert typed.hits == lib.search("tal", limit=3, as_you_type=True).hits


def test_rewritten_article_joins_the_newest_and_removed_one_leaves(
    pg_url: str, tmp_path: Path, small: Any
) -> None:
    import psycopg

    folder = make_corpus(tmp_path / "c", 40)
    with open_pg(pg_url) as lib:
        lib.ingest([folder])
        with psycopg.connect(pg_url) as con:
            oldest, file = con.execute(
                "SELECT id, file FROM articles ORDER BY seq LIMIT 1"
            ).fetchone()
        assert oldest not in {h.id for h in lib.search("talks", limit=11).hits}
        assert lib.search("talks", limit=11).total == 40
        first = Path(file)
        first.write_text(first.read_text("utf-8") + "Talks went on.\n", "utf-8")
        lib.ingest([folder])
        # Rewritten: it is the newest write, inside the first window.
        assert oldest in {h.id for h in lib.search("talks", limit=11).hits}
        assert oldest in newest_ids(pg_url, 1)
        first.unlink()
        lib.ingest([folder])
        broad = lib.search("talks", limit=11)
        assert oldest not in {h.id for h in broad.hits}
        assert len(broad.hits) == 8 and not broad.total_exact
        assert broad.total == 39


def test_pages_of_a_cut_query_come_from_one_order(pg_url: str, tmp_path: Path, small: Any) -> None:
    with open_pg(pg_url) as lib:
        lib.ingest([make_corpus(tmp_path / "c", 40)])
        whole = [h.id for h in lib.search("talks", limit=10).hits]
        pages = [
            h.id for o, n in ((0, 4), (4, 4), (8, 2)) for h in lib.search("talks", n, offset=o).hits
        ]
        assert pages == whole and len(whole) == 8


def test_sparse_among_the_newest_but_past_the_cap(
    pg_url: str, tmp_path: Path, small: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(small, "EXACT_UP_TO", 5)
    monkeypatch.setattr(small, "DENSE", 100)  # never dense among the newest: the indexes count
    with open_pg(pg_url) as lib:
        # Aleppo: articles 0-4 and 25-29.
        lib.ingest([make_corpus(tmp_path / "c", 40)])
        first = lib.search("Aleppo", limit=3)
        assert not first.total_exact and first.total >= 6 and len(first.hits) == 3
        again = lib.search("Aleppo", limit=3)
        assert [h.id for h in again.hits] == [h.id for h in first.hits]
        assert again.total == first.total
        monkeypatch.setattr(small, "EXACT_UP_TO", 10)
        exact = lib.search("Aleppo", limit=3)
        assert exact.total_exact and exact.total == 10


def test_a_copy_answers_the_same_and_cuts_the_same_way_twice(
    pg_url: str, pg_server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.library import copy_library
    from index.postgres import search as pgsearch
    from tests.conftest import new_database

    folder = make_corpus(tmp_path / "c", 40)
    with open_pg(pg_url) as src, open_pg(new_database(pg_server)) as dest:
        src.ingest([folder])
        copy_library(src, dest)
        for q in EXACT_QUERIES:
            a, b = src.search(q, limit=50), dest.search(q, limit=50)
            assert {h.id for h in a.hits} == {h.id for h in b.hits}, q
            assert a.total == b.total and b.total_exact, q
        monkeypatch.setattr(pgsearch, "EXACT_UP_TO", 10)
        monkeypatch.setattr(pgsearch, "FIRST_WINDOW", 8)
        monkeypatch.setattr(pgsearch, "DENSE", 3)
        first, again = dest.search("talks", limit=10), dest.search("talks", limit=10)
        assert not first.total_exact and first.total == 40
        assert [h.id for h in again.hits] == [h.id for h in first.hits]


def newest_of(url: str, ids: set[str], n: int) -> set[str]:
    import psycopg

    with psycopg.connect(url) as con:
        got = con.execute(
            "SELECT id FROM articles WHERE id = ANY(%s) ORDER BY seq DESC LIMIT %s", (list(ids), n)
        ).fetchall()
    return {r[0] for r in got}


def test_actor_field_past_the_cap_by_its_keys_ranks_its_newest_matches(
    pg_url: str, tmp_path: Path, small: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    Q = 'speaker:"Amina Haddad"'  # keyed in 8 of the 40 articles
    with open_pg(pg_url) as lib:
        lib.ingest([make_corpus(tmp_path / "c", 40)])
        every = lib.search(Q, limit=50)
        assert every.total_exact and every.total == 8
        monkeypatch.setattr(small, "EXACT_UP_TO", 5)  # 8 keyed articles: past the cap
        monkeypatch.setattr(small, "RANK_BUDGET", 4)
        monkeypatch.setattr(small, "DENSE", 100)  # sparse among the newest writes
        cut = lib.search(Q, limit=4)
        assert not cut.total_exact and cut.total == 8  # every keyed article counted
        # The hits are the newest matches (by writing), not the first ones the
        # counting read: each page of the ranked ones comes from them.
        newest = newest_of(pg_url, {h.id for h in every.hits}, 4)
        assert {h.id for h in cut.hits} == newest
        pages = [h.id for o in (0, 2) for h in lib.search(Q, 2, offset=o).hits]
        assert pages == [h.id for h in cut.hits]
        assert lib.search(Q, limit=4).hits == cut.hits


@pytest.mark.parametrize("common", [0.0, 2.0])  # every word common (walked first) / none
def test_did_you_mean_knows_a_word_only_the_oldest_articles_have(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, common: float
) -> None:
    from index.postgres import vocab

    monkeypatch.setattr(vocab, "NEWEST", 2)  # the newest writes lack it: the index is asked
    monkeypatch.setattr(vocab, "WALK", 4)
    monkeypatch.setattr(vocab, "COMMON", common)
    with open_pg(pg_url) as lib:
        lib.ingest([make_corpus(tmp_path / "c", 40)])
        assert newest_ids(pg_url, 2).isdisjoint({h.id for h in lib.search("topic0").hits})
        assert lib.search("topic0").suggestion is None
        assert lib.search("talks").suggestion is None  # in the newest: known at once
        assert lib.search("tallks").suggestion == "talks"


def test_keyed_articles_a_name_misses_are_added_to_the_name_matches(
    pg_url: str, tmp_path: Path
) -> None:
    import psycopg

    from index.postgres.search import other_then_keyed
    from index.postgres.sqlquery import Cond

    with open_pg(pg_url) as lib:
        lib.ingest([make_corpus(tmp_path / "c", 40)])
    with psycopg.connect(pg_url, autocommit=True) as con:
        seqs = dict(con.execute("SELECT id, seq FROM articles").fetchall())
        by_name = Cond("a.names @@ %s::tsquery", ("'v.haddad'",))
        haddad = {r[0] for r in other_then_keyed(con, by_name, [], 50)}
        assert len(haddad) == 8
        # Keys of 3 articles the name misses and 1 it has: the union, counted once.
        others = sorted(seqs[i] for i in list(set(seqs) - haddad)[:3])
        keyed = sorted([*others, seqs[min(haddad)]])
        union = other_then_keyed(con, by_name, keyed, 50)
        assert len(union) == 11 and {r[2] for r in union} >= set(others)
        # Past the cap: cap + 1 rows, all of them matches.
        cut = other_then_keyed(con, by_name, keyed, 9)
        assert len(cut) == 10 and {r[0] for r in cut} <= {r[0] for r in union}


def test_broad_query_reads_the_newest_writes_down_to_its_last_ranked_match(
    pg_url: str, tmp_path: Path, small: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    monkeypatch.setattr(small, "FIRST_WINDOW", 100)  # the whole library: every match
    with open_pg(pg_url) as lib:
        lib.ingest([make_corpus(tmp_path / "c", 40)])
        every = {h.id for h in lib.search("Aleppo", limit=50).hits}
        monkeypatch.setattr(small, "FIRST_WINDOW", 16)
        monkeypatch.setattr(small, "RANK_BUDGET", 2)
        monkeypatch.setattr(small, "DENSE", 2)
        with psycopg.connect(pg_url) as con:
            first, last = con.execute("SELECT min(seq), max(seq) FROM articles").fetchone()
            seqs = sorted(
                r[0]
                for r in con.execute(
                    "SELECT seq FROM articles WHERE id = ANY(%s)", (list(every),)
                ).fetchall()
            )
        assert len(seqs) == 10 and len([s for s in seqs if s > last - 16]) >= 2  # dense
        got = lib.search("Aleppo", limit=2)
        # The walk stopped at the 2nd newest match: the estimate is from what it read.
        assert {h.id for h in got.hits} == newest_of(pg_url, every, 2)
        assert not got.total_exact
        assert got.total == 2 * (last - first + 1) // (last + 1 - seqs[-2])
        again = lib.search("Aleppo", limit=2)
        assert (again.hits, again.total) == (got.hits, got.total)
        # A page past the ranked ones reads further, and says the same total.
        deeper = lib.search("Aleppo", limit=2, offset=2)
        assert deeper.total == got.total and len(deeper.hits) == 2
        assert {h.id for h in deeper.hits}.isdisjoint({h.id for h in got.hits})
