"""The Library: a folder holding a Whoosh index, an SQLite catalog and reader state; ingest and search."""

from __future__ import annotations

import bisect
import heapq
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
from index.catalog import CATALOG_FILE, Catalog, CatalogFormatError
from index.ingest import under
from index.state import ReaderState

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
        self._fast: tuple[Any, Any] | None = None
        self._lock = threading.RLock()
        self._feed: tuple[tuple[int, int], list[FeedItem]] | None = None
        self._expansions: dict[tuple[str, str], tuple[str, ...]] = {}
        self._vocab: tuple[list[str], list[int]] | None = None
        self._prefixes: dict[str, list[str]] = {}
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
        except CatalogFormatError as exc:
            if check:
                raise LibraryError(
                    f"{exc}; run `newsroom ingest --rebuild PATH...` (read/starred marks are kept)"
                ) from exc
            # Opening for a rebuild: the catalog is derived data, start it afresh.
            for suffix in ("", "-wal", "-shm"):
                (path / (CATALOG_FILE + suffix)).unlink(missing_ok=True)
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

    def pending(self) -> bool:
        """Cheap check (mtime and size only) whether any source has new, changed or gone files."""
        known = self._catalog.files()
        seen: set[str] = set()
        for root in self.sources():
            if not root.exists():
                if any(under(p, str(root)) for p in known):
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
        return any(p not in seen and any(under(p, r) for r in roots) for p in known)

    # --- ingest ---

    def ingest(
        self,
        paths: Iterable[Path | str],
        progress: Progress | None = None,
        rebuild: bool = False,
    ) -> IngestReport:
        """Index new and changed files under `paths`, drop entries whose files are gone."""
        from index import ingest

        started = time.monotonic()
        try:
            with store.writer_lock(self.path):
                if rebuild:
                    with self._lock:
                        if self._searcher is not None:
                            self._searcher.close()
                            self._searcher = None
                        self._ix = store.create_index(self.path)
                        self._damage = None
                elif self._ix is None:
                    raise LibraryError(
                        f"{self.path}: the search index is damaged ({self._damage}); "
                        "run `newsroom ingest --rebuild`"
                    )
                counts, skipped, _ = ingest.ingest(
                    self.path, self._ix, [Path(p) for p in paths], progress, rebuild
                )
        except store.WriterBusy as exc:
            raise LibraryError(str(exc)) from exc
        except ingest.WorkerDied as exc:
            raise LibraryError(f"{self.path}: ingest failed: {exc}") from exc
        report = IngestReport(
            counts.added,
            counts.updated,
            counts.unchanged,
            counts.removed,
            tuple(skipped),
            time.monotonic() - started,
        )
        with self._lock:
            self._feed = None
            self._expansions.clear()
            self._forget_vocab()
            self._versions = self._version_key()
        return report

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
            hits, total = self._run(
                searcher, compiled.query, compiled.highlight, limit, sort, exact=not as_you_type
            )
            suggestion = None
            if not as_you_type or not hits:
                suggestion = _suggest(searcher, query, compiled.words, self._nearest_word)
        return SearchResult(query, hits, total, _ms(started), suggestion, compiled.error)

    def _run(
        self, searcher: Any, q: Any, hl: Highlight, limit: int, sort: str, exact: bool = True
    ) -> tuple[tuple[Hit, ...], int]:
        limit = max(1, limit)
        cut = False
        if sort == "date":
            results = searcher.search(
                q, limit=limit, sortedby="published", reverse=True, terms=False
            )
        else:
            broad = not exact or q.estimate_size(searcher.reader()) > BROAD_QUERY
            if broad:
                searcher = self._fast_searcher(searcher)
            collector = _budget_collector(limit, SCAN_BUDGET if broad else None)
            searcher.search_with_collector(q, collector)
            results = collector.results()
            cut = collector.cut
        ids = [results.docnum(i) for i in range(results.scored_length())]
        stored = [searcher.stored_fields(d)["id"] for d in ids]
        scores = [float(results.score(i) or 0.0) for i in range(len(stored))]
        # Counting every match of a broad query costs a second full pass (as
        # long as the search itself at 100,000 articles): past EXACT_UP_TO the
        # total is Whoosh's estimate, an upper bound.
        if results.has_exact_length():
            total = len(results)
        else:
            estimate = max(results.estimated_length(), len(stored))
            # As-you-type counts exactly only small answers (a second pass over
            # a few hundred matches is cheap); "4 hits" over 2 rows looks broken.
            exactly = not cut and estimate <= (EXACT_UP_TO if exact else EXACT_AS_YOU_TYPE)
            total = len(results) if exactly else estimate
        return self._hits(stored, scores, hl), total

    def _fast_searcher(self, searcher: Any) -> Any:
        """A TF-IDF searcher over the same reader, for broad and as-you-type queries.

        BM25F reads every matching document's field lengths; on a query that
        matches tens of thousands of articles that is most of the time spent,
        and TF-IDF ranks them 2-3x faster (measured on 15,000 articles).
        """
        from whoosh import scoring
        from whoosh.searching import Searcher

        if self._fast is None or self._fast[0] is not searcher:
            self._fast = (
                searcher,
                Searcher(searcher.reader(), weighting=scoring.TF_IDF(), closereader=False),
            )
        return self._fast[1]

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
            hits, _ = self._run(self._get_searcher(), q, hl, limit, "relevance")
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
    """A top-`limit` collector with a budget: `scan` matches at most, TIME_BUDGET_S of time.

    Whoosh scores every match of a query in Python (about 4 us each): a word
    in nine articles out of ten costs 0.35 s at 100,000 articles, which no
    ranking of "said" is worth, and a phrase of two common words has to read
    the positions of every article holding both. The collector visits the
    segments written last first (the latest ingests) and stops when the
    budget is spent; `cut` then says the total is Whoosh's estimate.
    """
    from whoosh.collectors import TopCollector

    class Budget(TopCollector):  # type: ignore[misc]
        cut = False

        def run(self) -> None:
            self.left = scan if scan is not None else -1
            self.seen = 0
            # Wall time, what the reader waits for (process_time costs 15x more
            # per call here); nothing is cut before MIN_SCAN matches, so small
            # libraries (and the tests) always get exact answers.
            self.deadline = time.perf_counter() + TIME_BUDGET_S
            try:
                for subsearcher, offset in reversed(list(self.top_searcher.leaf_searchers())):
                    if self.cut:
                        break
                    self.set_subsearcher(subsearcher, offset)
                    self.collect_matches()
            finally:
                self.finish()

        def collect_matches(self) -> None:
            collect = self.collect
            left = self.left
            clock = time.perf_counter
            deadline = self.deadline
            seen = self.seen
            for sub_docnum in self.matches():
                collect(sub_docnum)
                left -= 1
                seen += 1
                if left == 0 or (seen >= MIN_SCAN and seen % 32 == 0 and clock() > deadline):
                    self.cut = True
                    break
            if seen >= MIN_SCAN and clock() > deadline:
                self.cut = True
            self.left = left
            self.seen = seen

        def computes_count(self) -> bool:
            return not self.cut and bool(super().computes_count())

    return Budget(limit)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def _walk(root: Path) -> Iterator[Path]:
    from index.pipeline import iter_files

    for item in iter_files([root]):
        if isinstance(item, Path):
            yield item.resolve()


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


EXACT_UP_TO = 2000  # search totals are exact up to here, estimated beyond
EXACT_AS_YOU_TYPE = 500  # the same while typing, where every keystroke counts
BROAD_QUERY = 5000  # estimated matches above which ranking switches from BM25F to TF-IDF
SCAN_BUDGET = 6000  # broad queries: matches scored at most (about 25 ms)
TIME_BUDGET_S = 0.035  # time a search may spend collecting before it answers with what it has
MIN_SCAN = 500  # matches always collected before the time budget may cut a search


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
