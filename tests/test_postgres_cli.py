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
    for q in quotes:  # a traced quotation opens its trail
        if q["trail"] is not None:
            code, out, err = run(capsys, "--library", url, "trail", str(q["trail"]), "--json")
            assert code == 0 and json.loads(out)["carriers"], err


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


def test_stories_story_trail_actor_answer_as_the_embedded_backend(
    pg_library: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, folder = pg_library
    embedded = str(tmp_path / "embedded")
    assert main(["--library", embedded, "ingest", str(folder)]) == 0
    capsys.readouterr()

    def both(*argv: str) -> str:
        code, out, err = run(capsys, "--library", url, *argv)
        assert code == 0 and "Traceback" not in err, err
        assert run(capsys, "--library", embedded, *argv)[1] == out, argv
        return out

    (story,) = json.loads(both("stories", "--json"))
    assert len(story["articles"]) == 5
    assert "5 articles · 4 outlets" in both("stories")
    assert len(json.loads(both("story", story["id"], "--json"))["articles"]) == 5
    assert "added" in both("story", story["articles"][2])
    traced = [q for q in json.loads(both("quotes", "--json")) if q["trail"] is not None]
    assert traced
    for q in traced:
        assert json.loads(both("trail", str(q["trail"]), "--json"))["carriers"]
    record = json.loads(both("actor", "Bashar", "al-Assad", "--json"))
    assert record["articles"] == 5
    assert "mentions per day" in both("actor", "Bashar al-Assad")
    for argv, what in (
        (("story", "nope"), "no such story"),
        (("trail", "99999"), "no such trail"),
        (("actor", "Nobody", "Atall"), "no such actor"),
    ):
        code, _out, err = run(capsys, "--library", url, *argv)
        assert code == 2 and what in err and len(err.strip().splitlines()) == 1, (argv, err)


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


async def test_reader_story_keys_on_postgresql(pg_library: tuple[str, Path]) -> None:
    """`e` (stories), `t` (a statement's trail) and `i` (an actor's record) on PostgreSQL."""
    from reader.widgets.actor_screen import ActorScreen
    from reader.widgets.stories_screen import StoriesScreen
    from reader.widgets.story_screen import StoryScreen
    from reader.widgets.trail_screen import TrailScreen
    from tests.test_app_flows import make_app, open_seed, ready, wait_for

    url, _ = pg_library
    app = make_app(Path(url))
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, StoriesScreen), what="stories")
        assert len(app.screen.stories) == 1  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, StoryScreen), what="the story")
        assert len(app.screen.detail.articles) == 5  # type: ignore[attr-defined]
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, StoriesScreen), what="stories")
        await pilot.press("e")
        await wait_for(pilot, lambda: not isinstance(app.screen, StoriesScreen), what="feed")
        await open_seed(pilot, "000_")
        await pilot.press("s")
        listing = app.side.query_one("#statements")
        await wait_for(pilot, lambda: app.focused is listing, what="the statements")
        article = app.open_article
        assert article is not None
        steps = next(
            i
            for i in range(listing.option_count)
            if (listing.get_option_at_index(i).id or "").startswith("statement-")
            and article.statements[int(listing.get_option_at_index(i).id[10:])].kind == "direct"
        )
        await pilot.press(*["j"] * (steps - (listing.highlighted or 0)))
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TrailScreen), what="the trail")
        assert app.screen.trail.carriers[0].source == "NationPress"  # type: ignore[attr-defined]
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, TrailScreen), what="back")
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, ActorScreen), what="the record")
        assert app.screen.record.statements  # type: ignore[attr-defined]


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
