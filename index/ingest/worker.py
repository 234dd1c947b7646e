"""The worker side of an ingest: parse, extract and index files into new segments, in processes."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.context import ForkContext, SpawnContext
from pathlib import Path
from typing import Any, cast

from index.files import UNREADABLE
from index.records import Article, Problem, content_hash
from index.storage import schema, whoosh_private
from index.storage.rows import CatalogRows, catalog_rows

Progress = Callable[[int, int], None]
Phase = Callable[[str], object]  # the return value is ignored

# Articles per commit (index segments, then catalog rows): what a crash or a
# Ctrl-C can lose at most, and what bounds the writers' memory. Every commit
# adds one segment per worker and each query pays per segment: 6,000 left 34
# segments at 100,000 articles (search p95 96 ms); 16,000 leaves about 13. A
# small ingest commits at least every COMMIT_MIN articles, a big one in about
# 8 batches (see `batch_size`), so an interrupted first ingest keeps most of its work.
COMMIT_EVERY = 16000
# At least SMALL_SEGMENT per worker (2 cores): worker segments are never re-merged at the end.
COMMIT_MIN = 2000
# Files per job sent to a worker; each job is one batch for year inference.
CHUNK = 24
# Below this many files to parse, worker processes cost more than they save.
POOL_MIN_FILES = 48
# Per worker segment writer; big enough that a commit's postings never spill.
LIMIT_MB = 256


@dataclass(frozen=True)
class FileResult:
    """One file after parsing: its hash, article ids and catalog rows (None: bytes unchanged)."""

    path: str
    digest: str
    ids: tuple[str, ...]
    rows: CatalogRows | None
    problems: tuple[Any, ...]
    # (mtime_ns, size) taken from the open file before its bytes were read: a
    # file changed while (or after) it is read then differs next time and is re-read.
    stat: tuple[int, int] = (0, -1)


class SegmentBuilder:
    """Parses, extracts and indexes chunks of files into one new Whoosh segment.

    It runs inside a worker process (or inline for small ingests); the segment
    only becomes visible when the main process commits it into the index's TOC.
    """

    def __init__(self, library: Path) -> None:
        self.ix = schema.open_index(library)
        whoosh_private.private_temp_storage(
            self.ix, f"{self.ix.indexname}.{os.getpid()}.{id(self)}.tmp"
        )
        self.writer: Any = None
        self.added = 0  # documents in the segment being built
        # word -> documents of this segment holding it: the library's
        # vocabulary for as-you-type prefixes, summed in the catalog.
        self.vocab: dict[bytes, int] = {}

    def chunk(self, tasks: list[tuple[str, str | None]]) -> list[FileResult]:
        out: list[FileResult] = []
        for path, digest, final, problems, stamp in read_chunk(tasks):
            if final is None:
                out.append(FileResult(path, digest, (), None, tuple(problems), stamp))
                continue
            if final:
                writer = self._writer()
                vocab = self.vocab
                for article in final:
                    doc = schema.analyse(article)
                    words = doc.get("words")
                    if words is not None:
                        for item in words.items:
                            vocab[item[0]] = vocab.get(item[0], 0) + 1
                    writer.add_document(**schema.whoosh_document(article, doc, digest))
                self.added += len(final)
            stamps = [schema.timestamp(a.published) if a.published else None for a in final]
            out.append(
                FileResult(
                    path,
                    digest,
                    tuple(a.id for a in final),
                    catalog_rows(final, stamps) if digest else None,
                    tuple(problems),
                    stamp,
                )
            )
        return out

    def _writer(self) -> Any:
        if self.writer is None:
            # No Whoosh lock: the main process holds the library's writer lock
            # and is the only one that commits.
            self.writer = whoosh_private.segment_writer(self.ix, LIMIT_MB, lock=False)
        return self.writer

    def discard(self) -> None:
        """Drop a segment being built (an ingest that failed): its temporary files go."""
        writer, self.writer = self.writer, None
        if writer is not None:
            whoosh_private.discard_writer(writer)

    def flush(self) -> Any:
        """Write out the segment built so far; None when nothing was added."""
        writer, self.writer = self.writer, None
        self.added = 0
        if writer is None:
            return None
        segment = whoosh_private.finish_segment(writer)
        if segment is None:
            return None
        # Rides along with the segment to the committing process, which takes
        # it off (`take_vocab`) before the segment goes into the TOC.
        whoosh_private.attach_vocab(segment, self.vocab)
        self.vocab = {}
        return segment


Read = tuple[str, str, list[Article] | None, list[Problem], tuple[int, int]]


def read_chunk(
    tasks: Sequence[tuple[str, str | None]], refuse: Callable[[str], str | None] | None = None
) -> list[Read]:
    """(path, digest, articles, problems, stamp) for each (path, known digest) of a chunk.

    Articles are None for a file whose digest is `known` (unchanged) and for one that
    can't be read or that `refuse` names a reason for (digest "", stamp UNREADABLE). One
    chunk is one batch for year inference (dates like "Dec 1" with no year). Both
    backends' ingest workers read through here.
    """
    from index.parse import infer_years
    from index.pipeline import process_file

    parsed: list[Read] = []
    for path, known in tasks:
        reason = refuse(path) if refuse is not None else None
        if reason is not None:
            parsed.append((path, "", None, [Problem(path, reason)], UNREADABLE))
            continue
        try:
            stamp, data = read_stamped(path)
        except OSError as exc:
            parsed.append((path, "", None, [Problem(path, exc.strerror or str(exc))], UNREADABLE))
            continue
        digest = content_hash(data)
        if digest == known:
            parsed.append((path, digest, None, [], stamp))
            continue
        articles, problems = process_file(path)
        parsed.append((path, digest, list(articles), list(problems), stamp))
    flat = [a for _, _, arts, _, _ in parsed if arts for a in arts]
    inferred = iter(infer_years(flat) if flat else [])
    return [
        (path, digest, None if arts is None else [next(inferred) for _ in arts], problems, stamp)
        for path, digest, arts, problems, stamp in parsed
    ]


def read_stamped(path: str) -> tuple[tuple[int, int], bytes]:
    """((mtime_ns, size), bytes) of a file, the stat taken on the open file before reading it."""
    with open(path, "rb") as f:
        st = os.fstat(f.fileno())
        return (st.st_mtime_ns, st.st_size), f.read()


def _worker(library: str, jobs: Any, results: Any, wid: int, workers: int) -> None:
    # Ctrl-C reaches the whole process group: the main process decides what
    # to keep and tells the workers (flush, then stop).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Millions of acyclic posting tuples make the cyclic GC rescan the heap
    # over and over (it cost a third of the segment-writing time); collect
    # once per segment instead.
    gc.disable()
    parent = os.getppid()
    # If the ingest is killed nobody drains `results`; exiting must not wait
    # for the queue's feeder thread to flush into a pipe no one reads.
    results.cancel_join_thread()
    flushed = False
    try:
        builder = SegmentBuilder(Path(library))
        while True:
            try:
                job = jobs.get(timeout=1.0)
            except queue.Empty:
                job = ()
            if os.getppid() != parent:  # the ingest was killed: do not linger
                os._exit(1)
            if job == ():
                continue
            if job is None:
                return
            kind, payload, every = job
            # Each worker commits on its own schedule, and the first segments
            # are staggered, so while one writes its segment out the other
            # keeps parsing.
            limit = every if flushed else max(1, every * (wid + 1) // workers)
            done = builder.chunk(payload) if kind == "chunk" else []
            segment = builder.flush() if kind == "flush" or builder.added >= limit else None
            results.put(("chunk", wid, done, segment))
            if segment is not None:
                flushed = True
                gc.collect()
    except BaseException as exc:  # reported to the main process as one line
        if os.environ.get("NEWSROOM_DEBUG"):
            import traceback

            traceback.print_exc()
        results.put(("error", wid, f"{type(exc).__name__}: {exc}"))
        results.close()
        results.join_thread()  # make sure the report gets out before exiting


class WorkerDied(Exception):
    """An ingest worker process failed; the message says why."""


Committer = Callable[[list[Any], list[FileResult], bool], None]


class Interrupted(Exception):
    """Ctrl-C stopped an ingest after committing what was done; `kept` articles were committed."""

    def __init__(self, kept: int) -> None:
        super().__init__(f"interrupted: kept {kept} articles")
        self.kept = kept


def batch_size(files: int) -> int:
    """Articles per commit for an ingest of `files` files (see COMMIT_EVERY)."""
    return max(1, min(COMMIT_EVERY, max(COMMIT_MIN, files // 8)))


def run_pipeline(
    library: Path,
    tasks: list[tuple[str, str | None]],
    on_result: Callable[[FileResult], None],
    commit: Committer,
    stop: threading.Event | None = None,
) -> bool:
    """Build segments for `tasks`; `commit(segments, their file results, final)` as they come.

    When `stop` is set (Ctrl-C) no new files are started: what was parsed is
    committed and the result is False (True: every task was done).
    """
    stop = stop or threading.Event()
    every = batch_size(len(tasks))
    chunks = [tasks[i : i + CHUNK] for i in range(0, len(tasks), CHUNK)]
    from index import jobs as parse_jobs

    if len(tasks) < POOL_MIN_FILES or parse_jobs.inline():
        with _no_gc():
            return _run_inline(library, chunks, on_result, commit, every, stop)
    return _run_parallel(library, chunks, on_result, commit, every, stop)


def _run_inline(
    library: Path,
    chunks: list[list[tuple[str, str | None]]],
    on_result: Callable[[FileResult], None],
    commit: Committer,
    every: int,
    stop: threading.Event,
) -> bool:
    builder = SegmentBuilder(library)
    pending: list[FileResult] = []
    complete = True
    try:
        for chunk in chunks:
            if stop.is_set():
                complete = False
                break
            for r in builder.chunk(chunk):
                on_result(r)
                pending.append(r)
            if builder.added >= every:
                commit(_some(builder.flush()), pending, False)
                pending = []
        commit(_some(builder.flush()), pending, True)
    finally:
        builder.discard()
    return complete


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _some(segment: Any) -> list[Any]:
    return [segment] if segment is not None else []


def _receive(results: Any, procs: Sequence[Any]) -> tuple[str, int, list[FileResult], Any]:
    """The next message of the workers; WorkerDied when one died or failed."""
    while True:
        try:
            msg: tuple[str, int, list[FileResult], Any] = results.get(timeout=0.5)
        except queue.Empty:
            dead = [p for p in procs if not p.is_alive()]
            if not dead:
                continue
            try:  # a worker that failed sent its reason just before exiting
                msg = results.get(timeout=1.0)
            except queue.Empty:
                raise WorkerDied(f"an ingest worker died (exit code {dead[0].exitcode})") from None
        if msg[0] == "error":
            raise WorkerDied(f"an ingest worker failed: {msg[2]}")
        return msg


def _run_parallel(
    library: Path,
    chunks: list[list[tuple[str, str | None]]],
    on_result: Callable[[FileResult], None],
    commit: Committer,
    batch: int,
    stop: threading.Event,
) -> bool:
    from index import jobs as parse_jobs

    workers = parse_jobs.workers(max(1, min(os.cpu_count() or 1, (len(chunks) + 1) // 2)))
    every = max(1, batch // workers)
    # fork is fastest, but forking a threaded process (the TUI ingests in a
    # thread) can deadlock a child on a lock another thread held: spawn then.
    method = "fork" if threading.active_count() == 1 else "spawn"
    # typeshed types get_context(str) as BaseContext, which has no Process.
    ctx = cast("ForkContext | SpawnContext", multiprocessing.get_context(method))
    results: Any = ctx.Queue()
    jobs = [ctx.Queue() for _ in range(workers)]
    procs = [
        ctx.Process(target=_worker, args=(str(library), jobs[w], results, w, workers), daemon=True)
        for w in range(workers)
    ]
    for p in procs:
        p.start()
    inflight = [0] * workers
    pending: list[list[FileResult]] = [[] for _ in range(workers)]
    todo: Iterator[list[tuple[str, str | None]]] = iter(chunks)

    def take(w: int, payload: list[FileResult], segment: Any) -> None:
        inflight[w] -= 1
        for r in payload:
            on_result(r)
        pending[w].extend(payload)
        if segment is not None:
            commit([segment], pending[w], False)
            pending[w] = []

    def dispatch() -> None:
        if stop.is_set():
            return
        for chunk in todo:
            w = min(range(workers), key=inflight.__getitem__)
            jobs[w].put(("chunk", chunk, every))
            inflight[w] += 1
            if min(inflight) >= 2:  # a small window keeps memory flat
                return

    try:
        dispatch()
        while any(inflight):
            _, w, payload, segment = _receive(results, procs)
            take(w, payload, segment)
            dispatch()
        for w in range(workers):
            jobs[w].put(("flush", [], every))
            inflight[w] += 1
        while any(inflight):
            _, w, payload, segment = _receive(results, procs)
            take(w, payload, segment)
        rest = [r for p in pending for r in p]
        commit([], rest, True)
        for q in jobs:
            q.put(None)
        for p in procs:
            p.join(timeout=10)
        return next(todo, None) is None
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
                p.join(timeout=5)
