"""The incremental actor merge of a PostgreSQL library equals a full merge, after any history."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import pytest

from index.records import Actor, LibraryActor

pytestmark = pytest.mark.postgres

# Names that link across articles (surname, acronym, alias, company suffix) and some that don't.
SENTENCES = [
    '"We will not retreat," Bashar al-Assad said in Damascus.',
    "Assad met envoys on Tuesday.",
    "The United Nations (UN) called for a ceasefire.",
    "The UN said aid was blocked.",
    "Hayat Tahrir al-Sham (HTS) took the city.",
    "HTS fighters entered Aleppo.",
    '"Talks resumed," Geir Pedersen said in Geneva.',
    "Pedersen briefed the Security Council.",
    "Texaco Inc reported higher profits in Houston.",
    "Texaco said prices would rise.",
    "Amina Haddad, a nurse in Idlib, said food was short.",
    '"It is cold," Haddad said.',
    "Reuters reported clashes near Hama.",
    "Paul D. Ryan spoke in Washington.",
    "Paul Ryan said the bill would pass.",
    "Officials in Oslo and Geneva met Omar Tell.",
    "Tell said the World Health Organization (WHO) had warned of cholera.",
    "The WHO sent doctors to Syria.",
]


def _article(rng: random.Random, i: int, version: int) -> str:
    body = " ".join(rng.sample(SENTENCES, rng.randint(2, 6)))
    day = 1 + i % 28
    return f"Report {i} v{version}\n\nDec {day}, 2024\n\nDamascus, Dec {day} (Wire) {body}\n"


def _full(url: str) -> tuple[list[LibraryActor], set[tuple[str, str]]]:
    """What the full merge makes of every row (merge_library in (article_id, n) order)."""
    import psycopg

    from index.extract.library_actors import merge_library
    from index.names import actor_key

    with psycopg.connect(url) as con:
        rows = con.execute(
            "SELECT article_id, name, kind, aliases, mentions FROM article_actors"
            " ORDER BY article_id, n"
        ).fetchall()
    merged = merge_library(
        (aid, Actor(name, kind, tuple(al), ((0, 0),) * m)) for aid, name, kind, al, m in rows
    )
    aliases = {(k, a.name) for a in merged for n in (a.name, *a.aliases) if (k := actor_key(n))}
    return merged, aliases


def _kept(lib: Any, url: str) -> tuple[list[LibraryActor], set[tuple[str, str]]]:
    import psycopg

    with psycopg.connect(url) as con:
        aliases = {
            (k, name)
            for k, name in con.execute(
                "SELECT k.key, a.name FROM lib_alias k JOIN lib_actors a ON a.rank = k.rank"
            )
        }
    return lib.actors(), aliases


def test_incremental_merge_equals_a_full_merge(pg_url: str, tmp_path: Path) -> None:
    from index.postgres.library import PgLibrary

    rng = random.Random(14)
    folder = tmp_path / "corpus"
    folder.mkdir()
    live: dict[int, int] = {}  # article number -> version
    with PgLibrary.connect(pg_url) as lib:
        for step in range(8):
            for i in rng.sample(range(40), 6):
                path = folder / f"{i:03d}.txt"
                if i in live and rng.random() < 0.3:
                    path.unlink()
                    del live[i]
                else:
                    live[i] = live.get(i, 0) + 1
                    path.write_text(_article(rng, i, live[i]), "utf-8")
            lib.ingest([folder])
            want = _full(pg_url)
            assert want[0], "the corpus names actors"
            assert _kept(lib, pg_url) == want, f"after ingest {step}"
        assert lib.merge_actors(force=True)
        assert _kept(lib, pg_url) == want
        # Nothing changed: nothing to merge.
        assert not lib.merge_actors()


def test_removing_the_first_sighting_finds_the_next(pg_url: str, tmp_path: Path) -> None:
    """The article where a name was first seen leaves: its next sighting takes over."""
    from index.postgres.library import PgLibrary

    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(4):
        (folder / f"{i}.txt").write_text(
            f"Report {i}\n\nDec {i + 1}, 2024\n\nOslo (Wire) {SENTENCES[i % 2]} {SENTENCES[6]}\n",
            "utf-8",
        )
    with PgLibrary.connect(pg_url) as lib:
        lib.ingest([folder])
        (folder / "0.txt").unlink()
        lib.ingest([folder])
        assert _kept(lib, pg_url) == _full(pg_url)
        (folder / "1.txt").write_text("Report 1\n\nDec 2, 2024\n\nOslo (Wire) Nothing.\n", "utf-8")
        lib.ingest([folder])
        assert _kept(lib, pg_url) == _full(pg_url)


def test_a_library_made_before_the_log_is_merged_whole_once(pg_url: str, tmp_path: Path) -> None:
    """A format-1 library without the log's tables gets them; its first merge is a full one."""
    import psycopg

    from index.postgres.library import PgLibrary

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("A\n\nDec 1, 2024\n\nOslo (Wire) " + SENTENCES[0] + "\n")
    with PgLibrary.connect(pg_url) as lib:
        lib.ingest([folder])
    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute("DROP TABLE actor_log, lib_keys")
        con.execute("DROP FUNCTION newsroom_log_actors CASCADE")
        con.execute("DELETE FROM meta WHERE key = 'actors_merged'")
    (folder / "b.txt").write_text("B\n\nDec 2, 2024\n\nOslo (Wire) " + SENTENCES[1] + "\n")
    with PgLibrary.connect(pg_url) as lib:
        lib.ingest([folder])
        assert _kept(lib, pg_url) == _full(pg_url)
        assert [a.name for a in lib.actors() if "Assad" in a.name] == ["Bashar al-Assad"]


def _wait_for_advisory_waiter(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        for _ in range(1200):
            if con.execute(
                "SELECT 1 FROM pg_stat_activity WHERE wait_event = 'advisory'"
                " AND datname = current_database()"
            ).fetchone():
                return
            time.sleep(0.05)
    raise AssertionError("the second writer never waited for the merge")


def test_a_writer_committing_during_a_merge_is_merged_next(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Merges take turns; what a writer commits after a merge's snapshot is the next merge's."""
    import threading

    from index.postgres import actors
    from index.postgres.library import PgLibrary

    first, second = tmp_path / "first", tmp_path / "second"
    for folder, sentences in ((first, SENTENCES[:6]), (second, SENTENCES[6:])):
        folder.mkdir()
        for i, text in enumerate(sentences):
            (folder / f"{i}.txt").write_text(f"R{i}\n\nDec {i + 1}, 2024\n\nOslo (Wire) {text}\n")
    inside, go = threading.Event(), threading.Event()
    real = actors.link_keys

    def held(*args: Any) -> Any:
        if threading.current_thread().name == "held":
            inside.set()
            assert go.wait(60)
        return real(*args)

    monkeypatch.setattr(actors, "link_keys", held)
    PgLibrary.connect(pg_url).close()

    def ingest(folder: Path) -> None:
        with PgLibrary.connect(pg_url) as lib:
            lib.ingest([folder])

    one = threading.Thread(target=ingest, args=(first,), name="held")
    one.start()
    assert inside.wait(60)
    two = threading.Thread(target=ingest, args=(second,))
    two.start()  # commits its articles, then waits for the merge lock
    _wait_for_advisory_waiter(pg_url)
    go.set()
    one.join(60)
    two.join(60)
    with PgLibrary.connect(pg_url) as lib:
        assert _kept(lib, pg_url) == _full(pg_url)
        assert not lib.merge_actors()
        assert {"Geir Pedersen", "Bashar al-Assad"} <= {a.name for a in lib.actors()}


def test_a_bulk_load_is_merged_whole(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log that is a good part of all rows (a copy, a first ingest) is not read row by row."""
    from index.postgres import actors
    from index.postgres.library import PgLibrary

    folder = tmp_path / "corpus"
    folder.mkdir()
    for i, text in enumerate(SENTENCES):
        (folder / f"{i}.txt").write_text(f"R{i}\n\nDec {i + 1}, 2024\n\nOslo (Wire) {text}\n")
    with PgLibrary.connect(pg_url) as lib:
        lib.ingest([folder / "0.txt"])
        monkeypatch.setattr(actors, "BIG", 20)
        monkeypatch.setattr(actors, "_states", lambda *a: pytest.fail("read row by row"))
        lib.ingest([folder])
        assert _kept(lib, pg_url) == _full(pg_url)
