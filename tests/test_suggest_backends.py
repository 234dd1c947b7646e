"""'Did you mean' on PostgreSQL: the embedded backend's suggestions for the same library."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from index.library import Library
from reader.cli import main
from tests.conftest import new_database
from tests.test_stories_backends import generated

pytestmark = pytest.mark.postgres

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
MISSPELT = [
    "Pedersn",
    "Alepo capture",
    "rebles Hama",
    "Damscus",
    "offensiv",
    "trial by fyre",
    "Syrria",
    "zzzzq",
    "title:Alepo",
    "Pedersen",
    "Peder",
    "capturd Aleppo",
    "Dockwrkers strke",
    "Halloran Valdanna",
    "merjer",
]


def suggestions(lib: Any) -> list[tuple[str | None, str | None]]:
    return [
        (lib.search(q).suggestion, lib.search(q, as_you_type=True).suggestion) for q in MISSPELT
    ]


@pytest.fixture
def both(tmp_path: Path, pg_server: Any) -> Iterator[tuple[Any, Any]]:
    emb = Library.open(tmp_path / "embedded", check=False)
    pg = Library.open(new_database(pg_server))
    yield emb, pg
    emb.close()
    pg.close()


def test_the_same_suggestions_as_the_embedded_backend(
    both: tuple[Any, Any], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    generated(src / "gen", 20)
    for lib in both:
        lib.ingest([src])
    emb = suggestions(both[0])
    assert emb == suggestions(both[1])
    assert ("Pedersen", None) in emb and ("Aleppo capture", "Aleppo capture") in emb
    # Rewritten and removed articles count as on the embedded backend (words summed per write).
    (src / "gen" / "003.txt").write_text("Merger of Corvane\nApr 9, 2025\n\nmerjers merger.\n")
    (src / "gen" / "004.txt").unlink()
    for lib in both:
        lib.ingest([src])
    assert suggestions(both[0]) == suggestions(both[1])


def test_copies_and_older_libraries_keep_suggesting(tmp_path: Path, pg_server: Any) -> None:
    import psycopg

    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    origin = tmp_path / "origin"
    with Library.open(origin, check=False) as lib:
        lib.ingest([src])
        expected = suggestions(lib)
    url = new_database(pg_server)
    assert main(["copy", str(origin), url]) == 0
    with Library.open(url) as pg:
        assert suggestions(pg) == expected
    assert main(["copy", url, str(tmp_path / "back")]) == 0
    with Library.open(tmp_path / "back") as lib:
        assert suggestions(lib) == expected
    # A library made before the vocabulary tables gets them from its articles.
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("DROP TABLE vocab")
        con.execute("DROP TABLE vocab_delta")
    with Library.open(url) as pg:
        assert suggestions(pg) == expected
