"""Stories, quote trails and actor records on both backends: the same answers for the same
library (the seeds, a small generated library, incremental ingests), and `newsroom copy`
round trips that keep them."""

from __future__ import annotations

import random
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from index.library import Library
from index.story_api import trail_json
from reader.cli import main
from tests.conftest import new_database

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
NAMES = ["Bashar al-Assad", "Geir Pedersen", "Hayat Tahrir al-Sham", "Nadia Halloran", "Aleppo"]

Opener = Callable[[], Any]


def answers(lib: Any) -> dict[str, Any]:
    """Everything the reader and the CLI show of stories, trails and actor records."""
    out: dict[str, Any] = {"stories": [s.to_json() for s in lib.stories(1)]}
    out["big"] = [s.id for s in lib.stories()]
    ids = lib.trail_ids()
    out["trail_ids"] = sorted(ids.items())
    trails = sorted(set(ids.values()))
    out["trails"] = [trail_json(lib.trail(t)) for t in trails]
    out["sizes"] = lib.trail_sizes(trails)
    out["details"] = [lib.story(s.id).to_json() for s in lib.stories()]  # type: ignore[union-attr]
    out["story_of"] = {f.id: lib.story_of(f.id) for f in lib.feed()}
    for name in NAMES:
        record = lib.actor_record(name)
        out[name] = None if record is None else record.to_json()
    return out


def wire(folder: Path, name: str, title: str, date: str, body: str, source: str) -> None:
    (folder / name).write_text(f"{title}\n{date}\n\n{body}\n\nSource: {source}\n", encoding="utf-8")


def generated(folder: Path, n: int = 40, seed: int = 7) -> None:
    """A small library of wire items: a few events told by several outlets over some
    days (shared actors, quoted sentences, some undated), and unrelated items."""
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    events = [
        ("Harbor strike", "Port of Valdana", "Nadia Halloran", "Dockworkers Union"),
        ("Flood warning", "Rivermouth", "Tomas Becker", "Weather Agency"),
        ("Merger talks", "Corvane Industries", "Lena Ostrova", "Halvik Group"),
        ("Election recount", "Eastern Province", "Samuel Okafor", "Electoral Commission"),
    ]
    outlets = ["Daily Ledger", "Morning Post", "Wire Service", "Evening Star", "Radio One"]
    quotes = [
        "we will not accept any agreement that leaves the workers without protection",
        "the water is rising faster than anyone expected and people must leave now",
        "this is a merger of equals and no jobs will be lost in the first year",
        "every ballot will be counted again in front of observers from all parties",
    ]
    for i in range(n):
        if i % 5 == 4:
            title = f"Local market report number {i}"
            body = f"Prices of {rnd.choice(['grain', 'fish', 'cloth'])} rose {i} cents today."
            wire(folder, f"{i:03d}.txt", title, f"Mar {1 + i % 20}, 2025", body, "Market Desk")
            continue
        e = rnd.randrange(len(events))
        what, place, person, org = events[e]
        day = 3 + e * 4 + rnd.randrange(3)
        quote = quotes[e]
        if rnd.random() < 0.5:
            quote = quote.replace("the ", "", 1)
        title = f"{what} in {place}: {person} speaks" if rnd.random() < 0.5 else f"{place} {what}"
        body = (
            f"{person} of the {org} spoke in {place} as the {what.lower()} went on. "
            f'"{quote.capitalize()}," {person} said. {org} officials met in {place}. '
            f"{rnd.choice(['Talks continue.', 'More later.', 'Officials gave no figures.'])}"
        )
        date = "" if rnd.random() < 0.1 else f"Apr {day}, 2025"
        wire(folder, f"{i:03d}.txt", title, date, body, rnd.choice(outlets))


@pytest.fixture(params=["embedded", pytest.param("postgres", marks=pytest.mark.postgres)])
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """Opens a new empty library of one backend."""
    opened: list[Any] = []

    def open_new() -> Any:
        if request.param == "embedded":
            lib = Library.open(tmp_path / f"lib{len(opened)}", check=False)
        else:
            lib = Library.open(new_database(request.getfixturevalue("pg_server")))
        opened.append(lib)
        return lib

    yield open_new
    for lib in opened:
        lib.close()


@pytest.fixture
def both(tmp_path: Path, pg_server: Any) -> Iterator[tuple[Any, Any]]:
    emb = Library.open(tmp_path / "embedded", check=False)
    pg = Library.open(new_database(pg_server))
    yield emb, pg
    emb.close()
    pg.close()


def test_the_seeds_tell_one_story_with_trails_and_records(opener: Opener, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    lib = opener()
    lib.ingest([src])
    (story,) = lib.stories()
    assert story.size == 5 and len(story.outlets) == 4
    detail = lib.story(story.id)
    assert detail is not None and [a.id for a in detail.articles] == list(story.article_ids)
    assert all(lib.story_of(aid) == story.id for aid in story.article_ids)
    ids = lib.trail_ids()
    assert ids and all(lib.trail(t) is not None for t in set(ids.values()))
    record = lib.actor_record("Assad")
    assert record is not None and record.articles >= 5
    assert lib.story("nope") is None and lib.trail(99999) is None
    assert lib.actor_record("Nobody Atall") is None


@pytest.mark.postgres
def test_seeds_and_incremental_ingests_answer_alike(both: tuple[Any, Any], tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    for lib in both:
        lib.ingest([src])
    assert answers(both[0]) == answers(both[1])
    # A later ingest joins the stories incrementally on both; a removed file leaves them.
    generated(src, 12, seed=3)
    wire(
        src,
        "late.txt",
        "Syrian rebels enter Hama after taking Aleppo",
        "Dec 3, 2024",
        "Syrian rebels led by Hayat Tahrir al-Sham entered Hama on Tuesday, days after "
        'capturing Aleppo. "We will stand by the Syrian people," Bashar al-Assad said.',
        "Wire",
    )
    for lib in both:
        lib.ingest([src])
    first = answers(both[0])
    assert first == answers(both[1])
    assert max(len(s["articles"]) for s in first["stories"]) == 6
    (src / "late.txt").unlink()
    for lib in both:
        lib.ingest([src])
    assert answers(both[0]) == answers(both[1])


@pytest.mark.postgres
def test_a_generated_library_answers_alike(both: tuple[Any, Any], tmp_path: Path) -> None:
    src = tmp_path / "gen"
    generated(src)
    for lib in both:
        lib.ingest([src])
    emb = answers(both[0])
    assert emb == answers(both[1])
    assert len(emb["big"]) >= 3 and len(emb["trails"]) >= 3


@pytest.mark.postgres
def test_copy_round_trip_keeps_the_stories(
    tmp_path: Path, pg_server: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    generated(src, 20, seed=5)
    origin = tmp_path / "origin"
    with Library.open(origin, check=False) as lib:
        lib.ingest([src])
        before = answers(lib)
    url = new_database(pg_server)
    assert main(["copy", str(origin), url]) == 0
    with Library.open(url) as pg:
        assert answers(pg) == before
    back = tmp_path / "back"
    assert main(["copy", url, str(back)]) == 0
    capsys.readouterr()
    with Library.open(back) as lib:
        assert answers(lib) == before
    # And a library grown on PostgreSQL copies to the embedded backend unchanged.
    grown = new_database(pg_server)
    with Library.open(grown) as pg:
        pg.ingest([src])
        grown_answers = answers(pg)
    assert grown_answers == before
    again = tmp_path / "again"
    assert main(["copy", grown, str(again)]) == 0
    with Library.open(again) as lib:
        assert answers(lib) == before


@pytest.mark.postgres
def test_two_writers_keep_every_article_in_one_story(tmp_path: Path, pg_server: Any) -> None:
    url = new_database(pg_server)
    folders = [tmp_path / "a", tmp_path / "b"]
    generated(folders[0], 24, seed=11)
    generated(folders[1], 24, seed=12)
    for name in ("000.txt", "001.txt"):  # the same files through both writers
        shutil.copy(folders[0] / name, folders[1] / f"x{name}")
    libs = [Library.open(url) for _ in folders]
    errors: list[BaseException] = []

    def run(lib: Any, folder: Path) -> None:
        try:
            lib.ingest([folder])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=p) for p in zip(libs, folders, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    lib = libs[0]
    members = [aid for s in lib.stories(1) for aid in s.article_ids]
    assert len(members) == len(set(members)) == lib.count() == 50
    assert all(lib.story_of(aid) is not None for aid in members)
    for one in libs:
        one.close()


@pytest.mark.postgres
def test_a_library_from_before_stories_gets_them(tmp_path: Path, pg_server: Any) -> None:
    import psycopg

    from index.postgres.story_tables import TABLES

    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    url = new_database(pg_server)
    with Library.open(url) as lib:
        lib.ingest([src])
        expected = answers(lib)
    with psycopg.connect(url, autocommit=True) as con:
        for table in (*TABLES, "story_meta"):
            con.execute(f"DROP TABLE {table}")
    with Library.open(url) as lib:
        assert lib.count() == 5, "no rebuild: the articles stay"
        assert answers(lib) == expected
