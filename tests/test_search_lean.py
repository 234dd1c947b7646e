"""The term-at-a-time engine: Whoosh's exhaustive BM25F ranking, block skipping included."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import index.search.engine as engine_mod
import index.search.lean as lean
from index.library import Library
from index.search.language import compile_query
from index.storage import whoosh_blocks, whoosh_private

WORDS = ("tanker", "grain", "ferry", "customs", "pilot", "crane", "berth", "quay", "cargo")
QUERIES = (
    "tide",
    "tide grain",
    "harbour",  # every article: many blocks
    "tanker",
    "harbour tanker",
    "grain OR crane",
    "harbour -ferry",
    "tanker AND grain AND cargo",
    '"harbour master"',
    '"grain cargo"',
    "title:report",
    "harbour date:2024-02-01..2024-03-31",
    "NOT pilot",
)


def _record(n: int) -> dict[str, Any]:
    # Lengths and word counts vary with n, so that scores (and block maxima) differ.
    words = [WORDS[(n * k + k * k) % len(WORDS)] for k in range(1, 2 + n % 7)]
    body = (
        f"The harbour master said the {' and the '.join(words)} were ready on berth {n}. "
        + "Harbour traffic rose again. " * (n % 4)
        + f"Officials expect {n % 11} more ships and the grain cargo of {n % 13} holds."
    )
    # "tide": many times in the first articles of each ingest, once in some others,
    # so blocks of its postings differ in their best score (block skipping).
    if n % 400 < 20:
        body += " Tide tide tide tide tide."
    elif n % 5 == 0:
        body += " The tide was low."
    return {
        "id": f"a{n}",
        "title": f"Harbour report {n}" if n % 3 else f"{words[0].title()} at the quay {n}",
        "body": body,
        "date": (datetime(2024, 1, 1) + timedelta(days=n % 120)).isoformat(),
    }


_BUILT: list[Path] = []


def harbour_library(factory: pytest.TempPathFactory) -> Library:
    """The library these tests (and test_search_best_blocks) read: three ingests, three
    segments of 400, posting lists of several 128-posting blocks. Built once per test
    process (tests/conftest.py keeps both modules on one worker); each module opens it."""
    if not _BUILT:
        root = factory.mktemp("harbour")
        with Library.open(root / "lib") as lib:
            for part in range(3):
                folder = root / f"part{part}"
                folder.mkdir()
                lines = [json.dumps(_record(n)) for n in range(part * 400, part * 400 + 400)]
                (folder / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
                assert lib.ingest([folder]).added == 400
        _BUILT.append(root / "lib")
    return Library.open(_BUILT[0])


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    lib = harbour_library(tmp_path_factory)
    yield lib
    lib.close()


@pytest.fixture
def small_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    # Small windows: the top list fills in the first and later ones skip blocks.
    monkeypatch.setattr(lean, "FIRST_WINDOW", 50)
    monkeypatch.setattr(lean, "WINDOW", 150)


def _compiled(lib: Library, text: str, as_you_type: bool = False) -> Any:
    q = compile_query(text, lib.expand, as_you_type=as_you_type, expand_prefix=lib._prefix_terms)
    assert q.query is not None, text
    return q.query


def _whoosh_scores(lib: Library, q: Any) -> dict[int, float]:
    """Every match scored by Whoosh's own matchers: no budget, no skipping."""
    results = lib._get_searcher().search(q, limit=None, terms=False)
    return {results.docnum(i): float(results.score(i) or 0.0) for i in range(len(results))}


def _assert_exact_top(top: list[tuple[int, float]], scores: dict[int, float], k: int) -> None:
    expected = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]
    assert len(top) == len(expected)
    for (doc, score), (_, best) in zip(top, expected, strict=True):
        # Each hit has Whoosh's score for it, and the k-th best score at its rank
        # (ties may be broken by another document of the same score).
        assert score == pytest.approx(scores[doc], rel=1e-12)
        assert score == pytest.approx(best, rel=1e-12)


@pytest.mark.usefixtures("small_windows")
@pytest.mark.parametrize("text", QUERIES)
def test_the_top_hits_are_whooshs_exhaustive_top_hits(library: Library, text: str) -> None:
    q = _compiled(library, text)
    scores = _whoosh_scores(library, q)
    assert scores, text
    searcher = library._get_searcher()
    for k in (1, 5, 20):
        out = lean.run(searcher, q, k, None, None, lean.Lengths())
        _assert_exact_top(out.top, scores, k)
        assert not out.cut
        if not out.skipped:  # nothing skipped: every match was counted
            assert out.matched == len(scores)


@pytest.mark.usefixtures("small_windows")
def test_blocks_are_skipped_and_the_answer_stays_exact(library: Library) -> None:
    searcher = library._get_searcher()
    for text in ("tide", "tide grain"):
        q = _compiled(library, text)
        pruned = lean.run(searcher, q, 5, None, None, lean.Lengths())
        full = lean.run(searcher, q, 5, None, None, lean.Lengths(), prune=False)
        assert pruned.skipped and not full.skipped
        assert pruned.matched < full.matched
        assert pruned.top == full.top


@pytest.mark.usefixtures("small_windows")
def test_as_you_type_prefixes_rank_as_whoosh_does(library: Library) -> None:
    searcher = library._get_searcher()
    for text in ("harbour ta", "gra", "harbour master car"):
        q = _compiled(library, text, as_you_type=True)
        out = lean.run(searcher, q, 20, None, None, lean.Lengths())
        _assert_exact_top(out.top, _whoosh_scores(library, q), 20)


@pytest.mark.usefixtures("small_windows")
def test_the_library_search_matches_whoosh_and_counts_exactly(library: Library) -> None:
    for text in ("tanker", "grain OR crane", '"grain cargo"', "harbour -ferry"):
        scores = _whoosh_scores(library, _compiled(library, text))
        result = library.search(text, limit=10)
        assert result.total_exact and result.total == len(scores)
        reader = library._get_searcher()
        by_id = {reader.stored_fields(d)["id"]: s for d, s in scores.items()}
        best = sorted(scores.values(), reverse=True)[:10]
        assert [by_id[h.id] for h in result.hits] == pytest.approx(best, rel=1e-12)


def test_a_work_budget_cuts_the_same_way_every_time_and_says_so(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lean, "FIRST_WINDOW", 50)
    monkeypatch.setattr(lean, "WINDOW", 150)
    monkeypatch.setattr(engine_mod, "WORK_BUDGET", 300)
    first = library.search("harbour grain", limit=20)
    assert not first.total_exact and len(first.hits) == 20
    for _ in range(3):
        again = library.search("harbour grain", limit=20)
        assert [h.id for h in again.hits] == [h.id for h in first.hits]
        assert again.total == first.total
    with Library.open(library.path) as other:
        assert [h.id for h in other.search("harbour grain", limit=20).hits] == [
            h.id for h in first.hits
        ]
    # A rare word is read in full within the budget: exact.
    rare = library.search('"grain cargo" tanker', limit=5)
    assert rare.total_exact or rare.total >= len(rare.hits)


def test_the_work_budget_reads_the_newest_articles_first(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lean, "FIRST_WINDOW", 400)
    monkeypatch.setattr(engine_mod, "WORK_BUDGET", 1)
    # A plain word is read best blocks first by default (test_search_best_blocks.py).
    monkeypatch.setattr(lean, "BEST_BLOCKS_FOR_WORDS", False)
    # One window (the last ingest) is read, then the budget is spent.
    result = library.search("harbour", limit=1000)
    assert not result.total_exact and result.total >= 400
    numbers = {int(h.title.rsplit(" ", 1)[1]) for h in result.hits}
    assert numbers == set(range(800, 1200))


def test_field_lengths_read_in_one_go_are_whooshs(library: Library) -> None:
    searcher = library._get_searcher()
    for leaf, _ in searcher.reader().leaf_readers():
        for field in ("title", "body"):
            lengths = whoosh_blocks.field_lengths(leaf, field)
            assert len(lengths) == leaf.doc_count_all()
            assert lengths == [leaf.doc_field_length(d, field, 1) for d in range(len(lengths))]


def test_the_date_column_read_in_one_go_is_whooshs(library: Library) -> None:
    reader = library._get_searcher().reader()
    field = reader.schema["published"]
    raw = whoosh_private.sortable_column(reader, "published")
    assert [field.from_column_value(v) for v in raw] == list(reader.column_reader("published"))


def test_articles_replaced_by_a_later_ingest_are_not_found_twice(tmp_path: Any) -> None:
    # A changed file is re-ingested: its old documents are deleted (and small segments
    # merged); the answers stay Whoosh's and no article comes twice.
    lib = Library.open(tmp_path / "lib")
    try:
        folder = tmp_path / "wire"
        folder.mkdir()
        for part in range(2):
            lines = [json.dumps(_record(n)) for n in range(part * 60, part * 60 + 60)]
            (folder / f"part{part}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
            lib.ingest([folder])
        changed = [_record(n) for n in range(60)]
        for record in changed[:10]:
            record["body"] = str(record["body"]) + " A late tanker correction."
        (folder / "part0.jsonl").write_text(
            "\n".join(json.dumps(r) for r in changed) + "\n", encoding="utf-8"
        )
        lib.ingest([folder])
        searcher = lib._get_searcher()
        for text in ("tanker", "harbour grain", '"late tanker"', "correction"):
            q = _compiled(lib, text)
            scores = _whoosh_scores(lib, q)
            out = lean.run(searcher, q, 20, None, None, lean.Lengths())
            _assert_exact_top(out.top, scores, 20)
            result = lib.search(text, limit=200)
            assert result.total == len(scores) == len({h.id for h in result.hits})
    finally:
        lib.close()
