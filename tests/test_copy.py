"""`newsroom copy SRC DEST` between the embedded and the PostgreSQL backends, both ways."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.library import Library
from reader.cli import main

pytestmark = pytest.mark.postgres

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def snapshot(lib: Library) -> dict[str, object]:
    """What a copy must keep: articles (records), feed order, search answers, actors, marks."""
    feed = lib.feed()
    return {
        "articles": {i.id: lib.article(i.id) for i in feed},
        "feed": [i.id for i in feed],
        "pedersen": sorted(h.id for h in lib.search("Pedersen").hits),
        "actors": sorted((a.name, a.kind, tuple(sorted(a.article_ids))) for a in lib.actors()),
        "quotes": sorted((s.article_id, s.start, s.end) for s in lib.statements("Pedersen")),
        "read": lib.read_ids(),
        "starred": lib.starred_ids(),
        "sources": lib.sources(),
    }


@pytest.fixture
def embedded(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    path = tmp_path / "library"
    with Library.open(path) as lib:
        lib.ingest([folder])
        ids = [i.id for i in lib.feed()]
        lib.set_read(ids[0], True)
        lib.set_starred(ids[1], True)
    return path


def test_embedded_to_postgresql_and_back(
    embedded: Path, pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Library.open(embedded) as lib:
        before = snapshot(lib)
    assert main(["copy", str(embedded), pg_url]) == 0
    out, err = capsys.readouterr()
    assert "copied 5 articles of 5 file(s), 1 read and 1 starred" in out, err
    assert "newsroom-test" not in out, "no password printed"
    with Library.open(pg_url) as pg:
        assert snapshot(pg) == before
        assert not pg.pending(), "the copied files rows make the next ingest a no-op"
    back = tmp_path / "back"
    assert main(["copy", pg_url, str(back)]) == 0
    capsys.readouterr()
    with Library.open(back) as lib:
        assert snapshot(lib) == before
        assert not lib.pending()
        assert lib.stories(1), "an embedded copy rebuilds its stories from the copied articles"


def test_copy_again_is_idempotent(
    embedded: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["copy", str(embedded), pg_url]) == 0
    assert main(["copy", str(embedded), pg_url]) == 0
    capsys.readouterr()
    with Library.open(pg_url) as pg, Library.open(embedded) as lib:
        assert pg.count() == lib.count() == 5
        assert snapshot(pg) == snapshot(lib)


def test_copy_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["copy", str(tmp_path / "nothing"), str(tmp_path / "dest")]) != 0
    _, err = capsys.readouterr()
    assert "no library here" in err and len(err.strip().splitlines()) == 1
    src = tmp_path / "src"
    Library.open(src).close()
    assert main(["copy", str(src), "postgresql://nobody@127.0.0.1:1/x"]) != 0
    _, err = capsys.readouterr()
    assert "cannot reach the PostgreSQL server" in err and "Traceback" not in err
