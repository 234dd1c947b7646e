"""The Library: a folder holding a Whoosh index, an SQLite catalog and reader state; ingest and search."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from index import files
from index.errors import IngestInterrupted, LibraryBusy, LibraryError
from index.ingest import recovery
from index.ingest.commit import Counts
from index.ingest.recovery import COMPLETE_FILE, REBUILD_DIR, epoch, finish_rebuild, recover
from index.location import is_url, open_url  # a postgresql:// URL (issue 14)
from index.records import (
    Article,
    FeedItem,
    Hit,
    IngestReport,
    LibraryActor,
    LibraryStatement,
    Problem,
    SearchResult,
)
from index.search import actors
from index.search.engine import Engine
from index.search.vocabulary import Vocabulary
from index.storage import lock, schema
from index.storage.catalog import CATALOG_FILE, Catalog, is_damage, set_aside
from index.storage.state import ReaderState
from index.story_api import StoriesMixin  # stories (issue 12)

# index.search.language, index.search.highlight and whoosh.query load on the first search, not
# at open: a cold open (the app's first paint) only needs the catalog.

Progress = Callable[[int, int], None]


_new = object.__new__
_fromiso = datetime.fromisoformat


def _feed_item(row: tuple[Any, ...]) -> FeedItem:
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


# --- the library -------------------------------------------------------------


class Library(StoriesMixin):  # stories (issue 12): StoriesMixin
    """A library folder: `whoosh/` (full text), `catalog.sqlite` (articles), `state.sqlite` (read/star)."""

    def __init__(
        self, path: Path, catalog: Catalog, state: ReaderState, ix: Any, damage: str | None
    ) -> None:
        self.path = path
        self._catalog = catalog
        self._state = state
        self._engine = Engine(ix, damage)
        self._lock = threading.RLock()
        self._feed: tuple[tuple[int, int], list[FeedItem]] | None = None
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
            return cast(Library, open_url(path, readonly=readonly))
        path = Path(path).expanduser()
        catalog, state, ix, damage, readonly, notices = open_parts(path, check, readonly)
        lib = cls(path, catalog, state, ix, damage)
        lib.readonly = readonly
        lib.notices = notices
        return lib

    def close(self) -> None:
        with self._lock:
            self._engine.close()
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
                self._feed = None
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
        by_file = self._catalog.ids_by_file()
        return [(root, sum(len(ids) for f, ids in by_file.items() if files.under(f, str(root))))
                for root in self.sources()]

    def remove_source(self, path: Path | str) -> int:
        """Stop watching the source `path` and drop its articles; returns how many left.

        Files also under another source stay. Raises LibraryError when `path` is not a
        source or the library is read-only, LibraryBusy when another process is writing.
        """
        from index import ingest

        if self.readonly:
            raise LibraryError(f"{self.path}: the library is read-only")
        given = str(Path(path).expanduser())
        roots = [str(r) for r in self.sources()]
        wanted = given if given in roots else files.resolved(given)
        if wanted not in roots:
            raise LibraryError(f"{path}: not a source of this library (see `newsroom sources`)")
        kept = [r for r in roots if r != wanted]
        try:
            with lock.writer_lock(self.path):
                if self._ix is None:
                    raise LibraryError(
                        f"{self.path}: the search index is damaged; "
                        "run `newsroom ingest --rebuild`"
                    )
                removed = ingest.remove_source(self.path, self._ix, wanted, kept)
                self.sync_stories()  # stories (issue 12)
        except lock.WriterBusy as exc:
            raise LibraryBusy(str(exc), exc.holder) from exc
        self._forget()
        return removed

    def pending(self) -> bool:
        """Cheap check (mtime and size only) whether any source has new, changed or gone files,
        or whether a killed ingest left work to finish (the library-wide actors)."""
        from index.ingest import ACTORS_STALE

        if self.readonly:
            return False
        if self._catalog.get_meta(ACTORS_STALE) and self._catalog.get_meta("ingesting") is None:
            return True
        follow = self._catalog.get_meta("follow_links") == "1"
        return files.changed(self.sources(), self._catalog.files(), follow)

    # --- ingest ---

    def ingest(
        self,
        paths: Iterable[Path | str],
        progress: Progress | None = None,
        rebuild: bool = False,
        *,
        phase: Callable[[str], object] | None = None,
        follow_links: bool | None = None,
    ) -> IngestReport:
        """Index new and changed files under `paths`, drop entries whose files are gone.

        An index or catalog found damaged, or disagreeing with each other, turns
        the ingest into a rebuild (said in `notes`). A rebuild is built aside in
        REBUILD_DIR and swapped in when whole: until then readers see the old
        library. `phase` hears the names of the steps after the files
        ("merging segments", "merging actors"); `follow_links` lets symbolic
        links lead out of the source folders (remembered for the watcher).
        """
        from index import ingest

        if self.readonly:
            raise LibraryError(f"{self.path}: the library is read-only; cannot ingest into it")
        started = time.monotonic()
        wanted = [Path(p) for p in paths]
        notes: list[str] = []
        try:
            with lock.writer_lock(self.path):
                try:
                    notes.extend(recover(self.path))
                    if follow_links is None:
                        follow_links = self._catalog.get_meta("follow_links") == "1"
                    if not rebuild:
                        why = recovery.why_rebuild(
                            self.path, self._catalog, self._engine.ix, self._engine.damage
                        )
                        if why:
                            rebuild = True
                            notes.append(f"{why}: rebuilding the library from its source files")
                    if rebuild:
                        counts, skipped = self._rebuild(wanted, progress, phase, follow_links)
                    else:
                        assert self._ix is not None
                        with self._catalog.transaction():
                            self._catalog.set_meta("follow_links", "1" if follow_links else "0")
                        counts, skipped, _ = ingest.ingest(
                            self.path, self._ix, wanted, progress, False, phase, follow_links
                        )
                    # stories (issue 12); after a rebuild, quietly: its last phase is the switch
                    notes.extend(self.sync_stories(None if rebuild else phase))
                except BaseException:
                    # A full disk or a failed worker leaves partial segments and
                    # temporary folders: remove them while we still hold the lock.
                    # A complete rebuild stays: the next open swaps it in.
                    if not (self.path / REBUILD_DIR / COMPLETE_FILE).exists():
                        shutil.rmtree(self.path / REBUILD_DIR, ignore_errors=True)
                    lock.clean_leftovers(self.path)
                    raise
        except (
            lock.WriterBusy,
            ingest.Interrupted,
            ingest.WorkerDied,
            OSError,
            sqlite3.DatabaseError,
        ) as exc:
            if isinstance(exc, ingest.Interrupted):
                self._forget()
            raise _ingest_error(self.path, exc, rebuild) from exc
        report = IngestReport(
            counts.added,
            counts.updated,
            counts.unchanged,
            counts.removed,
            tuple(skipped),
            time.monotonic() - started,
            tuple(notes),
        )
        self._forget()
        return report

    def _forget(self) -> None:
        with self._lock:
            self._feed = None
            self._expansions.clear()
            self._vocabulary.forget()
            self._versions = self._version_key()

    def _rebuild(
        self,
        paths: list[Path],
        progress: Progress | None,
        phase: Callable[[str], object] | None,
        follow_links: bool,
    ) -> tuple[Counts, list[Problem]]:
        """Build a whole new library in REBUILD_DIR from `paths` and the known sources, swap it in."""
        counts, skipped, damaged, token = recovery.build_aside(
            self.path, self._catalog, paths, progress, phase, follow_links
        )
        if phase is not None:
            phase("switching to the rebuilt library")
        with self._lock:
            self._engine.close()
            recovery.mark_complete(self.path, token)
            if damaged:
                self._catalog.close()
                aside_name = set_aside(self.path / CATALOG_FILE)
                self.notices.append(f"the damaged catalog is kept as {aside_name.name}")
            finish_rebuild(self.path)
            self._reopen()
        return counts, skipped

    def _prefix_terms(self, prefix: str) -> list[str]:
        return self._vocabulary.prefix_terms(prefix)

    # --- reading ---

    def count(self) -> int:
        return self._catalog.count()

    def feed(self, sort: str = "date") -> list[FeedItem]:
        """Every article, newest first (undated last); cached until the catalog changes."""
        with self._lock:
            key = (self._engine.generation(), self._catalog.data_version())
            if self._feed is None or self._feed[0] != key:
                items = [_feed_item(r) for r in self._catalog.feed_rows()]
                self._feed = (key, items)
            items = self._feed[1]
        if sort == "title":
            return sorted(items, key=lambda i: i.title.lower())
        return list(items)

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

    # --- actors and statements ---

    def actors(self, kind: str | None = None) -> list[LibraryActor]:
        """Library-wide actors (merged across articles), most mentioned first."""
        return actors.library_actors(self._catalog, kind)

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
        from index.search import highlight
        from index.search.language import compile_query
        from index.search.vocabulary import suggest

        started = time.perf_counter()
        with self._lock:
            searcher = self._get_searcher()
            compiled = compile_query(
                query,
                self.expand,
                as_you_type=as_you_type,
                expand_prefix=self._vocabulary.prefix_terms,
            )
            if compiled.query is None:
                return SearchResult(query, (), 0, _ms(started), None, compiled.error)
            ids, scores, total, total_exact = self._engine.run(
                compiled.query, limit, sort, exact=not as_you_type, offset=offset
            )
            hits = highlight.hits(self._catalog.meta_rows(ids), ids, scores, compiled.highlight)
            suggestion = None
            if offset <= 0 and (not as_you_type or not hits):
                suggestion = suggest(
                    searcher.reader(), query, compiled.words, self._vocabulary.nearest_word
                )
        return SearchResult(
            query, hits, total, _ms(started), suggestion, compiled.error, total_exact
        )

    def related(self, id: str, limit: int = 5) -> list[Hit]:
        """Articles sharing the most title words and actors with article `id`."""
        from index.search import highlight
        from index.search.engine import related_query

        found = related_query(self.article(id))
        if found is None:
            return []
        q, hl = found
        with self._lock:
            self._get_searcher()
            ids, scores, _, _ = self._engine.run(q, limit, "relevance")
            return list(highlight.hits(self._catalog.meta_rows(ids), ids, scores, hl))


# --- helpers -----------------------------------------------------------------


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


# --- recovery ------------------------------------------------------------------


def _ingest_error(path: Path, exc: BaseException, rebuild: bool) -> LibraryError:
    """The one-line error for what stopped an ingest of the library at `path`."""
    from index import ingest

    if isinstance(exc, lock.WriterBusy):
        return LibraryBusy(str(exc), exc.holder)
    if isinstance(exc, ingest.Interrupted):
        if rebuild:
            return IngestInterrupted(
                "interrupted: the rebuild was abandoned; the library is as it was before", 0
            )
        return IngestInterrupted(
            f"interrupted: kept {exc.kept} articles; run `newsroom ingest` again to finish",
            exc.kept,
        )
    if isinstance(exc, ingest.WorkerDied):
        return LibraryError(f"{path}: ingest failed: {exc}")
    if isinstance(exc, OSError):
        reason = (exc.strerror or str(exc)).lower()
        return LibraryError(f"{path}: ingest failed ({reason}); what it had written was removed")
    if isinstance(exc, sqlite3.DatabaseError) and is_damage(exc):
        return LibraryError(
            f"{path / CATALOG_FILE} is damaged ({exc}); run `newsroom ingest "
            "--rebuild PATH...` (read/starred marks are kept)"
        )
    return LibraryError(f"{path}: ingest failed ({exc})")


__all__ = [
    "FeedItem",
    "Hit",
    "IngestInterrupted",
    "IngestReport",
    "Library",
    "LibraryBusy",
    "LibraryError",
    "LibraryStatement",
    "SearchResult",
]
