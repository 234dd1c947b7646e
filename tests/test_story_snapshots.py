"""Snapshots of the story and trail screens at 80x24 and 140x40 (update: pytest --snapshot-update)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reader.app import create_app
from reader.story_screenshots import story_view, trail_view
from tests.test_app_flows import seeded_library

SCENARIOS = {"story": story_view, "trail": trail_view}
CASES = [(name, size) for name in SCENARIOS for size in ((80, 24), (140, 40))]


@pytest.mark.parametrize(
    ("scenario", "size"), CASES, ids=[f"{name}-{w}x{h}" for name, (w, h) in CASES]
)
def test_story_snapshot(
    scenario: str, size: tuple[int, int], snap_compare: Any, tmp_path: Path
) -> None:
    app = create_app(seeded_library(tmp_path), ingest_seeds_if_empty=False, watch=False)
    assert snap_compare(app, terminal_size=size, run_before=SCENARIOS[scenario])
