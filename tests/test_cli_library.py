"""The library commands of the CLI: ingest, search, actors, quotes (real files, real index)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index.storage import lock, schema
from reader.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("cli")
    folder = root / "articles"
    shutil.copytree(SEEDS, folder)
    lib = root / "lib"
    assert main(["--library", str(lib), "ingest", str(folder)]) == 0
    return lib, folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_summary_and_incremental(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    lib, folder = library
    code, out, err = run(capsys, "--library", str(lib), "ingest", str(folder))
    assert code == 0 and err == ""
    assert out.startswith("added 0, updated 0, unchanged 5, removed 0, skipped 0")
    assert out.count("\n") == 1


def test_ingest_reports_skipped_files_one_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(next(SEEDS.glob("001_*")), folder)
    missing = tmp_path / "nowhere"
    code, out, err = run(
        capsys, "--library", str(tmp_path / "lib"), "ingest", str(folder), str(missing)
    )
    assert code == 1
    assert "added 1" in out and "skipped 1" in out
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("newsroom: ") and str(missing) in lines[0]


def test_search_json_lists_exactly_001_and_004(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    lib, _ = library
    code, out, err = run(capsys, "--library", str(lib), "search", "Pedersen", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert list(data) == ["query", "total", "total_exact", "took_ms", "suggestion", "error", "hits"]
    assert data["query"] == "Pedersen" and data["total"] == 2 and data["total_exact"] is True
    assert {Path(h["path"]).name[:3] for h in data["hits"]} == {"001", "004"}
    for hit in data["hits"]:
        assert list(hit) == ["id", "title", "published", "source", "score", "snippet", "path"]
        assert "Pedersen" in hit["snippet"]


def test_search_human_output_limit_sort_and_suggestion(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    lib, _ = library
    code, out, _ = run(
        capsys, "--library", str(lib), "search", "Aleppo", "--limit", "2", "--sort", "date"
    )
    assert code == 0
    assert "showing 2" in out
    assert out.count(" 1. ") == 1 and out.count(" 2. ") == 1 and " 3. " not in out
    code, out, _ = run(capsys, "--library", str(lib), "search", "Pedersn")
    assert code == 0 and "did you mean: Pedersen" in out


def test_search_syntax_error_is_a_warning(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    lib, _ = library
    code, out, err = run(capsys, "--library", str(lib), "search", "Pedersen", "AND", "(")
    assert code == 0
    assert "plain words" in err and err.count("\n") == 1
    assert "2 match(es)" in out


def test_hostile_text_is_inert_in_human_output_and_exact_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    evil = "Zebrafish \x1b]2;pwned\x07 [bold]loud[/bold] [link=http://x]y[/link] \x1b[2J done"
    (folder / "evil.txt").write_text(
        f"Zebrafish report\n\nDec 1, 2024\n\n{evil} and more zebrafish news today.\n",
        encoding="utf-8",
    )
    lib = str(tmp_path / "lib")
    assert main(["--library", lib, "ingest", str(folder)]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "--library", lib, "search", "zebrafish")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "[bold]loud[/bold]" in out  # markup shown, not interpreted
    code, out, _ = run(capsys, "--library", lib, "search", "zebrafish", "--json")
    snippet = json.loads(out)["hits"][0]["snippet"]
    assert "\x1b]2;pwned\x07" in snippet


def test_actors_json_merges_aliases(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    lib, _ = library
    code, out, _ = run(capsys, "--library", str(lib), "actors", "--json")
    assert code == 0
    actors = json.loads(out)
    assert set(actors[0]) == {"name", "kind", "aliases", "mentions", "article_ids"}
    assad = [a for a in actors if a["name"] == "Bashar al-Assad"]
    assert len(assad) == 1
    assert not [a for a in actors if a["name"] in ("Assad", "Al-Assad")]
    code, out, _ = run(capsys, "--library", str(lib), "actors", "--kind", "person")
    assert code == 0 and "Bashar al-Assad (person)" in out


def test_quotes_by_speaker(library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    lib, _ = library
    code, out, _ = run(capsys, "--library", str(lib), "quotes", "--speaker", "Pedersen", "--json")
    assert code == 0
    said = json.loads(out)
    assert said and all("Pedersen" in s["speaker"] for s in said)
    code, out, _ = run(capsys, "--library", str(lib), "quotes", "--speaker", "Pedersen")
    assert code == 0 and out.startswith("Geir Pedersen: ")


def test_read_commands_without_a_library(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (["search", "x"], ["actors"], ["quotes"]):
        code, out, err = run(capsys, "--library", str(tmp_path / "none"), *argv)
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and "newsroom ingest" in err


def test_locked_library_fails_with_one_line(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lib, folder = library
    monkeypatch.setattr(lock, "WRITER_WAIT_S", 0.3)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom pathlib import Path\nfrom index.storage import lock\n"
            "with lock.writer_lock(Path(sys.argv[1])):\n"
            "    print('locked', flush=True)\n    time.sleep(30)\n",
            str(lib),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        code, _, err = run(capsys, "--library", str(lib), "ingest", str(folder))
    finally:
        holder.kill()
        holder.wait()
    assert code == 2
    assert err.count("\n") == 1 and f"being written by process {holder.pid}" in err


def test_damaged_library_cli(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    lib = tmp_path / "lib"
    env = {**os.environ, "NEWSROOM_LIBRARY": str(lib)}

    def cli(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "reader.cli", *argv],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert cli("ingest", str(folder)).returncode == 0
    for seg in (lib / schema.INDEX_DIR).glob("*.seg"):
        with seg.open("r+b") as f:
            f.truncate(100)
    broken = cli("search", "Pedersen")
    assert broken.returncode == 2
    assert "Traceback" not in broken.stderr and broken.stderr.count("\n") == 1
    assert "damaged" in broken.stderr and "--rebuild" in broken.stderr
    fixed = cli("ingest", "--rebuild", str(folder))
    assert fixed.returncode == 0, fixed.stderr
    assert json.loads(cli("search", "Pedersen", "--json").stdout)["total"] == 2
