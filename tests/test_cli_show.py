"""`newsroom show`: JSON Lines and human output for the seeds, exit codes, inert hostile text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from index.records import Article
from reader.cli import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, main
from reader.render import article_summary

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
KEYS = [
    "path",
    "id",
    "title",
    "published",
    "published_inferred",
    "source",
    "byline",
    "dateline",
    "subheads",
    "body",
    "actors",
    "statements",
]


def test_show_json_for_the_seeds_in_a_real_process() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "reader.cli", "show", *map(str, SEEDS), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == EXIT_OK, out.stderr
    assert out.stderr == ""
    records = [json.loads(line) for line in out.stdout.splitlines()]
    assert [Path(r["path"]).name for r in records] == [p.name for p in SEEDS]
    for record in records:
        assert [k for k in KEYS if k in record] == [k for k in record if k in KEYS]
        assert set(KEYS) <= set(record)
        for statement in record["statements"]:
            assert record["body"][statement["start"] : statement["end"]] == statement["text"]
    got = [(r["published"], r["published_inferred"], r["source"]) for r in records]
    assert got == [
        ("2024-12-01T00:00:00", True, "NationPress"),
        ("2024-12-02T00:00:00", False, "Times of Oman"),
        ("2024-11-28T15:09:00", False, "Myind Staff"),
        (None, False, None),
        ("2024-12-01T00:00:00", True, "AP, EFE and local media"),
    ]
    assert records[0]["title"] == "Rebels Gain Ground in Syria as Military Prepares for Offensive"
    # The "Check Also" teaser of seed 003 is gone, so its names never become actors.
    names = {name for actor in records[3]["actors"] for name in [actor["name"], *actor["aliases"]]}
    assert not any("Ortagus" in name for name in names)
    assert "Ortagus" not in records[3]["body"]
    assert len(records[4]["title"]) <= 120


def test_show_human_output_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", *map(str, SEEDS)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Rebels Gain Ground in Syria as Military Prepares for Offensive" in out
    assert "2024-12-01 (year inferred)" in out
    assert "2024-11-28 15:09" in out
    assert "source: Times of Oman" in out
    assert "no date" in out  # seed 003
    assert "Subheads:" in out and "Have the Kurds entered the scene?" in out


def test_exit_code_1_when_some_inputs_are_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    missing = tmp_path / "missing.txt"
    assert main(["show", str(SEEDS[0]), str(empty), str(missing), "--json"]) == EXIT_PARTIAL
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1
    errors = captured.err.splitlines()
    assert errors == [
        f"newsroom: {empty}: empty file",
        f"newsroom: {missing}: no such file or directory",
    ]


def test_exit_code_2_when_nothing_is_usable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\xff" * 50)
    assert main(["show", str(binary)]) == EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "binary file" in captured.err and "Traceback" not in captured.err


def test_exit_code_2_on_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["show"])
    assert exc.value.code == EXIT_USAGE
    assert "Traceback" not in capsys.readouterr().err


HOSTILE = (
    "Evil \x1b]2;pwned\x07 headline [bold]x[/bold]\n\n"
    "Body with \x1b[2J a screen clear, \x1b]52;c;ZXZpbA==\x07 a clipboard write and "
    "[link=http://evil]markup[/link] in it, plus a bell \x07.\n"
)


def test_hostile_text_is_inert_in_human_output_and_exact_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    assert main(["show", str(path)]) == EXIT_OK
    human = capsys.readouterr().out
    assert "\x1b" not in human and "\x07" not in human
    assert "[link=http://evil]" in human  # plain text, never interpreted as markup
    assert main(["show", str(path), "--json"]) == EXIT_OK
    record = json.loads(capsys.readouterr().out)
    assert "\x1b[2J" in record["body"] and "\x1b]52;c;ZXZpbA==\x07" in record["body"]


def test_article_summary_handles_minimal_articles() -> None:
    text = article_summary(Article(id="x", path="/p", title="", body=""))
    assert "(untitled)" in text and "no date" in text
