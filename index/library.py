"""The Library: a folder holding a Whoosh index, an SQLite catalog and reader state; ingest and search."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh import query as wq

from index import highlight, store
from index.article import Article, content_hash
from index.catalog import Catalog
from index.query import FIELD_KINDS, Compiled, Highlight, Word, analyse, compile_query
from index.state import ReaderState

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


@dataclass(frozen=True)
class IngestReport:
    """What one ingest did, counted in articles; `skipped` lists files it could not use."""

    added: int
    updated: int
    unchanged: int
    removed: int
    skipped: tuple[Any, ...]  # index.pipeline.Problem
    took_s: float


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


@dataclass(frozen=True)
class LibraryStatement:
    """A statement somewhere in the library, with the article it comes from."""

    article_id: str
    speaker: str | None
    text: str
    kind: str
    cue: str | None
    start: int
    end: int


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _actor_key(name: str) -> str:
    from index.extract.aliases import actor_key

    return actor_key(name)


# --- ingest workers (top level: they run in a process pool) ------------------


Prepared = tuple[str, str, list[tuple[Article, dict[str, Any]]] | None, list[Any]]


def prepare_file(task: tuple[str, str | None]) -> Prepared:
    """Hash, parse, extract and analyse one file: (path, hash, articles or None if unchanged, problems)."""
    path, known_hash = task
    from index.pipeline import Problem, process_file

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return path, "", [], [Problem(path, exc.strerror or str(exc))]
    digest = content_hash(data)
    if digest == known_hash:
        return path, digest, None, []
    articles, problems = process_file(path)
    return path, digest, [(a, store.analyse(a)) for a in articles], list(problems)


def _prepared(tasks: list[tuple[str, str | None]]) -> Iterator[Prepared]:
    """Run `prepare_file` over tasks, in order; in parallel when there are many."""
    if len(tasks) < POOL_MIN_FILES:
        for task in tasks:
            yield prepare_file(task)
        return
    workers = max(1, os.cpu_count() or 1)
    chunks = [tasks[i : i + POOL_CHUNK] for i in range(0, len(tasks), POOL_CHUNK)]
    # fork is fastest, but forking a threaded process (the TUI ingests in a
    # thread) can deadlock a child on a lock held by another thread: spawn then.
    method = "fork" if threading.active_count() == 1 else "spawn"
    ctx = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        pending: deque[Future[list[Prepared]]] = deque()
        it = iter(chunks)
        # A bounded window keeps memory flat when the writer is slower than the parsers.
        for chunk in it:
            pending.append(pool.submit(_prepare_chunk, chunk))
            if len(pending) >= workers * 3:
                break
        while pending:
            done = pending.popleft().result()
            nxt = next(it, None)
            if nxt is not None:
                pending.append(pool.submit(_prepare_chunk, nxt))
            yield from done


def _prepare_chunk(chunk: list[tuple[str, str | None]]) -> list[Prepared]:
    return [prepare_file(task) for task in chunk]


# --- the library -------------------------------------------------------------


class Library:
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
        self._feed: tuple[tuple[int, int], list[FeedItem]] | None = None
        self._expansions: dict[tuple[str, str], tuple[str, ...]] = {}
        self._versions = self._version_key()

    # --- opening and closing ---

    @classmethod
    def open(cls, path: Path | str, *, check: bool = True) -> Library:
        """Open (creating when new) the library at `path`.

        A damaged full-text index raises LibraryError unless `check=False`, which
        opens it anyway so that `ingest(..., rebuild=True)` can restore it.
        """
        path = Path(path).expanduser()
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(f"{path}: cannot create the library ({exc.strerror})") from exc
        if not path.is_dir():
            raise LibraryError(f"{path}: not a folder")
        try:
            catalog = Catalog(path)
            state = ReaderState(path)
        except sqlite3.Error as exc:
            raise LibraryError(
                f"{path}: the library's database is damaged or locked ({exc})"
            ) from exc
        ix: Any = None
        damage: str | None = None
        try:
            ix = store.open_index(path)
        except store.IndexDamaged as exc:
            damage = str(exc)
            if check:
                catalog.close()
                state.close()
                raise LibraryError(
                    f"{path}: the search index is damaged ({exc}); "
                    "run `newsroom ingest --rebuild` to rebuild it from the source files"
                ) from exc
        except OSError as exc:
            raise LibraryError(f"{path}: cannot open the search index ({exc})") from exc
        return cls(path, catalog, state, ix, damage)

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._catalog.close()
            self._state.close()

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

    def refresh(self) -> bool:
        """Pick up changes made by other processes; True when anything changed."""
        with self._lock:
            now = self._version_key()
            changed = now != self._versions
            self._versions = now
            if changed:
                self._feed = None
                self._expansions.clear()
                if self._searcher is not None and not self._searcher.up_to_date():
                    self._searcher = self._searcher.refresh()
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
            self._searcher = self._searcher.refresh()
        return self._searcher

    # --- sources ---

    def sources(self) -> list[Path]:
        return self._catalog.sources()

    def pending(self) -> bool:
        """Cheap check (mtime and size only) whether any source has new, changed or gone files."""
        known = self._catalog.files()
        seen: set[str] = set()
        for root in self.sources():
            if not root.exists():
                if any(_under(p, str(root)) for p in known):
                    return True
                continue
            for path in _walk(root):
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
        roots = [str(r) for r in self.sources()]
        return any(p not in seen and any(_under(p, r) for r in roots) for p in known)

    # --- ingest ---

    def ingest(
        self,
        paths: Iterable[Path | str],
        progress: Progress | None = None,
        rebuild: bool = False,
    ) -> IngestReport:
        """Index new and changed files under `paths`, drop entries whose files are gone."""
        started = time.monotonic()
        try:
            with store.writer_lock(self.path):
                report = _Ingest(self, [Path(p) for p in paths], progress, rebuild).run(started)
        except store.WriterBusy as exc:
            raise LibraryError(str(exc)) from exc
        with self._lock:
            self._feed = None
            self._expansions.clear()
            self._versions = self._version_key()
        return report

    # --- reading ---

    def count(self) -> int:
        return self._catalog.count()

    def feed(self, sort: str = "date") -> list[FeedItem]:
        """Every article, newest first (undated last); cached until the catalog changes."""
        with self._lock:
            key = (self._generation(), self._catalog.data_version())
            if self._feed is None or self._feed[0] != key:
                rows = self._catalog.feed_rows()
                items = [FeedItem(r[0], r[1], _dt(r[2]), bool(r[3]), r[4], r[5]) for r in rows]
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
        return [LibraryStatement(*r) for r in rows]

    # --- search ---

    def search(
        self,
        query: str,
        limit: int = 20,
        sort: str = "relevance",
        as_you_type: bool = False,
    ) -> SearchResult:
        """Search with the query language; never raises on user syntax."""
        started = time.perf_counter()
        compiled = compile_query(query, self.expand, as_you_type=as_you_type)
        with self._lock:
            searcher = self._get_searcher()
            if compiled.query is None:
                return SearchResult(query, (), 0, _ms(started), None, compiled.error)
            hits, total = self._run(searcher, compiled.query, compiled.highlight, limit, sort)
            suggestion = None
            if not as_you_type or not hits:
                suggestion = _suggest(searcher, query, compiled.words)
        return SearchResult(query, hits, total, _ms(started), suggestion, compiled.error)

    def _run(
        self, searcher: Any, q: Any, hl: Highlight, limit: int, sort: str
    ) -> tuple[tuple[Hit, ...], int]:
        limit = max(1, limit)
        if sort == "date":
            results = searcher.search(
                q, limit=limit, sortedby="published", reverse=True, terms=False
            )
        else:
            results = searcher.search(q, limit=limit, terms=False)
        ids = [results.docnum(i) for i in range(results.scored_length())]
        stored = [searcher.stored_fields(d)["id"] for d in ids]
        scores = [float(results.score(i) or 0.0) for i in range(len(stored))]
        total = _total(results)
        return self._hits(stored, scores, hl), total

    def _hits(self, ids: Sequence[str], scores: Sequence[float], hl: Highlight) -> tuple[Hit, ...]:
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
            hits, _ = self._run(self._get_searcher(), q, hl, limit, "relevance")
        return list(hits)


class _Ingest:
    """One ingest run (holding the writer lock): walk, diff, parse in parallel, index, commit."""

    def __init__(
        self, lib: Library, paths: list[Path], progress: Progress | None, rebuild: bool
    ) -> None:
        self.lib = lib
        self.paths = paths
        self.progress = progress
        self.rebuild = rebuild
        # The ingest writes through its own connection: its transactions never
        # mix with reads the app makes on the library's connection meanwhile.
        self.cat = Catalog(lib.path)
        self.skipped: list[Any] = []
        self.added = self.updated = self.unchanged = self.removed = 0

    def run(self, started: float) -> IngestReport:
        try:
            return self._run(started)
        finally:
            self.cat.close()

    def _run(self, started: float) -> IngestReport:
        from index.pipeline import Problem, iter_files

        lib = self.lib
        if self.rebuild:
            with lib._lock:
                if lib._searcher is not None:
                    lib._searcher.close()
                    lib._searcher = None
                lib._ix = store.create_index(lib.path)
                lib._damage = None
            with self.cat.transaction():
                self.cat.clear_articles()
        elif lib._ix is None:
            raise LibraryError(
                f"{lib.path}: the search index is damaged ({lib._damage}); "
                "run `newsroom ingest --rebuild`"
            )
        # A crash leaves this flag set: the next run then replaces documents by id
        # (update) instead of adding them, so nothing is indexed twice.
        careful = self.cat.get_meta("ingesting") is not None
        with self.cat.transaction():
            self.cat.set_meta("ingesting", str(os.getpid()))

        roots: list[str] = []
        files: list[Path] = []
        unreadable: set[str] = set()
        for item in iter_files(self.paths):
            if isinstance(item, Problem):
                self.skipped.append(item)
                unreadable.add(_resolved(item.path))
            else:
                files.append(item)
        for p in self.paths:
            if p.exists():
                roots.append(str(p.resolve()))
        with self.cat.transaction():
            self.cat.add_sources(roots)

        known = self.cat.files()
        ids_by_file = self.cat.ids_by_file()
        tasks: list[tuple[str, str | None]] = []
        seen: set[str] = set()
        for path in files:
            key = str(path.resolve())
            if key in seen:
                continue
            seen.add(key)
            old = known.get(key)
            try:
                st = path.stat()
            except OSError as exc:
                self.skipped.append(Problem(str(path), exc.strerror or str(exc)))
                unreadable.add(key)
                continue
            if old is not None and (st.st_mtime_ns, st.st_size) == (old[1], old[2]):
                self.unchanged += len(ids_by_file.get(key, ()))
                continue
            tasks.append((key, old[0] if old else None))
        gone = [
            f
            for f in known
            if f not in seen and f not in unreadable and any(_under(f, r) for r in roots)
        ]
        total = len(tasks)
        if self.progress is not None:
            self.progress(0, total)

        writer = _BatchWriter(lib, self.cat, careful)
        for f in gone:
            self.removed += writer.remove_file(f)
        for done, (path, digest, prepared, problems) in enumerate(_prepared(tasks), 1):
            self.skipped.extend(problems)
            stat = _stat(path)
            if prepared is None:  # touched but same bytes
                self.unchanged += len(ids_by_file.get(path, ()))
                writer.touch(path, digest, stat)
            elif not prepared and problems:
                self.removed += writer.remove_file(path) if path in known else 0
            else:
                old = set(ids_by_file.get(path, ()))
                new = {a.id for a, _ in prepared}
                self.updated += len(old & new)
                self.added += len(new - old)
                self.removed += len(old - new)
                writer.put_file(path, digest, stat, prepared, list(old))
            if self.progress is not None:
                self.progress(done, total)
        writer.finish()
        changed = writer.changed or self.rebuild
        if changed or (self.cat.count() and not self.cat.library_actor_rows()):
            _rebuild_actors(self.cat)
        with self.cat.transaction():
            self.cat.con.execute("DELETE FROM meta WHERE key='ingesting'")
        return IngestReport(
            self.added,
            self.updated,
            self.unchanged,
            self.removed,
            tuple(self.skipped),
            time.monotonic() - started,
        )


class _BatchWriter:
    """Feeds the Whoosh writer and commits index then catalog every COMMIT_EVERY articles.

    Order matters for crashes: the index commits first, the catalog second, so a
    crash in between leaves files whose catalog rows still carry the old hash:
    the next ingest re-parses them and replaces their documents by id.
    """

    def __init__(self, lib: Library, cat: Catalog, careful: bool) -> None:
        self.lib = lib
        self.cat = cat
        self.careful = careful
        self.writer: Any = None
        self.infer: list[tuple[str, str, tuple[int, int], Article, dict[str, Any]]] = []
        self.files: dict[str, tuple[str, tuple[int, int], list[Article]]] = {}
        self.removals: list[str] = []
        self.touched: list[tuple[str, str, tuple[int, int]]] = []
        self.pending = 0
        self.changed = False

    def _writer(self) -> Any:
        if self.writer is None:
            self.writer = self.lib._ix.writer(limitmb=256, procs=1, multisegment=False)
        return self.writer

    def remove_file(self, path: str) -> int:
        ids = [r[0] for r in self.cat.con.execute("SELECT id FROM articles WHERE file=?", (path,))]
        w = self._writer()
        for aid in ids:
            w.delete_by_term("id", aid)
        self.removals.append(path)
        self.pending += 1
        self.changed = True
        return len(ids)

    def touch(self, path: str, digest: str, stat: tuple[int, int]) -> None:
        self.touched.append((path, digest, stat))

    def put_file(
        self,
        path: str,
        digest: str,
        stat: tuple[int, int],
        prepared: list[tuple[Article, dict[str, Any]]],
        old_ids: list[str],
    ) -> None:
        w = self._writer()
        for aid in old_ids:
            w.delete_by_term("id", aid)
        self.files[path] = (digest, stat, [])
        for article, doc in prepared:
            self.infer.append((path, digest, stat, article, doc))
        if len(self.infer) >= INFER_BATCH:
            self._index_inferred()
        if self.pending >= COMMIT_EVERY:
            self._commit()
        self.changed = True

    def _index_inferred(self) -> None:
        """Fill in missing years over the batch, then hand the documents to Whoosh."""
        from index.parse import infer_years

        if not self.infer:
            return
        articles = infer_years([a for _, _, _, a, _ in self.infer])
        w = self._writer()
        add = w.update_document if self.careful else w.add_document
        for (path, digest, _, _, doc), article in zip(self.infer, articles, strict=True):
            add(**store.whoosh_document(article, doc, digest))
            self.files[path][2].append(article)
        self.pending += len(self.infer)
        self.infer.clear()

    def _commit(self, final: bool = False) -> None:
        self._index_inferred()
        if self.writer is not None:
            # Merging at every batch would copy the same segments again and again.
            self.writer.commit(merge=final)
            self.writer = None
        with self.cat.transaction():
            for path in self.removals:
                self.cat.remove_file(path)
            for path, (digest, stat, articles) in self.files.items():
                self.cat.remove_file(path)
                self.cat.put_articles(
                    path,
                    articles,
                    [store.timestamp(a.published) if a.published else None for a in articles],
                )
                self.cat.set_file(path, digest, stat[0], stat[1])
            for path, digest, stat in self.touched:
                self.cat.set_file(path, digest, stat[0], stat[1])
        self.removals.clear()
        self.files.clear()
        self.touched.clear()
        self.pending = 0

    def finish(self) -> None:
        if self.writer is not None or self.files or self.removals or self.touched:
            self._commit(final=True)


def _rebuild_actors(cat: Catalog) -> None:
    try:
        from index.extract.aliases import actor_key, merge_library
    except ImportError:  # TEMPORARY until the actors engineer lands aliases.py
        return
    merged = merge_library(cat.iter_actor_rows())
    with cat.transaction():
        cat.replace_library_actors(merged, actor_key)


# --- helpers -----------------------------------------------------------------


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def _total(results: Any) -> int:
    return len(results)


def _stat(path: str) -> tuple[int, int]:
    try:
        st = os.stat(path)
    except OSError:
        return (0, -1)
    return (st.st_mtime_ns, st.st_size)


def _resolved(path: str) -> str:
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):
        return path


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _walk(root: Path) -> Iterator[Path]:
    from index.pipeline import iter_files

    for item in iter_files([root]):
        if isinstance(item, Path):
            yield item.resolve()


def _contains(tokens: list[str], words: list[str]) -> bool:
    n = len(words)
    return any(tokens[i : i + n] == words for i in range(len(tokens) - n + 1))


def _suggest(searcher: Any, query: str, words: Sequence[Word]) -> str | None:
    """'Did you mean': replace each unknown plain word by its nearest indexed word."""
    reader = searcher.reader()
    out = query
    changed = False
    for word in sorted(words, key=lambda w: -w.start):
        lw = word.text.lower()
        stems = analyse(store.TEXT_ANALYZER, lw)
        if not stems or len(lw) < 3 or len(lw) > store.PREFIX_MAX:
            continue
        s = stems[0]
        if reader.doc_frequency("body", s) or reader.doc_frequency("title", s):
            continue
        best = _nearest(reader, lw)
        if best is not None:
            if word.text[:1].isupper():
                best = best[:1].upper() + best[1:]
            out = out[: word.start] + best + out[word.end :]
            changed = True
    return out if changed else None


def _nearest(reader: Any, word: str) -> str | None:
    """The closest whole word in the index: a `pfx` term within 2 edits whose stem is indexed."""
    best: tuple[int, int, int, str] | None = None
    maxdist = 1 if len(word) <= 4 else 2
    for raw in reader.terms_within("pfx", word, maxdist):
        cand = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        if cand == word or len(cand) < 3:
            continue
        stems = analyse(store.TEXT_ANALYZER, cand)
        if not stems:
            continue
        df = reader.doc_frequency("body", stems[0])
        if not df:
            continue
        dist = _distance(word, cand)
        rank = (dist, abs(len(cand) - len(word)), -df, cand)
        if best is None or rank < best:
            best = rank
    return best[3] if best else None


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


__all__ = [
    "Compiled",
    "FeedItem",
    "Hit",
    "IngestReport",
    "Library",
    "LibraryError",
    "LibraryStatement",
    "SearchResult",
]
