"""Best blocks first: exact where it stops early, deterministic and honest when a budget cuts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import index.search.best_first as best_first
import index.search.engine as engine_mod
import index.search.lean as lean
from index.library import Library
from tests.test_search_lean import (
    QUERIES,
    _assert_exact_top,
    _compiled,
    _whoosh_scores,
    harbour_library,
)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    lib = harbour_library(tmp_path_factory)
    yield lib
    lib.close()


@pytest.fixture(autouse=True)
def best_blocks_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lean, "BEST_BLOCKS_FIRST", True)
    # The default: title words are sparse, body words dense.
    monkeypatch.setattr(best_first, "SPARSE", 8)


@pytest.mark.parametrize("text", QUERIES)
def test_without_a_budget_the_top_hits_are_the_exhaustive_ones(library: Library, text: str) -> None:
    q = _compiled(library, text)
    scores = _whoosh_scores(library, q)
    searcher = library._get_searcher()
    for k in (1, 5, 20):
        out = lean.run(searcher, q, k, None, None, lean.Lengths())
        assert not out.cut
        _assert_exact_top(out.top, scores, k)
        if not out.skipped:  # every driving block read: every match counted
            assert out.matched == len(scores)


def test_early_termination_stops_before_reading_everything_and_stays_exact(
    library: Library,
) -> None:
    searcher = library._get_searcher()
    q = _compiled(library, "tide")
    scores = _whoosh_scores(library, q)
    out = lean.run(searcher, q, 3, None, None, lean.Lengths())
    assert out.skipped and not out.cut and out.matched < len(scores)
    _assert_exact_top(out.top, scores, 3)


def test_a_cut_is_deterministic_and_says_so(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_mod, "WORK_BUDGET", 150)
    for text in ("harbour", "harbour grain", '"harbour master"'):
        first = library.search(text, limit=20)
        assert not first.total_exact and len(first.hits) == 20, text
        assert first.total >= len(first.hits)
        for _ in range(2):
            again = library.search(text, limit=20)
            assert [h.id for h in again.hits] == [h.id for h in first.hits]
            assert (again.total, again.total_exact) == (first.total, first.total_exact)
        with Library.open(library.path) as other:
            fresh = other.search(text, limit=20)
            assert [h.id for h in fresh.hits] == [h.id for h in first.hits]
            assert fresh.total == first.total


def test_a_query_without_driving_words_is_read_newest_first(library: Library) -> None:
    searcher = library._get_searcher()
    q = _compiled(library, "NOT pilot")
    assert (
        best_first.drivers(q, lean.Evaluator(searcher, searcher.weighting, lean.Lengths())) is None
    )
    out = lean.run(searcher, q, 20, None, None, lean.Lengths())
    _assert_exact_top(out.top, _whoosh_scores(library, q), 20)


def test_block_directories_hold_whooshs_postings(library: Library) -> None:
    from index.storage import whoosh_blocks

    reader = library._get_searcher().reader()
    for leaf, _ in reader.leaf_readers():
        for field, word in (("body", "harbour"), ("body", "tide"), ("title", "report")):
            info = whoosh_blocks.term_info(leaf, field, word.encode())
            assert info is not None
            blocks = whoosh_blocks.term_blocks(leaf, field, word.encode(), info)
            ids: list[int] = []
            weights: list[float] = []
            for i in range(len(blocks)):
                got, tfs, _ = blocks.decode(i)
                assert blocks.firsts[i] <= got[0] and got[-1] <= blocks.lasts[i]
                assert max(tfs) <= blocks.maxweights[i]
                ids.extend(got)
                weights.extend(tfs)
            m = leaf.postings(field, word)
            expected = []
            while m.is_active():
                expected.append((m.id(), m.weight()))
                m.next()
            assert list(zip(ids, weights, strict=True)) == expected
