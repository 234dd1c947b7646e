"""How many processes an ingest parses with: one per core, or at most `--jobs N` (`jobs` setting)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# The bound of the ingest running now (None: one worker per core). Process-wide,
# like the cores it shares; ingests of one process run one at a time.
_limit: int | None = None
_guard = threading.Lock()


def check(value: object) -> int | None:
    """`value` (an int or its text; "" or None: no bound) as a number of jobs; ValueError says why."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    try:
        n = int(text)
    except ValueError:
        raise ValueError(f"jobs must be a whole number of at least 1, not {text!r}") from None
    if n < 1:
        raise ValueError(f"jobs must be at least 1, not {n}")
    return n


@contextmanager
def limited(jobs: int | None) -> Iterator[None]:
    """Bound the parse workers of the ingests run inside (None: as outside)."""
    global _limit
    if jobs is None:
        yield
        return
    with _guard:
        before, _limit = _limit, jobs
    try:
        yield
    finally:
        with _guard:
            _limit = before


def workers(wanted: int | None = None) -> int:
    """Parse workers to start: `wanted` (default one per core), at most the bound, at least 1."""
    n = wanted if wanted is not None else (os.cpu_count() or 1)
    if _limit is not None:
        n = min(n, _limit)
    return max(1, n)


def inline() -> bool:
    """Whether to parse in the ingesting process itself (bounded to one job: no pool)."""
    return _limit == 1
