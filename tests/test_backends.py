"""One suite for both backends: the embedded Library and PgLibrary answer the same (seeds, README queries).

Modelled on django-modelsearch's BackendTests: each test takes `lib`, a library
of the seeds on one backend (parametrised), and asserts against an oracle of its
own (regexes over the articles); `test_same_article_sets` then compares the two
backends query by query for every query form of the README.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from index.storage.schema import stem
from tests.conftest import new_database

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Every query form of the README's query-language table (seed-flavoured values).
README_QUERIES = [
    "capture aleppo",
    "capture",
    "Pedersen",
    '"territorial integrity"',
    '"trial by fire"',
    '"fire trial"',
    "hama OR idlib",
    "assad AND NOT russia",
    "-russia",
    "(Pedersen OR Sarmada) AND Kurds",
    "Pedersen NOT Kurds",
    "title:offensive",
    "title:insurgents",
    "quote:stability",
    "quote:Sarmada",
    'quote:"trial by fire"',
    'source:"Times of Oman"',
    "source:oman",
    "actor:HTS",
    "person:Assad",
    'org:"Defense Ministry"',
    'org:"Syrian Observatory for Human Rights"',
    "place:Idlib",
    "place:Aleppo",
    "speaker:Pedersen",
    "date:2024-12-01",
    "date:2024-12",
    "date:2024-11-28..2024-12-01",
    "date:>2024-12-01",
    "date:>=2024-12-01",
    "date:<2024-12-01",
    "date:<=2024-12-01",
    'date:"last 7 days"',
    "date:today",
    "date:yesterday",
    'date:"this week"',
    'date:"last month"',
    "-date:2024-12-01",
    "Pedersen AND (",
    "said",
]
AS_YOU_TYPE = ["Peder", "trial Peder", "Hama Ale", "P", "al", 'actor:"Geir Pedersen"']


@dataclass
class Seeded:
    lib: Any
    kind: str
    folder: Path
    ids: dict[str, str]  # "001" -> article id

    def names(self, hits: Any) -> set[str]:
        back = {v: k for k, v in self.ids.items()}
        return {back[h.id] for h in hits}


def _seeded_embedded(root: Path) -> Any:
    import tempfile

    from index.library import Library

    return Library.open(Path(tempfile.mkdtemp(dir=root)) / "lib")


@pytest.fixture(scope="module")
def seeds_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("seeds") / "articles"
    shutil.copytree(SEEDS, folder)
    return folder


def _open(kind: str, folder: Path, request: pytest.FixtureRequest) -> Seeded:
    if kind == "embedded":
        lib = _seeded_embedded(folder.parent)
    else:
        from index.postgres.library import PgLibrary

        lib = PgLibrary.connect(new_database(request.getfixturevalue("pg_server")), user="alice")
    report = lib.ingest([folder])
    assert report.added == 5 and not report.skipped
    ids = {Path(item.path).name[:3]: item.id for item in lib.feed()}
    return Seeded(lib, kind, folder, ids)


@pytest.fixture(
    scope="module", params=["embedded", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def seeded(request: pytest.FixtureRequest, seeds_folder: Path) -> Iterator[Seeded]:
    s = _open(request.param, seeds_folder, request)
    yield s
    s.lib.close()


@pytest.fixture(scope="module")
def both(request: pytest.FixtureRequest, seeds_folder: Path) -> Iterator[tuple[Seeded, Seeded]]:
    """The embedded library of the seeds beside a PostgreSQL one."""
    emb = _open("embedded", seeds_folder, request)
    pg = _open("postgres", seeds_folder, request)
    yield emb, pg
    emb.lib.close()
    pg.lib.close()


def having(s: Seeded, pattern: str) -> set[str]:
    rx = re.compile(pattern, re.IGNORECASE)
    return {
        k
        for k, v in s.ids.items()
        if rx.search(s.lib.article(v).title) or rx.search(s.lib.article(v).body)
    }


def found(s: Seeded, query: str, **kw: Any) -> set[str]:
    result = s.lib.search(query, limit=50, **kw)
    assert result.error is None, result.error
    assert result.total == len(result.hits) and result.total_exact
    return s.names(result.hits)


# --- the same answers -------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize("query", README_QUERIES)
def test_same_article_sets(both: tuple[Seeded, Seeded], query: str) -> None:
    emb, pg = both
    a = emb.lib.search(query, limit=50)
    b = pg.lib.search(query, limit=50)
    assert emb.names(a.hits) == pg.names(b.hits), query
    assert (a.total, a.error) == (b.total, b.error)


@pytest.mark.postgres
@pytest.mark.parametrize("query", AS_YOU_TYPE)
def test_same_article_sets_as_you_type(both: tuple[Seeded, Seeded], query: str) -> None:
    emb, pg = both
    a = emb.lib.search(query, limit=50, as_you_type=True)
    b = pg.lib.search(query, limit=50, as_you_type=True)
    assert emb.names(a.hits) == pg.names(b.hits), query
    assert a.total == b.total


@pytest.mark.postgres
def test_same_highlights(both: tuple[Seeded, Seeded]) -> None:
    emb, pg = both
    for query in ("capture Pedersen", 'actor:HTS "trial by fire"', "quote:stability"):
        a = {h.id: (h.title_spans, h.body_spans) for h in emb.lib.search(query, limit=50).hits}
        b = {h.id: (h.title_spans, h.body_spans) for h in pg.lib.search(query, limit=50).hits}
        assert a == b, query


@pytest.mark.postgres
def test_same_records(both: tuple[Seeded, Seeded]) -> None:
    emb, pg = both
    assert [f.id for f in emb.lib.feed()] == [f.id for f in pg.lib.feed()]
    assert emb.lib.feed() == pg.lib.feed()
    for aid in emb.ids.values():
        assert emb.lib.article(aid) == pg.lib.article(aid)

    # The merge sees the articles in another order (ingest order, id order): ids as sets.
    def norm(acts: list[Any]) -> list[Any]:
        return [(a.name, a.kind, set(a.aliases), set(a.article_ids), a.mentions) for a in acts]

    assert norm(emb.lib.actors()) == norm(pg.lib.actors())
    key = lambda s: (s.article_id, s.start)  # noqa: E731
    assert sorted(emb.lib.statements(), key=key) == sorted(pg.lib.statements(), key=key)


# --- each backend against its own oracle (as tests/test_library.py) -------------------


def test_feed_is_newest_first_with_undated_last(seeded: Seeded) -> None:
    feed = seeded.lib.feed()
    assert len(feed) == seeded.lib.count() == 5
    dated = [f.published for f in feed if f.published is not None]
    assert dated == sorted(dated, reverse=True)
    first_undated = next((i for i, f in enumerate(feed) if f.published is None), len(feed))
    assert all(f.published is None for f in feed[first_undated:])


def test_words_phrases_and_stems(seeded: Seeded) -> None:
    assert found(seeded, "Pedersen") == {"001", "004"}
    assert found(seeded, "capture") == having(seeded, r"\bcaptur(e|es|ed|ing)\b")
    assert found(seeded, '"trial by fire"') == having(seeded, r"trial by fire") == {"004"}
    assert found(seeded, '"fire trial"') == set()


def test_boolean_operators(seeded: Seeded) -> None:
    pedersen, sarmada = having(seeded, r"Pedersen"), having(seeded, r"Sarmada")
    kurds = having(seeded, r"\bkurds?\b")
    assert found(seeded, "Pedersen OR Sarmada") == pedersen | sarmada
    assert found(seeded, "Pedersen Kurds") == pedersen & kurds
    assert found(seeded, "Pedersen -Kurds") == pedersen - kurds
    assert found(seeded, "(Pedersen OR Sarmada) AND Kurds") == (pedersen | sarmada) & kurds
    assert found(seeded, "-Pedersen") == set(seeded.ids) - pedersen


def test_fields(seeded: Seeded) -> None:
    titled = {
        k for k, v in seeded.ids.items() if "insurgents" in seeded.lib.article(v).title.lower()
    }
    assert found(seeded, "title:insurgents") == titled
    assert found(seeded, "person:Pedersen") == {"001", "004"}
    assert found(seeded, "speaker:Pedersen") == {"001", "004"}
    assert found(seeded, 'quote:"trial by fire"') == {"004"}
    assert found(seeded, "place:Aleppo") == having(seeded, r"\bAleppo\b")
    named = having(seeded, r"Hayat Tahrir al-Sham")
    assert found(seeded, "actor:HTS") >= named


def test_dates(seeded: Seeded) -> None:
    by_day: dict[str, set[str]] = {}
    for k, v in seeded.ids.items():
        pub = seeded.lib.article(v).published
        if pub is not None:
            by_day.setdefault(pub.date().isoformat(), set()).add(k)
    assert by_day
    for day, ks in by_day.items():
        assert found(seeded, f"date:{day}") == ks
    days = sorted(by_day)
    assert found(seeded, f"date:{days[0]}..{days[-1]}") == set().union(*by_day.values())
    assert found(seeded, f"date:<={days[0]}") == by_day[days[0]]
    undated = set(seeded.ids) - set().union(*by_day.values())
    assert found(seeded, f"-date:{days[0]}") == set(seeded.ids) - by_day[days[0]]
    assert undated <= found(seeded, f"-date:{days[0]}")


def test_sort_by_date_and_determinism(seeded: Seeded) -> None:
    hits = seeded.lib.search("Aleppo", sort="date").hits
    stamps = [h.published for h in hits if h.published is not None]
    assert stamps == sorted(stamps, reverse=True)
    runs = {tuple(h.id for h in seeded.lib.search("Syria", limit=3).hits) for _ in range(3)}
    assert len(runs) == 1


def test_highlights_point_at_the_matched_words(seeded: Seeded) -> None:
    result = seeded.lib.search("capture Pedersen")
    assert result.hits
    for hit in result.hits:
        body = seeded.lib.article(hit.id).body
        words = [body[s:e] for s, e in hit.body_spans]
        assert words and all(w == "Pedersen" or stem(w.lower()) == "captur" for w in words)


def test_as_you_type_prefix(seeded: Seeded) -> None:
    assert seeded.names(seeded.lib.search("Peder", as_you_type=True).hits) == {"001", "004"}
    assert seeded.names(seeded.lib.search("trial Peder", as_you_type=True).hits) == {"004"}
    assert seeded.lib.search("P", as_you_type=True).hits == ()


def test_syntax_error_is_reported_not_raised(seeded: Seeded) -> None:
    result = seeded.lib.search("Pedersen AND (")
    assert result.error is not None and "plain words" in result.error
    assert seeded.names(result.hits) == {"001", "004"}


def test_actors_and_statements(seeded: Seeded) -> None:
    actors = seeded.lib.actors()
    assad = [a for a in actors if "Assad" in a.name or any("Assad" in x for x in a.aliases)]
    assert [a.name for a in assad] == ["Bashar al-Assad"]
    mentions = [a.mentions for a in actors]
    assert mentions == sorted(mentions, reverse=True)
    said = seeded.lib.statements(speaker="Pedersen")
    assert {s.article_id for s in said} == {seeded.ids["001"], seeded.ids["004"]}
    for s in said:
        assert seeded.lib.article(s.article_id).body[s.start : s.end] == s.text


def test_article_round_trip(seeded: Seeded) -> None:
    from index.pipeline import load

    fresh = {a.id: a for a in load([seeded.folder]) if hasattr(a, "id")}
    for aid in seeded.ids.values():
        assert seeded.lib.article(aid) == fresh[aid]
    with pytest.raises(KeyError):
        seeded.lib.article("nope")


def test_related_excludes_itself(seeded: Seeded) -> None:
    related = seeded.lib.related(seeded.ids["001"], limit=3)
    assert related and len(related) <= 3
    assert seeded.ids["001"] not in {h.id for h in related}


def test_sources_pending_and_remove_source(seeded: Seeded) -> None:
    root = seeded.folder.resolve()
    assert seeded.lib.sources() == [root]
    assert seeded.lib.source_counts() == [(root, 5)]
    assert seeded.lib.pending() is False


def test_marks(seeded: Seeded) -> None:
    lib = seeded.lib
    lib.set_read("a1")
    lib.set_starred("a2", True)
    lib.set_starred("a3", True)
    lib.set_starred("a3", False)
    assert lib.read_ids() == {"a1"} and lib.starred_ids() == {"a2"}
    lib.set_read("a1", False)
    lib.set_starred("a2", False)
    assert lib.read_ids() == set() == lib.starred_ids()
