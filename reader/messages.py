"""Messages from the reader's workers back to the app (posted from threads).

Their namespace is the app's, so the handlers keep their names
(`on_newsroom_app_library_ready`); `NewsroomApp` exposes each as an attribute.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

from index.records import Article, FeedItem, Hit, IngestReport, SearchResult

if TYPE_CHECKING:
    from index.library import Library

NAMESPACE = "newsroom_app"


@dataclass
class LibraryReady(Message, namespace=NAMESPACE):
    """The library is open (worker -> app)."""

    library: Library


@dataclass
class FeedLoaded(Message, namespace=NAMESPACE):
    """The library (re)read: its counts and the reader's marks; at launch the feed's first
    page too, so the first paint needs no other round trip (worker -> app)."""

    items: list[FeedItem] | None
    total: int
    unread: int
    read_ids: set[str]
    starred_ids: set[str]


@dataclass
class FeedShown(Message, namespace=NAMESPACE):
    """A view of the feed: its length and the pages read so far, the cursor at `at`
    (worker -> app; the rows fill in as the user moves, as a search's do)."""

    seq: int
    view: str
    total: int
    pages: dict[int, list[FeedItem]]
    at: int


@dataclass
class SearchDone(Message, namespace=NAMESPACE):
    seq: int
    result: SearchResult


@dataclass
class PageLoaded(Message, namespace=NAMESPACE):
    """One more page of a long result list (worker -> app)."""

    seq: int
    offset: int
    hits: tuple[Any, ...]
    asked: int


@dataclass
class ArticleLoaded(Message, namespace=NAMESPACE):
    article: Article


@dataclass
class RelatedLoaded(Message, namespace=NAMESPACE):
    article_id: str
    related: list[Hit]


@dataclass
class IngestStarted(Message, namespace=NAMESPACE):
    label: str


@dataclass
class WatchChecked(Message, namespace=NAMESPACE):
    """The sources were checked; check again in `delay` seconds."""

    delay: float


@dataclass
class IngestProgress(Message, namespace=NAMESPACE):
    done: int
    total: int


@dataclass
class IngestFinished(Message, namespace=NAMESPACE):
    report: IngestReport | None
    error: str | None = None


@dataclass
class KeyDone(Message, namespace=NAMESPACE):
    """Posted to a widget right behind a key: it bubbles back here once the key has."""

    token: int
    settled: bool = False


@dataclass
class Failed(Message, namespace=NAMESPACE):
    """A background step failed; `message` is one line for the status bar."""

    message: str


@dataclass
class ViewBuilt(Message, namespace=NAMESPACE):
    """A story, trail or record view's data, built in a worker; `present` shows it.

    `origin` is the screen it was asked from: shown only if that is still on top and no
    newer view was asked for since (`seq`)."""

    seq: int
    origin: object
    data: Any = None
    present: Callable[[Any], None] | None = None
    error: str | None = None
