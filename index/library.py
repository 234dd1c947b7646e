"""The Library: a folder holding a Whoosh index, an SQLite catalog and reader state; ingest and search."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from index import jobs as parse_jobs  # ingest --jobs (issue 14)
from index.cite import cite_article, cite_statement
from index.config import Config, describe, load_config, parse_keymap, save_setting
from index.errors import IngestInterrupted, LibraryBusy, LibraryError
from index.ingest import sources as watched
from index.ingest.recovery import epoch
from index.location import is_url, open_url  # a postgresql:// URL (issue 14)
from index.records import (
    Article,
    FeedItem,
    Hit,
    IngestReport,
    LibraryActor,
    LibraryStatement,
    SearchResult,
)
from index.saved import SavedSearches
from index.search import actors
from index.search.engine import Engine
from index.search.feed import Feed, ordered
from index.search.vocabulary import Vocabulary
from index.storage import schema
from index.storage.catalog import Catalog
from index.storage.feed_pages import FeedPages  # the feed by pages (issue 14)
from index.storage.state import ReaderState
from index.story_api import StoriesError, StoriesMixin, trail_json  # stories (issue 12)

# index.search.answer (the query language, highlights, whoosh.query) loads on the first
# search, not at open: a cold open (the app's first paint) only needs the catalog.

if TYPE_CHECKING:
    from index.copying import CopyReport

Progress = Callable[[int, int], None]


class Library(StoriesMixin):  # stories (issue 12): StoriesMixin
    """A library folder: `whoosh/` (full text), `catalog.sqlite` (articles), `state.sqlite` (read/star).

    A facade: it owns the open parts and their caches, and hands each job to the
    module that does it (`index.search.answer`, `index.search.feed`,
    `index.ingest.session`, `index.ingest.sources`, `index.opening`).
    """

    def __init__(
        self, path: Path, catalog: Catalog, state: ReaderState, ix: Any, damage: str | None
    ) -> None:
        self.path = path
        self._catalog = catalog
        self._state = state
        self._engine = Engine(ix, damage)
        self._lock = threading.RLock()
        self._feed = Feed()
        self._pages = FeedPages(path, state, catalog.readonly)
        self._expansions = actors.Expansions(lambda: self._catalog)
        self._vocabulary = Vocabulary(lambda: self._catalog.vocab())
        self._versions = self._version_key()
        self._epoch = epoch(path)
        self.readonly = False
        # One-line messages about what opening found and did (a damaged marks
        # file started afresh, a read-only library, a finished rebuild).
        self.notices: list[str] = []

    # --- opening and closing ---

    @classmethod
    def open(cls, path: Path | str, *, check: bool = True, readonly: bool = False) -> Library:
        """Open (creating when new) the library at `path`.

        A damaged full-text index or catalog raises LibraryError unless
        `check=False` (opening to write: `ingest` repairs or rebuilds it; a
        damaged catalog is then moved aside). A library that cannot be written
        (read-only file system or folder) opens read-only, as `readonly=True`
        does: searching works, marks are not saved, `notices` says so.
        """
        from index.opening import open_parts

        if is_url(path):  # the shared PostgreSQL backend (issue 14)
            return cast(Library, open_url(path, readonly=readonly, check=check))
        path = Path(path).expanduser()
        catalog, state, ix, damage, readonly, notices = open_parts(path, check, readonly)
        lib = cls(path, catalog, state, ix, damage)
        lib.readonly = readonly
        lib.notices = notices
        return lib

    def close(self) -> None:
        with self._lock:
            self._engine.close()
            self._pages.close()
            self._catalog.close()
            self._state.close()
            self.close_stories()  # stories (issue 12)

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- change detection ---

    @property
    def _ix(self) -> Any:
        """The Whoosh index (None when damaged)."""
        return self._engine.ix

    def _version_key(self) -> tuple[int, int, int]:
        return (
            self._engine.generation(),
            self._catalog.data_version(),
            self._state.data_version(),
        )

    def _reopen(self) -> None:
        """Open the catalog and index afresh: a rebuild was swapped in under us."""
        self._engine.close()
        self._pages.close()  # it reads the catalog file swapped out: reopened on next use
        self._catalog.close()
        self._catalog = Catalog(self.path, readonly=self.readonly)
        try:
            self._engine.reset(schema.open_index(self.path, create=not self.readonly), None)
        except schema.IndexDamaged as exc:
            self._engine.reset(None, str(exc))
        self._epoch = epoch(self.path)

    def refresh(self) -> bool:
        """Pick up changes made by other processes; True when anything changed."""
        with self._lock:
            reopened = False
            if epoch(self.path) != self._epoch:
                with contextlib.suppress(sqlite3.Error, OSError):  # mid-swap: next time
                    self._reopen()
                    reopened = True
            now = self._version_key()
            changed = reopened or now != self._versions
            self._versions = now
            if changed:
                self._feed.forget()
                self._expansions.clear()
                self._vocabulary.forget()
                self._engine.refresh()
            return changed

    def _get_searcher(self) -> Any:
        if self._engine.ix is None:
            raise LibraryError(
                f"{self.path}: the search index is damaged ({self._engine.damage}); "
                "run `newsroom ingest --rebuild`"
            )
        return self._engine.searcher()

    def warm(self) -> None:
        """Load the search machinery now (imports, segment readers): call it in a
        background thread after the first paint so the first keystroke is fast."""
        self.search("warm", limit=1, as_you_type=True)

    # --- sources ---

    def sources(self) -> list[Path]:
        return self._catalog.sources()

    def source_counts(self) -> list[tuple[Path, int]]:
        """Each watched source with the number of articles from files under it."""
        return watched.counts(self._catalog)

    def remove_source(self, path: Path | str) -> int:
        """Stop watching the source `path` and drop its articles; returns how many left.

        Files also under another source stay. Raises LibraryError when `path` is not a
        source or the library is read-only, LibraryBusy when another process is writing.
        """
        if self.readonly:
            raise LibraryError(f"{self.path}: the library is read-only")
        removed = watched.remove(
            self.path,
            self._catalog,
            self._engine,
            path,
            self.sync_stories,  # stories (issue 12)
        )
        self._forget()
        return removed

    def pending(self) -> bool:
        """Cheap check (mtime and size only) whether any source has new, changed or gone files,
        or whether a killed ingest left work to finish (the library-wide actors)."""
        return False if self.readonly else watched.pending(self._catalog)

    # --- ingest ---

    def ingest(
        self,
        paths: Iterable[Path | str],
        progress: Progress | None = None,
        rebuild: bool = False,
        *,
        phase: Callable[[str], object] | None = None,
        follow_links: bool | None = None,
        jobs: int | None = None,
    ) -> IngestReport:
        """Index new and changed files under `paths`, drop entries whose files are gone.

        An index or catalog found damaged, or disagreeing with each other, turns
        the ingest into a rebuild (said in `notes`). A rebuild is built aside in
        REBUILD_DIR and swapped in when whole: until then readers see the old
        library. `phase` hears the names of the steps after the files
        ("merging segments", "merging actors"); `follow_links` lets symbolic
        links lead out of the source folders (remembered for the watcher); `jobs`
        bounds the parse workers (default one per core).
        """
        from index.ingest import session

        if self.readonly:
            raise LibraryError(f"{self.path}: the library is read-only; cannot ingest into it")
        try:
            with parse_jobs.limited(jobs):
                report = session.run(
                    self.path,
                    self._catalog,
                    self._engine,
                    [Path(p) for p in paths],
                    progress,
                    rebuild,
                    phase,
                    follow_links,
                    swap_in=self._swap_in,
                    stories=self.sync_stories,  # stories (issue 12)
                )
        except IngestInterrupted:
            self._forget()
            raise
        self._forget()
        return report

    def _forget(self) -> None:
        with self._lock:
            self._feed.forget()
            self._expansions.clear()
            self._vocabulary.forget()
            self._versions = self._version_key()

    def _swap_in(self, token: str, damaged: bool) -> None:
        """Switch to the library rebuilt aside (see `index.ingest.session.swap_in`)."""
        from index.ingest import session

        with self._lock:
            session.swap_in(self.path, token, damaged, self._engine, self._catalog, self.notices)
            self._reopen()

    def _prefix_terms(self, prefix: str) -> list[str]:
        return self._vocabulary.prefix_terms(prefix)

    # --- reading ---

    def count(self) -> int:
        return self._catalog.count()

    def feed(self, sort: str = "date") -> list[FeedItem]:
        """Every article, newest first (undated last); cached until the catalog changes."""
        with self._lock:
            key = (self._engine.generation(), self._catalog.data_version())
            items = self._feed.items(key, self._catalog.feed_rows)
        return ordered(items, sort)

    # The feed by pages (issue 14): the reader never loads the whole feed. A view is
    # "all", "unread" or "starred"; `keep` and `drop` are ids counted in or out of it
    # whatever their marks now (the reader's view stays as it was when it was made).

    def feed_count(self, view: str = "all") -> int:
        """How many articles the view holds."""
        return self._pages.count(view)

    def feed_counts(self) -> tuple[int, int]:
        """(articles, unread articles): the status line's counts, in one look."""
        return self._pages.counts()

    def feed_slice(
        self,
        offset: int,
        limit: int,
        view: str = "all",
        *,
        keep: Collection[str] = (),
        drop: Collection[str] = (),
        total: int | None = None,
        after: FeedItem | None = None,
        before: FeedItem | None = None,
    ) -> list[FeedItem]:
        """Articles `offset` to `offset + limit` of the view, in the feed's order
        (newest first, undated last, then by title and id: `feed()`'s order).

        Hints to start nearer the window: `total`, the view's length (a far window is
        read from the end), and `after` / `before`, the items just before / after it
        (PostgreSQL starts from them; SQLite cannot seek to a row value of its feed
        index, and walks it)."""
        return self._pages.window(offset, limit, view, keep, drop, total)

    def feed_position(self, id: str, view: str = "all") -> int | None:
        """The index of article `id` in the view (None when it is not in it)."""
        return self._pages.position(id, view)

    def feed_ids(
        self, view: str = "all", *, keep: Collection[str] = (), drop: Collection[str] = ()
    ) -> list[str]:
        """Every id of the view, in the feed's order (mark every article of a view read)."""
        return self._pages.ids(view, keep, drop)

    def feed_items(self, ids: Collection[str]) -> list[FeedItem]:
        """The feed items of `ids` (those in the library), in the feed's order."""
        return self._pages.items(ids)

    def article(self, id: str) -> Article:
        return self._catalog.article(id)

    def read_ids(self) -> set[str]:
        return self._state.read_ids()

    def starred_ids(self) -> set[str]:
        return self._state.starred_ids()

    def set_read(self, id: str, read: bool = True) -> None:
        self._state.set_read(id, read)

    def set_starred(self, id: str, starred: bool) -> None:
        self._state.set_starred(id, starred)

    def set_read_many(self, ids: Collection[str], read: bool = True) -> None:
        """Mark (or unmark) every article of `ids` read at once (one transaction)."""
        self._state.set_many("read", ids, read)

    # --- actors and statements ---

    def actors(self, kind: str | None = None, limit: int | None = None) -> list[LibraryActor]:
        """Library-wide actors (merged across articles), most mentioned first (the first
        `limit` of them when given)."""
        return actors.library_actors(self._catalog, kind, limit)

    def expand(self, value: str, field: str) -> tuple[str, ...]:
        """Every name the library knows for the actor `value` (within the field's kinds)."""
        return self._expansions.expand(value, field)

    def statements(self, speaker: str | None = None) -> list[LibraryStatement]:
        """Statements across the library; `speaker` matches any alias or a word of the name."""
        return actors.statements(self._catalog, speaker, self.expand)

    # --- search ---

    def search(
        self,
        query: str,
        limit: int = 20,
        sort: str = "relevance",
        as_you_type: bool = False,
        offset: int = 0,
    ) -> SearchResult:
        """Search with the query language; never raises on user syntax.

        `offset` skips the first hits (the reader fetches a long list page by page)."""
        from index.search import answer

        started = time.perf_counter()
        with self._lock:
            return answer.search(
                query,
                limit=limit,
                sort=sort,
                as_you_type=as_you_type,
                offset=offset,
                searcher=self._get_searcher(),
                engine=self._engine,
                catalog=self._catalog,
                vocabulary=self._vocabulary,
                expand=self.expand,
                started=started,
            )

    def related(self, id: str, limit: int = 5) -> list[Hit]:
        """Articles sharing the most title words and actors with article `id`."""
        from index.search import answer

        article = self.article(id)
        with self._lock:
            return answer.related(article, limit, self._engine, self._catalog, self._get_searcher)


# With the config, saved searches, citations and stories: the reader's one door to the core
# besides index.records and index.textsafe (issue 15, import contract).
def copy_library(src: Library, dest: Library) -> CopyReport:
    """Copy everything of `src` into `dest`, either backend each (see `index.copying`)."""
    from index.copying import copy_library as copy

    return copy(src, dest)


__all__ = [
    "Config",
    "FeedItem",
    "Hit",
    "IngestInterrupted",
    "IngestReport",
    "Library",
    "LibraryBusy",
    "LibraryError",
    "LibraryStatement",
    "SavedSearches",
    "SearchResult",
    "StoriesError",
    "cite_article",
    "cite_statement",
    "copy_library",
    "describe",
    "is_url",
    "load_config",
    "parse_jobs",
    "parse_keymap",
    "save_setting",
    "trail_json",
]
