"""Waiting in the reader benchmarks: for a condition of the app, and for a painted screen."""

from __future__ import annotations

import asyncio
import time
from typing import Any


async def wait_until(condition: Any, limit: float = 10.0) -> bool:
    """True once `condition()` holds, False after `limit` seconds (polled every ms)."""
    deadline = time.perf_counter() + limit
    while not condition():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(0.001)
    return True


async def painted(app: Any, limit: float = 10.0) -> None:
    """Return once the app's screen has been refreshed (repainted) after this call."""
    refreshed = asyncio.Event()
    app.call_after_refresh(refreshed.set)
    app.screen.refresh()
    await asyncio.wait_for(refreshed.wait(), limit)
