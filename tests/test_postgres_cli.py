"""The CLI and the reader on a PostgreSQL library: `--library postgresql://...`, NEWSROOM_LIBRARY, config."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reader.cli import main
from tests.conftest import new_database

pytestmark = pytest.mark.postgres

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def pg_library(pg_server: object, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """A PostgreSQL library ingested from the seeds with `newsroom ingest` (once per module)."""
    url = new_database(pg_server)
    folder = tmp_path_factory.mktemp("pg-cli") / "articles"
    shutil.copytree(SEEDS, folder)
    assert main(["--library", url, "ingest", str(folder)]) == 0
    return url, folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_then_incremental(
    pg_library: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    url, folder = pg_library
    code, out, err = run(capsys, "--library", url, "ingest", str(folder))
    assert code == 0, err
    assert "added 0," in out and "unchanged 5" in out
    assert "newsroom-test" not in out + err, "no password in what is printed"


def test_search_json(pg_library: tuple[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    url, _ = pg_library
    code, out, err = run(capsys, "--library", url, "search", "--json", "Pedersen")
    assert code == 0, err
    found = json.loads(out)
    names = sorted(Path(h["path"]).name[:4] for h in found["hits"])
    assert names == ["001_", "004_"] and found["total"] == 2


def test_actors_and_quotes(
    pg_library: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = pg_library
    code, out, err = run(capsys, "--library", url, "actors", "--json", "--kind", "person")
    assert code == 0, err
    assert any("Pedersen" in a["name"] for a in json.loads(out))
    code, out, err = run(capsys, "--library", url, "quotes", "--json", "--speaker", "Pedersen")
    assert code == 0, err
    quotes = json.loads(out)
    assert quotes and all(q["speaker"] and "Pedersen" in q["speaker"] for q in quotes)
    assert all(q["trail"] is None for q in quotes)  # no stories on PostgreSQL yet


def test_article_and_sources(
    pg_library: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _folder = pg_library
    code, out, err = run(capsys, "--library", url, "search", "--json", "Pedersen")
    aid = json.loads(out)["hits"][0]["id"]
    code, out, err = run(capsys, "--library", url, "article", "--json", aid)
    assert code == 0, err
    assert json.loads(out)["id"] == aid
    code, out, err = run(capsys, "--library", url, "sources", "--json")
    assert code == 0, err
    assert [s["articles"] for s in json.loads(out)] == [5]


def test_stories_say_one_line(
    pg_library: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = pg_library
    code, _out, err = run(capsys, "--library", url, "stories")
    assert code != 0
    assert "not kept in a PostgreSQL library" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_environment_and_config_choose_the_library(
    pg_library: tuple[str, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    _empty_config_home: Path,
) -> None:
    url, _ = pg_library
    monkeypatch.setenv("NEWSROOM_LIBRARY", url)
    code, out, err = run(capsys, "search", "--json", "Pedersen")
    assert code == 0 and json.loads(out)["total"] == 2, err
    monkeypatch.delenv("NEWSROOM_LIBRARY")
    config = _empty_config_home / "newsroom" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'library = "{url}"\nuser = "carol"\n')
    code, out, err = run(capsys, "search", "--json", "Pedersen")
    assert code == 0 and json.loads(out)["total"] == 2, err
    from index.library import Library

    with Library.open(url) as lib:
        assert getattr(lib, "user", None) == "carol"


def test_unreachable_server_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(
        capsys, "--library", "postgresql://someone@127.0.0.1:1/news", "search", "x"
    )
    assert code != 0 and "cannot reach the PostgreSQL server" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


async def test_reader_on_postgresql(pg_library: tuple[str, Path]) -> None:
    from tests.test_app_flows import make_app, open_seed, ready, search

    url, _ = pg_library
    app = make_app(Path(url))  # as `--library` gives it: through Path
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        assert len(app.feed.entries) == 5
        await search(pilot, "Pedersen")
        assert len(app.feed.entries) == 2
        await search(pilot, "")
        await open_seed(pilot, "001_")
        assert app.open_article is not None
    from index.library import Library

    with Library.open(url) as lib:
        assert lib.read_ids(), "opening an article marks it read, in the database"


def test_wrong_password_and_missing_database_are_one_line(
    pg_server: object, capsys: pytest.CaptureFixture[str]
) -> None:
    url = pg_server.url("postgres", password="guess")  # type: ignore[attr-defined]
    code, _out, err = run(capsys, "--library", url, "search", "x")
    assert code != 0 and "refused the login" in err and "guess" not in err
    url = pg_server.url("no_such_db")  # type: ignore[attr-defined]
    code, _out, err = run(capsys, "--library", url, "ingest", str(SEEDS))
    assert code != 0 and "no database 'no_such_db'" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_dropped_connection_mid_ingest_is_one_line_and_the_next_ingest_completes(
    pg_server: object,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import psycopg

    from index.postgres import writer

    url = new_database(pg_server)
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    monkeypatch.setattr(writer, "BATCH", 1)
    real = writer.write_batch

    def write_then_drop(con: object, parsed: list[object]) -> int:
        n = real(con, parsed)  # type: ignore[arg-type]
        with psycopg.connect(url, autocommit=True) as admin:  # the server drops us
            admin.execute("SELECT pg_terminate_backend(%s)", (con.info.backend_pid,))  # type: ignore[attr-defined]
        return n

    monkeypatch.setattr(writer, "write_batch", write_then_drop)
    code, _out, err = run(capsys, "--library", url, "ingest", str(folder))
    assert code != 0 and "connection to the server was lost" in err and "kept 1 articles" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    monkeypatch.setattr(writer, "write_batch", real)
    code, out, err = run(capsys, "--library", url, "ingest", str(folder))
    assert code == 0, err
    assert "added 4," in out and "unchanged 1," in out and "holds 5 articles" in out
