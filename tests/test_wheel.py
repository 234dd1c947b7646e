"""The installed wheel: built from a copy of the sources, installed in a fresh venv, seeds found."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ("pyproject.toml", "README.md", "index", "reader", "seeds")

# Runs in the installed venv: the first run on the default library, as a user would see it.
FIRST_RUN = """
import asyncio, sys
from reader.cli import build_parser, tui_app

async def first_run():
    app = tui_app(build_parser().parse_args([]))
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(3000):
            if app.feed_ready_s is not None and app.feed.entries:
                break
            await pilot.pause(0.02)
        print(len(app.feed.entries), app.library_path)

asyncio.run(first_run())
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv holding only the newsroom wheel; its dependencies come from the test venv."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"  # a copy: no stale build/ of the checkout can leak into the wheel
    src.mkdir()
    for name in SHIPPED:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        else:
            shutil.copy(ROOT / name, src / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    # No build isolation: the build backend is the test venv's setuptools, no network.
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp / "dist"), str(src)],
        check=True,
        cwd=tmp,
        timeout=300,
    )
    (wheel,) = (tmp / "dist").glob("newsroom-*.whl")
    venv = tmp / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    python = venv / "bin" / "python"
    subprocess.run(
        [*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)],
        check=True,
        cwd=tmp,
        timeout=300,
    )
    # textual, whoosh... from the test venv, after the wheel's own site-packages (a plain
    # path line: the editable install's finder there is not activated).
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    deps = [sysconfig.get_paths()["purelib"], *site.getsitepackages()]
    Path(purelib, "test-deps.pth").write_text("\n".join(dict.fromkeys(deps)) + "\n")
    return venv


def run_installed(venv: Path, tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NEWSROOM_LIBRARY", "PYTHONPATH", "PYTHONHOME")
    }
    env["XDG_DATA_HOME"] = str(tmp_path / "data")  # an empty home: a first run
    return subprocess.run(
        list(argv), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_wheel_ships_and_finds_the_seeds(installed: Path, tmp_path: Path) -> None:
    python = str(installed / "bin" / "python")
    found = run_installed(
        installed,
        tmp_path,
        python,
        "-c",
        "import reader, reader.bundled as b; print(reader.__file__); print(b.seeds_path())",
    )
    assert found.returncode == 0, found.stderr
    module, seeds = found.stdout.split()
    assert Path(module).is_relative_to(installed), "the wheel's reader, not the checkout's"
    assert Path(seeds).is_relative_to(installed)
    shown = run_installed(
        installed, tmp_path, str(installed / "bin" / "newsroom"), "show", seeds, "--json"
    )
    assert shown.returncode == 0, shown.stderr
    assert len([json.loads(line) for line in shown.stdout.splitlines()]) == 5


def test_the_installed_first_run_opens_the_seeds(installed: Path, tmp_path: Path) -> None:
    first = run_installed(installed, tmp_path, str(installed / "bin" / "python"), "-c", FIRST_RUN)
    assert first.returncode == 0, first.stderr
    count, library = first.stdout.split()
    assert count == "5"
    assert Path(library) == tmp_path / "data" / "newsroom" / "library"
    sources = run_installed(installed, tmp_path, str(installed / "bin" / "newsroom"), "sources")
    assert sources.returncode == 0, sources.stderr
    assert "5 article(s)" in sources.stdout and "bundled demo articles" in sources.stdout
