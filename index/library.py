"""The Library: a folder holding a Whoosh index, an SQLite catalog and reader state; ingest and search."""

from __future__ import annotations

import bisect
import contextlib
import heapq
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index import store
from index.article import Article
from index.catalog import CATALOG_FILE, Catalog, CatalogFormatError, is_damage, set_aside
from index.ingest import under
from index.state import ReaderState
from index.story_api import StoriesMixin  # stories (issue 12)

if TYPE_CHECKING:
    from index.query import Highlight, Word

# index.query, index.highlight and whoosh.query load on the first search, not
# at open: a cold open (the app's first paint) only needs the catalog.

Progress = Callable[[int, int], None]

# Articles analysed before published years are inferred and they go to the writer.
INFER_BATCH = 256
# Articles per Whoosh + catalog commit: what a crash can lose at most.
COMMIT_EVERY = 4000
# Below this many files to parse, a process pool costs more than it saves.
POOL_MIN_FILES = 64
POOL_CHUNK = 16


class LibraryError(Exception):
    """A library that cannot be opened or written (locked, damaged, not a library)."""


class LibraryBusy(LibraryError):
    """Another process is ingesting into the library; `holder` names it ("process 123")."""

    def __init__(self, message: str, holder: str) -> None:
        super().__init__(message)
        self.holder = holder


class IngestInterrupted(LibraryError):
    """Ctrl-C stopped an ingest; `kept` articles of it were committed (a rebuild keeps none)."""

    def __init__(self, message: str, kept: int) -> None:
        super().__init__(message)
        self.kept = kept


# `ingest --rebuild` builds the new library here, then swaps it in (see `finish_rebuild`).
REBUILD_DIR = "rebuild.tmp"
COMPLETE_FILE = "COMPLETE"  # in REBUILD_DIR: the rebuild is whole, only the swap is left
EPOCH_FILE = "EPOCH"  # in whoosh/: which rebuild made this index (readers reopen on change)


@dataclass(frozen=True)
class IngestReport:
    """What one ingest did, counted in articles; `skipped` lists files it could not use."""

    added: int
    updated: int
    unchanged: int
    removed: int
    skipped: tuple[Any, ...]  # index.pipeline.Problem
    took_s: float
    notes: tuple[str, ...] = ()  # what the ingest found and repaired, one line each


@dataclass(frozen=True)
class FeedItem:
    """One article as the feed lists it."""

    id: str
    title: str
    published: datetime | None
    published_inferred: bool
    source: str | None
    path: str


@dataclass(frozen=True)
class Hit(FeedItem):
    """A search hit: the feed fields, a score and highlight spans (offsets, not markup)."""

    score: float = 0.0
    title_spans: tuple[tuple[int, int], ...] = ()
    body_spans: tuple[tuple[int, int], ...] = ()
    snippet: str = ""
    snippet_spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class SearchResult:
    """The answer to one query; `error` explains a syntax fallback, never raised."""

    query: str
    hits: tuple[Hit, ...]
    total: int
    took_ms: float
    suggestion: str | None = None
    error: str | None = None
    # False when `total` is an estimate: a broad query was cut after its
    # SCAN_BUDGET most recently added matches, or its count was not worth a second pass.
    total_exact: bool = True


@dataclass(frozen=True)
class LibraryStatement:
    """A statement somewhere in the library, with the article it comes from."""

    article_id: str
    speaker: str | None
    text: str
    kind: str
    act: str = field(default="speech", kw_only=True)  # as Statement.act
    cue: str | None
    start: int
    end: int
    utterance: int = field(default=0, kw_only=True)  # as Statement.utterance, per article


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


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


def _actor_key(name: str) -> str:
    from index.extract.aliases import actor_key

    return actor_key(name)


# --- the library -------------------------------------------------------------


class Library(StoriesMixin):  # stories (issue 12): StoriesMixin
    """A library folder: `whoosh/` (full text), `catalog.sqlite` (articles), `state.sqlite` (read/star)."""

    def __init__(
        self, path: Path, catalog: Catalog, state: ReaderState, ix: Any, damage: str | None
    ) -> None:
        self.path = path
        self._catalog = catalog
        self._state = state
        self._ix = ix
        self._damage = damage
        self._searcher: Any = None
        self._lock = threading.RLock()
        self._published: tuple[Any, list[int]] | None = None
        self._feed: tuple[tuple[int, int], list[FeedItem]] | None = None
        self._expansions: dict[tuple[str, str], tuple[str, ...]] = {}
        self._vocab: tuple[list[str], list[int]] | None = None
        self._prefixes: dict[str, list[str]] = {}
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
        path = Path(path).expanduser()
        notices: list[str] = []
        if not readonly and path.is_dir() and not store.writable(path):
            readonly = True
        if readonly:
            if not path.is_dir():
                raise LibraryError(f"{path}: no library here")
        else:
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LibraryError(f"{path}: cannot create the library ({exc.strerror})") from exc
            if not path.is_dir():
                raise LibraryError(f"{path}: not a folder")
            with store.try_writer_lock(path) as free:
                if free:  # finish or roll back what a killed writer left
                    notices.extend(recover(path))
        try:
            catalog = Catalog(path, readonly=readonly)
            try:
                articles = catalog.count()  # also a first read of the biggest table
            except sqlite3.DatabaseError:
                catalog.close()
                raise
        except CatalogFormatError as exc:
            if check or readonly:
                raise LibraryError(
                    f"{exc}; run `newsroom ingest --rebuild PATH...` (read/starred marks are kept)"
                ) from exc
            # Opening for a rebuild: the catalog is derived data, start it afresh.
            for suffix in ("", "-wal", "-shm"):
                (path / (CATALOG_FILE + suffix)).unlink(missing_ok=True)
            catalog = Catalog(path)
            articles = 0
            notices.append(f"{exc}: it is rebuilt from the source files")
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                what = "cannot be opened" if readonly else "is locked or cannot be opened"
                raise LibraryError(f"{path / CATALOG_FILE}: {what} ({exc})") from exc
            if check or readonly:
                raise LibraryError(
                    f"{path / CATALOG_FILE} is damaged ({exc}); run `newsroom ingest --rebuild "
                    "PATH...` to rebuild it from the source files (read/starred marks are kept)"
                ) from exc
            catalog = _fresh_catalog(path, exc, notices)
            articles = 0
        try:
            state = ReaderState(path, readonly=readonly)
        except sqlite3.DatabaseError as exc:
            catalog.close()
            raise LibraryError(f"{path / 'state.sqlite'}: cannot be opened ({exc})") from exc
        if state.notice:
            notices.append(state.notice)
        ix: Any = None
        damage: str | None = None
        try:
            if not store.has_toc(path) and articles > 0:
                raise store.IndexDamaged(
                    f"{store.index_path(path)}: the search index is missing "
                    f"({articles} articles in the catalog)"
                )
            ix = store.open_index(path, create=not readonly)
            if (
                check
                and articles == 0
                and catalog.get_meta("ingesting") is None
                and ix.doc_count() > 0
            ):
                raise store.IndexDamaged(
                    f"{path / CATALOG_FILE} is missing or empty while the search index holds "
                    f"{ix.doc_count()} articles"
                )
        except store.IndexDamaged as exc:
            damage = str(exc)
            if check:
                catalog.close()
                state.close()
                raise LibraryError(
                    f"{exc}; run `newsroom ingest --rebuild PATH...` to rebuild it from the "
                    "source files (read/starred marks are kept)"
                ) from exc
        except OSError as exc:
            catalog.close()
            state.close()
            raise LibraryError(f"{path}: cannot open the search index ({exc})") from exc
        lib = cls(path, catalog, state, ix, damage)
        lib.readonly = readonly
        lib.notices = notices
        return lib

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._catalog.close()
            self._state.close()
            self.close_stories()  # stories (issue 12)

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- change detection ---

    def _generation(self) -> int:
        if self._ix is None:
            return -1
        try:
            return int(self._ix.latest_generation())
        except Exception:
            return -1

    def _version_key(self) -> tuple[int, int, int]:
        return (self._generation(), self._catalog.data_version(), self._state.data_version())

    def _reopen(self) -> None:
        """Open the catalog and index afresh: a rebuild was swapped in under us."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._fast = None
        self._catalog.close()
        self._catalog = Catalog(self.path, readonly=self.readonly)
        try:
            self._ix = store.open_index(self.path, create=not self.readonly)
            self._damage = None
        except store.IndexDamaged as exc:
            self._ix, self._damage = None, str(exc)
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
                self._forget_vocab()
                if self._searcher is not None and not self._searcher.up_to_date():
                    self._searcher = _refreshed(self._ix, self._searcher)
            return changed

    def _get_searcher(self) -> Any:
        if self._ix is None:
            raise LibraryError(
                f"{self.path}: the search index is damaged ({self._damage}); "
                "run `newsroom ingest --rebuild`"
            )
        if self._searcher is None:
            self._searcher = self._ix.searcher()
        elif not self._searcher.up_to_date():
            self._searcher = _refreshed(self._ix, self._searcher)
        return self._searcher

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
        return [(root, sum(len(ids) for f, ids in by_file.items() if under(f, str(root))))
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
        wanted = given if given in roots else ingest.resolved(given)
        if wanted not in roots:
            raise LibraryError(f"{path}: not a source of this library (see `newsroom sources`)")
        kept = [r for r in roots if r != wanted]
        try:
            with store.writer_lock(self.path):
                if self._ix is None:
                    raise LibraryError(
                        f"{self.path}: the search index is damaged; "
                        "run `newsroom ingest --rebuild`"
                    )
                removed = ingest.remove_source(self.path, self._ix, wanted, kept)
                self.sync_stories()  # stories (issue 12)
        except store.WriterBusy as exc:
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
        known = self._catalog.files()
        seen: set[str] = set()
        follow = self._catalog.get_meta("follow_links") == "1"
        for root in self.sources():
            if not root.exists():
                if any(under(p, str(root)) for p in known):
                    return True
                continue
            for path in _walk(root, follow):
                key = str(path)
                seen.add(key)
                old = known.get(key)
                if old is None:
                    return True
                try:
                    st = path.stat()
                except OSError:
                    continue
                if (st.st_mtime_ns, st.st_size) != (old[1], old[2]):
                    return True
        # Like the ingest: a file gone, or no longer reached from a source, goes.
        return any(p not in seen for p in known)

    # --- ingest ---

    def ingest(
        self,
        paths: Iterable[Path | str],
        progress: Progress | None = None,
        rebuild: bool = False,
        *,
        phase: Callable[[str], None] | None = None,
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
            with store.writer_lock(self.path):
                try:
                    notes.extend(recover(self.path))
                    if follow_links is None:
                        follow_links = self._catalog.get_meta("follow_links") == "1"
                    if not rebuild:
                        why = self._why_rebuild()
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
                    store.clean_leftovers(self.path)
                    raise
        except store.WriterBusy as exc:
            raise LibraryBusy(str(exc), exc.holder) from exc
        except ingest.Interrupted as exc:
            self._forget()
            if rebuild:
                raise IngestInterrupted(
                    "interrupted: the rebuild was abandoned; the library is as it was before",
                    0,
                ) from exc
            raise IngestInterrupted(
                f"interrupted: kept {exc.kept} articles; run `newsroom ingest` again to finish",
                exc.kept,
            ) from exc
        except ingest.WorkerDied as exc:
            raise LibraryError(f"{self.path}: ingest failed: {exc}") from exc
        except OSError as exc:
            reason = (exc.strerror or str(exc)).lower()
            raise LibraryError(
                f"{self.path}: ingest failed ({reason}); what it had written was removed"
            ) from exc
        except sqlite3.DatabaseError as exc:
            if is_damage(exc):
                raise LibraryError(
                    f"{self.path / CATALOG_FILE} is damaged ({exc}); run `newsroom ingest "
                    "--rebuild PATH...` (read/starred marks are kept)"
                ) from exc
            raise LibraryError(f"{self.path}: ingest failed ({exc})") from exc
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
            self._forget_vocab()
            self._versions = self._version_key()

    def _why_rebuild(self) -> str | None:
        """Why a plain ingest must rebuild (we hold the writer lock): damage or disagreement."""
        if self._ix is None:
            return self._damage or "the search index is damaged"
        problem = self._catalog.check()
        if problem:
            return f"{self.path / CATALOG_FILE} is damaged ({problem})"
        if self._catalog.get_meta("ingesting") is not None:
            return None  # a killed ingest: the next one replaces what it half wrote
        try:
            indexed = int(self._ix.doc_count())
        except Exception as exc:  # unreadable segments
            return f"the search index is damaged ({type(exc).__name__})"
        catalogued = self._catalog.count()
        if indexed != catalogued:
            return (
                f"the search index ({indexed} articles) and the catalog ({catalogued}) disagree"
            )
        return None

    def _rebuild(
        self,
        paths: list[Path],
        progress: Progress | None,
        phase: Callable[[str], None] | None,
        follow_links: bool,
    ) -> tuple[Any, list[Any]]:
        """Build a whole new library in REBUILD_DIR from `paths` and the known sources, swap it in."""
        import uuid

        from index import ingest

        aside = self.path / REBUILD_DIR
        shutil.rmtree(aside, ignore_errors=True)
        aside.mkdir()
        try:
            sources = self._catalog.sources()
        except sqlite3.Error:  # a damaged catalog: what was given is all we know
            sources = []
        wanted = list(paths)
        given = {p.resolve() for p in paths if p.exists()}
        wanted += [s for s in sources if s.exists() and s.resolve() not in given]
        damaged = self._catalog.check() is not None
        new_ix = store.create_index(aside)
        counts, skipped, _ = ingest.ingest(
            aside,
            new_ix,
            wanted,
            progress,
            False,
            phase,
            follow_links,
            extra_roots=[str(s) for s in sources],
        )
        token = uuid.uuid4().hex
        cat = Catalog(aside)
        try:
            with cat.transaction():
                cat.set_meta("follow_links", "1" if follow_links else "0")
            cat.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            cat.close()
        _write_synced(store.index_path(aside) / EPOCH_FILE, token)
        if phase is not None:
            phase("switching to the rebuilt library")
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._fast = None
            _write_synced(aside / COMPLETE_FILE, token)
            if damaged:
                self._catalog.close()
                aside_name = set_aside(self.path / CATALOG_FILE)
                self.notices.append(f"the damaged catalog is kept as {aside_name.name}")
            finish_rebuild(self.path)
            self._reopen()
        return counts, skipped

    def _forget_vocab(self) -> None:
        self._vocab = None
        self._prefixes.clear()

    def _prefix_terms(self, prefix: str) -> list[str]:
        """The most frequent indexed words starting with `prefix` (fewer for short prefixes).

        A two-letter prefix stands for its 3 most frequent words, a longer one for
        up to 12: a union of a few posting lists can skip blocks, a union of
        hundreds has to read them all (the 50 s worst case of plain prefix
        queries). The words come from the catalog's vocabulary, loaded once
        per library change: walking the index's terms decoded every term of
        every segment (100 ms for "re" at 10,000 articles, 30 segments at 100,000).
        """
        cached = self._prefixes.get(prefix)
        if cached is not None:
            return cached
        if self._vocab is None:
            self._vocab = self._catalog.vocab()
        words, dfs = self._vocab
        lo = bisect.bisect_left(words, prefix)
        hi = bisect.bisect_left(words, prefix + "\U0010ffff", lo)
        wanted = 3 if len(prefix) <= 2 else 6 if len(prefix) == 3 else 12
        best = heapq.nsmallest(wanted, range(lo, hi), key=lambda i: (-dfs[i], words[i]))
        out = [words[i] for i in best]
        if len(self._prefixes) > 4096:
            self._prefixes.clear()
        self._prefixes[prefix] = out
        return out

    def _nearest_word(self, word: str) -> str | None:
        """The closest known word (1 edit for short words, 2 otherwise), most frequent first.

        From the in-memory vocabulary, not the index: the first letter is taken
        as right, so only that letter's slice of the words is compared.
        """
        if self._vocab is None:
            self._vocab = self._catalog.vocab()
        words, dfs = self._vocab
        maxdist = 1 if len(word) <= 4 else 2
        lo = bisect.bisect_left(words, word[:1])
        hi = bisect.bisect_left(words, word[:1] + "\U0010ffff", lo)
        best: tuple[int, int, str] | None = None
        size = len(word)
        for i in range(lo, hi):
            cand = words[i]
            if abs(len(cand) - size) > maxdist or cand == word or len(cand) < 3:
                continue
            dist = _distance(word, cand)
            if dist <= maxdist:
                rank = (dist, -dfs[i], cand)
                if best is None or rank < best:
                    best = rank
        return best[2] if best else None

    # --- reading ---

    def count(self) -> int:
        return self._catalog.count()

    def feed(self, sort: str = "date") -> list[FeedItem]:
        """Every article, newest first (undated last); cached until the catalog changes."""
        with self._lock:
            key = (self._generation(), self._catalog.data_version())
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

    def actors(self, kind: str | None = None) -> list[Any]:
        """Library-wide actors (merged across articles), most mentioned first."""
        import json

        from index.extract.aliases import LibraryActor

        return [
            LibraryActor(
                name=r[0],
                kind=r[1],
                aliases=tuple(json.loads(r[2])),
                article_ids=tuple(json.loads(r[3])),
                mentions=r[4],
            )
            for r in self._catalog.library_actor_rows(kind)
        ]

    def expand(self, value: str, field: str) -> tuple[str, ...]:
        """Every name the library knows for the actor `value` (within the field's kinds)."""
        cache_key = (value, field)
        cached = self._expansions.get(cache_key)
        if cached is not None:
            return cached
        from index.query import FIELD_KINDS

        kinds = FIELD_KINDS.get(field)
        names: list[str] = []
        try:
            key = _actor_key(value)
        except Exception:  # an extractor bug must not break search
            key = ""
        if key:
            for name, kind, aliases in self._catalog.alias_groups(key):
                if kinds is None or kind in kinds:
                    names.append(name)
                    names.extend(aliases)
        out = tuple(dict.fromkeys(names))
        self._expansions[cache_key] = out
        return out

    def statements(self, speaker: str | None = None) -> list[LibraryStatement]:
        """Statements across the library; `speaker` matches any alias or a word of the name."""
        if speaker is None:
            rows = self._catalog.statement_rows(None)
        else:
            from index.query import analyse

            wanted = {speaker.casefold(), *(n.casefold() for n in self.expand(speaker, "speaker"))}
            words = analyse(store.NAME_ANALYZER, speaker)
            chosen = []
            for name in self._catalog.speakers():
                if name.casefold() in wanted:
                    chosen.append(name)
                    continue
                tokens = analyse(store.NAME_ANALYZER, name)
                if words and _contains(tokens, words):
                    chosen.append(name)
            rows = self._catalog.statement_rows(chosen) if chosen else []
        return [LibraryStatement(*r[:7], act=r[7], utterance=r[8]) for r in rows]

    # --- search ---

    def search(
        self,
        query: str,
        limit: int = 20,
        sort: str = "relevance",
        as_you_type: bool = False,
    ) -> SearchResult:
        """Search with the query language; never raises on user syntax."""
        from index.query import compile_query

        started = time.perf_counter()
        with self._lock:
            searcher = self._get_searcher()
            compiled = compile_query(
                query,
                self.expand,
                as_you_type=as_you_type,
                expand_prefix=self._prefix_terms,
            )
            if compiled.query is None:
                return SearchResult(query, (), 0, _ms(started), None, compiled.error)
            hits, total, total_exact = self._run(
                searcher, compiled.query, compiled.highlight, limit, sort, exact=not as_you_type
            )
            suggestion = None
            if not as_you_type or not hits:
                suggestion = _suggest(searcher, query, compiled.words, self._nearest_word)
        return SearchResult(
            query, hits, total, _ms(started), suggestion, compiled.error, total_exact
        )

    def _run(
        self, searcher: Any, q: Any, hl: Highlight, limit: int, sort: str, exact: bool = True
    ) -> tuple[tuple[Hit, ...], int, bool]:
        """Top `limit` hits, the total and whether it is exact.

        Every cut is counted in matches, never in time, so the same query on
        the same library gives the same hits and total on any machine and load.
        """
        limit = max(1, limit)
        if sort == "date":
            docnums, total = _by_date(searcher, q, limit, self._published_column(searcher))
            stored = [searcher.stored_fields(d)["id"] for d in docnums]
            return self._hits(stored, [0.0] * len(stored), hl), total, True
        # BM25F throughout: TF-IDF on broad queries was no faster once the budget
        # is in matches, and it ranked differently (benchmark recall@20).
        broad = q.estimate_size(searcher.reader()) > BROAD_QUERY
        # A caller asking for more hits than the budget gets them (the CLI's --limit).
        collector = _budget_collector(limit, max(SCAN_BUDGET, limit) if broad else None)
        searcher.search_with_collector(q, collector)
        results = collector.results()
        ids = [results.docnum(i) for i in range(results.scored_length())]
        stored = [searcher.stored_fields(d)["id"] for d in ids]
        scores = [float(results.score(i) or 0.0) for i in range(len(stored))]
        total, total_exact = collector.total_count(
            EXACT_UP_TO if exact else EXACT_AS_YOU_TYPE, len(stored)
        )
        return self._hits(stored, scores, hl), total, total_exact

    def _published_column(self, searcher: Any) -> Sequence[int] | None:
        """Every document's `published` value by docnum, read once per searcher."""
        if self._published is not None and self._published[0] is searcher:
            return self._published[1]
        reader = searcher.reader()
        if not reader.has_column("published"):
            return None
        values = list(reader.column_reader("published"))
        self._published = (searcher, values)
        return values

    def _hits(self, ids: Sequence[str], scores: Sequence[float], hl: Highlight) -> tuple[Hit, ...]:
        from index import highlight

        rows = self._catalog.meta_rows(ids)
        hits = []
        for aid, score in zip(ids, scores, strict=True):
            row = rows.get(aid)
            if row is None:  # indexed but not yet catalogued (a crashed ingest): skip
                continue
            _, title, published, inferred, source, path, body = row
            body_spans = highlight.spans(body, hl)
            snip, snip_spans = highlight.snippet(body, body_spans)
            hits.append(
                Hit(
                    id=aid,
                    title=title,
                    published=_dt(published),
                    published_inferred=bool(inferred),
                    source=source,
                    path=path,
                    score=score,
                    title_spans=highlight.spans(title, hl),
                    body_spans=body_spans,
                    snippet=snip,
                    snippet_spans=snip_spans,
                )
            )
        return tuple(hits)

    def related(self, id: str, limit: int = 5) -> list[Hit]:
        """Articles sharing the most title words and actors with article `id`."""
        from whoosh import query as wq

        from index.query import Highlight, analyse

        article = self.article(id)
        stems = analyse(store.TEXT_ANALYZER, article.title)
        clauses: list[Any] = [
            wq.Term(f, s) for s in dict.fromkeys(stems) for f in ("title", "body")
        ]
        top = sorted(article.actors, key=lambda a: -len(a.mentions))[:8]
        names = []
        for actor in top:
            words = analyse(store.NAME_ANALYZER, actor.name)
            if words:
                names.append(actor.name)
                clauses.append(
                    wq.Term("actors", words[0]) if len(words) == 1 else wq.Phrase("actors", words)
                )
        if not clauses:
            return []
        q = wq.AndNot(wq.Or(clauses), wq.Term("id", id))
        hl = Highlight(frozenset(stems), (), tuple(names))
        with self._lock:
            hits, _, _ = self._run(self._get_searcher(), q, hl, limit, "relevance")
        return list(hits)


# --- helpers -----------------------------------------------------------------


def _segment_state(segments: Iterable[Any]) -> dict[str, int]:
    return {s.segment_id(): s.deleted_count() for s in segments}


def _refreshed(ix: Any, searcher: Any) -> Any:
    """A searcher on the latest commit, reusing the unchanged segments' readers.

    Whoosh's refresh keeps the readers of segments a merge removed (their
    articles then count twice), so it is used only when the commit merely
    added segments; otherwise the searcher is opened afresh.
    """
    try:
        old = _segment_state(leaf.segment() for leaf, _ in searcher.reader().leaf_readers())
        new = _segment_state(ix._segments())
    except Exception:  # a reader without segments (empty index): open afresh below
        old, new = {}, {}
    only_added = bool(old) and all(new.get(k) == v for k, v in old.items())
    if only_added and searcher.doc_count_all() > 0:
        try:
            return searcher.refresh()
        except Exception:  # a commit raced us: open afresh below
            pass
    # Whoosh cannot refresh a searcher opened on an empty index.
    searcher.close()
    return ix.searcher()


def _budget_collector(limit: int, scan: int | None) -> Any:
    """A top-`limit` collector that scores at most `scan` matches (all when None).

    Whoosh scores every match of a query in Python (about 4 us each): a word
    in nine articles out of ten costs 0.35 s at 100,000 articles, which no
    ranking of "said" is worth. The collector visits the segments written
    last first (the latest ingests) and stops after `scan` matches. The cut
    depends only on the index, never on the clock, so hits and totals are
    the same on every run; `cut` then says the total is an estimate.
    """
    from whoosh.collectors import TopCollector

    class Budget(TopCollector):  # type: ignore[misc]
        cut = False

        def run(self) -> None:
            self.left = scan if scan is not None else -1
            self.seen = 0  # matches visited (block skipping may pass some by)
            try:
                for subsearcher, offset in reversed(list(self.top_searcher.leaf_searchers())):
                    self.set_subsearcher(subsearcher, offset)
                    self.collect_matches()
                    if self.cut:
                        break
            finally:
                self.finish()

        def collect_matches(self) -> None:
            collect = self.collect
            left = self.left
            seen = self.seen
            for sub_docnum in self.matches():
                collect(sub_docnum)
                left -= 1
                seen += 1
                if left == 0:
                    self.cut = True
                    break
            self.left = left
            self.seen = seen

        def computes_count(self) -> bool:
            return not self.cut and bool(super().computes_count())

        def total_count(self, exact_up_to: int, found: int) -> tuple[int, bool]:
            """(total, exact): exact unless cut, or too large to count in a second pass."""
            if not self.cut and (self.minscore == 0 or not self.usequality):
                # Nothing was skipped (no pruning, or the top list never filled): all seen.
                return self.seen, True
            reader = self.top_searcher.reader()
            upper = int(reader.doc_count())
            # A query type without an estimate leaves the library size as the bound.
            with contextlib.suppress(Exception):
                upper = min(upper, int(self.q.estimate_size(reader)))
            if not self.cut and upper <= exact_up_to:
                return self.count(), True
            # An upper bound (a word in title and body counts twice), never below what was seen.
            return max(upper, self.seen, found), False

    # Whoosh's block-quality skipping and matcher pruning are not exact for
    # BM25F (AND queries lost up to 70 % of their true top 20): a query that is
    # not broad scores every match, which also counts them. A broad one may skip.
    prune = scan is not None and BROAD_PRUNING
    return Budget(limit, usequality=prune, replace=10 if prune else 0)


def _by_date(
    searcher: Any, q: Any, limit: int, published: Sequence[int] | None
) -> tuple[list[int], int]:
    """The `limit` newest matches (undated last, then index order) and the exact total."""
    docnums = list(searcher.docs_for_query(q))
    if published is None:
        return sorted(docnums)[:limit], len(docnums)
    missing = searcher.schema["published"].max_value
    # Whoosh gives an undated document the largest number, which a newest-first
    # sort would put on top: an article without a date goes last instead.
    top = heapq.nsmallest(
        limit, docnums, key=lambda d: (published[d] == missing, -published[d], d)
    )
    return top, len(docnums)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def _walk(root: Path, follow_links: bool = False) -> Iterator[Path]:
    from index.pipeline import iter_files

    for item in iter_files([root], follow_links=follow_links):
        if isinstance(item, Path):
            yield item.resolve()


# --- recovery ------------------------------------------------------------------


def epoch(library: Path) -> str:
    """Which rebuild made the current index ("" before any): readers reopen when it changes."""
    try:
        return (store.index_path(library) / EPOCH_FILE).read_text()
    except OSError:
        return ""


def _write_synced(path: Path, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


def finish_rebuild(library: Path) -> None:
    """Swap a complete rebuild in (idempotent: a kill -9 half way is finished by the next call).

    The index folder is exchanged atomically with the rebuilt one; the catalog
    is copied into the live file with SQLite's backup, one transaction, so
    readers see the old catalog or the new one, never a mix. A live catalog
    that can't take the copy (damaged) is set aside and the new one renamed in.
    """
    aside = library / REBUILD_DIR
    token = (aside / COMPLETE_FILE).read_text()
    live_ix = store.index_path(library)
    new_ix = store.index_path(aside)
    if epoch(library) != token and new_ix.is_dir():
        if live_ix.exists():
            store.exchange(live_ix, new_ix)
        else:
            os.rename(new_ix, live_ix)
    live_cat = library / CATALOG_FILE
    new_cat = aside / CATALOG_FILE
    if new_cat.exists():
        src = sqlite3.connect(new_cat)
        try:
            try:
                dst = sqlite3.connect(live_cat, timeout=30.0)
                try:
                    dst.execute("PRAGMA journal_mode=WAL")
                    src.backup(dst)
                finally:
                    dst.close()
            except sqlite3.DatabaseError as exc:
                if not is_damage(exc):
                    raise
                set_aside(live_cat)
                src.close()
                os.rename(new_cat, live_cat)
        finally:
            src.close()
    shutil.rmtree(aside, ignore_errors=True)


def recover(library: Path) -> list[str]:
    """Finish or roll back what a killed writer left (the caller holds the writer lock)."""
    notes: list[str] = []
    aside = library / REBUILD_DIR
    if aside.is_dir():
        if (aside / COMPLETE_FILE).exists():
            finish_rebuild(library)
            notes.append("finished swapping in the library a killed `ingest --rebuild` had built")
        else:
            shutil.rmtree(aside, ignore_errors=True)
            notes.append(
                "removed the unfinished work of a killed `ingest --rebuild`; the library is as before"
            )
    store.clean_leftovers(library)
    from index.ingest import rollback_uncatalogued

    try:
        gone = rollback_uncatalogued(library)
    except (store.IndexDamaged, OSError, sqlite3.Error):
        gone = 0  # the ingest that follows repairs or rebuilds
    if gone:
        notes.append(
            f"took {gone} articles a killed ingest had left half-written out of the search index"
        )
    return notes


def _fresh_catalog(path: Path, exc: BaseException, notices: list[str]) -> Catalog:
    """Set a damaged catalog aside and start an empty one, keeping its sources if they read."""
    sources: list[str] = []
    try:
        con = sqlite3.connect(path / CATALOG_FILE)
        try:
            sources = [r[0] for r in con.execute("SELECT path FROM sources")]
        finally:
            con.close()
    except sqlite3.Error:
        pass
    aside = set_aside(path / CATALOG_FILE)
    catalog = Catalog(path)
    with catalog.transaction():
        catalog.add_sources(sources)
    notices.append(
        f"{CATALOG_FILE} was damaged ({exc}); kept as {aside.name}, the library is rebuilt "
        "from its source files"
    )
    return catalog


def _contains(tokens: list[str], words: list[str]) -> bool:
    n = len(words)
    return any(tokens[i : i + n] == words for i in range(len(tokens) - n + 1))


def _suggest(
    searcher: Any, query: str, words: Sequence[Word], nearest: Callable[[str], str | None]
) -> str | None:
    """'Did you mean': replace each unknown plain word by its nearest indexed word."""
    reader = searcher.reader()
    out = query
    changed = False
    for word in sorted(words, key=lambda w: -w.start):
        lw = word.text.lower()
        stems = [t.text for t in store.TEXT_ANALYZER(lw)]
        if not stems or len(lw) < 3:
            continue
        s = stems[0]
        if reader.doc_frequency("body", s) or reader.doc_frequency("title", s):
            continue
        best = nearest(lw)
        if best is not None:
            if word.text[:1].isupper():
                best = best[:1].upper() + best[1:]
            out = out[: word.start] + best + out[word.end :]
            changed = True
    return out if changed else None


EXACT_UP_TO = 5000  # totals are counted in a second pass up to here (= BROAD_QUERY), estimated beyond
EXACT_AS_YOU_TYPE = 500  # the same while typing, where every keystroke counts
BROAD_QUERY = 5000  # estimated matches above which a search is cut after SCAN_BUDGET matches
SCAN_BUDGET = 6000  # broad queries: matches scored at most, the most recently added first
BROAD_PRUNING = True  # broad queries may skip blocks that cannot reach the top list


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


__all__ = [
    "FeedItem",
    "Hit",
    "IngestReport",
    "Library",
    "LibraryError",
    "LibraryStatement",
    "SearchResult",
]
