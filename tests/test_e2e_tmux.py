"""End to end in a real terminal: the installed `newsroom` driven through tmux."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TMUX = shutil.which("tmux")

pytestmark = [pytest.mark.tmux, pytest.mark.skipif(TMUX is None, reason="tmux is not installed")]


def newsroom_command(library: Path) -> list[str]:
    """The installed entry point; `python -m reader.cli` when the venv has no script yet."""
    installed = ROOT / ".venv" / "bin" / "newsroom"
    if installed.exists():
        return [str(installed), "--library", str(library)]
    return [sys.executable, "-m", "reader.cli", "--library", str(library)]


class Tmux:
    """One private tmux server (its own socket file) running one window."""

    def __init__(self, socket: Path) -> None:
        self.base = [str(TMUX), "-S", str(socket), "-f", os.devnull]

    def run(self, *args: str) -> str:
        out = subprocess.run([*self.base, *args], capture_output=True, text=True, timeout=10)
        return out.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "nr")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", "nr", *(["-l"] if literal else []), *keys)

    def wait(self, predicate: Callable[[str], bool], what: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")


def test_newsroom_in_tmux(tmp_path: Path) -> None:
    tmux = Tmux(tmp_path / "tmux.sock")  # a private server, its socket removed with tmp_path
    command = shlex.join(newsroom_command(tmp_path / "library"))
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    marker = tmp_path / "pager-saw"
    env["PAGER"] = f"sh -c 'echo \"$0\" > {shlex.quote(str(marker))}'"
    started = time.monotonic()
    # The shell records the exit status (tmux may report a dead pane before reaping it),
    # and remain-on-exit keeps the screen, so a traceback would be seen.
    exit_file = tmp_path / "exit-status"
    subprocess.run(
        [*tmux.base, "start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";",
         "new-session", "-d", "-s", "nr", "-x", "100", "-y", "30", "-c", str(ROOT),
         f"{command}; echo $? > {shlex.quote(str(exit_file))}"],
        check=True, env=env, timeout=10,
    )
    try:
        # A new library: the app ingests the bundled seeds, then paints the feed.
        screen = tmux.wait(lambda s: "5 articles" in s and "Syrian rebels push" in s, "the feed",
                           timeout=60)
        first_paint = time.monotonic() - started
        assert "Insurgents Advance" in screen
        # Sent at once, as a paste or a fast typist over SSH would: no key may be lost.
        tmux.keys("/Pedersen", literal=True)

        def feed_rows(screen: str) -> list[str]:
            return [line[:30] for line in screen.splitlines()[2:] if "2024-" in line[:30]]

        screen = tmux.wait(lambda s: "2 hits" in s and len(feed_rows(s)) == 2,
                           "the feed narrowed to two articles")
        assert "Rebels Gain Ground" not in "\n".join(line[:30] for line in screen.splitlines())
        tmux.keys("Enter", "Enter")  # to the first result, open it
        screen = tmux.wait(lambda s: "hit 1/" in s or "in the article (n/N)" in s, "the open article")
        assert "Pedersen" in screen
        # `o` hands the terminal to $PAGER (here a stand-in recording the file it got).
        tmux.keys("o")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not (
            marker.exists() and marker.read_text(encoding="utf-8").strip()
        ):
            time.sleep(0.05)
        assert marker.read_text(encoding="utf-8").strip().endswith(".txt")
        # Back from the pager the app answers keys again: `?` opens the help (its key
        # table lists binding ids such as focus-search), `esc` closes it. A key sent while
        # the terminal is handed back may be dropped, so `?` is sent until the help shows.
        for _ in range(5):
            tmux.keys("?")
            try:
                tmux.wait(lambda s: "focus-search" in s, "the help screen", timeout=3)
                break
            except AssertionError:
                continue
        tmux.keys("Escape")
        tmux.wait(lambda s: "focus-search" not in s, "the help screen to close")
        tmux.keys("q")
        tmux.wait(lambda s: exit_file.exists() and bool(exit_file.read_text().strip()),
                  "the app to quit on q", timeout=10)
        assert exit_file.read_text().strip() == "0", tmux.screen()
        assert "Traceback" not in tmux.screen()
        print(f"tmux: launch to painted feed (first run, seeds ingested) {first_paint:.2f}s")
    finally:
        tmux.run("kill-server")
