"""Sources (list, remove), which library the reader opens or creates, and closed pipes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.bundled import seeds_path
from reader.cli import main, tui_app
from tests.test_app_flows import ready

ROOT = Path(__file__).resolve().parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def default_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty XDG data dir and no $NEWSROOM_LIBRARY: the default library is new."""
    monkeypatch.delenv("NEWSROOM_LIBRARY", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "newsroom" / "library"


def test_sources_lists_and_removes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a", tmp_path / "a" / "b"
    b.mkdir(parents=True)
    seeds = sorted(seeds_path().glob("*.txt"))
    for seed in seeds[:2]:
        shutil.copy(seed, a)
    for seed in seeds[2:]:
        shutil.copy(seed, b)
    lib = str(tmp_path / "lib")
    assert main(["--library", lib, "ingest", str(a)]) == 0
    assert main(["--library", lib, "ingest", str(b)]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "--library", lib, "sources", "--json")
    assert code == 0
    listed = {Path(s["path"]).name: s["articles"] for s in json.loads(out)}
    assert listed == {"a": 5, "b": 3}
    # b is also under a: removing b stops watching it but its articles stay (a holds them)
    code, out, _ = run(capsys, "--library", lib, "sources", "--remove", str(b))
    assert code == 0 and "0 article(s) left" in out
    code, out, _ = run(capsys, "--library", lib, "sources")
    assert out.count("\n") == 1 and f"{a.resolve()}: 5 article(s)" in out
    code, out, _ = run(capsys, "--library", lib, "sources", "--remove", str(a))
    assert code == 0 and "5 article(s) left" in out
    code, out, _ = run(capsys, "--library", lib, "search", "Pedersen", "--json")
    assert json.loads(out)["total"] == 0
    code, out, _ = run(capsys, "--library", lib, "actors", "--json")
    assert json.loads(out) == []
    code, out, _ = run(capsys, "--library", lib, "sources")
    assert "no sources yet" in out


def test_removing_an_unknown_source_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = str(tmp_path / "lib")
    assert main(["--library", lib, "ingest", str(seeds_path())]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "--library", lib, "sources", "--remove", str(tmp_path / "x"))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "not a source" in err and str(tmp_path / "x") in err
    code, out, _ = run(capsys, "--library", lib, "sources")
    assert "5 article(s)" in out and "bundled demo articles" in out


@pytest.mark.parametrize(
    "argv",
    [[], ["search", "x"], ["actors"], ["quotes"], ["sources"], ["sources", "--remove", "/tmp"]],
)
def test_a_mistyped_library_is_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    missing = tmp_path / "typo"
    code, out, err = run(capsys, "--library", str(missing), *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and str(missing) in err and "Traceback" not in err
    assert not missing.exists()


def test_an_empty_folder_is_not_a_library(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--library", str(tmp_path), "search", "x")
    assert code == 2 and str(tmp_path) in err
    assert list(tmp_path.iterdir()) == []


def test_ingest_creates_a_library_where_none_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = tmp_path / "new"
    assert main(["--library", str(lib), "ingest", str(seeds_path())]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "--library", str(lib), "search", "Pedersen", "--json")
    assert code == 0 and json.loads(out)["total"] == 2
    app = tui_app(main_args("--library", str(lib)))
    assert app is not None and not app.ingest_seeds_if_empty


def main_args(*argv: str):  # type: ignore[no-untyped-def]
    from reader.cli import build_parser

    return build_parser().parse_args(list(argv))


async def test_the_default_library_is_seeded_once(default_home: Path) -> None:
    app = tui_app(main_args())
    assert app is not None and app.library_path == default_home
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert len(app.feed.entries) == 5
    assert main(["sources", "--remove", str(seeds_path())]) == 0
    # Emptied by the user: the seeds do not come back.
    again = tui_app(main_args())
    assert again is not None and not again.ingest_seeds_if_empty
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert again.library is not None and again.library.count() == 0


# -- a closed pipe is not an error --------------------------------------------------


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lib = tmp_path_factory.mktemp("pipe") / "lib"
    assert main(["--library", str(lib), "ingest", str(seeds_path())]) == 0
    return lib


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "Aleppo"],
        ["search", "Aleppo", "--json"],
        ["actors"],
        ["quotes"],
        ["sources"],
        ["show", str(ROOT / "seeds")],
    ],
    ids=["search", "search-json", "actors", "quotes", "sources", "show"],
)
def test_every_command_exits_0_on_a_closed_pipe(seeded: Path, argv: list[str]) -> None:
    # The reading end is closed before the command starts: its first write fails,
    # every time (as `| head` does once it has its lines).
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "reader.cli", "--library", str(seeded), *argv],
            stdout=write_end,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
