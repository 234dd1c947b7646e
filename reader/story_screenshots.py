"""Scenarios of the story, trail and actor screens (snapshot tests and README screenshots)."""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList

from reader.screenshots import ROOT, Scenario, feed_ready, open_entry, seeded_library, settle, shoot


async def story_view(pilot: Pilot) -> None:
    """`e` then enter: the seeds' one story, each article with what it added."""
    from reader.widgets.story_screen import StoryScreen

    await feed_ready(pilot)
    await pilot.press("e")
    await pilot.press("enter")
    await settle(pilot, lambda: isinstance(pilot.app.screen, StoryScreen), "story")


async def trail_view(pilot: Pilot) -> None:
    """Seed 000 open, its first direct quotation selected, `t`: the quotation's trail."""
    from reader.app import NewsroomApp
    from reader.widgets.trail_screen import TrailScreen

    app = pilot.app
    assert isinstance(app, NewsroomApp)
    await feed_ready(pilot)
    await open_entry(pilot, "000_")
    await pilot.press("s")
    await settle(pilot, lambda: app.focused is app.side.query_one("#statements"), "statements")
    listing = app.side.query_one("#statements", OptionList)
    article = app.open_article
    assert article is not None
    target = next(
        i
        for i in range(listing.option_count)
        if (listing.get_option_at_index(i).id or "").startswith("statement-")
        and article.statements[int((listing.get_option_at_index(i).id or "")[10:])].kind == "direct"
    )
    await pilot.press(*["j"] * (target - (listing.highlighted or 0)), "t")
    await settle(pilot, lambda: isinstance(app.screen, TrailScreen), "trail")


async def actor_view(pilot: Pilot) -> None:
    """Seed 000's first actor, `i`: its record with a sparkline of mentions per day."""
    from reader.widgets.actor_screen import ActorScreen

    await feed_ready(pilot)
    await open_entry(pilot, "000_")
    await pilot.press("a", "i")
    await settle(pilot, lambda: isinstance(pilot.app.screen, ActorScreen), "actor record")


SHOTS: tuple[tuple[str, tuple[int, int], Scenario], ...] = (
    ("story", (140, 40), story_view),
    ("trail", (140, 40), trail_view),
    ("actor-record", (140, 40), actor_view),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m reader.story_screenshots",
        description="Regenerate the README's story screenshots.",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
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
