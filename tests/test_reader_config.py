"""Issue 13: the config file, --version, --library anywhere, `config`, `article`, --limit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.config import load_config, save_setting
from reader.cli import main
from tests.test_app_flows import seeded_library


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_library(tmp_path_factory.mktemp("cfg"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's --version and --help
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def write_config(text: str) -> Path:
    path = load_config().path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("newsroom ")
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "Plain `newsroom` (no command) opens the reader" in out
    assert 'actor:"Geir Pedersen"' in out and "date:2024-12-01..2024-12-05" in out


def test_library_before_or_after_the_command(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = run(capsys, "--library", str(lib), "search", "aleppo", "--json")
    after = run(capsys, "search", "aleppo", "--json", "--library", str(lib))
    assert before[0] == after[0] == 0
    assert json.loads(before[1])["total"] == json.loads(after[1])["total"] > 0


def test_config_shows_path_values_and_origins(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_config('date_format = "%d.%m.%Y"\n[keys]\nquit = "ctrl+x"\n')
    monkeypatch.setenv("NEWSROOM_THEME", "nord")
    code, out, err = run(capsys, "--library", "/tmp/somewhere", "config")
    assert code == 0 and err == ""
    assert out.splitlines()[0] == f"# {path}"
    assert 'date_format = "%d.%m.%Y"  # file' in out
    assert 'theme = "nord"  # env $NEWSROOM_THEME' in out
    assert 'library = "/tmp/somewhere"  # flag' in out
    assert 'pager = ""  # default' in out
    assert 'quit = "ctrl+x"  # file' in out
    code, out, _ = run(capsys, "config", "--json")
    data = json.loads(out)
    assert data["settings"]["date_format"] == {"value": "%d.%m.%Y", "origin": "file"}


def test_bad_values_are_one_line_naming_key_and_file(capsys: pytest.CaptureFixture[str]) -> None:
    path = write_config('theme = 3\ndate_format = "%Q%"\n[keys]\nhelp = ""\n')
    config = load_config()
    assert config.get("theme") == "textual-dark" and config.get("date_format") == "%Y-%m-%d"
    assert not config.keys
    code, _, err = run(capsys, "config")
    assert code == 0
    lines = err.splitlines()
    assert len(lines) == 3
    assert all(str(path) in line for line in lines)
    assert any(": theme: " in line for line in lines)
    assert any(": keys.help: " in line for line in lines)
    write_config("theme = [unclosed\n")
    config = load_config()
    assert len(config.errors) == 1 and "not valid TOML" in config.errors[0]


def test_save_setting_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "c" / "config.toml"
    save_setting(path, "theme", "nord")
    assert load_config(path).get("theme") == "nord"
    path.write_text('# mine\ntheme = "x"\npager = "most"\n[keys]\nhelp = "f1"\n')
    save_setting(path, "theme", "gruvbox")
    text = path.read_text()
    assert text.startswith('# mine\ntheme = "gruvbox"\npager')
    config = load_config(path)
    assert config.get("theme") == "gruvbox" and config.keys == {"help": "f1"}


def test_article_command_text_and_json(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--library", str(lib), "search", "Pedersen", "--json")
    hit = json.loads(out)["hits"][0]
    code, out, err = run(capsys, "article", hit["id"], "--library", str(lib))
    assert code == 0 and err == ""
    assert out.startswith(hit["title"])
    assert "statements:" in out and "actors:" in out
    code, out, _ = run(capsys, "--library", str(lib), "article", hit["id"], "--json")
    data = json.loads(out)
    assert data["id"] == hit["id"] and data["statements"]
    code, out, err = run(capsys, "--library", str(lib), "article", "nope")
    assert code == 2 and out == "" and len(err.splitlines()) == 1


def test_quotes_json_carry_the_article_and_limits(
    lib: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--library", str(lib), "quotes", "--json", "--limit", "3")
    quotes = json.loads(out)
    assert code == 0 and len(quotes) == 3
    for quote in quotes:
        assert quote["article_title"] and "article_published" in quote
        assert "article_source" in quote
    code, out, _ = run(capsys, "--library", str(lib), "actors", "--limit", "2")
    assert code == 0 and len(out.splitlines()) == 2
    code, _, err = run(capsys, "--library", str(lib), "actors", "--limit", "0")
    assert code == 2 and "--limit" in err
