"""Issue 13: long result lists page in as the user moves; offsets in the library search."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.library import Library
from reader.paged import PAGE, PagedHits, Pending
from tests.test_app_flows import seeded_library


def test_paged_hits_rows_placeholders_and_pages() -> None:
    paged = PagedHits(list(range(PAGE)), 5000)
    assert len(paged) == 5000 and paged[0] == 0
    assert isinstance(paged[-1], Pending) and paged[-1].index == 4999
    assert paged.wanted(0, 10) == []
    assert paged.wanted(4999, 10) == [4960]
    paged.requested.add(4960)
    assert paged.wanted(4999, 10) == []
    assert paged.fill(4960, list(range(40)), PAGE) is False
    assert paged[4999] == 39 and 4960 not in paged.requested
    assert paged.wanted(2500, 30) == [2440, 2480, 2520]


def test_an_estimated_total_shrinks_to_the_last_hit() -> None:
    paged = PagedHits(list(range(PAGE)), 3000)
    assert paged.fill(2960, [], PAGE) is True  # nothing there: the estimate was high
    assert len(paged) == 2960
    assert paged.fill(2920, list(range(7)), PAGE) is True
    assert len(paged) == 2927


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_search_offset_is_a_window_of_the_longer_search(tmp_path: Path, sort: str) -> None:
    with Library.open(seeded_library(tmp_path)) as lib:
        whole = lib.search("syria", limit=50, sort=sort)
        assert len(whole.hits) >= 4
        window = lib.search("syria", limit=2, offset=2, sort=sort)
        assert [h.id for h in window.hits] == [h.id for h in whole.hits[2:4]]
        assert window.total == whole.total
        assert lib.search("syria", limit=5, offset=10_000, sort=sort).hits == ()
