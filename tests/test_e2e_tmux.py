"""End to end in a real terminal: the installed `newsroom` driven through tmux."""

from __future__ import annotations

import os
import re
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


def newsroom_command(library: Path | None) -> list[str]:
    """The installed entry point; `python -m reader.cli` when the venv has no script yet.
    Without `library`, the default library (in $XDG_DATA_HOME)."""
    installed = ROOT / ".venv" / "bin" / "newsroom"
    command = [str(installed)] if installed.exists() else [sys.executable, "-m", "reader.cli"]
    return [*command, "--library", str(library)] if library is not None else command


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

    def start(
        self,
        command: list[str],
        env: dict[str, str],
        exit_file: Path,
        size: tuple[int, int] = (100, 30),
    ) -> None:
        """Run `command` in a new window; the shell writes its exit status to `exit_file`."""
        # remain-on-exit keeps the screen, so a traceback would be seen.
        subprocess.run(
            [
                *self.base,
                "start-server",
                ";",
                "set-option",
                "-g",
                "remain-on-exit",
                "on",
                ";",
                "new-session",
                "-d",
                "-s",
                "nr",
                "-x",
                str(size[0]),
                "-y",
                str(size[1]),
                "-c",
                str(ROOT),
                f"{shlex.join(command)}; echo $? > {shlex.quote(str(exit_file))}",
            ],
            check=True,
            env=env,
            timeout=10,
        )

    def wait(self, predicate: Callable[[str], bool], what: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")


def article_open(screen: str) -> bool:
    """The status line names the hits in the open article ("2 hits in the article (n/N)",
    "hit 1/2"). Matched by its start: after a first run's "ingested 5 new or changed" the
    line is longer than 100 columns and its end is cut."""
    return re.search(r"· (\d+ hits? in the|hit \d+/)", screen) is not None


def terminal_env(tmp_path: Path) -> dict[str, str]:
    """A colour terminal, and an empty data dir: the default library is new."""
    env = {**os.environ, "TERM": "xterm-256color", "XDG_DATA_HOME": str(tmp_path / "data")}
    for name in ("NO_COLOR", "NEWSROOM_LIBRARY"):
        env.pop(name, None)
    return env


def test_newsroom_in_tmux(tmp_path: Path) -> None:
    tmux = Tmux(tmp_path / "tmux.sock")  # a private server, its socket removed with tmp_path
    env = terminal_env(tmp_path)
    marker = tmp_path / "pager-saw"
    env["PAGER"] = f"sh -c 'echo \"$0\" > {shlex.quote(str(marker))}'"
    started = time.monotonic()
    # The shell records the exit status (tmux may report a dead pane before reaping it).
    exit_file = tmp_path / "exit-status"
    tmux.start(newsroom_command(None), env, exit_file, size=(100, 30))
    try:
        # A new library: the app ingests the bundled seeds, then paints the feed.
        screen = tmux.wait(
            lambda s: "5 articles" in s and "Syrian rebels push" in s, "the feed", timeout=120
        )
        first_paint = time.monotonic() - started
        assert "Insurgents Advance" in screen
        # Sent at once, as a paste or a fast typist over SSH would: no key may be lost.
        tmux.keys("/Pedersen", literal=True)

        def feed_rows(screen: str) -> list[str]:
            return [line[:30] for line in screen.splitlines()[2:] if "2024-" in line[:30]]

        screen = tmux.wait(
            lambda s: "2 hits" in s and len(feed_rows(s)) == 2, "the feed narrowed to two articles"
        )
        assert "Rebels Gain Ground" not in "\n".join(line[:30] for line in screen.splitlines())
        tmux.keys("Enter", "Enter")  # to the first result, open it
        screen = tmux.wait(article_open, "the open article")
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
            if "focus-search" in tmux.screen():
                break  # a `?` sent before did arrive: another would close the help
            tmux.keys("?")
            try:
                tmux.wait(lambda s: "focus-search" in s, "the help screen", timeout=10)
                break
            except AssertionError:
                continue
        tmux.keys("Escape")
        tmux.wait(lambda s: "focus-search" not in s, "the help screen to close")
        tmux.keys("q")
        tmux.wait(
            lambda s: exit_file.exists() and bool(exit_file.read_text().strip()),
            "the app to quit on q",
            timeout=60,
        )
        assert exit_file.read_text().strip() == "0", tmux.screen()
        assert "Traceback" not in tmux.screen()
        print(f"tmux: launch to painted feed (first run, seeds ingested) {first_paint:.2f}s")
    finally:
        tmux.run("kill-server")


def feed_focused(screen: str) -> bool:
    """The footer lists the feed's own keys (enter opens) only while the feed has the focus."""
    lines = [line for line in screen.splitlines() if line.strip()]
    return bool(lines) and " Open " in lines[-1]


def search_line(screen: str) -> str:
    return next((line for line in screen.splitlines() if line.startswith(" / ")), "")


def test_keys_sent_faster_than_the_app_answers(tmp_path: Path) -> None:
    """Each burst is one write to the terminal: the app cannot answer between its keys."""
    from tests.test_app_flows import seeded_library

    library = seeded_library(tmp_path)
    tmux = Tmux(tmp_path / "tmux.sock")
    exit_file = tmp_path / "exit-status"
    tmux.start(newsroom_command(library), terminal_env(tmp_path), exit_file)
    try:
        tmux.wait(
            lambda s: "5 articles" in s and "Syrian rebels push" in s, "the feed", timeout=120
        )
        tmux.keys("/Pedersen", literal=True)
        tmux.wait(lambda s: "2 hits" in s, "the Pedersen hits")
        # Back to the feed, the query kept. A terminal cannot tell an escape followed at
        # once by more bytes from an escape sequence: wait for it before the next burst.
        tmux.keys("Escape")
        tmux.wait(feed_focused, "the feed focused")
        # `/`, 8 backspaces and a new word: in order, none lost
        tmux.keys("/" + "\x7f" * 8 + "hama", literal=True)
        screen = tmux.wait(
            lambda s: "hit" in search_line(s) and search_line(s).split()[1:2] == ["hama"],
            "the box to read hama",
        )
        assert search_line(screen).split()[1] == "hama", screen
        # A whole query and two enters pasted at once: the first hit of THAT query opens.
        tmux.keys("Escape")
        tmux.wait(feed_focused, "the feed focused")
        tmux.keys("Escape")  # clear the search: the unfiltered feed
        tmux.wait(lambda s: "hits" not in search_line(s), "the search cleared")
        tmux.keys("/Pedersen\r\r", literal=True)
        screen = tmux.wait(article_open, "the first hit open")
        assert "2 hits" in search_line(screen)
        assert "Pedersen" in screen
        tmux.keys("q")
        tmux.wait(
            lambda s: exit_file.exists() and bool(exit_file.read_text().strip()),
            "the app to quit on q",
            timeout=60,
        )
        assert exit_file.read_text().strip() == "0", tmux.screen()
    finally:
        tmux.run("kill-server")
