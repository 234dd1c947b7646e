"""Snapshot tests of the main screens at 80x24 and 140x40 (update: pytest --snapshot-update)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reader.app import create_app
from reader.screenshots import (
    Scenario,
    actor_filter_view,
    help_view,
    main_view,
    narrow_view,
    saved_view,
    search_view,
    suggestion_view,
    unread_view,
)
from tests.test_app_flows import seeded_library

SCENARIOS: dict[str, Scenario] = {
    "main": main_view,
    "search": search_view,
    "actor-filter": actor_filter_view,
    "help": help_view,
    "article": narrow_view,
    "unread-view": unread_view,
    "suggestion": suggestion_view,
    "saved-searches": saved_view,
}
CASES = [
    ("main", (140, 40)),
    ("search", (140, 40)),
    ("actor-filter", (140, 40)),
    ("article", (80, 24)),
    ("help", (80, 24)),
    ("unread-view", (80, 24)),
    ("suggestion", (80, 24)),
    ("saved-searches", (100, 30)),
]


@pytest.mark.parametrize(
    ("scenario", "size"), CASES, ids=[f"{name}-{w}x{h}" for name, (w, h) in CASES]
)
def test_snapshot(scenario: str, size: tuple[int, int], snap_compare: Any, tmp_path: Path) -> None:
    # A fixed library (the seeds) in a temp dir, no watcher, no clock-dependent text.
    app = create_app(seeded_library(tmp_path), ingest_seeds_if_empty=False, watch=False)
    assert snap_compare(app, terminal_size=size, run_before=SCENARIOS[scenario])
