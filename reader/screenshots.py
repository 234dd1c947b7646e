"""Regenerate screenshots/*.svg: `python -m reader.screenshots` (the app on the bundled seeds)."""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from reader.app import NewsroomApp, create_app
from reader.bundled import seeds_path

ROOT = Path(__file__).resolve().parent.parent
Scenario = Callable[[Pilot], Awaitable[None]]
WAIT_S = 60.0  # bounds a hang; load only makes the wait longer


async def settle(pilot: Pilot, predicate: Callable[[], bool], what: str) -> None:
    """Run the app until `predicate()` holds, then until nothing is left to happen.

    Quiet means: no worker running, no key waiting or in flight, the search answered,
    every widget's message queue empty, and all of that still true after a repaint.
    Load only makes this take longer; it never changes the picture.
    """
    app = _app(pilot)
    deadline = time.monotonic() + WAIT_S
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"screenshots: timed out waiting for {what}")
        await pilot.pause(0.02)
    quiet_rounds = 0
    while quiet_rounds < 2:
        if time.monotonic() > deadline:
            raise TimeoutError(f"screenshots: timed out waiting for the app to settle ({what})")
        await app.workers.wait_for_complete()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        quiet = app.is_quiet and not any(w.is_running for w in app.workers)
        quiet_rounds = quiet_rounds + 1 if quiet else 0


def _app(pilot: Pilot) -> NewsroomApp:
    assert isinstance(pilot.app, NewsroomApp)
    return pilot.app


async def feed_ready(pilot: Pilot) -> None:
    app = _app(pilot)
    await settle(pilot, lambda: app.feed_ready_s is not None and bool(app.feed.entries), "feed")


async def open_entry(pilot: Pilot, file_prefix: str | None = None) -> None:
    """Open the feed entry whose file name starts with `file_prefix` (else the current one)."""
    app = _app(pilot)
    app.feed.focus()
    if file_prefix is not None:
        index = next(
            i for i, e in enumerate(app.feed.entries) if Path(e.path).name.startswith(file_prefix)
        )
        app.feed.action_jump(index)
    target = app.feed.current
    assert target is not None
    await pilot.press("enter")
    await settle(pilot, lambda: getattr(app.open_article, "id", None) == target.id, "article")
    await settle(pilot, lambda: app.related_for == target.id, "related articles")


async def main_view(pilot: Pilot) -> None:
    """The feed, seed 001 open, its actors, statements and related articles."""
    await feed_ready(pilot)
    await open_entry(pilot, "001_")


async def search_view(pilot: Pilot) -> None:
    """`Pedersen` typed: two hits, the first open with its hits marked, at the first hit."""
    await feed_ready(pilot)
    app = _app(pilot)
    await pilot.press("slash")
    app.search_box.set_query("Pedersen")
    await settle(pilot, lambda: app.query_text == "Pedersen" and app.search_settled, "search")
    await pilot.press("enter")
    await settle(pilot, lambda: app.search_settled, "final search")
    await open_entry(pilot)
    await pilot.press("n")
    await pilot.pause()


async def actor_filter_view(pilot: Pilot) -> None:
    """An actor chosen in the side panel filters the feed to `actor:"..."`."""
    await feed_ready(pilot)
    app = _app(pilot)
    await open_entry(pilot, "001_")
    await pilot.press("a")
    names = app.side.actor_names
    target = "Geir Pedersen" if "Geir Pedersen" in names else (names[0] if names else None)
    if target is None:
        return
    for _ in range(60):
        if app.article_view.focus_actor == target:
            break
        await pilot.press("j")
    await pilot.press("enter")
    await settle(
        pilot, lambda: app.search_settled and app.query_text.startswith("actor:"), "actor filter"
    )
    await open_entry(pilot)
    await pilot.press("a")
    for _ in range(60):
        if app.article_view.focus_actor == target:
            break
        await pilot.press("j")
    await settle(pilot, lambda: True, "actor highlight")


async def help_view(pilot: Pilot) -> None:
    """The help screen over the feed: every key and the query language."""
    from reader.widgets.help_screen import HelpScreen

    await feed_ready(pilot)
    await pilot.press("question_mark")
    await settle(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "help")


async def narrow_view(pilot: Pilot) -> None:
    """80x24: feed and article; the side panel waits behind `p`, `a` or `s`."""
    await feed_ready(pilot)
    await open_entry(pilot, "000_")


async def unread_view(pilot: Pilot) -> None:
    """Seed 001 read and starred, then the unread view (the header says so) at 80x24."""
    await feed_ready(pilot)
    app = _app(pilot)
    await open_entry(pilot, "001_")
    await pilot.press("m")
    app.feed.focus()
    await pilot.press("v")
    await pilot.pause()


async def suggestion_view(pilot: Pilot) -> None:
    """A misspelt search at 80 columns: the "did you mean" line under the box, ^y to take it."""
    await feed_ready(pilot)
    app = _app(pilot)
    await pilot.press("slash")
    app.search_box.set_query("pedersn")
    await settle(pilot, lambda: app.query_text == "pedersn" and app.search_settled, "search")
    await pilot.press("enter")
    await settle(pilot, lambda: app.search_settled and app.suggestion is not None, "suggestion")
    await pilot.pause()


async def saved_view(pilot: Pilot) -> None:
    """The saved searches list, with unread and total hits."""
    from reader.widgets.saved_screen import SavedScreen

    await feed_ready(pilot)
    app = _app(pilot)
    app.saved_store.save("envoy", "speaker:Pedersen")
    app.saved_store.save("rebels near Hama", "rebels hama")
    await pilot.press("S")
    await settle(
        pilot,
        lambda: isinstance(app.screen, SavedScreen) and len(app.screen.counts) == 2,
        "saved searches",
    )
    await pilot.pause()


SHOTS: tuple[tuple[str, tuple[int, int], Scenario], ...] = (
    ("main", (140, 40), main_view),
    ("search", (140, 40), search_view),
    ("actor-filter", (140, 40), actor_filter_view),
    ("help", (100, 40), help_view),
    ("narrow-80x24", (80, 24), narrow_view),
    ("unread-view-80x24", (80, 24), unread_view),
    ("suggestion-80x24", (80, 24), suggestion_view),
    ("saved-searches", (100, 30), saved_view),
)


def seeded_library(folder: Path) -> Path:
    """A library ingested from the bundled seeds, inside `folder`."""
    from index.library import Library

    path = folder / "library"
    with Library.open(path) as lib:
        report = lib.ingest([seeds_path()])
    if report.skipped:
        raise RuntimeError("; ".join(str(p) for p in report.skipped))
    return path


async def shoot(
    template: Path, work: Path, name: str, size: tuple[int, int], scenario: Scenario, out: Path
) -> Path:
    library = work / name
    shutil.copytree(template, library)  # each shot starts unread, like a new reader
    app = create_app(library, ingest_seeds_if_empty=False, watch=False)
    async with app.run_test(size=size) as pilot:
        await scenario(pilot)
        return Path(app.save_screenshot(f"{name}.svg", str(out)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m reader.screenshots", description="Regenerate the README's screenshots."
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "screenshots",
        help="folder for the SVG files (default: screenshots/)",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newsroom-shots-") as tmp:
        work = Path(tmp)
        template = seeded_library(work)
        for name, size, scenario in SHOTS:
            path = asyncio.run(shoot(template, work, name, size, scenario, args.out))
            print(f"{path}  ({size[0]}x{size[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
