"""Answering a query (compile, rank, highlight, suggest a spelling) and finding related articles."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from index.records import Article, Hit, SearchResult
from index.search import highlight
from index.search.engine import Engine, related_query
from index.search.language import Expander, compile_query
from index.search.vocabulary import Vocabulary, suggest
from index.storage.backend import ArticleStore

# Loaded on the first search (`Library.search` imports this module then), not
# when a library opens: the query language pulls in whoosh.query.


def search(
    query: str,
    *,
    limit: int,
    sort: str,
    as_you_type: bool,
    offset: int,
    searcher: Any,
    engine: Engine,
    catalog: ArticleStore,
    vocabulary: Vocabulary,
    expand: Expander,
    started: float,
) -> SearchResult:
    """The answer to `query` (the caller holds the library's lock); never raises on syntax.

    `started` is the caller's `time.perf_counter()` when it was asked, so the time
    reported includes waiting for the lock.
    """
    compiled = compile_query(
        query, expand, as_you_type=as_you_type, expand_prefix=vocabulary.prefix_terms
    )
    if compiled.query is None:
        return SearchResult(query, (), 0, ms_since(started), None, compiled.error)
    ids, scores, total, total_exact = engine.run(
        compiled.query, limit, sort, exact=not as_you_type, offset=offset
    )
    hits = highlight.hits(catalog.meta_rows(ids), ids, scores, compiled.highlight)
    suggestion = None
    if offset <= 0 and (not as_you_type or not hits):
        suggestion = suggest(searcher.reader(), query, compiled.words, vocabulary.nearest_word)
    return SearchResult(
        query, hits, total, ms_since(started), suggestion, compiled.error, total_exact
    )


def related(
    article: Article,
    limit: int,
    engine: Engine,
    catalog: ArticleStore,
    check: Callable[[], object],
) -> list[Hit]:
    """Articles sharing the most title words and actors with `article` (the caller holds
    the library's lock); `check` raises when the index cannot be searched."""
    found = related_query(article)
    if found is None:
        return []
    q, hl = found
    check()
    ids, scores, _, _ = engine.run(q, limit, "relevance")
    return list(highlight.hits(catalog.meta_rows(ids), ids, scores, hl))


def ms_since(started: float) -> float:
    """Milliseconds since `started` (a `time.perf_counter()` reading), to 2 decimals."""
    return round((time.perf_counter() - started) * 1000, 2)
