"""`newsroom stories`, `story`, `trail`, `actor` and `quotes --json` trails, on the seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.story_store import STORIES_FILE
from index.trails import MAX_QUOTES
from reader.cli import main
from tests.test_app_flows import seeded_library


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_stories_story_trail_actor(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = str(seeded_library(tmp_path))
    code, out, _ = run(capsys, "--library", lib, "stories", "--json")
    assert code == 0
    stories = json.loads(out)
    assert len(stories) == 1 and len(stories[0]["articles"]) == 5
    sid = stories[0]["id"]
    code, out, _ = run(capsys, "--library", lib, "stories")
    assert "5 articles · 4 outlets" in out
    code, out, _ = run(capsys, "--library", lib, "story", sid, "--json")
    story = json.loads(out)
    assert code == 0 and len(story["articles"]) == 5
    for art in story["articles"]:
        assert art["citation"].startswith("\u201c")
        for sentence in art["added"]["sentences"]:
            assert sentence["end"] > sentence["start"]
    # An article's id opens its story too.
    code, out, _ = run(capsys, "--library", lib, "story", story["articles"][2]["id"])
    assert code == 0 and "added" in out
    code, out, _ = run(capsys, "--library", lib, "quotes", "--json")
    quotes = json.loads(out)
    traced = [q for q in quotes if q["trail"] is not None]
    # Direct quotations, and reported clauses quoting a fragment.
    assert traced and any(q["kind"] == "direct" for q in traced)
    assert all(q["kind"] == "direct" or any(m in q["text"] for m in '"“”«»„') for q in traced)
    assert all("citation" in q for q in quotes)
    code, out, _ = run(capsys, "--library", lib, "trail", str(traced[0]["trail"]), "--json")
    trail = json.loads(out)
    assert code == 0 and trail["carriers"][0]["article_id"] == traced[0]["article_id"]
    code, out, _ = run(capsys, "--library", lib, "actor", "Bashar", "al-Assad", "--json")
    record = json.loads(out)
    assert code == 0 and record["articles"] == 5 and sum(record["per_day"]) >= 4
    assert all(e["citation"].startswith("\u201c") for e in record["statements"])
    code, out, _ = run(capsys, "--library", lib, "actor", "Bashar al-Assad")
    assert code == 0 and "mentions per day" in out


def test_bad_ids_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = str(seeded_library(tmp_path))
    for argv, what in (
        (("story", "nope"), "no such story"),
        (("trail", "x"), "is a number"),
        (("trail", "99999"), "no such trail"),
        (("actor", "Nobody", "Atall"), "no such actor"),
    ):
        code, _out, err = run(capsys, "--library", lib, *argv)
        assert code == 2 and what in err and len(err.strip().splitlines()) == 1, (argv, err)


def test_damaged_stories_file_is_rebuilt_by_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = seeded_library(tmp_path)
    (lib / STORIES_FILE).write_bytes(b"\0garbage" * 500)
    for suffix in ("-wal", "-shm"):
        Path(str(lib / STORIES_FILE) + suffix).unlink(missing_ok=True)
    code, out, err = run(capsys, "--library", str(lib), "stories")
    assert code == 0 and "5 articles" in out
    assert "rebuilt from the catalog" in err and "Traceback" not in err


def test_an_article_with_hundreds_of_quotes_is_capped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    lines = [
        f'"We will build {n} new bridges across the river this year," Mayor Smith said.'
        for n in range(MAX_QUOTES + 60)
    ]
    (src / "many.txt").write_text(
        "Mayor promises bridges\nMar 3, 2024\n\n" + "\n\n".join(lines) + "\n\nSource: Wire\n",
        encoding="utf-8",
    )
    lib = str(tmp_path / "lib")
    assert run(capsys, "--library", lib, "ingest", str(src))[0] == 0
    code, out, _ = run(capsys, "--library", lib, "quotes", "--json")
    quotes = json.loads(out)
    assert code == 0 and len([q for q in quotes if q["kind"] == "direct"]) > MAX_QUOTES
    assert 0 < len([q for q in quotes if q["trail"] is not None]) <= MAX_QUOTES
