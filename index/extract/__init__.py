"""Actor and statement extraction: a pure-Python rule-and-lexicon pipeline."""

from __future__ import annotations

from index.article import Article


def extract(article: Article) -> Article:
    """Return `article` with its actors and statements filled in."""
    # Contract only: the extraction pipeline replaces this body.
    return article
