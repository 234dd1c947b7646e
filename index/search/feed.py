"""The feed: every article of a library as a FeedItem, newest first, cached until it changes."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from index.records import FeedItem
from index.storage.feed_rows import FEED_VIEWS, check_view, feed_item

__all__ = ["FEED_VIEWS", "Feed", "check_view", "feed_item", "ordered"]


class Feed:
    """The feed's items, kept while the key (the index and catalog versions) stays the same."""

    def __init__(self) -> None:
        self._cached: tuple[Hashable, list[FeedItem]] | None = None

    def items(self, key: Hashable, rows: Callable[[], Iterable[tuple[Any, ...]]]) -> list[FeedItem]:
        """The cached items when `key` is unchanged, else items built afresh from `rows()`."""
        if self._cached is None or self._cached[0] != key:
            self._cached = (key, [feed_item(r) for r in rows()])
        return self._cached[1]

    def forget(self) -> None:
        self._cached = None


def ordered(items: list[FeedItem], sort: str) -> list[FeedItem]:
    """A new list of `items` in the feed's `sort` order: "date" keeps them, "title" sorts."""
    if sort == "title":
        return sorted(items, key=lambda i: i.title.lower())
    return list(items)
