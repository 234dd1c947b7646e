"""PostgreSQL formats: an older library (keys without seq; no actor log, vocabulary or story tables) is upgraded by a writer."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from index.library import Library, LibraryError
from index.postgres import schema
from index.postgres.story_tables import TABLES as STORY_TABLES
from tests.test_postgres import SEEDS, make_corpus, open_pg

pytestmark = pytest.mark.postgres

TYPOS = ("Pedersn", "Osloo", "Haddadd")
KEYED = ("speaker:Haddad", "person:Pedersen", "place:Oslo OR person:Tell", "actor:Quint -Oslo")


def _one_line(exc: BaseException) -> str:
    text = str(exc)
    assert "\n" not in text and "Traceback" not in text
    return text


def downgrade_to_format_1(url: str) -> None:
    """The tables as format 1 had them: `article_keys` without `seq`, keyed by article."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute("ALTER TABLE article_keys DROP CONSTRAINT article_keys_pkey")
        con.execute("ALTER TABLE article_keys DROP COLUMN seq")
        con.execute("ALTER TABLE article_keys ADD PRIMARY KEY (field, key, article_id)")
        con.execute("UPDATE meta SET value = '1' WHERE key = 'format'")


def keys_off_their_article(url: str) -> int:
    """Key rows whose `seq` is not their article's (0 when the writers keep them right)."""
    import psycopg

    with psycopg.connect(url) as con:
        (n,) = con.execute(
            "SELECT count(*) FROM article_keys k JOIN articles a ON a.id = k.article_id"
            " WHERE k.seq <> a.seq"
        ).fetchone()
    return int(n)


def answers(lib: Any) -> dict[str, tuple[int, bool, frozenset[str]]]:
    got = {}
    for q in KEYED:
        r = lib.search(q, limit=50)
        got[q] = (r.total, r.total_exact, frozenset(h.id for h in r.hits))
    return got


def test_format_1_is_refused_by_a_reader_and_upgraded_by_a_writer(
    pg_url: str, tmp_path: Path
) -> None:
    with open_pg(pg_url) as lib:
        lib.ingest([make_corpus(tmp_path / "c", 30)])
        before = answers(lib)
    assert all(total > 0 and exact for total, exact, _ in before.values())
    downgrade_to_format_1(pg_url)
    for opening in (lambda: open_pg(pg_url), lambda: Library.open(pg_url)):
        with pytest.raises(LibraryError) as info:
            opening()
        line = _one_line(info.value)
        assert "format 1" in line and "newsroom ingest" in line
    with Library.open(pg_url, check=False) as lib:  # what `newsroom ingest` does
        assert (
            len(lib.notices) == 1 and f"upgraded from format 1 to {schema.FORMAT}" in lib.notices[0]
        )
        assert answers(lib) == before
    assert keys_off_their_article(pg_url) == 0
    with open_pg(pg_url) as lib:  # upgraded once: opens as any library, says nothing
        assert lib.notices == [] and answers(lib) == before


def downgrade_to_format_2(url: str) -> None:
    """The tables as format 2 had them: no actor log or buckets, vocabulary or stories."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        for table in (
            "actor_log",
            "lib_keys",
            "vocab",
            "vocab_delta",
            "story_meta",
            *STORY_TABLES,
        ):
            con.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
        con.execute("UPDATE meta SET value = '2' WHERE key = 'format'")


def test_format_2_is_upgraded_by_a_writer_not_by_a_reader(pg_url: str, tmp_path: Path) -> None:
    import psycopg

    with open_pg(pg_url) as lib:
        lib.ingest([make_corpus(tmp_path / "c", 30)])
        before = answers(lib)
        suggested = [lib.search(q).suggestion for q in TYPOS]
        assert any(suggested), "the typos must have suggestions for this to test them"
    downgrade_to_format_2(pg_url)
    for opening in (lambda: open_pg(pg_url), lambda: Library.open(pg_url)):
        with pytest.raises(LibraryError) as info:
            opening()
        assert "format 2" in _one_line(info.value)
    with psycopg.connect(pg_url) as con:  # the reader added nothing, counted nothing
        assert con.execute("SELECT to_regclass('vocab')").fetchone()[0] is None
    with Library.open(pg_url, check=False) as lib:
        assert len(lib.notices) == 1
        assert f"upgraded from format 2 to {schema.FORMAT}" in lib.notices[0]
        assert "vocabulary of" in lib.notices[0]
    with open_pg(pg_url) as lib:
        assert lib.notices == [] and answers(lib) == before
        assert [lib.search(q).suggestion for q in TYPOS] == suggested


def test_an_unknown_format_is_still_refused_by_a_writer(pg_url: str) -> None:
    import psycopg

    open_pg(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute("UPDATE meta SET value = '999' WHERE key = 'format'")
    with pytest.raises(LibraryError) as info:
        Library.open(pg_url, check=False)
    assert "another version of Newsroom" in _one_line(info.value)


def test_keys_follow_their_article_when_it_is_rewritten(pg_url: str, tmp_path: Path) -> None:
    folder = make_corpus(tmp_path / "c", 12)
    with open_pg(pg_url) as lib:
        lib.ingest([folder])
        first = folder / "0003.txt"
        first.write_text(first.read_text("utf-8") + "Amina Haddad said more.\n", "utf-8")
        lib.ingest([folder])
        assert keys_off_their_article(pg_url) == 0
        # Articles 1, 6 and 11 quote her; 3 now names her too (found through its new keys).
        got = lib.search("person:Haddad", limit=10)
        assert got.total_exact and got.total == 4
        assert any("Report 3 " in h.title for h in got.hits)


def test_refresh_sees_a_deletion_without_counting(pg_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    reader, writer = open_pg(pg_url), open_pg(pg_url)
    try:
        writer.ingest([folder])
        assert reader.refresh() is True and reader.refresh() is False
        victim = sorted(p for p in folder.rglob("*") if p.is_file())[0]
        victim.unlink()
        writer.ingest([folder])
        assert reader.refresh() is True and reader.refresh() is False
    finally:
        reader.close()
        writer.close()
