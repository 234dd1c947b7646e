"""`python -m tests.benchmarks.reader_timing --library PATH`: open articles and the palette.

Issue 13's targets (under 100 ms each on a 20k library): enter on a feed entry to the
article painted, and ctrl+p to the palette painted with its commands listed. Wall and
CPU time (the process's) are both reported: on a shared machine wall time also counts
other processes' load.

The side panel's lists are filled a frame after the article's text: `open_side_ms` is
enter to those painted too. The palette is built on the first ctrl+p and kept:
`palette_first_ms` is that first opening, `palette_ms` the openings after it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.measure import percentile
from tests.benchmarks.pilot_waits import painted, wait_until

SIZE = (140, 40)
OPENS = 20
PALETTES = 12  # the first (built) and 11 more (kept)


async def measure(library: Path) -> dict[str, Any]:
    from textual import events
    from textual.command import CommandPalette

    from reader.app import create_app
    from reader.paged import Pending

    app = create_app(library, ingest_seeds_if_empty=False, watch=False)
    out: dict[str, Any] = {}
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(lambda: app.feed_ready_s is not None and bool(app.feed.entries), 60)
        await pilot.pause(1.0)  # the library warmed up (searcher, vocabulary)
        entries = app.feed.entries
        step = max(1, len(entries) // OPENS)
        walls, cpus, sides = [], [], []
        for n in range(OPENS):
            index = (n * step + 7) % len(entries)
            app.feed.cursor = index
            app.feed.focus()
            await pilot.pause()
            # The feed pages in (issue 14): the row's page is read first, out of the figure.
            await wait_until(lambda i=index: not isinstance(app.feed.entries[i], Pending))
            entry = app.feed.entries[index]
            wall, cpu = time.perf_counter(), time.process_time()
            app.post_message(events.Key("enter", "\r"))
            await wait_until(
                lambda e=entry: app.open_article is not None and app.open_article.id == e.id
            )
            await painted(app)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            await wait_until(lambda e=entry: app.side.shown_id == e.id)
            await painted(app)
            sides.append((time.perf_counter() - wall) * 1000)
            # the related list arrives (not part of the figure, nor of the next one)
            await wait_until(lambda: bool(app.side.query_one("#related").option_count), 15.0)
        out["open_article_ms"] = _summary(walls)
        out["open_article_cpu_ms"] = _summary(cpus)
        out["open_side_ms"] = _summary(sides)
        walls, cpus = [], []
        for _ in range(PALETTES):
            wall, cpu = time.perf_counter(), time.process_time()
            app.post_message(events.Key("ctrl+p", None))

            def listed() -> bool:
                screen = app.screen
                if not isinstance(screen, CommandPalette):
                    return False
                try:
                    return screen.query_one("CommandList").option_count > 0
                except Exception:  # not composed yet
                    return False

            await wait_until(listed)
            await painted(app)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            app.screen.dismiss()
            await pilot.pause(0.3)
        out["palette_first_ms"] = {"wall": walls[0], "cpu": cpus[0]}
        out["palette_ms"] = _summary(walls[1:])
        out["palette_cpu_ms"] = _summary(cpus[1:])
        out["articles"] = len(entries)
    return out


def _summary(values: list[float]) -> dict[str, float | None]:
    return {
        "p50": percentile(values, 50),
        "p90": percentile(values, 90),
        "p95": percentile(values, 95),
        "max": max(values),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.reader_timing")
    parser.add_argument("--library", type=Path, required=True)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(measure(args.library)), indent=1))


if __name__ == "__main__":
    main()
