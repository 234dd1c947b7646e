"""A feed row as a FeedItem, and the feed's views: shared by the catalog, its pages and the search layer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from index.records import FeedItem

_new = object.__new__
_fromiso = datetime.fromisoformat


def feed_item(row: tuple[Any, ...]) -> FeedItem:
    """The item of one `ArticleStore.feed_rows` row (id, title, published, inferred, source, path)."""
    # The feed builds one item per article (100,000 at a time): filling the
    # instance dict directly is ~3x faster than the frozen dataclass __init__,
    # which goes through object.__setattr__ once per field.
    item = _new(FeedItem)
    pub = row[2]
    item.__dict__.update(
        id=row[0],
        title=row[1],
        published=_fromiso(pub) if pub else None,
        published_inferred=bool(row[3]),
        source=row[4],
        path=row[5],
    )
    return item


# The reader's views of the feed: every article, the unread ones, the starred ones.
FEED_VIEWS = ("all", "unread", "starred")


def check_view(view: str) -> str:
    """`view` when it is one of FEED_VIEWS; ValueError naming them otherwise."""
    if view not in FEED_VIEWS:
        raise ValueError(f"unknown feed view {view!r} (one of {', '.join(FEED_VIEWS)})")
    return view
