"""TUI timings with Textual's Pilot: launch to painted feed, keystroke to updated feed, RSS."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.measure import percentile

SIZE = (140, 40)
# Typed into the search box keystroke by keystroke (each query is cleared afterwards).
TYPED = ("oil prices", "gorbachev")
TYPED_QUICK = "oil"
BROWSE = 8
WAIT_LIMIT_S = 10.0


def _self_rss_mb(kind: str = "VmRSS") -> float:
    """VmRSS, or its parts RssAnon (heap) and RssFile (mapped files such as SQLite's mmap)."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(kind + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


async def _wait(condition: Any, limit: float = WAIT_LIMIT_S) -> bool:
    deadline = time.perf_counter() + limit
    while not condition():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(0.001)
    return True


async def _painted(app: Any) -> None:
    """Return after the app's next screen refresh (what a terminal would then show)."""
    refreshed = asyncio.Event()
    app.call_after_refresh(refreshed.set)
    app.screen.refresh()
    await asyncio.wait_for(refreshed.wait(), WAIT_LIMIT_S)


async def _type(app: Any, text: str, notes: list[str]) -> list[float]:
    """Send each key as the terminal driver would; time until the feed shows the answer, painted.

    `Pilot.press` is not used for the timing: it waits for the whole process to go idle
    in steps of 20 ms, twice per key, which would add its own latency to every figure.
    """
    from textual import events

    latencies: list[float] = []
    for char in text:
        before = app.feed.entries
        t0 = time.perf_counter()
        app.post_message(events.Key("space" if char == " " else char, char))
        # `search_settled` flips to False when the query changes and back when the feed shows
        # its answer; the feed's entry list is a new object for every answer.
        done = await _wait(lambda b=before: app.search_settled and app.feed.entries is not b)
        if done:
            await _painted(app)
            latencies.append((time.perf_counter() - t0) * 1000)
        else:
            notes.append(
                f"tui: no feed update within {WAIT_LIMIT_S} s after typing {char!r}; "
                f"stopped typing {text!r}"
            )
            break
    return latencies


async def _measure(library: Path, started: float, quick: bool) -> dict[str, Any]:
    from reader.app import create_app

    notes: list[str] = []
    created = time.perf_counter()
    app = create_app(library, ingest_seeds_if_empty=False, watch=False)
    out: dict[str, Any] = {"import_s": created - started}
    async with app.run_test(size=SIZE) as pilot:
        # The app records launch-to-painted-feed itself (set after the refresh that drew it).
        painted = await _wait(lambda: app.feed_ready_s is not None, limit=60)
        if painted:
            out["app_feed_ready_s"] = app.feed_ready_s
            out["first_paint_s"] = (created - started) + app.feed_ready_s
        else:
            # No figures from a TUI that never showed the library: they would pass for good.
            notes.append("tui: the feed was not painted within 60 s; no TUI figures")
            out.update(first_paint_s=None, keystroke_p95_ms=None, browse_rss_mb=None, notes=notes)
            return out
        out["feed_rows"] = len(app.feed.entries)
        out["rss_after_paint_mb"] = _self_rss_mb()
        typed = [TYPED_QUICK] if quick else list(TYPED)
        latencies: list[float] = []
        app.action_focus_search()
        await pilot.pause()
        for text in typed:
            latencies += await _type(app, text, notes)
            app.action_clear_search()
            await _wait(lambda: app.search_settled and not app.query_text)
            await pilot.pause()
        out["typed"] = typed
        out["keystrokes_ms"] = latencies
        out["keystroke_p50_ms"] = percentile(latencies, 50)
        out["keystroke_p95_ms"] = percentile(latencies, 95)
        out["keystroke_max_ms"] = max(latencies) if latencies else None
        out["rss_before_browse_mb"] = _self_rss_mb()
        out["opened"] = await _browse(app, pilot, 2 if quick else BROWSE, notes)
        out["browse_rss_mb"] = _self_rss_mb()
        out["browse_rss_anon_mb"] = _self_rss_mb("RssAnon")
        out["browse_rss_file_mb"] = _self_rss_mb("RssFile")
    out["notes"] = notes
    return out


async def _browse(app: Any, pilot: Any, articles: int, notes: list[str]) -> int:
    """Open `articles` feed entries one after another, as a reader going down the feed."""
    app.feed.focus()
    await pilot.pause()
    opened = 0
    for _ in range(articles):
        entry = app.feed.current
        if entry is None:
            notes.append("tui: the feed is empty, nothing to browse")
            break
        await pilot.press("enter")
        if await _wait(lambda e=entry: getattr(app.open_article, "id", None) == e.id):
            opened += 1
        await pilot.pause(0.05)
        await pilot.press("down")
        await pilot.pause()
    return opened


def measure_tui(library: Path, started: float, quick: bool = False) -> dict[str, Any]:
    return asyncio.run(_measure(library, started, quick))
